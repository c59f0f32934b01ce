"""What a form holds: frozen dataclasses built from a form file (templates/<form>/form.yaml).

A form says which Biểu mẫu and rows the report has, which rows the clerk types and which
the generator computes, which tables of rows the clerk types themselves (grids), and which
Word template renders it. Nothing about a particular province or year lives in Python: the
code reads any file of this format (docs/huong-dan-bieu-mau.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from baocao.form.schema import Appendix, Compare, Consolidated, Numbers
from baocao.problems import ERROR, WARNING

INPUT_KINDS = frozenset({"number", "percent", "choice", "text"})
COMPUTED_KINDS = frozenset({"rate", "sum", "difference"})
ROW_KINDS = INPUT_KINDS | COMPUTED_KINDS | {"header"}
NOT_NUMBERS = frozenset({"header", "text", "choice"})
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEETS = frozenset({"Thông tin chung", "Nội dung", "_baocao"})


@dataclass(frozen=True)
class Row:
    """One indicator row of a Biểu mẫu (or a derived value used only by the narrative)."""

    id: str
    label: str
    kind: str
    stt: str = ""
    note: str = ""
    unit: str = ""
    remark: str = ""
    decimals: int | None = None  # None: the form's default (0 for numbers, rate_decimals for rates)
    suffix: str | None = None  # None: the form's default ("%" for rates, "" for counts); see form/numstyle.py
    no_value: str | None = None  # rates: printed when there is no value (None: numbers.no_value)
    pad: int | None = None  # least integer digits ("01"); None: numbers.pad for counts, 0 for rates
    grouping: bool | None = None  # thousands separator; None: numbers.grouping
    style: str = ""  # "" = auto: bold when the STT has one level ("1.", "I.")
    optional: bool = False
    choices: dict[int, str] = field(default_factory=dict)
    num: str = ""
    den: str = ""
    terms: tuple[str, ...] = ()
    exceed: str = "error"  # rate rows: numerator above denominator is an error | warning | allowed
    bullet: str = ""  # "-" or "+": printed before the label of a row without STT
    level: str = ""  # "" = every level; else only in reports of this level (form `levels:`)
    line: int = field(default=0, compare=False)

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS

    @property
    def is_computed(self) -> bool:
        return self.kind in COMPUTED_KINDS

    @property
    def sources(self) -> tuple[str, ...]:
        """Row ids this row is computed from."""
        if self.kind == "rate":
            return (self.num, self.den)
        return self.terms

    @property
    def unit_text(self) -> str:
        """Đơn vị tính as printed; coded rows list their codes ("Không = 0 Có = 1")."""
        if self.kind == "choice" and not self.unit:
            return "\n".join(f"{label} = {code}" for code, label in self.choices.items())
        return self.unit

    @property
    def display_label(self) -> str:
        """The label as printed: "- Số văn bản" for a row with a bullet."""
        return f"{self.bullet} {self.label}" if self.bullet else self.label

    @property
    def bold(self) -> bool:
        return self.style in ("bold", "bold_italic") or (not self.style and stt_level(self.stt) == 1)

    @property
    def italic(self) -> bool:
        return self.style in ("italic", "bold_italic")


def stt_level(stt: str) -> int:
    """1 for "1." or "I.", 2 for "2.1.", 0 for no STT."""
    return len([p for p in stt.strip().strip(".").split(".") if p])


@dataclass(frozen=True)
class Table:
    """One Biểu mẫu: a workbook sheet and a table of the Phụ lục."""

    sheet: str
    title: str
    rows: tuple[Row, ...]
    footnote: str = ""
    number: str = ""  # printed number: "Biểu mẫu 1", "I" (appendix.numbering or the table's `number:`)
    columns: dict[str, str] = field(default_factory=dict)  # column headings of this table
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class GridColumn:
    """A column of a grid; a group column has `children` and no id."""

    heading: str
    id: str = ""
    kind: str = "number"
    terms: tuple[str, ...] = ()
    num: str = ""
    den: str = ""
    decimals: int | None = None
    suffix: str | None = None  # suffix, no_value, pad, grouping: as Row's
    no_value: str | None = None
    pad: int | None = None
    grouping: bool | None = None
    children: tuple[GridColumn, ...] = ()
    line: int = field(default=0, compare=False)

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    @property
    def is_input(self) -> bool:
        return not self.children and self.kind == "number"

    @property
    def sources(self) -> tuple[str, ...]:
        if self.kind == "rate":
            return (self.num, self.den)
        return self.terms

    def leaves(self) -> tuple[GridColumn, ...]:
        return tuple(leaf for child in self.children for leaf in child.leaves()) if self.children else (self,)

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)


@dataclass(frozen=True)
class Grid:
    """A table whose rows the clerk types (one per lĩnh vực), with a computed total row.

    Columns may be nested under group headings (multi-level header); each leaf column is
    typed (`number`) or computed per row (`sum`, `difference`, `rate`). The total row adds
    up every column (rates are recomputed from the added-up parts).
    """

    id: str
    sheet: str
    title: str
    columns: tuple[GridColumn, ...]
    number_heading: str = "STT"
    label_heading: str = "Nội dung"
    label_help: str = ""
    total_label: str = "Cộng"
    max_rows: int = 20
    unit: str = ""
    checks: tuple[Check, ...] = ()  # between columns, on every row and the total row
    line: int = field(default=0, compare=False)

    @cached_property  # read for every cell of the grid
    def leaves(self) -> tuple[GridColumn, ...]:
        return tuple(leaf for c in self.columns for leaf in c.leaves())

    @cached_property
    def depth(self) -> int:
        """Header rows the column headings need."""
        return max((c.depth() for c in self.columns), default=1)

    def column(self, column_id: str) -> GridColumn:
        return {c.id: c for c in self.leaves}[column_id]

    def heading_path(self, column_id: str) -> str:
        """ "Số hồ sơ đã giải quyết – Tổng số" for a nested column."""

        def walk(columns: tuple[GridColumn, ...], trail: tuple[str, ...]) -> str:
            for c in columns:
                here = (*trail, c.heading)
                if c.id == column_id and not c.children:
                    return " – ".join(here)
                found = walk(c.children, here)
                if found:
                    return found
            return ""

        return walk(self.columns, ())

    def cell_row(self, column: GridColumn) -> Row:
        """A column's cell on one row of the grid as a Row: what the one cell reader reads and the
        one formula writer computes."""
        return Row(
            id=column.id,
            label=column.heading,
            kind=column.kind,
            unit=self.unit,
            num=column.num,
            den=column.den,
            terms=column.terms,
            decimals=column.decimals,
            suffix=column.suffix,
            no_value=column.no_value,
            pad=column.pad,
            grouping=column.grouping,
        )

    def total_row(self, column: GridColumn) -> Row:
        """The column's total as a row, so that checks and formulas may use `grid.column`."""
        return Row(
            id=f"{self.id}.{column.id}",
            label=f"{self.total_label} cột “{self.heading_path(column.id)}” ({self.title or self.sheet})",
            kind="rate" if column.kind == "rate" else "sum",
            unit="%" if column.kind == "rate" else self.unit,
            decimals=column.decimals,
            suffix=column.suffix,
            no_value=column.no_value,
            pad=column.pad,
            grouping=column.grouping,
        )


