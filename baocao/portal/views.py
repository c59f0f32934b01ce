"""The portal's pages: login, periods, the Sở's board, a commune's page (workbook, submissions, review)."""

from __future__ import annotations

import hashlib
import io
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from sqlalchemy import func, select

from baocao.errors import BaocaoError
from baocao.form import DEFAULT_FORM_ID, installed_forms
from baocao.messages import problem_line
from baocao.portal.access import page_error, require
from baocao.portal.auth import hash_password, may, verify_password
from baocao.portal.board import status_of
from baocao.portal.conflicts import committed
from baocao.portal.intake import check_upload, prefilled
from baocao.portal.models import OPEN, AuditEvent, Period, Submission, Unit, User, Version, now
from baocao.portal.periods import is_late, refuse_if_locked
from baocao.portal.rates import save_rates
from baocao.portal.service import (
    PERIODS,
    audit,
    open_period,
    review,
    store_upload,
    submission_of,
    submit,
    upload_path,
)
from baocao.web.jobs import display_name, refusal
from baocao.write import slugify

bp = Blueprint("portal", __name__)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILS_PER_ACCOUNT = 5
MAX_FAILS_PER_ADDRESS = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _failures(**where: str) -> int:
    column = AuditEvent.username if "username" in where else AuditEvent.address
    value = where.get("username") or where.get("address")
    return g.db.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "login-failed", column == value, AuditEvent.at > now() - THROTTLE_WINDOW)
    )


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login() -> object:
    if request.method == "GET":
        return render_template("login.html")
    username = request.form.get("username", "").strip()[:100]
    address = request.remote_addr or ""
    if _failures(username=username) >= MAX_FAILS_PER_ACCOUNT or _failures(address=address) >= MAX_FAILS_PER_ADDRESS:
        return render_template("login.html", error="Đăng nhập sai quá nhiều lần. Hãy thử lại sau 15 phút."), 429
    user = g.db.scalar(select(User).where(User.username == username))
    if user is None or not verify_password(user.password_hash, request.form.get("password", "")):
        g.db.add(AuditEvent(username=username, action="login-failed", address=address))
        g.db.commit()
        return render_template("login.html", error="Tên đăng nhập hoặc mật khẩu không đúng."), 401
    session.clear()
    session.update(user_id=user.id, hash=user.password_hash[-16:])
    session.permanent = True
    audit(g.db, user, "login", address=address)
    g.db.commit()
    if user.must_change_password:
        return redirect(url_for("portal.change_password"))
    target = request.args.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("portal.home"))


@bp.post("/dang-xuat")
def logout() -> object:
    session.clear()
    return redirect(url_for("portal.login"))


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
def change_password() -> object:
    if g.user is None:
        return redirect(url_for("portal.login"))
    if request.method == "GET":
        return render_template("password.html")
    new = request.form.get("new", "")
    if not verify_password(g.user.password_hash, request.form.get("old", "")):
        return render_template("password.html", error="Mật khẩu hiện tại không đúng."), 400
    if len(new) < 10 or new != request.form.get("again", ""):
        return render_template("password.html", error="Mật khẩu mới phải dài ít nhất 10 ký tự và gõ lại đúng."), 400
    g.user.password_hash = hash_password(new)
    g.user.must_change_password = False
    audit(g.db, g.user, "change-password", address=request.remote_addr or "")
    g.db.commit()
    session["hash"] = g.user.password_hash[-16:]
    return redirect(url_for("portal.home"))


@bp.get("/")
@require("periods.view")
def home() -> object:
    periods = list(g.db.scalars(select(Period).order_by(Period.year.desc(), Period.id.desc())))
    own = {}
    if g.user.unit is not None:
        own = {p.id: status_of(submission_of(g.db, p, g.user.unit), p) for p in periods}
    return render_template(
        "home.html",
        periods=periods,
        own=own,
        forms=list(installed_forms()),
        kinds=PERIODS,
        default_form=DEFAULT_FORM_ID,
    )


@bp.post("/ky")
@require("periods.open")
def new_period() -> object:
    try:
        year = int(request.form.get("year", ""))
        deadline = date.fromisoformat(request.form.get("deadline", ""))
    except ValueError:
        return page_error("Năm hoặc hạn nộp không hợp lệ (hạn nộp dạng ngày, ví dụ 2026-06-15).", 400)
    try:
        open_period(g.db, g.user, request.form.get("form", ""), request.form.get("period", ""), year, deadline)
    except BaocaoError as e:
        return page_error(str(e), 400)
    g.db.commit()
    return redirect(url_for("portal.home"))


def _period(period_id: int) -> Period:
    return g.db.get(Period, period_id) or abort(404)


@bp.get("/ky/<int:period_id>")
@require("board.view")
def period_board(period_id: int) -> object:
    from baocao.portal.consolidation import board_page

    return board_page(_period(period_id))


def _unit(unit_id: int) -> Unit:
    return g.db.get(Unit, unit_id) or abort(404)


