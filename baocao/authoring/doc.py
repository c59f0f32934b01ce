"""What a form document is made of once read: paragraphs of runs, and tables of cells (from .docx or .xlsx)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Cell:
    """One grid position of a table. `spanned` is True where a merged cell continues (right or down)."""

    runs: tuple[Run, ...] = ()
    spanned: bool = False

    @property
    def text(self) -> str:
        return " ".join("".join(r.text for r in self.runs).split())

    @property
    def bold(self) -> bool:
        return any(r.text.strip() for r in self.runs) and all(r.bold for r in self.runs if r.text.strip())

    @property
    def italic(self) -> bool:
        return any(r.text.strip() for r in self.runs) and all(r.italic for r in self.runs if r.text.strip())


@dataclass
class Table:
    """A table as a grid: rows × columns, merged cells repeated; `header_rows` marked as repeating."""

    rows: list[list[Cell]]
    repeated: set[int] = field(default_factory=set)  # indices of rows marked "repeat as header row"
    after_page_break: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return " ".join("".join(r.text for r in self.runs).split())

    @property
    def bold(self) -> bool:
        return Cell(self.runs).bold


Block = Paragraph | Table
