"""Load a form definition (templates/<form>/form.yaml) into plain dataclasses.

A form says which Biểu mẫu and rows the report has, which rows the clerk types and
which the generator computes, which tables of rows the clerk types themselves (grids),
and which Word template renders it. Nothing about a particular province or year lives
in Python: the code reads any file of this format (docs/huong-dan-bieu-mau.md).

Every problem found in a form file is collected with the line it is on (FormIssue);
`load_form` raises FormError listing the errors, `inspect_form` returns them all (for
`python generate.py check-form`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from baocao.errors import FormError
from baocao.formyaml import LineDict, explain_yaml_error, line_of, load_yaml_with_lines, unquoted_comma_hint
from baocao.problems import ERROR, WARNING

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_FORM_ID = "hai_phong_2025"
INFO_FIELDS_FILE = TEMPLATES_DIR / "common" / "info_fields.yaml"

INPUT_KINDS = frozenset({"number", "percent", "choice", "text"})
COMPUTED_KINDS = frozenset({"rate", "sum", "difference"})
ROW_KINDS = INPUT_KINDS | COMPUTED_KINDS | {"header"}
NOT_NUMBERS = frozenset({"header", "text", "choice"})
STYLES = frozenset({"normal", "italic", "bold", "bold_italic"})
BULLETS = frozenset({"-", "+"})
GRID_KINDS = frozenset({"number", "sum", "difference", "rate"})
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEETS = frozenset({"Thông tin chung", "Nội dung", "_baocao"})


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


FORM_KEYS = _keys(
    "id version title province superior template numbers appendix tables grids checks derived narrative level levels"
    " consolidated"
)
TABLE_KEYS = _keys("sheet title footnote rows number columns")
ROW_KEYS = _keys("stt id label note unit remark kind decimals style optional choices num den terms exceed bullet level")
CHECK_KEYS = _keys("parts whole relation severity")
NARRATIVE_KEYS = _keys("key label style help")
GRID_KEYS = _keys("id sheet title columns number_heading label_heading label_help total_label rows unit checks")
GRID_COLUMN_KEYS = _keys("id heading kind terms num den decimals columns")
APPENDIX_KEYS = _keys("title heading subheading columns font_size numbering")
NUMBERS_KEYS = _keys("rate_decimals whole_rate_without_decimals no_value")


# Column headings of a Biểu mẫu when the form file does not name them (appendix.columns).
DEFAULT_COLUMNS = {
    "stt": "STT",
    "label": "Chỉ tiêu thống kê",
    "label_note": "",
    "group": "Kết quả thống kê",
    "unit": "Đơn vị tính",
    "value": "Số liệu",
    "remark": "Ghi chú",
}


# --- what a form holds ---------------------------------------------------------------------


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

    def total_row(self, column: GridColumn) -> Row:
        """The column's total as a row, so that checks and formulas may use `grid.column`."""
        return Row(
            id=f"{self.id}.{column.id}",
            label=f"{self.total_label} cột “{self.heading_path(column.id)}” ({self.title or self.sheet})",
            kind="rate" if column.kind == "rate" else "sum",
            unit="%" if column.kind == "rate" else self.unit,
            decimals=column.decimals,
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


@dataclass(frozen=True)
class NarrativeSection:
    """One free-text section of the sheet "Nội dung"."""

    key: str
    label: str
    style: str = "bullets"
    help: str = ""
    line: int = field(default=0, compare=False)


SEVERITIES = {"error": ERROR, "warning": WARNING}
RELATIONS = frozenset({"<=", "="})


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
    numbers: dict[str, Any]
    appendix: dict[str, Any]
    tables: tuple[Table, ...]
    derived: tuple[Row, ...]
    narrative: tuple[NarrativeSection, ...]
    info_fields: tuple[InfoField, ...]
    checks: tuple[Check, ...] = ()
    consolidated: dict[str, Any] = field(default_factory=dict)
    grids: tuple[Grid, ...] = ()
    level: str = ""  # the level whose rows this Form holds ("" when the form has no levels)
    levels: dict[str, str] = field(default_factory=dict)  # level id → label ("commune": "Cấp xã")
    all_rows: tuple[Row, ...] = ()  # every row of every level, for the template's v./n.
    source: Path | None = None  # the form file

    @property
    def template_path(self) -> Path:
        return self.directory / self.template

    @cached_property
    def rows(self) -> tuple[Row, ...]:
        """Every row of every table, then the derived rows (of this form's level); built once per form."""
        return tuple(r for t in self.tables for r in t.rows) + self.derived

    @property
    def grid_rows(self) -> tuple[Row, ...]:
        """The total of every grid column, as rows named "grid.column"."""
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
        if not level or level == self.level or self.source is None:
            return self
        return load_form(self.source, level)


# --- problems in a form file -------------------------------------------------------------


@dataclass(frozen=True)
class FormIssue:
    """One problem of a form file (or its Word template), with the form file's line."""

    severity: str
    file: str
    line: int
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.file}, dòng {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class FormIssues:
    """Collects FormIssues of one file, each once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[FormIssue] = []

    def error(self, line: int, message: str) -> None:
        self._add(FormIssue(ERROR, self.file, line, message))

    def warning(self, line: int, message: str) -> None:
        self._add(FormIssue(WARNING, self.file, line, message))

    def _add(self, issue: FormIssue) -> None:
        if issue not in self.items:
            self.items.append(issue)

    @property
    def errors(self) -> list[FormIssue]:
        return [i for i in self.items if i.is_error]


def did_you_mean(word: str, known: Any) -> str:
    """' (có phải “plan_done”?)' when a known word is close, else ''."""
    close = difflib.get_close_matches(str(word), [str(k) for k in known], n=1, cutoff=0.75)
    return f" (có phải “{close[0]}”?)" if close else ""


def _unknown_keys(raw: LineDict, allowed: frozenset[str], what: str, issues: FormIssues) -> None:
    for key in raw:
        if key not in allowed:
            comma = unquoted_comma_hint(raw, key)
            if comma:
                issues.error(raw.line_of_key(key), f"{what}: {comma}.")
                continue
            issues.error(raw.line_of_key(key), f"{what}: khóa “{key}” không hợp lệ{did_you_mean(key, allowed)}.")


def _as_list(value: Any, line: int, what: str, issues: FormIssues) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        issues.error(line, f"“{what}” phải là một danh sách (mỗi mục một dòng bắt đầu bằng “- ”).")
        return []
    return value


def _as_mapping(value: Any, line: int, what: str, issues: FormIssues) -> LineDict | None:
    if isinstance(value, dict):
        return value if isinstance(value, LineDict) else LineDict(value)
    issues.error(line_of(value) or line, f"{what} phải là một mục dạng “khóa: giá trị”.")
    return None


def _int(raw: dict, key: str, what: str, issues: FormIssues) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        issues.error(raw.line_of_key(key), f"{what}: “{key}” phải là số nguyên.")
        return None
    return value


# --- rows ----------------------------------------------------------------------------------


def _row_from_yaml(raw: LineDict, what: str, issues: FormIssues) -> Row | None:
    line = raw.line
    name = f"chỉ tiêu “{raw['id']}”" if raw.get("id") else what
    _unknown_keys(raw, ROW_KEYS, name, issues)
    missing = [k for k in ("id", "label", "kind") if raw.get(k) in (None, "")]
    if missing:
        issues.error(line, f"{name}: thiếu khóa “{missing[0]}”.")
        return None
    row_id, kind = str(raw["id"]), str(raw["kind"])
    if not IDENTIFIER.match(row_id):
        issues.error(line, f"mã chỉ tiêu “{row_id}” chỉ được gồm chữ cái không dấu, chữ số và dấu gạch dưới “_”.")
    if kind not in ROW_KINDS:
        issues.error(line, f"{name}: loại “{kind}” không hợp lệ ({', '.join(sorted(ROW_KINDS))}).")
    style = str(raw.get("style") or "")
    if style and style not in STYLES:
        issues.error(line, f"{name}: kiểu chữ “{style}” không hợp lệ ({', '.join(sorted(STYLES))}).")
    bullet = str(raw.get("bullet") or "")
    if bullet and bullet not in BULLETS:
        issues.error(line, f"{name}: “bullet” phải là “-” hoặc “+”.")
    if bullet and raw.get("stt"):
        issues.error(line, f"{name}: hàng có “bullet” thì không có STT.")
    choices: dict[int, str] = {}
    for code, label in (raw.get("choices") or {}).items():
        try:
            choices[int(code)] = str(label)
        except (TypeError, ValueError):
            issues.error(line, f"{name}: mã “{code}” trong “choices” phải là số nguyên.")
    if kind == "choice" and not choices:
        issues.error(line, f"{name}: chỉ tiêu mã hóa phải có “choices”, ví dụ {{0: Không, 1: Có}}.")
    if kind == "rate" and not (raw.get("num") and raw.get("den")):
        issues.error(line, f"{name}: tỷ lệ phải có “num” (tử số) và “den” (mẫu số).")
    if kind in ("sum", "difference") and not raw.get("terms"):
        issues.error(line, f"{name}: phải có “terms” (các chỉ tiêu thành phần).")
    if kind not in ("rate",) and (raw.get("num") or raw.get("den")):
        issues.error(line, f"{name}: “num”/“den” chỉ dùng cho loại rate.")
    if kind not in ("sum", "difference") and raw.get("terms"):
        issues.error(line, f"{name}: “terms” chỉ dùng cho loại sum hoặc difference.")
    exceed = str(raw.get("exceed") or "error")
    if exceed not in (*SEVERITIES, "allowed"):
        issues.error(line, f"{name}: “exceed” phải là error, warning hoặc allowed.")
    terms = raw.get("terms") or ()
    if isinstance(terms, str):
        terms = (terms,)
    return Row(
        id=row_id,
        label=str(raw["label"]),
        kind=kind,
        stt=str(raw.get("stt") or ""),
        note=str(raw.get("note") or ""),
        unit=str(raw.get("unit") or ""),
        remark=str(raw.get("remark") or ""),
        decimals=_int(raw, "decimals", name, issues),
        style=style,
        optional=bool(raw.get("optional", False)),
        choices=choices,
        num=str(raw.get("num") or ""),
        den=str(raw.get("den") or ""),
        terms=tuple(str(t) for t in terms),
        exceed=exceed,
        bullet=bullet,
        level=str(raw.get("level") or ""),
        line=line,
    )


def _check_sheet_name(name: str, line: int, issues: FormIssues) -> None:
    if len(name) > 31:
        issues.error(line, f"tên trang “{name}” dài {len(name)} ký tự; Excel chỉ cho phép tối đa 31 ký tự.")
    if SHEET_NAME_BAD.search(name):
        issues.error(line, f"tên trang “{name}” có ký tự Excel không cho phép ([ ] : * ? / \\).")
    if name in RESERVED_SHEETS:
        issues.error(line, f"tên trang “{name}” trùng với trang có sẵn của bảng tính.")


def _table_number(raw: LineDict, index: int, sheet: str, numbering: str) -> str:
    if raw.get("number") is not None:
        return str(raw["number"])
    if numbering:
        return numbering.replace("{n}", str(index)).replace("{roman}", roman(index))
    return sheet


ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
ROMAN_LETTERS = ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I")


def roman(n: int) -> str:
    """4 → "IV"."""
    out = ""
    for value, letters in zip(ROMAN_VALUES, ROMAN_LETTERS, strict=True):
        out, n = out + letters * (n // value), n % value
    return out


def _tables_from_yaml(data: LineDict, appendix: dict, issues: FormIssues) -> tuple[Table, ...]:
    tables = []
    numbering = str(appendix.get("numbering") or "")
    for index, raw in enumerate(_as_list(data.get("tables"), data.line_of_key("tables"), "tables", issues), 1):
        raw = _as_mapping(raw, data.line_of_key("tables"), f"Biểu mẫu thứ {index}", issues)
        if raw is None:
            continue
        _unknown_keys(raw, TABLE_KEYS, f"bảng thứ {index}", issues)
        if not raw.get("sheet"):
            issues.error(raw.line, f"bảng thứ {index}: thiếu khóa “sheet” (tên trang trong bảng tính).")
            continue
        sheet = str(raw["sheet"])
        _check_sheet_name(sheet, raw.line_of_key("sheet"), issues)
        rows_raw = _as_list(raw.get("rows"), raw.line_of_key("rows"), "rows", issues)
        if not rows_raw:
            issues.error(raw.line, f"{sheet}: chưa có hàng nào (“rows”).")
        rows = []
        for i, r in enumerate(rows_raw, 1):
            r = _as_mapping(r, raw.line, f"{sheet}, hàng thứ {i}", issues)
            row = _row_from_yaml(r, f"{sheet}, hàng thứ {i}", issues) if r is not None else None
            if row is not None:
                rows.append(row)
        columns = raw.get("columns") or {}
        tables.append(
            Table(
                sheet=sheet,
                title=str(raw.get("title") or ""),
                footnote=str(raw.get("footnote") or ""),
                rows=tuple(rows),
                number=_table_number(raw, index, sheet, numbering),
                columns={str(k): str(v) for k, v in columns.items()} if isinstance(columns, dict) else {},
                line=raw.line,
            )
        )
    return tuple(tables)


# --- grids ---------------------------------------------------------------------------------


def _grid_column(raw: Any, grid: str, line: int, issues: FormIssues) -> GridColumn | None:
    raw = _as_mapping(raw, line, f"bảng “{grid}”: cột", issues)
    if raw is None:
        return None
    name = f"bảng “{grid}”, cột “{raw.get('id') or raw.get('heading') or '?'}”"
    _unknown_keys(raw, GRID_COLUMN_KEYS, name, issues)
    if not raw.get("heading"):
        issues.error(raw.line, f"{name}: thiếu khóa “heading” (tiêu đề cột).")
    children_raw = raw.get("columns")
    if children_raw:
        if raw.get("id") or raw.get("kind"):
            issues.error(raw.line, f"{name}: cột nhóm (có “columns”) không có “id” hay “kind”.")
        children = tuple(
            c
            for c in (
                _grid_column(c, grid, raw.line, issues) for c in _as_list(children_raw, raw.line, "columns", issues)
            )
            if c is not None
        )
        return GridColumn(heading=str(raw.get("heading") or ""), children=children, line=raw.line)
    kind = str(raw.get("kind") or "number")
    if not raw.get("id"):
        issues.error(raw.line, f"{name}: thiếu khóa “id”.")
        return None
    if not IDENTIFIER.match(str(raw["id"])):
        issues.error(raw.line, f"mã cột “{raw['id']}” chỉ được gồm chữ cái không dấu, chữ số và dấu gạch dưới “_”.")
    if kind not in GRID_KINDS:
        issues.error(raw.line, f"{name}: loại “{kind}” không hợp lệ ({', '.join(sorted(GRID_KINDS))}).")
    if kind == "rate" and not (raw.get("num") and raw.get("den")):
        issues.error(raw.line, f"{name}: tỷ lệ phải có “num” (tử số) và “den” (mẫu số).")
    if kind in ("sum", "difference") and not raw.get("terms"):
        issues.error(raw.line, f"{name}: phải có “terms” (các cột thành phần).")
    return GridColumn(
        heading=str(raw.get("heading") or ""),
        id=str(raw["id"]),
        kind=kind,
        terms=tuple(str(t) for t in raw.get("terms") or ()),
        num=str(raw.get("num") or ""),
        den=str(raw.get("den") or ""),
        decimals=_int(raw, "decimals", name, issues),
        line=raw.line,
    )


def _grid_from_yaml(raw: LineDict, index: int, issues: FormIssues) -> Grid | None:
    name = f"bảng “{raw.get('id') or index}”"
    _unknown_keys(raw, GRID_KEYS, name, issues)
    for key in ("id", "sheet", "columns"):
        if not raw.get(key):
            issues.error(raw.line, f"{name}: thiếu khóa “{key}”.")
            return None
    grid_id = str(raw["id"])
    if not IDENTIFIER.match(grid_id):
        issues.error(raw.line, f"mã bảng “{grid_id}” chỉ được gồm chữ cái không dấu, chữ số và dấu gạch dưới “_”.")
    _check_sheet_name(str(raw["sheet"]), raw.line_of_key("sheet"), issues)
    columns = tuple(
        c
        for c in (
            _grid_column(c, grid_id, raw.line, issues)
            for c in _as_list(raw.get("columns"), raw.line_of_key("columns"), "columns", issues)
        )
        if c is not None
    )
    max_rows = _int(raw, "rows", name, issues) or 20
    if not 1 <= max_rows <= 500:
        issues.error(raw.line_of_key("rows"), f"{name}: “rows” phải từ 1 đến 500.")
    checks = []
    for c in _as_list(raw.get("checks"), raw.line_of_key("checks"), "checks", issues):
        c = _as_mapping(c, raw.line, f"{name}: mục kiểm tra", issues)
        if c is not None:
            checks.append(_check_fields(c, f"{name}, mục kiểm tra", issues))
    grid = Grid(
        id=grid_id,
        sheet=str(raw["sheet"]),
        title=str(raw.get("title") or ""),
        columns=columns,
        number_heading=str(raw.get("number_heading") or "STT"),
        label_heading=str(raw.get("label_heading") or "Nội dung"),
        label_help=str(raw.get("label_help") or ""),
        total_label=str(raw.get("total_label") or "Cộng"),
        max_rows=max_rows,
        unit=str(raw.get("unit") or ""),
        checks=tuple(c for c in checks if c is not None),
        line=raw.line,
    )
    _check_grid_columns(grid, issues)
    return grid


def _check_grid_columns(grid: Grid, issues: FormIssues) -> None:
    seen: dict[str, GridColumn] = {}
    for column in grid.leaves:
        if column.id in seen:
            issues.error(
                column.line, f"bảng “{grid.id}”: mã cột “{column.id}” bị trùng (đã dùng ở dòng {seen[column.id].line})."
            )
        seen[column.id] = column
    for column in grid.leaves:
        for source in column.sources:
            if source not in seen:
                issues.error(
                    column.line,
                    f"bảng “{grid.id}”, cột “{column.id}”: tham chiếu tới cột không có “{source}”"
                    f"{did_you_mean(source, seen)}.",
                )
    _check_no_cycles({c.id: c.sources for c in grid.leaves}, {c.id: c.line for c in grid.leaves}, issues)
    for check in grid.checks:
        for column_id in (*check.parts, check.whole):
            if column_id not in seen:
                issues.error(
                    check.line,
                    f"bảng “{grid.id}”, mục kiểm tra: tham chiếu tới cột không có “{column_id}”"
                    f"{did_you_mean(column_id, seen)}.",
                )


# --- checks, levels, references ------------------------------------------------------------


def _check_fields(raw: LineDict, what: str, issues: FormIssues) -> Check | None:
    _unknown_keys(raw, CHECK_KEYS, what, issues)
    parts = raw.get("parts") or ()
    if isinstance(parts, str):
        parts = (parts,)
    parts = tuple(str(p) for p in parts)
    whole = str(raw.get("whole") or "")
    if not parts or not whole:
        issues.error(raw.line, f"{what}: phải có “parts” (các phần) và “whole” (tổng).")
        return None
    relation = str(raw.get("relation") or "<=")
    severity = str(raw.get("severity") or "error")
    if relation not in RELATIONS:
        issues.error(raw.line, f"{what}: “relation” phải là <= hoặc =.")
    if severity not in SEVERITIES:
        issues.error(raw.line, f"{what}: “severity” phải là error hoặc warning.")
    return Check(parts=parts, whole=whole, relation=relation, severity=severity, line=raw.line)


def _present(row: Row, level: str) -> bool:
    return not level or not row.level or row.level == level


def _check_ids(rows: tuple[Row, ...], grids: tuple[Grid, ...], issues: FormIssues) -> None:
    seen: dict[str, Row] = {}
    for row in rows:
        if row.id in seen:
            issues.error(row.line, f"mã chỉ tiêu “{row.id}” bị trùng (đã dùng ở dòng {seen[row.id].line}).")
        else:
            seen[row.id] = row
    grid_seen: dict[str, Grid] = {}
    for grid in grids:
        if grid.id in grid_seen:
            issues.error(grid.line, f"mã bảng “{grid.id}” bị trùng (đã dùng ở dòng {grid_seen[grid.id].line}).")
        grid_seen[grid.id] = grid


def _known_ids(rows: tuple[Row, ...], grids: tuple[Grid, ...]) -> dict[str, Row]:
    known = {r.id: r for r in rows}
    known.update({f"{g.id}.{c.id}": g.total_row(c) for g in grids for c in g.leaves})
    return known


def _check_references(
    rows: tuple[Row, ...], grids: tuple[Grid, ...], levels: dict[str, str], issues: FormIssues
) -> None:
    """Formulas name rows that exist, are numbers, and exist at every level the row is shown at."""
    known = _known_ids(rows, grids)
    for row in rows:
        for source in row.sources:
            if source not in known:
                issues.error(
                    row.line,
                    f"chỉ tiêu “{row.id}”: tham chiếu tới chỉ tiêu không có “{source}”{did_you_mean(source, known)}.",
                )
            elif known[source].kind in NOT_NUMBERS:
                issues.error(
                    row.line, f"chỉ tiêu “{row.id}”: không tính được từ “{source}” (loại {known[source].kind})."
                )
    for level in levels or ("",):
        here = {r.id for r in rows if _present(r, level)} | {k for k in known if "." in k}
        for row in rows:
            if not _present(row, level) or not row.is_computed:
                continue
            missing = [s for s in row.sources if s in known and s not in here]
            label = levels.get(level, level)
            if row.kind == "rate" and missing:
                issues.error(
                    row.line,
                    f"chỉ tiêu “{row.id}” có trong báo cáo {label.lower()} nhưng “{missing[0]}” thì không "
                    f"(level: {known[missing[0]].level}).",
                )
            elif row.terms and len(missing) == len(row.terms):
                issues.error(row.line, f"chỉ tiêu “{row.id}”: không còn thành phần nào trong báo cáo {label.lower()}.")


def _check_no_cycles(graph: dict[str, tuple[str, ...]], lines: dict[str, int], issues: FormIssues) -> None:
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 2 or node not in graph:
            return
        if state.get(node) == 1:
            cycle = [*trail[trail.index(node) :], node]
            issues.error(lines.get(cycle[0], 0), f"công thức vòng tròn: {' → '.join(cycle)}.")
            return
        state[node] = 1
        for source in graph[node]:
            visit(source, [*trail, node])
        state[node] = 2

    for node in graph:
        visit(node, [])


def _consolidated_settings(raw: dict[str, Any], rows: dict[str, Row], path: Path) -> dict[str, Any]:
    """The `consolidated:` section with defaults; rate ids must be rate or percent rows."""
    settings = {
        "template": "tong_hop.docx",
        "issuer": "Sở Nội vụ",
        "doc_symbol": "BC-SNV",
        "signer_title": "Giám đốc",
        "recipients": ["Lưu: VT"],
        "key_rates": [],
        "chart_rates": [],
        "low_rate": 90,
        "chart_units": 40,  # at most this many units per chart (several charts when more)
        **raw,
    }
    for key in ("key_rates", "chart_rates"):
        for row_id in settings[key]:
            if row_id not in rows or rows[row_id].kind not in ("rate", "percent"):
                raise FormError(f"{path.name}, consolidated.{key}: “{row_id}” không phải chỉ tiêu tỷ lệ.")
    short = dict(settings.get("short_labels") or {})
    rate_ids = (*settings["key_rates"], *settings["chart_rates"])
    settings["short_labels"] = {r: short.get(r) or rows[r].label for r in rate_ids}
    return settings


def _rate_checks(rows: tuple[Row, ...]) -> tuple[Check, ...]:
    """Every rate's numerator is at most its denominator, unless the row says `exceed: allowed`."""
    return tuple(
        Check(parts=(r.num,), whole=r.den, relation="<=", severity=r.exceed, line=r.line)
        for r in rows
        if r.kind == "rate" and r.exceed != "allowed"
    )


def _checks_from_yaml(data: LineDict, known: dict[str, Row], issues: FormIssues) -> tuple[Check, ...]:
    checks = []
    for i, raw in enumerate(_as_list(data.get("checks"), data.line_of_key("checks"), "checks", issues), 1):
        raw = _as_mapping(raw, data.line_of_key("checks"), f"checks, mục {i}", issues)
        if raw is None:
            continue
        check = _check_fields(raw, f"checks, mục {i}", issues)
        if check is None:
            continue
        for row_id in (*check.parts, check.whole):
            if row_id not in known:
                issues.error(
                    raw.line,
                    f"checks, mục {i}: tham chiếu tới chỉ tiêu không có “{row_id}”{did_you_mean(row_id, known)}.",
                )
            elif known[row_id].kind in NOT_NUMBERS:
                issues.error(raw.line, f"checks, mục {i}: “{row_id}” không phải chỉ tiêu số.")
        checks.append(check)
    return tuple(checks)


def _at_level(rows: tuple[Row, ...], level: str, present: set[str]) -> tuple[Row, ...]:
    """The rows shown at this level; sum/difference terms absent at this level (not in `present`) are left out."""
    return tuple(
        replace(r, terms=tuple(t for t in r.terms if t in present or "." in t)) if r.terms else r
        for r in rows
        if _present(r, level)
    )


def _levels_from_yaml(data: LineDict, rows: tuple[Row, ...], issues: FormIssues) -> tuple[dict[str, str], str]:
    raw = data.get("levels") or {}
    levels = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    if raw and not levels:
        issues.error(data.line_of_key("levels"), "“levels” phải có dạng {district: Cấp huyện, commune: Cấp xã}.")
    default = str(data.get("level") or "")
    if levels and not default:
        issues.error(data.line_of_key("levels"), "có “levels” thì phải chọn cấp mặc định bằng khóa “level”.")
    if default and default not in levels:
        issues.error(
            data.line_of_key("level"),
            f"cấp “{default}” không có trong “levels” ({', '.join(levels) or 'chưa khai báo'}).",
        )
    for row in rows:
        if row.level and row.level not in levels:
            known = ", ".join(levels) or "chưa khai báo"
            issues.error(row.line, f"chỉ tiêu “{row.id}”: cấp “{row.level}” không có trong “levels” ({known}).")
    return levels, default


# --- the whole file ------------------------------------------------------------------------


def read_form_yaml(path: Path, issues: FormIssues) -> LineDict | None:
    """The form file parsed with line numbers; YAML errors become issues."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise FormError(f"Không đọc được tệp biểu mẫu {path}: {e.strerror}.") from e
    except UnicodeDecodeError as e:
        raise FormError(f"Tệp biểu mẫu {path} không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8.") from e
    try:
        data, duplicates = load_yaml_with_lines(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        what = getattr(e, "problem", None) or str(e)
        column = f" (cột {mark.column + 1})" if mark else ""
        explained = explain_yaml_error(text, e)
        issues.error(mark.line + 1 if mark else 0, f"sai cú pháp YAML{column}: {explained or what}.")
        return None
    for dup in duplicates:
        issues.error(dup.line, f"khóa “{dup.key}” bị lặp trong cùng một mục; YAML chỉ giữ giá trị sau cùng.")
    if not isinstance(data, dict):
        issues.error(0, "tệp biểu mẫu không có nội dung (cần các khóa id, version, title, template, tables).")
        return None
    return data


def parse_form(path: Path, level: str | None, issues: FormIssues, *, require_template: bool = True) -> Form | None:
    """Build the Form at `level` (None: the form's default level), collecting every issue.

    `require_template=False` accepts a form whose Word template does not exist yet (the tool
    that builds templates needs that).
    """
    path = Path(path).resolve()
    data = read_form_yaml(path, issues)
    if data is None:
        return None
    _unknown_keys(data, FORM_KEYS, "tệp biểu mẫu", issues)
    for key in ("id", "version", "title", "template", "tables"):
        if key not in data:
            issues.error(0, f"thiếu khóa “{key}”.")
    appendix = data.get("appendix") or {}
    if isinstance(appendix, LineDict):
        _unknown_keys(appendix, APPENDIX_KEYS, "appendix", issues)
    appendix = {**appendix, "columns": {**DEFAULT_COLUMNS, **(appendix.get("columns") or {})}}
    numbers = data.get("numbers") or {}
    if isinstance(numbers, LineDict):
        _unknown_keys(numbers, NUMBERS_KEYS, "numbers", issues)
    tables = _tables_from_yaml(data, appendix, issues)
    derived = _derived_from_yaml(data, issues)
    grids = _grids_from_yaml(data, issues)
    all_rows = tuple(r for t in tables for r in t.rows) + derived
    _check_ids(all_rows, grids, issues)
    sheets: dict[str, int] = {}
    for sheet, line in [(t.sheet, t.line) for t in tables] + [(g.sheet, g.line) for g in grids]:
        if sheet in sheets:
            issues.error(line, f"tên trang “{sheet}” bị trùng (đã dùng ở dòng {sheets[sheet]}).")
        sheets[sheet] = line
    levels, default_level = _levels_from_yaml(data, all_rows, issues)
    _check_references(all_rows, grids, levels, issues)
    _check_no_cycles({r.id: r.sources for r in all_rows}, {r.id: r.line for r in all_rows}, issues)
    known = _known_ids(all_rows, grids)
    checks = _rate_checks(all_rows) + _checks_from_yaml(data, known, issues)
    narrative = _narrative_from_yaml(data, issues)
    active = level or default_level
    if level and level not in levels:
        raise FormError(
            f"{path.name}: biểu mẫu không có cấp “{level}”. Các cấp: {', '.join(levels) or 'không phân cấp'}."
        )
    if issues.errors:
        return None
    shown = {r.id for r in all_rows if _present(r, active)} | {k for k in known if "." in k}
    form = Form(
        id=str(data["id"]),
        version=str(data["version"]),
        title=str(data["title"]),
        directory=path.parent,
        template=str(data["template"]),
        province=str(data.get("province") or ""),
        superior=str(data.get("superior") or "UBND tỉnh"),
        numbers={"rate_decimals": 1, "whole_rate_without_decimals": False, "no_value": "-", **numbers},
        appendix=dict(appendix),
        tables=tuple(
            replace(t, rows=_at_level(t.rows, active, shown))
            for t in tables
            if any(_present(r, active) for r in t.rows)
        ),
        derived=_at_level(derived, active, shown),
        narrative=narrative,
        info_fields=load_info_fields(),
        checks=tuple(c for c in checks if all(k in shown for k in (*c.parts, c.whole))),
        grids=grids,
        level=active,
        levels=levels,
        all_rows=all_rows,
        source=path,
        consolidated=_consolidated_settings(data.get("consolidated") or {}, {r.id: r for r in all_rows}, path),
    )
    if require_template and not form.template_path.is_file():
        issues.error(
            data.line_of_key("template"), f"không tìm thấy mẫu Word “{form.template}” trong thư mục {path.parent}."
        )
        return None
    return form


def _derived_from_yaml(data: LineDict, issues: FormIssues) -> tuple[Row, ...]:
    rows = []
    line = data.line_of_key("derived")
    for i, raw in enumerate(_as_list(data.get("derived"), line, "derived", issues), 1):
        mapping = _as_mapping(raw, line, f"derived, hàng thứ {i}", issues)
        row = _row_from_yaml(mapping, f"derived, hàng thứ {i}", issues) if mapping is not None else None
        if row is not None:
            rows.append(row)
    return tuple(rows)


def _grids_from_yaml(data: LineDict, issues: FormIssues) -> tuple[Grid, ...]:
    grids = []
    line = data.line_of_key("grids")
    for i, raw in enumerate(_as_list(data.get("grids"), line, "grids", issues), 1):
        mapping = _as_mapping(raw, line, f"grids, mục {i}", issues)
        grid = _grid_from_yaml(mapping, i, issues) if mapping is not None else None
        if grid is not None:
            grids.append(grid)
    return tuple(grids)


def _narrative_from_yaml(data: LineDict, issues: FormIssues) -> tuple[NarrativeSection, ...]:
    sections = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(_as_list(data.get("narrative"), data.line_of_key("narrative"), "narrative", issues), 1):
        raw = _as_mapping(raw, data.line_of_key("narrative"), f"narrative, mục {i}", issues)
        if raw is None:
            continue
        _unknown_keys(raw, NARRATIVE_KEYS, f"narrative, mục {i}", issues)
        if not raw.get("key") or not raw.get("label"):
            issues.error(raw.line, f"narrative, mục {i}: phải có “key” và “label”.")
            continue
        key = str(raw["key"])
        if not IDENTIFIER.match(key):
            issues.error(raw.line, f"mã mục “{key}” chỉ được gồm chữ cái không dấu, chữ số và dấu gạch dưới “_”.")
        if key in seen:
            issues.error(raw.line, f"mã mục “{key}” bị trùng (đã dùng ở dòng {seen[key]}).")
        seen[key] = raw.line
        style = str(raw.get("style") or "bullets")
        if style not in ("bullets", "paragraphs"):
            issues.error(raw.line, f"narrative, mục “{key}”: “style” phải là bullets hoặc paragraphs.")
        sections.append(
            NarrativeSection(
                key=key, label=str(raw["label"]), style=style, help=str(raw.get("help") or ""), line=raw.line
            )
        )
    return tuple(sections)


def inspect_form(path: Path) -> tuple[Form | None, list[FormIssue]]:
    """The form (None when it has errors) and every issue of the form file itself."""
    issues = FormIssues(Path(path).name)
    form = parse_form(Path(path), None, issues)
    return form, issues.items


@cache
def load_info_fields(path: Path = INFO_FIELDS_FILE) -> tuple[InfoField, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise FormError(f"Không đọc được {path}: {e}") from e
    return tuple(
        InfoField(
            key=f["key"],
            label=f["label"],
            kind=f.get("kind", "text"),
            required=bool(f.get("required", False)),
            default=str(f.get("default") or ""),
            help=str(f.get("help") or ""),
            choices=tuple(f.get("choices") or ()),
        )
        for f in data["fields"]
    )


@cache
def load_form(path: Path, level: str | None = None) -> Form:
    """Read and check a form file; raises FormError listing every error with its line."""
    path = Path(path).resolve()
    issues = FormIssues(path.name)
    form = parse_form(path, level, issues)
    if form is None:
        errors = issues.errors
        more = f" (và {len(errors) - 1} lỗi khác; chạy python generate.py check-form {path} để xem hết)"
        raise FormError(f"{errors[0]}{more if len(errors) > 1 else ''}")
    return form


@cache
def installed_forms(templates_dir: Path = TEMPLATES_DIR) -> dict[str, Path]:
    """Form id → form file, for every templates/*/form.yaml (the `id:` line only is read)."""
    found: dict[str, Path] = {}
    for path in sorted(templates_dir.glob("*/form.yaml")):
        if path.parent.name.startswith("_"):  # templates/_starter: what `new-form --blank` copies
            continue
        found[_form_id(path) or path.parent.name] = path
    return found


def _form_id(path: Path) -> str:
    """The top-level `id:` of a form file, without parsing the whole file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    match = re.search(r"^id:(.*)$", text, re.MULTILINE)
    try:
        value = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        return ""
    return str(value) if value else ""


def find_form(form_id: str | None = None, level: str | None = None) -> Form:
    """The installed form with this id (the default form when None), at `level` (None: its default)."""
    forms = installed_forms()
    wanted = form_id or DEFAULT_FORM_ID
    if wanted not in forms:
        raise FormError(f"Không có biểu mẫu “{wanted}”. Các biểu mẫu đã cài: {', '.join(forms) or 'không có'}.")
    return load_form(forms[wanted], level or None)


def form_from_argument(value: str | None, level: str | None = None) -> Form:
    """A form named on the command line: an installed form id, or the path of a form.yaml (or its folder)."""
    if value and (value.endswith((".yaml", ".yml")) or "/" in value or "\\" in value or Path(value).is_dir()):
        path = Path(value)
        if path.is_dir():
            path = path / "form.yaml"
        if not path.is_file():
            raise FormError(f"Không tìm thấy tệp biểu mẫu {path}.")
        return load_form(path.resolve(), level or None)
    return find_form(value, level)