@dataclass(frozen=True)
class InfoField:
    """One field of the sheet "Thông tin chung"."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    default: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)  # the form file's `info_fields:` entry (0: the common file's)


@dataclass(frozen=True)
class NarrativeSection:
    """One free-text section of the sheet "Nội dung"."""

    key: str
    label: str
    style: str = "bullets"
    help: str = ""
    line: int = field(default=0, compare=False)


SEVERITIES = {"error": ERROR, "warning": WARNING}


@dataclass(frozen=True)
class Check:
    """A rule between rows (or, in a grid, between columns): the parts, added up, are at most (<=)
    or exactly (=) the whole."""

    parts: tuple[str, ...]
    whole: str
    relation: str = "<="
    severity: str = "error"
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Form:
    id: str
    version: str
    title: str
    directory: Path
    template: str
    province: str
    superior: str
    numbers: Numbers
    appendix: Appendix
    tables: tuple[Table, ...]
    derived: tuple[Row, ...]
    narrative: tuple[NarrativeSection, ...]
    info_fields: tuple[InfoField, ...]
    checks: tuple[Check, ...] = ()
    consolidated: Consolidated = field(default_factory=Consolidated)
    compare: Compare = field(default_factory=Compare)  # rows and words of the comparison with an earlier report
    grids: tuple[Grid, ...] = ()
    level: str = ""  # the level whose rows this Form holds ("" when the form has no levels)
    levels: dict[str, str] = field(default_factory=dict)  # level id → label ("commune": "Cấp xã")
    all_rows: tuple[Row, ...] = ()  # every row of every level, for the template's v./n.
    source: Path | None = None  # the form file
    # load.load_form, given by the loader so that `at_level` can read the file again
    loader: Callable[[Path, str | None], Form] | None = field(default=None, compare=False, repr=False)

    @property
    def template_path(self) -> Path:
        return self.directory / self.template

    @cached_property
    def rows(self) -> tuple[Row, ...]:
        """Every row of every table, then the derived rows (of this form's level); built once per form."""
        return tuple(r for t in self.tables for r in t.rows) + self.derived

    @cached_property
    def grid_rows(self) -> tuple[Row, ...]:
        """The total of every grid column, as rows named "grid.column"; built once per form."""
        return tuple(g.total_row(c) for g in self.grids for c in g.leaves)

    def row(self, row_id: str) -> Row:
        return self._rows_by_id[row_id]

    def grid(self, grid_id: str) -> Grid:
        return {g.id: g for g in self.grids}[grid_id]

    @cached_property
    def _rows_by_id(self) -> dict[str, Row]:
        return {r.id: r for r in (*self.rows, *self.grid_rows)}

    def at_level(self, level: str | None) -> Form:
        """The same form showing the rows of another level (see `levels:` in the form file)."""
        if not level or level == self.level or self.source is None or self.loader is None:
            return self
        return self.loader(self.source, level)
