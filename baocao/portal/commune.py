"""The commune's side of the portal, beside views.py: locking a period, the highlighted copy of an
upload, the report of a submission (.docx, .pdf). Routes of the same blueprint (`portal.*`)."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, g, redirect, request, send_file, url_for

from baocao.errors import BaocaoError
from baocao.portal.access import page_error, require
from baocao.portal.intake import marked_copy
from baocao.portal.models import LOCKED, OPEN, Period, Unit, Version
from baocao.portal.periods import compared_versions, is_late, set_state
from baocao.portal.reports import report_file
from baocao.portal.service import audit, submission_of
from baocao.portal.views import XLSX, bp
from baocao.write import slugify

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _version(period_id: int, unit_id: int, number: int) -> tuple[Period, Unit, Version]:
    period = g.db.get(Period, period_id) or abort(404)
    unit = g.db.get(Unit, unit_id) or abort(404)
    submission = submission_of(g.db, period, unit) or abort(404)
    version = next((v for v in submission.versions if v.number == number), None) or abort(404)
    return period, unit, version


@bp.post("/ky/<int:period_id>/trang-thai")
@require("periods.lock")
def period_state(period_id: int) -> object:
    """'Khóa kỳ' (no more uploads) or 'Mở lại' (uploads again), by the administrator."""
    period = g.db.get(Period, period_id) or abort(404)
    try:
        set_state(g.db, g.user, period, LOCKED if request.form.get("action") == "khoa" else OPEN, request.remote_addr)
    except BaocaoError as e:
        return page_error(str(e), 400)
    g.db.commit()
    return redirect(url_for("portal.home"))


@bp.get("/ky/<int:period_id>/don-vi/<int:unit_id>/ban-nop/<int:number>/danh-dau.xlsx")
@require("unit.view")
def marked_file(period_id: int, unit_id: int, number: int) -> object:
    """The version's workbook with each problem cell highlighted and commented (the original untouched)."""
    period, unit, version = _version(period_id, unit_id, number)
    if not version.errors and not version.warnings:
        return page_error("Bản nộp này không có lỗi hay cảnh báo nào để đánh dấu.", 404)
    try:
        path = marked_copy(current_app.config["PORTAL_DATA"], version.sha256, period, unit)
    except BaocaoError as e:
        return page_error(str(e), 400)
    _audit_download(f"bản đánh dấu lỗi của lần nộp {number}, {unit.full_name}, kỳ {period.id}")
    name = f"{slugify(Path(version.filename).stem)[:80] or 'bang-tinh'}_danh-dau-loi.xlsx"
    return send_file(path, as_attachment=True, download_name=name, mimetype=XLSX)


@bp.get("/ky/<int:period_id>/don-vi/<int:unit_id>/ban-nop/<int:number>/bao-cao.<any(docx, pdf):kind>")
@require("unit.report")
def report(period_id: int, unit_id: int, number: int, kind: str) -> object:
    """The report of a version, made by the CLI's pipeline in a worker (kept for the next download)."""
    period, unit, version = _version(period_id, unit_id, number)
    if version.errors:
        return page_error("Bản nộp này còn lỗi nên chưa lập được báo cáo. Hãy sửa các lỗi rồi nộp lại.", 400)
    try:
        earlier = compared_versions(g.db, period).get(unit.id)  # the report compares with it (`prev`)
        sha = earlier.sha256 if earlier is not None and not earlier.errors else ""
        path = report_file(current_app.config["PORTAL_DATA"], version.sha256, period, unit, kind == "pdf", sha)
    except BaocaoError as e:
        return page_error(str(e), 400 if kind == "docx" else 503)
    _audit_download(f"báo cáo .{kind} của lần nộp {number}, {unit.full_name}, kỳ {period.id}")
    mimetype = DOCX if kind == "docx" else "application/pdf"
    return send_file(path, as_attachment=True, download_name=path.name, mimetype=mimetype)


def _audit_download(what: str) -> None:
    audit(g.db, g.user, "download", what, request.remote_addr or "")
    g.db.commit()


bp.app_template_global()(is_late)
