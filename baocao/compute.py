"""Step 3: compute every rate, sum and difference of the form from the input values.

Biểu mẫu rows and grid columns (each typed row of a grid, and its total row) go through the
one evaluator, `evaluate`; a computed kind is defined once, in `formula`.

Values are Decimals at full precision; rounding happens only when formatting, so the
narrative and the Phụ lục print the very same figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from baocao.form import Form, Grid
from baocao.read import GridRow

Value = Decimal | str | None


class Computed(Protocol):
    """A formula: its kind ("rate", "sum", "difference") and the ids it is computed from."""

    @property
    def kind(self) -> str: ...

    @property
    def sources(self) -> tuple[str, ...]: ...


HUNDRED = Decimal(100)


def rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator × 100, or None when the denominator is blank or 0."""
    if not denominator:
        return None
    return (numerator or Decimal(0)) * HUNDRED / denominator


def total(terms: list[Decimal | None]) -> Decimal | None:
    """Sum of the terms; blank terms count as 0, all blank gives None."""
    present = [t for t in terms if t is not None]
    return sum(present, Decimal(0)) if present else None


def difference(terms: list[Decimal | None]) -> Decimal | None:
    """First term minus the others; None when the first is blank."""
    if not terms or terms[0] is None:
        return None
    return terms[0] - sum((t for t in terms[1:] if t is not None), Decimal(0))


def formula(kind: str, numbers: list[Decimal | None]) -> Decimal | None:
    """The one place a computed kind is defined: a row's or a grid column's value from its sources'."""
    if kind == "rate":
        return rate(numbers[0], numbers[1])
    if kind == "sum":
        return total(numbers)
    if kind == "difference":
        return difference(numbers)
    return None  # a heading row


def evaluate(formulas: Mapping[str, Computed], known: Mapping[str, Value]) -> dict[str, Value]:
    """The one evaluator: `known` plus every formula's value, in any order (a formula may use another).

    A formula is anything with a `kind` and the ids of its `sources` (a Biểu mẫu row, a grid column)."""
    values: dict[str, Value] = dict(known)

    def value_of(key: str) -> Value:
        if key in values:
            return values[key]
        item = formulas[key]
        numbers = [v if isinstance(v, Decimal) else None for v in (value_of(s) for s in item.sources)]
        values[key] = result = formula(item.kind, numbers)
        return result

    for key in formulas:
        value_of(key)
    return values


def compute_values(form: Form, inputs: Mapping[str, Value]) -> dict[str, Value]:
    """Input values plus every computed row (formulas may refer to other computed rows).

    `inputs` may also hold the grids' totals ("grid.column", `grid_totals`), which formulas and
    checks may use like rows.
    """
    known = {r.id: inputs.get(r.id) for r in form.rows if r.is_input}
    known.update({r.id: inputs.get(r.id) for r in form.grid_rows})
    return evaluate({r.id: r for r in form.rows if r.is_computed}, known)


@dataclass
class GridValues:
    """A grid computed: every cell of every typed row, and the total row."""

    grid: Grid
    rows: list[tuple[GridRow, dict[str, Value]]]
    total: dict[str, Value]


def compute_grid(grid: Grid, rows: list[GridRow]) -> GridValues:
    """Each typed row's computed columns, and the total row: typed columns added up, computed ones
    recomputed from those totals (a rate of the totals, not a total of rates)."""
    inputs = [c for c in grid.leaves if c.is_input]
    formulas = {c.id: c for c in grid.leaves if not c.is_input}
    computed = [(row, evaluate(formulas, {c.id: row.values.get(c.id) for c in inputs})) for row in rows]
    totals = {c.id: total([values[c.id] for _, values in computed]) for c in inputs}
    return GridValues(grid=grid, rows=computed, total=evaluate(formulas, totals))


def compute_grids(form: Form, typed: Mapping[str, list[GridRow]]) -> dict[str, GridValues]:
    return {grid.id: compute_grid(grid, typed.get(grid.id, [])) for grid in form.grids}


def grid_totals(computed: Mapping[str, GridValues]) -> dict[str, Value]:
    """Every total as "grid.column" → value, for the form's checks and formulas."""
    return {f"{gid}.{cid}": value for gid, g in computed.items() for cid, value in g.total.items()}
