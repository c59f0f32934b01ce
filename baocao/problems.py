"""A problem found in an input workbook, located down to the cell."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "lỗi"
WARNING = "cảnh báo"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook: an ERROR stops the report, a WARNING is listed."""

    severity: str
    file: str
    sheet: str
    cell: str
    label: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        """'Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ …)' or just the sheet when no cell applies."""
        place = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{place} ({self.label})" if self.label else place

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message
