"""The portal's Flask app: signed sessions, CSRF on every form, strict CSP, one DB session per request.

The web tier keeps no state of its own: sessions are signed cookies, state is in the database and
files in the data folder, so several `portal serve` processes can share one PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from baocao.layout import MAX_FILE_BYTES
from baocao.portal import commune  # noqa: F401  (its routes join the blueprint)
from baocao.portal.access import page_error
from baocao.portal.consolidation import bp as so_bp
from baocao.portal.db import make_engine, read_settings, sessions
from baocao.portal.models import PERIOD_STATES, ROLE_NAMES, User
from baocao.portal.proxy import behind_proxy, proxy_settings
from baocao.portal.rollup import RollupWorker
from baocao.portal.views import bp
from baocao.web.app import SECURITY_HEADERS as WEB_SECURITY_HEADERS

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = {**WEB_SECURITY_HEADERS, "Cache-Control": "no-store"}  # the local page's policy, never cached


def create_app(data: Path, *, secure_cookies: bool | None = None, proxies: int | None = None) -> Flask:
    """The portal over the data folder made by `portal init` (its portal.json names the database).
    Behind an HTTPS reverse proxy (baocao.portal.proxy): Secure cookies, X-Forwarded-* trusted."""
    settings = read_settings(data)
    secure_cookies, proxies = proxy_settings(settings, secure_cookies, proxies)
    app = Flask(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.config.update(
        SECRET_KEY=settings["secret_key"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="baocao_portal",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        MAX_CONTENT_LENGTH=MAX_FILE_BYTES + 65536,
        WTF_CSRF_TIME_LIMIT=None,
        PORTAL_DATA=Path(data),
    )
    CSRFProtect(app)
    make_session = sessions(make_engine(settings["database_url"]))
    app.extensions["portal_rollups"] = RollupWorker(make_session, Path(data))
    behind_proxy(app, proxies)
    app.jinja_env.globals.update(ROLE_NAMES=ROLE_NAMES, PERIOD_STATES=PERIOD_STATES)

    @app.before_request
    def open_db() -> Any:
        g.db = make_session()
        user_id = session.get("user_id")
        g.user = g.db.get(User, user_id) if user_id else None
        if g.user is not None and session.get("hash") != g.user.password_hash[-16:]:
            g.user = None  # the password changed since this cookie was signed
            session.clear()
        if g.user is not None and g.user.must_change_password and request.endpoint not in PASSWORD_FREE:
            return redirect(url_for("portal.change_password"))
        return None

    @app.teardown_request
    def close_db(error: BaseException | None) -> None:
        db = g.pop("db", None)
        if db is not None:
            if error is not None:
                db.rollback()
            db.close()

    @app.after_request
    def secure(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(_e: CSRFError) -> tuple[str, int]:
        return page_error("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại.", 400)

    @app.errorhandler(403)
    def forbidden(_e: Exception) -> tuple[str, int]:
        return page_error("Tài khoản của bạn không được xem hoặc làm việc này.", 403)

    @app.errorhandler(404)
    def not_found(_e: Exception) -> tuple[str, int]:
        return page_error("Không có trang này.", 404)

    @app.errorhandler(413)
    def too_large(_e: Exception) -> tuple[str, int]:
        return page_error(f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // 1048576} MB).", 413)

    app.register_blueprint(bp)
    app.register_blueprint(so_bp)
    return app


PASSWORD_FREE = {"portal.change_password", "portal.logout", "portal.login", "static"}
