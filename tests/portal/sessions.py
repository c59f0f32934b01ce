"""Many logged-in clients at once for the scale tests: the session cookie a real login would give,
signed with the portal's key (a login is argon2 by design, ~0.1 s of CPU each: 114 of them would
measure the hash, not the submissions; logging in is tested in test_web and test_browser)."""

from __future__ import annotations

import http.cookiejar

from sqlalchemy import select, update

from baocao.portal.app import create_app
from baocao.portal.db import make_engine, sessions
from baocao.portal.models import User
from tests.portal.conftest import Client, Portal


def logged_in(portal: Portal, base: str, usernames: list[str]) -> dict[str, Client]:
    """A client per account, with the session cookie of that account (its first password change done)."""
    app = create_app(portal.data)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    engine = make_engine(portal.database_url)
    with sessions(engine).begin() as s:
        s.execute(update(User).where(User.username.in_(usernames)).values(must_change_password=False))
        users = {u.username: u for u in s.scalars(select(User).where(User.username.in_(usernames)))}
        cookies = {
            name: serializer.dumps({"user_id": u.id, "hash": u.password_hash[-16:], "_permanent": True})
            for name, u in users.items()
        }
    engine.dispose()
    host = base.split("//", 1)[1].split(":", 1)[0]
    clients = {}
    for name in usernames:
        client = Client(base)
        cookie = http.cookiejar.Cookie(
            0, app.config["SESSION_COOKIE_NAME"], cookies[name], None, False, host, False, False, "/", True,
            False, None, False, None, None, {},
        )  # fmt: skip
        client.jar.set_cookie(cookie)
        clients[name] = client
    return clients


def share(client: Client, base: str) -> Client:
    """The same browser session against another server (the cookie jar shared)."""
    other = Client(base)
    other.jar = client.jar
    other.opener = client.opener
    other.token = client.token
    other.base = base
    return other
