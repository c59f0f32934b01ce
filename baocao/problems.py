"""A problem found in an input workbook, as data: a code, a severity, its cells and its parameters.

No sentence is made here: baocao.messages phrases a problem from its code at the edge (the CLI,
the web page, the problem-list file), so every place that shows it says the same thing and a
caller that moves a problem (the city workbook) moves its cells, not words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any


class Severity(StrEnum):
    """An ERROR stops the report; a WARNING is listed and the report is still made."""

    ERROR = "error"
    WARNING = "warning"


ERROR = Severity.ERROR
WARNING = Severity.WARNING

Names = Mapping[str, str]  # a file name as stored → the name shown (the web page: the name the clerk uploaded)


class FileName(str):
    """A workbook's file name in a problem or an error ('bao-cao.xlsx'), with the place in it after
    (`place`: 'thanh_pho.xlsx, cột D (Xã A)') or its folder before, when the sentence shows them: the
    sentence shows `names`' name for it (shown()), the web page the name the clerk uploaded; the CLI
    passes no names and shows it as it is."""

    name: str
    place: str
    folder: str

    def __new__(cls, name: str, place: str = "", folder: str = "") -> FileName:
        value = super().__new__(cls, f"{folder}{name}{place}")
        value.name, value.place, value.folder = str(name), place, folder
        return value

    @classmethod
    def path(cls, path: Path) -> FileName:
        """The whole path '/thu-muc/bao-cao.xlsx' (its file name shown as `names` shows it)."""
        return cls(path.name, folder=str(path)[: -len(path.name)] if path.name else str(path))

    def shown(self, names: Names | None = None) -> str:
        """The name as the sentence shows it: `names`' name for it (the exact name), else itself."""
        return f"{self.folder}{(names or {}).get(self.name, self.name)}{self.place}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FileName, (self.name, self.place, self.folder))


@dataclass(frozen=True)
class Cell:
    """One cell a problem involves, besides its own: `role` says how ("part", "total")."""

    sheet: str
    cell: str
    role: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook, located at (file, sheet, cell); `cells` are the other cells
    involved (the parts of a sum, its total) and `params` what the sentence needs (numbers, labels)."""

    code: str
    severity: Severity
    file: FileName | str  # a FileName once made
    sheet: str = ""
    cell: str = ""
    label: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    cells: tuple[Cell, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.file, FileName):
            object.__setattr__(self, "file", FileName(self.file))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        """'Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ …)' or just the sheet when no cell applies."""
        place = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{place} ({self.label})" if self.label else place

    def moved(self, **changes: Any) -> Problem:
        """The same problem with other location fields (file, sheet, cell, label, cells)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Reason:
    """Why a cell cannot be read, as data: a code of baocao.messages.REASONS and its parameters
    (the values as the sentence shows them)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()


def unusable(file: str, why: Any) -> Problem:
    """The error of a workbook that cannot be used at all: `why` is the error (baocao.errors.CodedError,
    data) that says why it cannot be read or why it was left out; baocao.messages words it."""
    return Problem("workbook-unusable", ERROR, file, params={"why": why})
