"""The local web page (`python generate.py serve`): blank workbooks to download, workbooks to upload,
each file's check result, the reports to download. Flask for the page, waitress to serve it.

It calls the same library functions as the CLI: blank_workbook / commune_workbooks / city_workbook
for the blank workbooks, run_batch for everything uploaded (one file or a whole city).
"""

from __future__ import annotations

import atexit
import io
import ipaddress
import logging
import signal
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from baocao.batch.city import city_workbook
from baocao.batch.rollup_info import WEB_FIELDS, rollup_info_from_fields
from baocao.communes import communes_of, provinces
from baocao.errors import BaocaoError
from baocao.form import DEFAULT_FORM_ID, Form, installed_forms, load_form
from baocao.messages import STAGE_PAGE_TEXT
from baocao.web.jobs import Job, JobStore, Limits
from baocao.web.results import result_view
from baocao.workbook.blank import blank_workbook, commune_workbooks
from baocao.write import find_soffice, slugify, zip_bytes

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class FormChoice:
    """One entry of the page's form list: a form, at one of its levels when it has several."""

    value: str  # 'hai_duong_2023@district'
    label: str
    form_id: str
    level: str


@cache
def form_choices() -> tuple[FormChoice, ...]:
    """Every installed form (each level of a form with levels), the default form first."""
    choices = []
    forms = installed_forms()
    for form_id in sorted(forms, key=lambda i: i != DEFAULT_FORM_ID):
        try:
            form = load_form(forms[form_id])
        except BaocaoError:
            log.warning("form %s cannot be loaded; not offered on the page", forms[form_id])
            continue
        levels = form.levels or {"": ""}
        for level in sorted(levels, key=lambda lv: lv != form.level):  # the form's default level first
            level_label = levels[level]
            value = f"{form_id}@{level}" if level else form_id
            label = f"{form.title} — {level_label.lower()}" if level_label else form.title
            choices.append(FormChoice(value, label, form_id, level))
    return tuple(choices)


def chosen_form(value: str) -> Form:
    """The form a choice names; 400 for anything not offered."""
    for choice in form_choices():
        if choice.value == value:
            return load_form(installed_forms()[choice.form_id], choice.level or None)
    abort(400, description="Biểu mẫu không có trong danh sách. Hãy chọn lại trên trang chính.")


