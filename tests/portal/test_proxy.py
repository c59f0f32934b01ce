"""The portal behind an HTTPS reverse proxy: Secure session cookie, and the client's own address
(X-Forwarded-For, trusted only when configured) for the per-address login throttle."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import select
from waitress import create_server

from baocao.portal.app import create_app
from baocao.portal.db import make_engine, sessions
from baocao.portal.models import AuditEvent
from baocao.portal.proxy import proxy_settings, waitress_options
from tests.conftest import start_server
from tests.portal.conftest import Client, Portal


@contextmanager
def _serving_behind_a_proxy(app: Flask) -> Iterator[str]:
    """waitress as `portal serve --behind-https` runs it (X-Forwarded-* kept for ProxyFix)."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4, **waitress_options(app))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def _address() -> str:
    return f"198.51.{random.randint(0, 255)}.{random.randint(1, 254)}"  # TEST-NET-2, new each run


def test_behind_https_the_session_cookie_is_secure(portal_sqlite: Portal) -> None:
    with start_server(create_app(portal_sqlite.data, secure_cookies=True)) as url:
        cookie = Client(url).get("/dang-nhap").headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_behind_a_proxy_each_forwarded_address_is_throttled_alone(portal_sqlite: Portal) -> None:
    with _serving_behind_a_proxy(create_app(portal_sqlite.data, proxies=1)) as url:
        client = Client(url)
        client.get("/dang-nhap")
        blocked, other = _address(), _address()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        tag = other.replace(".", "-")

        def body(i: int) -> bytes:  # a new account name each time: only the address is counted
            return f"csrf_token={client.token}&username=khong-co-{tag}-{i}&password=x".encode()

        for i in range(30):
            assert client.request("/dang-nhap", body(i), {**headers, "X-Forwarded-For": blocked}).status == 401
        assert client.request("/dang-nhap", body(30), {**headers, "X-Forwarded-For": blocked}).status == 429
        assert client.request("/dang-nhap", body(31), {**headers, "X-Forwarded-For": other}).status == 401
    assert _last_address(portal_sqlite, f"khong-co-{tag}-31") == other


def test_without_a_proxy_forwarded_headers_are_not_trusted(portal_sqlite: Portal) -> None:
    with start_server(create_app(portal_sqlite.data)) as url:
        client = Client(url)
        reply = client.get("/dang-nhap")
        assert "Secure" not in reply.headers["Set-Cookie"]
        body = f"csrf_token={client.token}&username=khong-co-2&password=x".encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": _address()}
        assert client.request("/dang-nhap", body, headers).status == 401
    assert _last_address(portal_sqlite, "khong-co-2") == "127.0.0.1"  # the header was not believed


def _last_address(portal: Portal, username: str) -> str:
    engine = make_engine(portal.database_url)
    with sessions(engine)() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.username == username).order_by(AuditEvent.id.desc())
        ).first()
    engine.dispose()
    return event.address


def test_proxy_settings_come_from_the_option_or_portal_json() -> None:
    assert proxy_settings({}, None, None) == (False, 0)
    assert proxy_settings({"behind_https": True}, None, None) == (True, 1)
    assert proxy_settings({"behind_https": True, "proxies": 2}, None, None) == (True, 2)
    assert proxy_settings({"behind_https": True}, False, 0) == (False, 0)
    assert proxy_settings({}, True, None) == (True, 1)
