"""The live Excel formulas of an input workbook: computed rows and grid columns, the total row
of a grid, and the "Kiểm tra" column that flags a broken check as the clerk types."""

from __future__ import annotations

from baocao import layout
from baocao.form import Form, Row
from baocao.form.numstyle import figure_style

Locations = dict[str, tuple[str, str]]  # row id (or "grid.column" total) → (sheet, cell)


def row_locations(form: Form) -> Locations:
    """Row id (or "grid.column" total) → (sheet, cell), so formulas can refer across sheets."""
    locations = {
        row.id: (table.sheet, f"{layout.VALUE_LETTER}{layout.TABLE_FIRST_ROW + i}")
        for table in form.tables
        for i, row in enumerate(table.rows)
    }
    for grid in form.grids:
        for column in grid.leaves:
            locations[f"{grid.id}.{column.id}"] = (
                grid.sheet,
                f"{layout.grid_column_letter(grid, column.id)}{layout.grid_total_row(grid)}",
            )
    return locations


def _ref(locations: Locations, row_id: str, here: str) -> str:
    sheet, cell = locations[row_id]
    return cell if sheet == here else f"'{sheet}'!{cell}"


def excel_formula(form: Form, row: Row, locations: Locations, sheet: str) -> str:
    """Live Excel formula for a computed row (ROUND is half-up in Excel, as in the generator)."""
    refs = [_ref(locations, s, sheet) for s in row.sources]
    if row.kind == "rate":
        style = figure_style(form.numbers, row)
        assert style is not None
        num, den = refs
        no_value = style.no_value.replace('"', '""')
        return f'=IF(N({den})=0,"{no_value}",ROUND(N({num})/{den}*100,{style.decimals}))'
    joined = ",".join(refs)
    if row.kind == "sum":
        return f'=IF(COUNT({joined})=0,"",SUM({joined}))'
    first, rest = refs[0], refs[1:]
    return f'=IF(COUNT({first})=0,"",N({first})-SUM({",".join(rest)}))' if rest else f"=N({first})"


def check_formulas(form: Form, locations: Locations, sheet: str) -> dict[str, str]:
    """Row id → Excel formula of its "Kiểm tra" cell, from the form's checks (on this sheet)."""
    tests: dict[str, list[str]] = {}
    for check in form.checks:
        parts = [_ref(locations, p, sheet) for p in check.parts if p in locations]
        if check.whole not in locations or len(parts) != len(check.parts):
            continue
        whole = _ref(locations, check.whole, sheet)
        total = f"SUM({','.join(parts)})"
        if check.relation == "<=":
            where, test, text = check.parts[-1], f"{total}>N({whole})", "Vượt tổng số!"
        else:
            where, test, text = check.whole, f"AND(COUNT({','.join(parts)})>0,{total}<>N({whole}))", "Không khớp tổng!"
        if locations[where][0] == sheet:
            tests.setdefault(where, []).append(f'IF({test},"{text} ","")')
    return {row_id: "=TRIM(" + "&".join(parts) + ")" for row_id, parts in tests.items()}
