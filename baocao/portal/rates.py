"""The key rates a board row shows: taken from the upload's own check (pipeline.prepare, in an isolated
worker, baocao.portal.intake), kept per version, printed as the consolidated report prints them."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from baocao.form import Form
from baocao.format import format_value
from baocao.pipeline import Prepared
from baocao.portal.models import Version, VersionRates

Rates = dict[str, str | None]  # row id → Decimal as text (None: no value)


def key_rates(prepared: Prepared) -> Rates:
    """The form's key rates of a prepared report (from the upload's own check, baocao.portal.intake)."""
    values = prepared.values
    return {
        row_id: str(values[row_id]) if isinstance(values.get(row_id), Decimal) else None
        for row_id in prepared.report.form.consolidated.key_rates
    }


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
