"""Semantic checks of a form: ids unique, references that exist and are numbers, no cycles, levels."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from baocao.errors import FormError
from baocao.form.issues import FormIssues, did_you_mean
from baocao.form.model import NOT_NUMBERS, Check, Grid, GridColumn, Row
from baocao.form.schema import Consolidated
from baocao.form.yamllines import LineDict


def check_grid_columns(grid: Grid, issues: FormIssues) -> None:
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
    check_no_cycles({c.id: c.sources for c in grid.leaves}, {c.id: c.line for c in grid.leaves}, issues)
    for check in grid.checks:
        for column_id in (*check.parts, check.whole):
            if column_id not in seen:
                issues.error(
                    check.line,
                    f"bảng “{grid.id}”, mục kiểm tra: tham chiếu tới cột không có “{column_id}”"
                    f"{did_you_mean(column_id, seen)}.",
                )


def shown_at(row: Row, level: str) -> bool:
    return not level or not row.level or row.level == level


def check_ids(rows: tuple[Row, ...], grids: tuple[Grid, ...], issues: FormIssues) -> None:
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


def known_ids(rows: tuple[Row, ...], grids: tuple[Grid, ...]) -> dict[str, Row]:
    known = {r.id: r for r in rows}
    known.update({f"{g.id}.{c.id}": g.total_row(c) for g in grids for c in g.leaves})
    return known


def check_references(
    rows: tuple[Row, ...], grids: tuple[Grid, ...], levels: dict[str, str], issues: FormIssues
) -> None:
    """Formulas name rows that exist, are numbers, and exist at every level the row is shown at."""
    known = known_ids(rows, grids)
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
        here = {r.id for r in rows if shown_at(r, level)} | {k for k in known if "." in k}
        for row in rows:
            if not shown_at(row, level) or not row.is_computed:
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


def check_no_cycles(graph: dict[str, tuple[str, ...]], lines: dict[str, int], issues: FormIssues) -> None:
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


def consolidated_settings(settings: Consolidated, rows: dict[str, Row], path: Path) -> Consolidated:
    """The `consolidated:` section; rate ids must be rate or percent rows, each gets a short label."""
    for key in ("key_rates", "chart_rates"):
        for row_id in getattr(settings, key):
            if row_id not in rows or rows[row_id].kind not in ("rate", "percent"):
                raise FormError(f"{path.name}, consolidated.{key}: “{row_id}” không phải chỉ tiêu tỷ lệ.")
    rate_ids = (*settings.key_rates, *settings.chart_rates)
    short = {r: settings.short_labels.get(r) or rows[r].label for r in rate_ids}
    return settings.model_copy(update={"short_labels": short})


def rate_checks(rows: tuple[Row, ...]) -> tuple[Check, ...]:
    """Every rate's numerator is at most its denominator, unless the row says `exceed: allowed`."""
    return tuple(
        Check(parts=(r.num,), whole=r.den, relation="<=", severity=r.exceed, line=r.line)
        for r in rows
        if r.kind == "rate" and r.exceed != "allowed"
    )


def rows_at_level(rows: tuple[Row, ...], level: str, present: set[str]) -> tuple[Row, ...]:
    """The rows shown at this level; sum/difference terms absent at this level (not in `present`) are left out."""
    return tuple(
        replace(r, terms=tuple(t for t in r.terms if t in present or "." in t)) if r.terms else r
        for r in rows
        if shown_at(r, level)
    )


def levels_from_yaml(data: LineDict, rows: tuple[Row, ...], issues: FormIssues) -> tuple[dict[str, str], str]:
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