@bp.get("/ky/<int:period_id>/don-vi/<int:unit_id>")
@require("unit.view")
def unit_page(period_id: int, unit_id: int) -> object:
    period, unit = _period(period_id), _unit(unit_id)
    submission = submission_of(g.db, period, unit)
    return render_template(
        "unit.html",
        period=period,
        unit=unit,
        submission=submission,
        status=status_of(submission, period),
        can_submit=may(g.user, "unit.submit", unit.id) and period.state == OPEN,
        can_review=may(g.user, "submission.review", unit.id) and submission is not None,
    )


@bp.get("/ky/<int:period_id>/don-vi/<int:unit_id>/bang-tinh.xlsx")
@require("unit.workbook")
def workbook(period_id: int, unit_id: int) -> object:
    period, unit = _period(period_id), _unit(unit_id)
    try:
        data = prefilled(g.db, current_app.config["PORTAL_DATA"], period, unit)
    except BaocaoError as e:
        return page_error(str(e), 500)
    audit(g.db, g.user, "download", f"bảng tính {unit.full_name}, kỳ {period.id}", request.remote_addr or "")
    g.db.commit()
    name = f"{slugify(unit.full_name)}_{slugify(period.title)}.xlsx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=XLSX)


@bp.post("/ky/<int:period_id>/don-vi/<int:unit_id>/nop")
@require("unit.submit")
def upload(period_id: int, unit_id: int) -> object:
    """Check the workbook exactly as `generate.py check` does, keep it, record a new version."""
    period, unit = _period(period_id), _unit(unit_id)
    try:
        refuse_if_locked(period)
    except BaocaoError as e:
        return page_error(str(e), 400)
    file = request.files.get("workbook")
    if file is None or not file.filename:
        return page_error("Hãy chọn bảng tính (.xlsx) để nộp.", 400)
    original = display_name(file.filename)
    content = file.read()
    data_dir: Path = current_app.config["PORTAL_DATA"]
    with tempfile.TemporaryDirectory(prefix="portal-upload-", dir=data_dir) as work:
        path = Path(work) / f"{slugify(Path(original).stem)[:80] or 'bang-tinh'}.xlsx"
        path.write_bytes(content)
        why = refusal(path, original)
        if why:
            return page_error(why, 400)
        try:
            problems, rates = check_upload(data_dir, path, hashlib.sha256(content).hexdigest(), period, unit)
        except BaocaoError as e:
            return page_error(str(e), 400)
    sha = store_upload(data_dir, content)

    def record() -> Version:
        version = submit(g.db, g.user, period, unit, original, sha, problems)
        save_rates(g.db, version, rates)
        return version

    try:
        version = committed(g.db, record)
    except BaocaoError as e:
        g.db.rollback()
        return page_error(str(e), 400)
    late = f" Nộp muộn: sau hạn nộp {period.deadline:%d/%m/%Y}." if is_late(version, period) else ""
    flash(f"Đã nhận bản nộp lần {version.number}: {version.errors} lỗi, {version.warnings} cảnh báo.{late}")
    return redirect(url_for("portal.unit_page", period_id=period.id, unit_id=unit.id))


@bp.get("/ky/<int:period_id>/don-vi/<int:unit_id>/ban-nop/<int:number>.xlsx")
@require("unit.view")
def version_file(period_id: int, unit_id: int, number: int) -> object:
    submission = submission_of(g.db, _period(period_id), _unit(unit_id)) or abort(404)
    version = next((v for v in submission.versions if v.number == number), None) or abort(404)
    audit(g.db, g.user, "download", f"bản nộp {number} của {submission.unit.full_name}", request.remote_addr or "")
    g.db.commit()
    return send_file(
        upload_path(current_app.config["PORTAL_DATA"], version.sha256),
        as_attachment=True,
        download_name=version.filename,
    )


@bp.post("/ky/<int:period_id>/don-vi/<int:unit_id>/xet")
@require("submission.review")
def review_submission(period_id: int, unit_id: int) -> object:
    submission: Submission = submission_of(g.db, _period(period_id), _unit(unit_id)) or abort(404)
    try:
        review(g.db, g.user, submission, request.form.get("action") == "duyet", request.form.get("comment", ""))
    except BaocaoError as e:
        return page_error(str(e), 400)
    g.db.commit()
    return redirect(url_for("portal.unit_page", period_id=period_id, unit_id=unit_id))


@bp.get("/nhat-ky")
@require("audit.view")
def audit_log() -> object:
    events = list(g.db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(500)))
    return render_template("audit.html", events=events)


@bp.app_template_filter("vn_time")
def vn_time(value: datetime | None) -> str:
    """UTC as stored → Việt Nam time (UTC+7), 'dd/mm/yyyy hh:mm'."""
    return (value + timedelta(hours=7)).strftime("%d/%m/%Y %H:%M") if value else "—"


@bp.app_template_filter("vn_date")
def vn_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


bp.app_template_global()(problem_line)
