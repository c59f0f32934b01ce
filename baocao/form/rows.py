"""Rows, tables, grids, checks and narrative sections built from the parsed form file, their values checked.

Each builder reads a line-numbered mapping (yamllines.LineDict) whose keys the schema has
already checked (schemaissues.py) as its schema model (schema.py, through specs.validated: the
types and defaults are the schema's), says each wrong value with the row it is in, and checks
what the schema cannot (a rate's num and den, a grid column's id, a sheet's name).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from baocao.form.issues import FormIssues, did_you_mean
from baocao.form.model import (
    NOT_NUMBERS,
    RESERVED_SHEETS,
    SHEET_NAME_BAD,
    Check,
    Grid,
    GridColumn,
    NarrativeSection,
    Row,
    Table,
)
from baocao.form.numstyle import FIGURE_KEYS, figure_fields, figure_messages
from baocao.form.schema import Appendix, CheckSpec, GridColumnSpec, GridSpec, NarrativeSpec, RowSpec, TableSpec
from baocao.form.specs import Messages, allowed, bounds, validated
from baocao.form.yamllines import LineDict, line_of

T = TypeVar("T")
ID_RULE = "chỉ được gồm chữ cái không dấu, chữ số và dấu gạch dưới “_”."


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


def _each(
    items: list,
    line: int,
    what: Callable[[int], str],
    build: Callable[[LineDict, int], T | None],
    issues: FormIssues,
) -> tuple[T, ...]:
    """Each mapping of a list of the form file built (`line`: where an item that is not a mapping
    is said, when it has no line of its own), those that could be."""
    built = []
    for index, raw in enumerate(items, 1):
        mapping = _as_mapping(raw, line, what(index), issues)
        item = build(mapping, index) if mapping is not None else None
        if item is not None:
            built.append(item)
    return tuple(built)


def _listed(data: LineDict, key: str, issues: FormIssues) -> list:
    """The list under `key` (a wrong one said at its key's line)."""
    return _as_list(data.get(key), data.line_of_key(key), key, issues)


# --- rows ----------------------------------------------------------------------------------


def _row_messages(name: str) -> Messages:
    """The sentences of a row's wrong values."""
    return {
        "id": lambda v: f"mã chỉ tiêu “{v}” {ID_RULE}",
        "kind": lambda v: f"{name}: loại “{v}” không hợp lệ ({allowed(RowSpec, 'kind')}).",
        "style": lambda v: f"{name}: kiểu chữ “{v}” không hợp lệ ({allowed(RowSpec, 'style')}).",
        "bullet": lambda _v: f"{name}: “bullet” phải là “-” hoặc “+”.",
        "choices": lambda code: f"{name}: mã “{code}” trong “choices” phải là số nguyên.",
        "exceed": lambda _v: f"{name}: “exceed” phải là error, warning hoặc allowed.",
        **figure_messages(RowSpec, name),
    }


def _row_from_yaml(raw: LineDict, what: str, issues: FormIssues) -> Row | None:
    line = raw.line
    name = f"chỉ tiêu “{raw['id']}”" if raw.get("id") else what
    missing = [k for k in ("id", "label", "kind") if raw.get(k) in (None, "")]
    if missing:
        issues.error(line, f"{name}: thiếu khóa “{missing[0]}”.")
        return None
    checked = validated(RowSpec, raw, name, _row_messages(name), at_key=FIGURE_KEYS)
    spec = checked.spec
    checked.report(issues, "id", "kind", "style", "bullet")
    if spec.bullet and spec.stt:
        issues.error(line, f"{name}: hàng có “bullet” thì không có STT.")
    checked.report(issues, "choices")
    kind = spec.kind
    if kind == "choice" and not spec.choices:
        issues.error(line, f"{name}: chỉ tiêu mã hóa phải có “choices”, ví dụ {{0: Không, 1: Có}}.")
    if kind == "rate" and not (spec.num and spec.den):
        issues.error(line, f"{name}: tỷ lệ phải có “num” (tử số) và “den” (mẫu số).")
    if kind in ("sum", "difference") and not spec.terms:
        issues.error(line, f"{name}: phải có “terms” (các chỉ tiêu thành phần).")
    if kind != "rate" and (spec.num or spec.den):
        issues.error(line, f"{name}: “num”/“den” chỉ dùng cho loại rate.")
    if kind not in ("sum", "difference") and spec.terms:
        issues.error(line, f"{name}: “terms” chỉ dùng cho loại sum hoặc difference.")
    checked.report(issues, "exceed")
    figures = figure_fields(checked, raw, kind, name, issues)
    checked.report(issues)
    return Row(
        id=spec.id,
        label=spec.label,
        kind=kind,
        stt=spec.stt,
        note=spec.note,
        unit=spec.unit,
        remark=spec.remark,
        **figures,
        style=spec.style,
        optional=spec.optional,
        choices=dict(spec.choices),
        num=spec.num,
        den=spec.den,
        terms=tuple(spec.terms),
        exceed=spec.exceed,
        bullet=spec.bullet,
        level=spec.level,
        line=line,
    )


def _check_sheet_name(name: str, line: int, issues: FormIssues) -> None:
    if len(name) > 31:
        issues.error(line, f"tên trang “{name}” dài {len(name)} ký tự; Excel chỉ cho phép tối đa 31 ký tự.")
    if SHEET_NAME_BAD.search(name):
        issues.error(line, f"tên trang “{name}” có ký tự Excel không cho phép ([ ] : * ? / \\).")
    if name in RESERVED_SHEETS:
        issues.error(line, f"tên trang “{name}” trùng với trang có sẵn của bảng tính.")


def _table_number(spec: TableSpec, index: int, numbering: str) -> str:
    if spec.number is not None:
        return spec.number
    if numbering:
        return numbering.replace("{n}", str(index)).replace("{roman}", roman(index))
    return spec.sheet


ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
ROMAN_LETTERS = ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I")


def roman(n: int) -> str:
    """4 → "IV"."""
    out = ""
    for value, letters in zip(ROMAN_VALUES, ROMAN_LETTERS, strict=True):
        out, n = out + letters * (n // value), n % value
    return out


def tables_from_yaml(data: LineDict, appendix: Appendix, issues: FormIssues) -> tuple[Table, ...]:
    def table(raw: LineDict, index: int) -> Table | None:
        if not raw.get("sheet"):
            issues.error(raw.line, f"bảng thứ {index}: thiếu khóa “sheet” (tên trang trong bảng tính).")
            return None
        checked = validated(TableSpec, raw, f"bảng thứ {index}", {}, skip=("rows",))
        spec = checked.spec
        checked.report(issues, "sheet")
        _check_sheet_name(spec.sheet, raw.line_of_key("sheet"), issues)
        rows_raw = _listed(raw, "rows", issues)
        if not rows_raw:
            issues.error(raw.line, f"{spec.sheet}: chưa có hàng nào (“rows”).")
        rows = _each(
            rows_raw,
            raw.line,
            lambda i: f"{spec.sheet}, hàng thứ {i}",
            lambda r, i: _row_from_yaml(r, f"{spec.sheet}, hàng thứ {i}", issues),
            issues,
        )
        checked.report(issues)
        return Table(
            sheet=spec.sheet,
            title=spec.title,
            footnote=spec.footnote,
            rows=rows,
            number=_table_number(spec, index, appendix.numbering),
            columns=dict(spec.columns),
            line=raw.line,
        )

    tables = _listed(data, "tables", issues)
    return _each(tables, data.line_of_key("tables"), lambda i: f"Biểu mẫu thứ {i}", table, issues)


# --- grids ---------------------------------------------------------------------------------


def _column_name(grid: str, raw: LineDict) -> str:
    return f"bảng “{grid}”, cột “{raw.get('id') or raw.get('heading') or '?'}”"


def _grid_column(raw: LineDict, grid: str, issues: FormIssues) -> GridColumn | None:
    name = _column_name(grid, raw)
    if not raw.get("heading"):
        issues.error(raw.line, f"{name}: thiếu khóa “heading” (tiêu đề cột).")
    if raw.get("columns"):  # a group: its heading over its children
        if raw.get("id") or raw.get("kind"):
            issues.error(raw.line, f"{name}: cột nhóm (có “columns”) không có “id” hay “kind”.")
        children = _grid_columns(_as_list(raw.get("columns"), raw.line, "columns", issues), grid, raw.line, issues)
        group = validated(GridColumnSpec, raw, name, {}, skip=set(GridColumnSpec.model_fields) - {"heading"})
        group.report(issues)
        return GridColumn(heading=group.spec.heading, children=children, line=raw.line)
    if not raw.get("id"):
        issues.error(raw.line, f"{name}: thiếu khóa “id”.")
        return None
    messages: Messages = {
        "id": lambda v: f"mã cột “{v}” {ID_RULE}",
        "kind": lambda v: f"{name}: loại “{v}” không hợp lệ ({allowed(GridColumnSpec, 'kind')}).",
        **figure_messages(GridColumnSpec, name),
    }
    checked = validated(GridColumnSpec, raw, name, messages, skip=("columns",), at_key=FIGURE_KEYS)
    spec = checked.spec
    checked.report(issues, "heading", "id", "kind")
    if spec.kind == "rate" and not (spec.num and spec.den):
        issues.error(raw.line, f"{name}: tỷ lệ phải có “num” (tử số) và “den” (mẫu số).")
    if spec.kind in ("sum", "difference") and not spec.terms:
        issues.error(raw.line, f"{name}: phải có “terms” (các cột thành phần).")
    figures = figure_fields(checked, raw, spec.kind, name, issues, grid=True)
    checked.report(issues)
    return GridColumn(
        heading=spec.heading,
        id=spec.id,
        kind=spec.kind,
        terms=tuple(spec.terms),
        num=spec.num,
        den=spec.den,
        **figures,
        line=raw.line,
    )


def _grid_columns(items: list, grid: str, line: int, issues: FormIssues) -> tuple[GridColumn, ...]:
    what = f"bảng “{grid}”: cột"
    return _each(items, line, lambda _i: what, lambda c, _i: _grid_column(c, grid, issues), issues)


def _grid_from_yaml(raw: LineDict, index: int, issues: FormIssues) -> Grid | None:
    name = f"bảng “{raw.get('id') or index}”"
    for key in ("id", "sheet", "columns"):
        if not raw.get(key):
            issues.error(raw.line, f"{name}: thiếu khóa “{key}”.")
            return None
    least, most = bounds(GridSpec, "rows")

    def rows_message(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{name}: “rows” phải là số nguyên."
        return f"{name}: “rows” phải từ {least} đến {most}."

    messages: Messages = {"id": lambda v: f"mã bảng “{v}” {ID_RULE}", "rows": rows_message}
    checked = validated(GridSpec, raw, name, messages, skip=("columns", "checks"), at_key=("rows",))
    spec = checked.spec
    checked.report(issues, "id", "sheet")
    _check_sheet_name(spec.sheet, raw.line_of_key("sheet"), issues)
    columns = _grid_columns(_listed(raw, "columns", issues), spec.id, raw.line, issues)
    checked.report(issues, "rows")
    checks = _each(
        _listed(raw, "checks", issues),
        raw.line,
        lambda _i: f"{name}: mục kiểm tra",
        lambda c, _i: _check_fields(c, f"{name}, mục kiểm tra", issues),
        issues,
    )
    checked.report(issues)
    return Grid(
        id=spec.id,
        sheet=spec.sheet,
        title=spec.title,
        columns=columns,
        number_heading=spec.number_heading,
        label_heading=spec.label_heading,
        label_help=spec.label_help,
        total_label=spec.total_label,
        max_rows=spec.rows,
        unit=spec.unit,
        checks=checks,
        line=raw.line,
    )


def _check_fields(raw: LineDict, what: str, issues: FormIssues) -> Check | None:
    if not raw.get("parts") or not raw.get("whole"):
        issues.error(raw.line, f"{what}: phải có “parts” (các phần) và “whole” (tổng).")
        return None
    messages: Messages = {
        "relation": lambda _v: f"{what}: “relation” phải là <= hoặc =.",
        "severity": lambda _v: f"{what}: “severity” phải là error hoặc warning.",
    }
    checked = validated(CheckSpec, raw, what, messages)
    checked.report(issues, "relation", "severity")
    checked.report(issues)
    spec = checked.spec
    return Check(
        parts=tuple(spec.parts), whole=spec.whole, relation=spec.relation, severity=spec.severity, line=raw.line
    )


def checks_from_yaml(data: LineDict, known: dict[str, Row], issues: FormIssues) -> tuple[Check, ...]:
    def check(raw: LineDict, i: int) -> Check | None:
        found = _check_fields(raw, f"checks, mục {i}", issues)
        for row_id in (*found.parts, found.whole) if found else ():
            if row_id not in known:
                issues.error(
                    raw.line,
                    f"checks, mục {i}: tham chiếu tới chỉ tiêu không có “{row_id}”{did_you_mean(row_id, known)}.",
                )
            elif known[row_id].kind in NOT_NUMBERS:
                issues.error(raw.line, f"checks, mục {i}: “{row_id}” không phải chỉ tiêu số.")
        return found

    line = data.line_of_key("checks")
    return _each(_listed(data, "checks", issues), line, lambda i: f"checks, mục {i}", check, issues)


def derived_from_yaml(data: LineDict, issues: FormIssues) -> tuple[Row, ...]:
    def what(i: int) -> str:
        return f"derived, hàng thứ {i}"

    row = lambda raw, i: _row_from_yaml(raw, what(i), issues)  # noqa: E731
    return _each(_listed(data, "derived", issues), data.line_of_key("derived"), what, row, issues)


def grids_from_yaml(data: LineDict, issues: FormIssues) -> tuple[Grid, ...]:
    grid = lambda raw, i: _grid_from_yaml(raw, i, issues)  # noqa: E731
    line = data.line_of_key("grids")
    return _each(_listed(data, "grids", issues), line, lambda i: f"grids, mục {i}", grid, issues)


def narrative_from_yaml(data: LineDict, issues: FormIssues) -> tuple[NarrativeSection, ...]:
    seen: dict[str, int] = {}

    def section(raw: LineDict, i: int) -> NarrativeSection | None:
        if not raw.get("key") or not raw.get("label"):
            issues.error(raw.line, f"narrative, mục {i}: phải có “key” và “label”.")
            return None
        key = str(raw["key"])
        messages: Messages = {
            "key": lambda v: f"mã mục “{v}” {ID_RULE}",
            "style": lambda _v: f"narrative, mục “{key}”: “style” phải là bullets hoặc paragraphs.",
        }
        checked = validated(NarrativeSpec, raw, f"narrative, mục {i}", messages)
        checked.report(issues, "key")
        if key in seen:
            issues.error(raw.line, f"mã mục “{key}” bị trùng (đã dùng ở dòng {seen[key]}).")
        seen[key] = raw.line
        checked.report(issues, "style")
        checked.report(issues)
        spec = checked.spec
        return NarrativeSection(key=key, label=spec.label, style=spec.style, help=spec.help, line=raw.line)

    line = data.line_of_key("narrative")
    return _each(_listed(data, "narrative", issues), line, lambda i: f"narrative, mục {i}", section, issues)
