"""The `compare:` section of a form file: the rows a report compares with an earlier report, and
the words of the comparison (baocao.history builds the sentences; docs/huong-dan-bieu-mau.md §2.9).

Every row named must exist and be a figure (a count, a sum, a rate or a typed percentage); every
`{…}` in a wording must be one that wording can use. Problems are form issues with their line.
"""

from __future__ import annotations

import re
from typing import Any

from baocao.form.issues import FormIssues, did_you_mean
from baocao.form.model import Row
from baocao.form.schema import Compare

COMPARABLE_KINDS = ("number", "sum", "difference", "rate", "percent")

# the placeholders each wording may use
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "change": ("direction", "amount", "unit"),
    "text": ("change", "direction", "amount", "unit", "label", "previous", "current"),
    "same_text": ("same", "label", "previous", "current"),
    "unavailable": ("label",),
    "same_period": ("year", "period"),
    "previous_period": ("year", "period"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def compare_settings(settings: Compare, data: Any, rows: dict[str, Row], issues: FormIssues) -> Compare:
    """The `compare:` section checked against the form's rows (errors into issues); the section itself."""
    raw = data.get("compare") if isinstance(data, dict) else None
    line_of = raw.line_of_key if hasattr(raw, "line_of_key") else (lambda _key: 0)
    for row_id in settings.rows:
        if row_id not in rows:
            hint = did_you_mean(row_id, rows)
            issues.error(line_of("rows"), f"compare.rows: không có chỉ tiêu “{row_id}” trong tệp biểu mẫu{hint}.")
        elif rows[row_id].kind not in COMPARABLE_KINDS:
            issues.error(
                line_of("rows"),
                f"compare.rows: chỉ tiêu “{row_id}” ({rows[row_id].kind}) không so sánh được; chỉ so sánh số đếm,"
                " tổng, hiệu và tỷ lệ.",
            )
    for row_id in settings.units:
        if row_id not in settings.rows:
            issues.error(line_of("units"), f"compare.units: “{row_id}” không có trong compare.rows.")
    for key, allowed in PLACEHOLDERS.items():
        for name in _PLACEHOLDER.findall(getattr(settings, key)):
            if name not in allowed:
                shown = ", ".join(f"{{{a}}}" for a in allowed)
                issues.error(line_of(key), f"compare.{key}: “{{{name}}}” không dùng được ở đây (dùng được: {shown}).")
    return settings


def fill(wording: str, **words: str) -> str:
    """A wording with its placeholders replaced ("{direction} {amount} {unit}" → "tăng 12 hồ sơ"); spaces
    left doubled by an empty word are closed up."""
    text = _PLACEHOLDER.sub(lambda m: words.get(m.group(1), m.group(0)), wording)
    return " ".join(text.split())
