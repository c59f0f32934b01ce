"""How each row and grid column prints its figure: its own settings over the form's `numbers:`.

A row (of a table or `derived`) and a grid column may set `decimals`, `suffix` ("%" or ""),
`pad` (least integer digits: 2 → "01"), `grouping` (the "." between thousands) and, for a rate,
`no_value` (printed when the rate cannot be computed). What a row leaves unset comes from
`numbers:` (rate_decimals, rate_suffix, pad, grouping, no_value). `figure_fields` checks the
settings of one row of the form file (each problem with its line); `figure_style` resolves them
into the NumberStyle that vnformat.format_figure prints and the workbook's number format follows.
"""

from __future__ import annotations

from typing import Any, Protocol

from baocao.form.issues import FormIssues
from baocao.form.schema import Numbers
from baocao.form.yamllines import LineDict
from baocao.vnformat import NumberStyle

FIGURE_KEYS = ("decimals", "suffix", "pad", "grouping", "no_value")
RATE_KINDS = frozenset({"rate", "percent"})
COUNT_KINDS = frozenset({"number", "sum", "difference"})
SUFFIXES = ("%", "")
MAX_DECIMALS = 6
MAX_PAD = 15


class Figured(Protocol):
    """A Row or a GridColumn: what `figure_style` reads."""

    kind: str
    decimals: int | None
    suffix: str | None
    no_value: str | None
    pad: int | None
    grouping: bool | None


def figure_style(numbers: Numbers, item: Figured) -> NumberStyle | None:
    """The style `item` prints its figure in; None for a row without a figure (header, text, choice)."""
    if item.kind in RATE_KINDS:
        return NumberStyle(
            decimals=numbers.rate_places(item.decimals),
            suffix=numbers.rate_suffix if item.suffix is None else item.suffix,
            pad=item.pad or 0,
            grouping=numbers.grouping if item.grouping is None else item.grouping,
            no_value=numbers.no_value if item.no_value is None else item.no_value,
            whole_without_decimals=numbers.whole_rate_without_decimals,
        )
    if item.kind in COUNT_KINDS:
        return NumberStyle(
            decimals=item.decimals or 0,
            trim=True,
            suffix=item.suffix or "",
            pad=numbers.pad if item.pad is None else item.pad,
            grouping=numbers.grouping if item.grouping is None else item.grouping,
        )
    return None


def figure_fields(raw: LineDict, kind: str, what: str, issues: FormIssues, *, grid: bool = False) -> dict[str, Any]:
    """The figure settings of one row (or grid column) of the form file, each wrong one reported at its line."""
    fields: dict[str, Any] = dict.fromkeys(FIGURE_KEYS)
    present = [k for k in FIGURE_KEYS if raw.get(k) is not None]
    numeric = RATE_KINDS | COUNT_KINDS
    if kind not in numeric:
        for key in present:
            issues.error(
                raw.line_of_key(key),
                f"{what}: “{key}” chỉ dùng cho chỉ tiêu số ({', '.join(sorted(numeric))}), không dùng cho loại {kind}.",
            )
        return fields
    for key, top in (("decimals", MAX_DECIMALS), ("pad", MAX_PAD)):
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            issues.error(raw.line_of_key(key), f"{what}: “{key}” phải là số nguyên từ 0 đến {top}.")
        else:
            fields[key] = value
    grouping = raw.get("grouping")
    if grouping is not None:
        if isinstance(grouping, bool):
            fields["grouping"] = grouping
        else:
            issues.error(raw.line_of_key("grouping"), f"{what}: “grouping” phải là true hoặc false.")
    suffix = raw.get("suffix")
    if suffix is not None:
        if suffix in SUFFIXES:
            fields["suffix"] = suffix
        else:
            issues.error(
                raw.line_of_key("suffix"), f"{what}: “suffix” phải là “%” hoặc “” (in số trần), không phải “{suffix}”."
            )
    no_value = raw.get("no_value")
    if no_value is not None:
        if kind not in RATE_KINDS:
            rates = "rate" if grid else "rate, percent"
            issues.error(raw.line_of_key("no_value"), f"{what}: “no_value” chỉ dùng cho tỷ lệ ({rates}).")
        elif isinstance(no_value, dict | list):
            issues.error(raw.line_of_key("no_value"), f"{what}: “no_value” phải là chữ.")
        else:
            fields["no_value"] = str(no_value)
    return fields
