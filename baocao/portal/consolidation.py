"""The Sở's pages of a period: the board (sort, filter, search by query parameters) and the
consolidation (start it, follow it, download its .docx, tong_hop.xlsx and zip)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, send_file, url_for
from sqlalchemy import select

from baocao.errors import BaocaoError
from baocao.form import find_form
from baocao.portal.access import page_error, require
from baocao.portal.board import COLUMNS, STATUS_ORDER, board, counts, select_rows
from baocao.portal.models import APPROVED_ONLY, DONE, FAILED, ROLLUP_STATES, SCOPES, Consolidation, Period
from baocao.portal.rates import rate_columns, rate_text
from baocao.portal.rollup import files_of, is_stale, output_file
from baocao.portal.rollup import request as request_rollup
from baocao.portal.service import audit

bp = Blueprint("so", __name__)


def board_page(period: Period) -> object:
    """GET /ky/<id>?trang-thai=…&tim=…&sap-xep=…&chieu=giam: the board of the period."""
    rows = board(g.db, period)
    args = request.args
    wanted, typed = args.get("trang-thai", ""), args.get("tim", "")[:100]
    try:
        form = find_form(period.form_id)
        rates = rate_columns(form)
    except BaocaoError:
        form, rates = None, []
    column = args.get("sap-xep", "ten")
    if column not in COLUMNS and column not in {f"ti-le:{r}" for r, _ in rates}:
        column = "ten"
    descending = args.get("chieu") == "giam"
    shown = select_rows(rows, wanted if wanted in STATUS_ORDER else "", typed, column, descending)

    def sort_url(key: str) -> str:
        flip = "tang" if key == column and descending else ("giam" if key == column else "tang")
        kept = {k: v for k, v in args.items() if k in ("trang-thai", "tim") and v}
        return url_for("portal.period_board", period_id=period.id, **kept, **{"sap-xep": key, "chieu": flip})

    runs = list(
        g.db.scalars(
            select(Consolidation).where(Consolidation.period_id == period.id).order_by(Consolidation.id.desc()).limit(5)
        )
    )
    return render_template(
        "board.html",
        period=period,
        rows=shown,
        counts=counts(rows),
        statuses=STATUS_ORDER,
        wanted=wanted,
        typed=typed,
        rates=rates,
        rate_text=(lambda r, v: rate_text(form, r, v)) if form else (lambda r, v: "—"),
        column=column,
        descending=descending,
        sort_url=sort_url,
        runs=runs,
        scopes=SCOPES,
        default_scope=APPROVED_ONLY,
        ROLLUP_STATES=ROLLUP_STATES,
        stale=is_stale,
    )


def _period(period_id: int) -> Period:
    return g.db.get(Period, period_id) or abort(404)


def _run(period_id: int, run_id: int) -> Consolidation:
    run = g.db.get(Consolidation, run_id)
    if run is None or run.period_id != period_id:
        abort(404)
    return run


@bp.post("/ky/<int:period_id>/tong-hop")
@require("rollup.make")
def start(period_id: int) -> object:
    """Queue the consolidation (or find the one already made of the same versions) and follow it."""
    period = _period(period_id)
    try:
        run, new = request_rollup(
            g.db, g.user, period, request.form.get("scope", APPROVED_ONLY), current_app.config["PORTAL_DATA"]
        )
    except BaocaoError as e:
        return page_error(str(e), 400)
    g.db.commit()
    if new:
        current_app.extensions["portal_rollups"].start(run.id)
    return redirect(url_for("so.follow", period_id=period.id, run_id=run.id))


@bp.get("/ky/<int:period_id>/tong-hop/<int:run_id>")
@require("rollup.view")
def follow(period_id: int, run_id: int) -> object:
    """The consolidation's state (the page reloads itself while it runs) and, once done, its files."""
    run = _run(period_id, run_id)
    state = FAILED if is_stale(run) else run.state
    return render_template(
        "rollup.html",
        period=run.period,
        run=run,
        state=state,
        state_text=ROLLUP_STATES[state],
        files=files_of(run) if state == DONE else [],
        scope_text=SCOPES.get(run.scope, run.scope),
        waiting=state not in (DONE, FAILED),
    )


@bp.get("/ky/<int:period_id>/tong-hop/<int:run_id>/<path:name>")
@require("rollup.view")
def download(period_id: int, run_id: int, name: str) -> object:
    run = _run(period_id, run_id)
    path = output_file(current_app.config["PORTAL_DATA"], run, name)
    if path is None:
        abort(404)
    audit(g.db, g.user, "download", f"tổng hợp {run.id} kỳ {period_id}: {name}", request.remote_addr or "")
    g.db.commit()
    return send_file(path, as_attachment=True, download_name=name)
