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


def problem_line(problem: Problem) -> str:
    """'[LỖI] Biểu mẫu 1!D14 (…): …' — the same line on the terminal, in the list file and on the web page."""
    return f"[{'LỖI' if problem.is_error else 'Cảnh báo'}] {problem}"


def summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    return f"{errors} lỗi, {len(problems) - errors} cảnh báo."


def problem_report(source: str, problems: list[Problem], when: str) -> str:
    """The readable list written beside the outputs (UTF-8 text)."""
    lines = [f"KẾT QUẢ KIỂM TRA SỐ LIỆU: {source}", f"Thời điểm kiểm tra: {when}", summary(problems), ""]
    lines += [problem_line(p) for p in problems] or ["Không phát hiện lỗi hay cảnh báo nào."]
    lines += ["", "LỖI: phải sửa thì mới lập được báo cáo. Cảnh báo: báo cáo vẫn được lập, nhưng hãy kiểm tra lại."]
    return "\n".join(lines) + "\n"
