"""The portal's test set-up: one portal per database (made by the real `portal init`), a throwaway
PostgreSQL cluster, and an HTTP client that keeps its cookies and sends the CSRF token like a browser."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from baocao.portal.app import create_app
from tests.conftest import run_cli, start_server
from tests.pg_cluster import cluster, create_database

DATABASES = ["sqlite", "postgresql"]
ADMIN = "quantri"
OFFICER = "tonghop"
CLEAN = "phuong-nhi-chieu"  # inputs/nhi_chieu_2026_6thang.xlsx is theirs, with no problem
FAULTY = "phuong-le-chan"  # sends tests/data/bad_part_exceeds_total.xlsx (one error)


@dataclass
class Portal:
    data: Path
    database_url: str
    passwords: dict[str, str]  # username → current password (changed at first login by Client.login)
    units: dict[str, str] = field(default_factory=dict)  # username → unit name, from the passwords workbook
    url: str = ""


def read_passwords(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Tên đơn vị", "Tên đăng nhập", "Mật khẩu")
    return {r[1]: r[2] for r in rows[1:]}, {r[1]: r[0] for r in rows[1:]}


def init_portal(data: Path, database_url: str | None = None) -> Portal:
    args = ["portal", "init", "--province", "Hải Phòng", "--data", data]
    if database_url:
        args += ["--database-url", database_url]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    passwords, units = read_passwords(data / "mat-khau-ban-dau.xlsx")
    added = run_cli("portal", "add-user", OFFICER, "--role", "can-bo-tong-hop", "--data", data)
    assert added.returncode == 0, added.stderr
    passwords[OFFICER] = re.search(r"Mật khẩu ban đầu: (\S+)", added.stdout).group(1)
    settings_url = database_url or f"sqlite:///{(data / 'portal.sqlite3').resolve()}"
    return Portal(data, settings_url, passwords, units)


@pytest.fixture(scope="session")
def pg_maintenance() -> Iterator[str]:
    with cluster() as url:
        yield url


@pytest.fixture(scope="session")
def portal_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    return init_portal(tmp_path_factory.mktemp("portal-sqlite"))


@pytest.fixture(scope="session")
def portal_postgresql(tmp_path_factory: pytest.TempPathFactory, pg_maintenance: str) -> Portal:
    url = create_database(pg_maintenance, f"portal_{uuid.uuid4().hex[:8]}")
    return init_portal(tmp_path_factory.mktemp("portal-pg"), url)


@pytest.fixture(scope="session", params=DATABASES)
def portal(request: pytest.FixtureRequest) -> Iterator[Portal]:
    """The portal on each database, served by a real waitress on a free port."""
    p: Portal = request.getfixturevalue(f"portal_{request.param}")
    with start_server(create_app(p.data)) as url:
        p.url = url
        yield p


@dataclass
class Reply:
    status: int
    location: str
    body: bytes
    headers: Any

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def page_text(self) -> str:
        return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", self.text))).strip()


class Client:
    """A browser-like HTTP client: cookies kept, redirects not followed, the page's CSRF token sent back."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any) -> None:
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.token = ""

    def request(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=120) as r:
                reply = Reply(r.status, r.headers.get("Location", ""), r.read(), r.headers)
        except urllib.error.HTTPError as e:
            reply = Reply(e.code, e.headers.get("Location", ""), e.read(), e.headers)
        found = re.search(r'name="csrf_token" value="([^"]+)"', reply.text)
        if found:
            self.token = found.group(1)
        return reply

    def get(self, path: str) -> Reply:
        return self.request(path)

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None) -> Reply:
        if not self.token:
            self.get("/dang-nhap")
        fields = {"csrf_token": self.token, **fields}
        if not files:
            return self.request(path, urllib.parse.urlencode(fields).encode())
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        for k, (name, content) in files.items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
            parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def login(self, portal: Portal, username: str) -> Reply:
        """Log in; at the first login, change the password as the portal demands (and remember it)."""
        reply = self.post("/dang-nhap", {"username": username, "password": portal.passwords[username]})
        assert reply.status == 302, reply.page_text
        if reply.location.endswith("/doi-mat-khau"):
            self.get("/doi-mat-khau")
            new = portal.passwords[username] + "-moi"
            changed = self.post("/doi-mat-khau", {"old": portal.passwords[username], "new": new, "again": new})
            assert changed.status == 302, changed.page_text
            portal.passwords[username] = new
        return reply
