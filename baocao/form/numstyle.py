"""How each row and grid column prints its figure: its own settings over the form's `numbers:`.

A row (of a table or `derived`) and a grid column may set `decimals`, `suffix` ("%" or ""),
`pad` (least integer digits: 2 → "01"), `grouping` (the "." between thousands) and, for a rate,
`no_value` (printed when the rate cannot be computed). What a row leaves unset comes from
`numbers:` (rate_decimals, rate_suffix, pad, grouping, no_value). Their types and bounds are the
schema's (schema.py); `figure_fields` says what is wrong with one row's (each problem at its
line) and what its kind does not use; `figure_style` resolves them
into the NumberStyle that vnformat.format_figure prints and the workbook's number format follows.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from baocao.form.issues import FormIssues
from baocao.form.schema import Numbers, Settings
from baocao.form.specs import Checked, Messages, bounds
from baocao.form.yamllines import LineDict
from baocao.vnformat import NumberStyle

FIGURE_KEYS = ("decimals", "suffix", "pad", "grouping", "no_value")
RATE_KINDS = frozenset({"rate", "percent"})
COUNT_KINDS = frozenset({"number", "sum", "difference"})


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
    kind = item.kind
    if kind not in RATE_KINDS and kind not in COUNT_KINDS:
        return None
    return _style(numbers, kind in RATE_KINDS, item.decimals, item.suffix, item.no_value, item.pad, item.grouping)


@functools.lru_cache(maxsize=4096)  # a report asks for ~150 styles, of a few settings (NumberStyle is frozen)
def _style(
    numbers: Numbers,
    rate: bool,
    decimals: int | None,
    suffix: str | None,
    no_value: str | None,
    pad: int | None,
    grouping: bool | None,
) -> NumberStyle:
    if rate:
        return NumberStyle(
            decimals=numbers.rate_places(decimals),
            suffix=numbers.rate_suffix if suffix is None else suffix,
            pad=pad or 0,
            grouping=numbers.grouping if grouping is None else grouping,
            no_value=numbers.no_value if no_value is None else no_value,
            whole_without_decimals=numbers.whole_rate_without_decimals,
        )
    return NumberStyle(
        decimals=decimals or 0,
        trim=True,
        suffix=suffix or "",
        pad=numbers.pad if pad is None else pad,
        grouping=numbers.grouping if grouping is None else grouping,
    )


def figure_messages(model: type[Settings], what: str) -> Messages:
    """The sentences of a row's (or grid column's) wrong figure settings, said at the key's line."""
    most = {key: bounds(model, key)[1] for key in ("decimals", "pad")}
    return {
        "decimals": lambda _v: f"{what}: “decimals” phải là số nguyên từ 0 đến {most['decimals']}.",
        "pad": lambda _v: f"{what}: “pad” phải là số nguyên từ 0 đến {most['pad']}.",
        "grouping": lambda _v: f"{what}: “grouping” phải là true hoặc false.",
        "suffix": lambda v: f"{what}: “suffix” phải là “%” hoặc “” (in số trần), không phải “{v}”.",
        "no_value": lambda _v: f"{what}: “no_value” phải là chữ.",
    }


def figure_fields(
    checked: Checked, raw: LineDict, kind: str, what: str, issues: FormIssues, *, grid: bool = False
) -> dict[str, Any]:
    """The figure settings of one row (or grid column), its wrong ones said (`checked`: the row read
    by validated with figure_messages) and those its kind does not use, each at its key's line."""
    fields: dict[str, Any] = dict.fromkeys(FIGURE_KEYS)
    present = [k for k in FIGURE_KEYS if raw.get(k) is not None]
    numeric = RATE_KINDS | COUNT_KINDS
    if kind not in numeric:
        checked.drop(*FIGURE_KEYS)
        for key in present:
            issues.error(
                raw.line_of_key(key),
                f"{what}: “{key}” chỉ dùng cho chỉ tiêu số ({', '.join(sorted(numeric))}), không dùng cho loại {kind}.",
            )
        return fields
    checked.report(issues, "decimals", "pad", "grouping", "suffix")
    fields.update({key: getattr(checked.spec, key) for key in FIGURE_KEYS})
    if "no_value" in present and kind not in RATE_KINDS:
        checked.drop("no_value")
        fields["no_value"] = None
        rates = "rate" if grid else "rate, percent"
        issues.error(raw.line_of_key("no_value"), f"{what}: “no_value” chỉ dùng cho tỷ lệ ({rates}).")
    checked.report(issues, "no_value")
    return fields
