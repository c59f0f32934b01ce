"""Step 3: compute every rate, sum and difference of the form from the input values.

Values are Decimals at full precision; rounding happens only when formatting, so the
narrative and the Phụ lục print the very same figure.
"""

from __future__ import annotations

from decimal import Decimal

from baocao.form import Form, Row

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


def compute_values(form: Form, inputs: dict[str, Decimal | str | None]) -> dict[str, Decimal | str | None]:
    """Input values plus every computed row (formulas may refer to other computed rows).

    `inputs` may also hold the grids' totals ("grid.column", baocao.grid.grid_totals), which
    formulas and checks may use like rows.
    """
    values: dict[str, Decimal | str | None] = {r.id: inputs.get(r.id) for r in form.rows if r.is_input}
    values.update({r.id: inputs.get(r.id) for r in form.grid_rows})

    def value_of(row: Row) -> Decimal | str | None:
        if row.id in values:
            return values[row.id]
        if row.kind == "header":
            return None
        sources = [value_of(form.row(s)) for s in row.sources]
        numbers = [s if isinstance(s, Decimal) else None for s in sources]
        if row.kind == "rate":
            result = rate(numbers[0], numbers[1])
        elif row.kind == "sum":
            result = total(numbers)
        else:
            result = difference(numbers)
        values[row.id] = result
        return result

    for row in form.rows:
        value_of(row)
    return values
