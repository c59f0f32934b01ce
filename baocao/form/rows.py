"""Rows, tables, grids, checks and narrative sections built from the parsed form file, their values checked.

Each builder reads a line-numbered mapping (yamllines.LineDict) whose keys the schema has
already checked (schemaissues.py), and reports each wrong value with the row it is in.
"""

from __future__ import annotations

from typing import Any

from baocao.form.issues import FormIssues, did_you_mean
from baocao.form.model import (
    BULLETS,
    GRID_KINDS,
    IDENTIFIER,
    NOT_NUMBERS,
    RELATIONS,
    RESERVED_SHEETS,
    ROW_KINDS,
    SEVERITIES,
    SHEET_NAME_BAD,
    STYLES,
    Check,
    Grid,
    GridColumn,
    NarrativeSection,
    Row,
    Table,
)
from baocao.form.numstyle import figure_fields
from baocao.form.schema import Appendix
from baocao.form.yamllines import LineDict, line_of


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
        **figure_fields(raw, kind, name, issues),
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


def tables_from_yaml(data: LineDict, appendix: Appendix, issues: FormIssues) -> tuple[Table, ...]:
    tables = []
    numbering = appendix.numbering
    for index, raw in enumerate(_as_list(data.get("tables"), data.line_of_key("tables"), "tables", issues), 1):
        raw = _as_mapping(raw, data.line_of_key("tables"), f"Biểu mẫu thứ {index}", issues)
        if raw is None:
            continue
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
        **figure_fields(raw, kind, name, issues, grid=True),
        line=raw.line,
    )


def _grid_from_yaml(raw: LineDict, index: int, issues: FormIssues) -> Grid | None:
    name = f"bảng “{raw.get('id') or index}”"
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
    return grid


def _check_fields(raw: LineDict, what: str, issues: FormIssues) -> Check | None:
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


def checks_from_yaml(data: LineDict, known: dict[str, Row], issues: FormIssues) -> tuple[Check, ...]:
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


def derived_from_yaml(data: LineDict, issues: FormIssues) -> tuple[Row, ...]:
    rows = []
    line = data.line_of_key("derived")
    for i, raw in enumerate(_as_list(data.get("derived"), line, "derived", issues), 1):
        mapping = _as_mapping(raw, line, f"derived, hàng thứ {i}", issues)
        row = _row_from_yaml(mapping, f"derived, hàng thứ {i}", issues) if mapping is not None else None
        if row is not None:
            rows.append(row)
    return tuple(rows)


def grids_from_yaml(data: LineDict, issues: FormIssues) -> tuple[Grid, ...]:
    grids = []
    line = data.line_of_key("grids")
    for i, raw in enumerate(_as_list(data.get("grids"), line, "grids", issues), 1):
        mapping = _as_mapping(raw, line, f"grids, mục {i}", issues)
        grid = _grid_from_yaml(mapping, i, issues) if mapping is not None else None
        if grid is not None:
            grids.append(grid)
    return tuple(grids)


def narrative_from_yaml(data: LineDict, issues: FormIssues) -> tuple[NarrativeSection, ...]:
    sections = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(_as_list(data.get("narrative"), data.line_of_key("narrative"), "narrative", issues), 1):
        raw = _as_mapping(raw, data.line_of_key("narrative"), f"narrative, mục {i}", issues)
        if raw is None:
            continue
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
