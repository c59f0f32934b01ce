"""Whether a workbook is the one expected: for this commune, this period and this form.

The portal's upload page knows whose workbook it must receive (the commune of the page, the period
opened by the Sở, its form); `check --expect-…` can ask the same. A difference is an error whose
code is in MISMATCH_CODES (the portal refuses the upload with its sentence, baocao.messages).
A field left blank is not a difference here: the ordinary check already says it is required.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from baocao.problems import ERROR, Problem
from baocao.read import RawReport

MISMATCH_CODES = frozenset({"wrong-form", "wrong-unit", "wrong-period", "wrong-year"})


@dataclass(frozen=True)
class Expected:
    """What the workbook must say; an empty field is not checked."""

    form_id: str = ""
    unit_type: str = ""
    unit_name: str = ""
    period: str = ""
    year: int | None = None


def _norm(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def _problem(report: RawReport, code: str, key: str, **params: object) -> Problem:
    sheet, cell = report.cells.get(key, ("", ""))
    return Problem(code, ERROR, report.path.name, sheet, cell, report.label_of(key) if cell else "", params)


def mismatches(report: RawReport, expected: Expected) -> list[Problem]:
    """One error per way the workbook is not the expected one (form, unit, kỳ, năm)."""
    found: list[Problem] = []
    if expected.form_id and report.form.id != expected.form_id:
        found.append(
            Problem(
                "wrong-form",
                ERROR,
                report.path.name,
                params={"found": report.form.id, "found_title": report.form.title, "expected": expected.form_id},
            )
        )
    info = report.info
    if expected.unit_name and info.get("unit_name"):
        typed = _norm(f"{info.get('unit_type') or ''} {info['unit_name']}")
        wanted = _norm(f"{expected.unit_type} {expected.unit_name}")
        if typed not in (wanted, _norm(f"{expected.unit_type} {expected.unit_type} {expected.unit_name}")):
            shown = " ".join(str(v) for v in (info.get("unit_type"), info["unit_name"]) if v)
            expected_name = f"{expected.unit_type} {expected.unit_name}".strip()
            found.append(_problem(report, "wrong-unit", "unit_name", found=shown, expected=expected_name))
    if expected.period and info.get("period") and _norm(info["period"]) != _norm(expected.period):
        found.append(_problem(report, "wrong-period", "period", found=str(info["period"]), expected=expected.period))
    if expected.year is not None and info.get("year") is not None and info["year"] != expected.year:
        found.append(_problem(report, "wrong-year", "year", found=str(info["year"]), expected=str(expected.year)))
    return found