def province_name(slug: str | None) -> str:
    name = provinces().get(slug or "")
    if name is None:
        abort(400, description="Hãy chọn một tỉnh, thành phố trong danh sách.")
    return name


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def create_app(limits: Limits | None = None, *, loopback_only: bool = True, work_root: Path | None = None) -> Flask:
    """The page's Flask app, with its own job store (its temporary folder is removed at exit)."""
    limits = limits or Limits()
    app = Flask(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.config["MAX_CONTENT_LENGTH"] = limits.max_request_bytes
    app.config["MAX_FORM_PARTS"] = limits.max_files + 50
    if loopback_only:  # a page on loopback answers only to loopback names (no DNS rebinding)
        app.config["TRUSTED_HOSTS"] = ["127.0.0.1", "localhost", "::1", "[::1]"]
    store = JobStore(limits, work_root)
    app.extensions["baocao_jobs"] = store
    atexit.register(store.close)
    pdf_available = find_soffice() is not None

    def page(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
        values.setdefault("error", "")
        return render_template(template, limits=limits, **values), status

    def index_page(error: str = "", status: int = 200, notice: str = "") -> tuple[str, int]:
        return page(
            "index.html",
            status,
            forms=form_choices(),
            provinces=sorted(provinces().items(), key=lambda kv: slugify(kv[1])),
            pdf_available=pdf_available,
            error=error,
            notice=notice,
        )

    def job_or_404(job_id: str) -> Job:
        job = store.get(job_id)
        if job is None:
            abort(404, description="Không tìm thấy kết quả này: các tệp đã được xoá sau khi tải về hoặc "
                                   "quá hạn, hoặc đường dẫn không đúng. Hãy tải bảng tính lên lại.")  # fmt: skip
        return job

    @app.after_request
    def secure(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def index() -> Any:
        notice = "Đã xoá các tệp của lần tải lên trước khỏi máy." if request.args.get("da-xoa") else ""
        return index_page(notice=notice)

    @app.get("/bang-tinh-trong")
    def blank() -> Any:
        """One blank workbook; for a province: one per commune (zip), or the city workbook."""
        value = request.args.get("mau") or form_choices()[0].value
        form = chosen_form(value)
        kind = request.args.get("kieu", "")
        if kind not in ("", "tung-don-vi", "chung"):
            abort(400, description="Kiểu bảng tính không hợp lệ.")
        if not kind:
            data, name = blank_workbook(form), f"bang-tinh-trong_{slugify(value)}.xlsx"
            return send_file_bytes(data, name, XLSX_MIME)
        province = province_name(request.args.get("tinh"))
        if kind == "chung":
            data = city_workbook(form, communes_of(province))
            return send_file_bytes(data, f"bang-tinh-chung_{slugify(province)}.xlsx", XLSX_MIME)
        data = zip_bytes(commune_workbooks(form, communes_of(province)))  # a city's 114 in ~0.3 s
        return send_file_bytes(data, f"bang-tinh-cac-don-vi_{slugify(province)}.zip", "application/zip")

    @app.post("/tai-len")
    def upload() -> Any:
        if not store.make_room(request.content_length or 0):  # before the body is read
            text, code = index_page(
                "Máy chủ đang bận, vui lòng thử lại sau: chỗ lưu tệp tạm thời đang đầy vì các lần tải lên khác "
                "đang được xử lý. Hãy thử lại sau vài phút.",
                503,
            )
            return text, code, {"Retry-After": "120"}
        files = [f for f in request.files.getlist("tep") if f.filename]
        if not files:
            return index_page("Chưa chọn tệp nào. Hãy kéo thả hoặc bấm “Chọn tệp” để chọn bảng tính .xlsx.", 400)
        if len(files) > limits.max_files:
            return index_page(
                f"Đã chọn {len(files)} tệp; mỗi lần chỉ tải lên được tối đa {limits.max_files} tệp. "
                "Hãy chia thành nhiều lần.",
                400,
            )
        try:
            roll_up = rollup_info_from_fields({key: request.form.get(name, "") for name, key in WEB_FIELDS.items()})
        except BaocaoError as e:
            return index_page(f"Thông tin của báo cáo tổng hợp: {e}", 400)
        job = store.create(((f.filename, f.stream) for f in files), pdf=bool(request.form.get("pdf")), roll_up=roll_up)
        store.start(job)
        return redirect(url_for("result", job_id=job.id), code=303)

    @app.get("/ket-qua/<job_id>")
    def result(job_id: str) -> Any:
        job = job_or_404(job_id)
        view = result_view(job, request.args.get("loc", "")) if job.state == "done" else None
        return page("result.html", job=job, view=view, stage=stage_text(job), pdf_available=pdf_available)

    @app.get("/ket-qua/<job_id>/trang-thai")
    def status(job_id: str) -> Any:
        job = job_or_404(job_id)
        return jsonify(state=job.state, stage=stage_text(job), done=job.done, total=job.total)

    @app.get("/ket-qua/<job_id>/tai-ve/<name>")
    def download(job_id: str, name: str) -> Any:
        job = job_or_404(job_id)
        path = store.file(job, name)
        if path is None:
            abort(404, description="Không có tệp này trong kết quả của bạn.")
        response = send_file(path, as_attachment=True, download_name=name, max_age=0)
        store.downloaded(job, name)
        return response

    @app.post("/ket-qua/<job_id>/xoa")
    def delete(job_id: str) -> Any:
        job = job_or_404(job_id)
        if not store.delete(job.id):
            abort(409, description="Các tệp đang được xử lý; hãy đợi xong rồi xoá.")
        return redirect(url_for("index", **{"da-xoa": 1}), code=303)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_e: HTTPException) -> Any:
        return index_page(
            f"Các tệp tải lên quá lớn (tổng cộng tối đa {limits.max_request_bytes // 1048576} MB một lần, mỗi tệp "
            f"tối đa {limits.max_file_bytes // 1048576} MB). Hãy chia thành nhiều lần.",
            413,
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(_e: HTTPException) -> Any:  # no URL adapter yet: a plain answer
        return Response("Yêu cầu không hợp lệ: trang chỉ trả lời địa chỉ 127.0.0.1 hoặc localhost.", 400,
                        mimetype="text/plain")  # fmt: skip

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Any:
        messages = {
            400: "Yêu cầu không hợp lệ.",
            404: "Không tìm thấy trang này.",
            405: "Trang này không nhận kiểu yêu cầu đó.",
        }
        description = e.description if e.description and not e.description.isascii() else ""
        message = description or messages.get(e.code or 0, "Có lỗi khi xử lý yêu cầu.")
        return page("error.html", e.code or 500, message=message)

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> Any:
        log.exception("unexpected error")
        return page("error.html", 500, message="Có lỗi không mong đợi. Hãy thử lại; trang vẫn hoạt động.")

    return app


def stage_text(job: Job) -> str:
    """'Đang kiểm tra số liệu: 12/114' for the progress line."""
    if job.state == "queued":
        return "Đang chờ lượt (máy đang lập báo cáo cho người khác)…" if job.behind_others else "Đang bắt đầu…"
    if job.state != "running":
        return ""
    text = STAGE_PAGE_TEXT.get(job.stage, "Đang chuẩn bị") if job.stage else "Đang chuẩn bị"
    return f"{text}: {job.done}/{job.total}" if job.total else f"{text}…"


def send_file_bytes(data: bytes, name: str, mimetype: str) -> Response:
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)


def waitress_server(app: Flask, host: str, port: int, threads: int = 8) -> Any:
    """The waitress server of the page; its own body limit is above the app's, so that the app
    answers an oversized upload with its Vietnamese page."""
    from waitress import create_server

    limit = app.config["MAX_CONTENT_LENGTH"] + 1048576
    return create_server(app, host=host, port=port, threads=threads, max_request_body_size=limit)


@contextmanager
def serving(app: Flask, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """The app served as `serve` serves it, in a background thread (for tests and the screenshot
    tool); yields the base URL, e.g. 'http://127.0.0.1:41234'."""
    server = waitress_server(app, host, port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def serve(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = True) -> None:
    """Serve the page with waitress until Ctrl+C; the upload folders are deleted when it stops."""
    app = create_app(loopback_only=is_loopback(host))
    server = waitress_server(app, host, port)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{server.effective_port}/"
    print(f"Trang lập báo cáo đang chạy tại {url}", flush=True)
    print("Mở địa chỉ trên bằng trình duyệt. Để dừng: bấm Ctrl+C trong cửa sổ này.", flush=True)
    if not is_loopback(host):
        print(f"Lưu ý: trang mở cho mọi máy truy cập được {host}; chỉ dùng trong mạng nội bộ tin cậy.", flush=True)
    store: JobStore = app.extensions["baocao_jobs"]
    store.start_janitor()
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    signal.signal(signal.SIGTERM, _interrupt)  # stopped by the system: clean up as for Ctrl+C
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        store.close()
        print("Đã dừng trang; các tệp tải lên đã được xoá.", flush=True)
