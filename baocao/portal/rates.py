"""The key rates a board row shows: computed by the same check as the upload (pipeline.prepare, in an
isolated worker), kept per version, printed as the consolidated report prints them."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from baocao.batch.check import _isolated
from baocao.errors import BaocaoError, WorkbookError
from baocao.form import Form, find_form
from baocao.format import format_value
from baocao.isolate import IsolatedPool
from baocao.pipeline import GenerateOptions, prepare
from baocao.portal.models import Version
from baocao.portal.rollup_models import VersionRates
from baocao.problems import Problem

Rates = dict[str, str | None]  # row id → Decimal as text (None: no value)


def _checked(path: Path, options: GenerateOptions) -> tuple[list[Problem], Rates] | str:
    """Runs in a worker: the workbook's problems (as `check` gives them) and its key rates."""
    try:
        prepared = prepare(path, options, with_context=False)
    except BaocaoError as e:
        return str(e)
    rates = {}
    for row_id in prepared.report.form.consolidated.key_rates:
        value = prepared.values.get(row_id)
        rates[row_id] = str(value) if isinstance(value, Decimal) else None
    return prepared.problems, rates


def check_with_rates(path: Path, form_id: str) -> tuple[list[Problem], Rates]:
    """The CLI's `check` of one workbook (baocao.portal.service.check_workbook) plus its key rates."""
    with IsolatedPool(1) as pool:
        result = _isolated(pool, partial(_checked, options=GenerateOptions(form=find_form(form_id))), path)
    if isinstance(result, str):
        raise WorkbookError(path, result.removeprefix(f"{path.name}: "))
    return result


def save_rates(session: Session, version: Version, rates: Rates) -> None:
    session.add(VersionRates(version_id=version.id, rates=json.dumps(rates)))


def rates_of(session: Session, version_ids: list[int]) -> dict[int, dict[str, Decimal | None]]:
    """The stored key rates of these versions (a version stored without them has none)."""
    found: dict[int, dict[str, Decimal | None]] = {}
    if not version_ids:
        return found
    for row in session.scalars(select(VersionRates).where(VersionRates.version_id.in_(version_ids))):
        found[row.version_id] = {k: _decimal(v) for k, v in json.loads(row.rates or "{}").items()}
    return found


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


def rate_columns(form: Form) -> list[tuple[str, str]]:
    """(row id, short label) of each key rate, as the consolidated report's Phụ lục II heads them."""
    settings = form.consolidated
    return [(r, settings.short_labels.get(r) or form.row(r).label) for r in settings.key_rates]


def rate_text(form: Form, row_id: str, value: Decimal | None) -> str:
    """'85,5%' as the consolidated report prints it; '—' without a value."""
    return format_value(form, form.row(row_id), value, for_table=True) if value is not None else "—"
