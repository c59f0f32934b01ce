"""The portal through a real waitress server, on SQLite and PostgreSQL: the submission cycle over HTTP
and the authorization matrix (every route × every role × own and other commune)."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from tests.conftest import run_cli
from tests.portal.conftest import ADMIN, CLEAN, FAULTY, OFFICER, Client, Portal
from tests.portal.workbooks import BAD, SAMPLE, workbook_for


def open_period(portal: Portal, period: str = "6 tháng", year: str = "2026", deadline: str = "2099-12-31") -> int:
    admin = Client(portal.url)
    admin.login(portal, ADMIN)
    home = admin.get("/")
    reply = admin.post("/ky", {"form": "hai_phong_2025", "period": period, "year": year, "deadline": deadline})
    assert reply.status == 302, reply.page_text
    ids = [int(n) for n in re.findall(r'href="/ky/(\d+)"', admin.get("/").text)]
    assert home.status == 200 and ids
    return max(ids)


def unit_id(client: Client, period: int) -> int:
    """The clerk's own commune, from the link on their home page."""
    found = re.search(rf'href="/ky/{period}/don-vi/(\d+)"', client.get("/").text)
    assert found
    return int(found.group(1))


def board_status(client: Client, period: int) -> dict[str, str]:
    rows = re.findall(
        r'<tr data-unit="\d+">\s*<td><a[^>]*>([^<]+)</a></td>\s*<td class="status">([^<]+)</td>',
        client.get(f"/ky/{period}").text,
    )
    return dict(rows)


def test_the_cycle_over_http(portal: Portal) -> None:
    period = open_period(portal)
    clean, faulty, officer = Client(portal.url), Client(portal.url), Client(portal.url)
    clean.login(portal, CLEAN)
    faulty.login(portal, FAULTY)
    officer.login(portal, OFFICER)
    own = unit_id(clean, period)

    workbook = clean.get(f"/ky/{period}/don-vi/{own}/bang-tinh.xlsx")
    assert workbook.status == 200
    ws = openpyxl.load_workbook(io.BytesIO(workbook.body))["Thông tin chung"]
    values = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}
    assert values["Tên đơn vị"] == "Nhị Chiểu" and values["Loại đơn vị"] == "Phường"
    assert values["Kỳ báo cáo"] == "6 tháng" and values["Năm báo cáo"] == 2026
    assert values["Tỉnh/thành phố"] == "Thành phố Hải Phòng"

    sent = clean.post(f"/ky/{period}/don-vi/{own}/nop", {}, {"workbook": ("Nhị Chiểu.xlsx", SAMPLE.read_bytes())})
    assert sent.status == 302
    page = clean.get(sent.location.removeprefix(portal.url))
    assert "Đã nhận bản nộp lần 1: 0 lỗi, 0 cảnh báo." in page.page_text
    assert "Trạng thái: đã nộp" in page.page_text

    bad_unit = unit_id(faulty, period)
    bad = workbook_for("Lê Chân", "6 tháng", 2026, BAD)
    sent = faulty.post(f"/ky/{period}/don-vi/{bad_unit}/nop", {}, {"workbook": ("bad.xlsx", bad)})
    page = faulty.get(sent.location.removeprefix(portal.url))
    cli = run_cli("check", BAD)
    cli_lines = [line.strip() for line in cli.stdout.splitlines() if line.strip().startswith("[LỖI]")]
    assert cli_lines and all(line in page.page_text for line in cli_lines)  # the CLI's very lines
    assert "Trạng thái: có lỗi" in page.page_text

    statuses = board_status(officer, period)
    assert statuses["Phường Nhị Chiểu"] == "đã nộp" and statuses["Phường Lê Chân"] == "có lỗi"
    assert list(statuses.values()).count("chưa nộp") == 112

    refused = officer.post(f"/ky/{period}/don-vi/{bad_unit}/xet", {"action": "duyet", "comment": ""})
    assert refused.status == 400 and "Bản nộp còn lỗi, không duyệt được" in refused.page_text
    returned = officer.post(f"/ky/{period}/don-vi/{bad_unit}/xet", {"action": "tra-lai", "comment": "Sửa ô D14."})
    assert returned.status == 302
    assert officer.post(f"/ky/{period}/don-vi/{own}/xet", {"action": "duyet", "comment": ""}).status == 302
    page = faulty.get(f"/ky/{period}/don-vi/{bad_unit}")
    assert "Trạng thái: bị trả lại" in page.page_text and "Ý kiến của Sở: Sửa ô D14." in page.page_text

    fixed = workbook_for("Lê Chân", "6 tháng", 2026)
    again = faulty.post(f"/ky/{period}/don-vi/{bad_unit}/nop", {}, {"workbook": ("sửa.xlsx", fixed)})
    page = faulty.get(again.location.removeprefix(portal.url))
    assert "Đã nhận bản nộp lần 2" in page.page_text and "bad.xlsx" in page.page_text  # both versions listed
    first = faulty.get(f"/ky/{period}/don-vi/{bad_unit}/ban-nop/1.xlsx")
    assert first.status == 200 and first.body == bad

    late = clean.post(f"/ky/{period}/don-vi/{own}/nop", {}, {"workbook": ("x.xlsx", SAMPLE.read_bytes())})
    assert late.status == 400 and "đã được duyệt, không nộp lại được" in late.page_text
    statuses = board_status(officer, period)
    assert statuses["Phường Nhị Chiểu"] == "đã duyệt" and statuses["Phường Lê Chân"] == "đã nộp"


def test_a_late_submission_is_shown_as_late(portal: Portal) -> None:
    period = open_period(portal, "Quý I", "2026", "2026-03-14")
    clean, officer = Client(portal.url), Client(portal.url)
    clean.login(portal, CLEAN)
    officer.login(portal, OFFICER)
    own = unit_id(clean, period)
    sent = clean.post(
        f"/ky/{period}/don-vi/{own}/nop", {}, {"workbook": ("a.xlsx", workbook_for("Nhị Chiểu", "Quý I", 2026))}
    )
    page = clean.get(sent.location.removeprefix(portal.url))
    assert "Nộp muộn: sau hạn nộp 14/03/2026." in page.page_text and "(nộp muộn)" in page.page_text
    assert board_status(officer, period)["Phường Nhị Chiểu"] == "nộp muộn"
    board = officer.get(f"/ky/{period}?trang-thai=nộp+muộn".replace("ộ", "%E1%BB%99"))
    assert board.status == 200


def test_not_a_workbook_is_refused_with_todays_message(portal: Portal) -> None:
    period = open_period(portal)
    clean = Client(portal.url)
    clean.login(portal, CLEAN)
    own = unit_id(clean, period)
    reply = clean.post(f"/ky/{period}/don-vi/{own}/nop", {}, {"workbook": ("a.xlsx", b"%PDF-1.4 not a workbook")})
    assert reply.status == 400 and "không phải" in reply.page_text.lower()


def test_wrong_password_and_throttling(portal: Portal) -> None:
    client = Client(portal.url)
    for _ in range(5):
        reply = client.post("/dang-nhap", {"username": "xa-an-lao", "password": "sai"})
        assert reply.status == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in reply.page_text
    reply = client.post("/dang-nhap", {"username": "xa-an-lao", "password": portal.passwords["xa-an-lao"]})
    assert reply.status == 429 and "Đăng nhập sai quá nhiều lần" in reply.page_text


def test_forms_without_the_csrf_token_are_refused(portal: Portal) -> None:
    client = Client(portal.url)
    client.login(portal, ADMIN)
    reply = client.request("/ky", b"form=hai_phong_2025&period=Qu%C3%BD+I&year=2026&deadline=2026-03-14")
    assert reply.status == 400 and "Phiên làm việc đã hết hạn" in reply.page_text


def test_pages_have_a_strict_csp(portal: Portal) -> None:
    reply = Client(portal.url).get("/dang-nhap")
    assert "script-src 'self'" in reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    assert "HttpOnly" in reply.headers["Set-Cookie"] and "SameSite=Lax" in reply.headers["Set-Cookie"]


ALLOWED, FORBIDDEN, LOGIN = "allowed", "403", "login"
ROLES = ["anonymous", ADMIN, OFFICER, "own clerk", "other clerk"]
# route (method, path with {p} period, {u} the clean clerk's commune, form fields) → outcome per role
MATRIX = {
    ("GET", "/", ""): [LOGIN, ALLOWED, ALLOWED, ALLOWED, ALLOWED],
    ("POST", "/ky", "year=x"): [LOGIN, ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ("GET", "/ky/{p}", ""): [LOGIN, ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN],
    ("GET", "/ky/{p}/don-vi/{u}", ""): [LOGIN, ALLOWED, ALLOWED, ALLOWED, FORBIDDEN],
    ("GET", "/ky/{p}/don-vi/{u}/bang-tinh.xlsx", ""): [LOGIN, ALLOWED, ALLOWED, ALLOWED, FORBIDDEN],
    ("GET", "/ky/{p}/don-vi/{u}/ban-nop/1.xlsx", ""): [LOGIN, ALLOWED, ALLOWED, ALLOWED, FORBIDDEN],
    ("POST", "/ky/{p}/don-vi/{u}/nop", ""): [LOGIN, FORBIDDEN, FORBIDDEN, ALLOWED, FORBIDDEN],
    ("POST", "/ky/{p}/don-vi/{u}/xet", "action=tra-lai"): [LOGIN, FORBIDDEN, ALLOWED, FORBIDDEN, FORBIDDEN],
    ("GET", "/nhat-ky", ""): [LOGIN, ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ("POST", "/ky/{p}/trang-thai", "action=mo"): [LOGIN, ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ("GET", "/ky/{p}/don-vi/{u}/ban-nop/1/danh-dau.xlsx", ""): [LOGIN, ALLOWED, ALLOWED, ALLOWED, FORBIDDEN],
    ("GET", "/ky/{p}/don-vi/{u}/ban-nop/2/bao-cao.docx", ""): [LOGIN, ALLOWED, ALLOWED, ALLOWED, FORBIDDEN],
    ("GET", "/ky/{p}/don-vi/{u}/ban-nop/2/bao-cao.pdf", ""): [LOGIN, ALLOWED, ALLOWED, ALLOWED, FORBIDDEN],
    ("POST", "/ky/{p}/tong-hop", "scope=da-duyet"): [LOGIN, FORBIDDEN, ALLOWED, FORBIDDEN, FORBIDDEN],
    ("GET", "/ky/{p}?sap-xep=loi&chieu=giam&tim=a", ""): [LOGIN, ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN],
}


@pytest.fixture(scope="module")
def matrix_setup(portal: Portal) -> tuple[int, int, dict[str, Client]]:
    period = open_period(portal, "Năm", "2025")
    clients = {role: Client(portal.url) for role in ROLES}
    for role, username in ((ADMIN, ADMIN), (OFFICER, OFFICER), ("own clerk", CLEAN), ("other clerk", FAULTY)):
        clients[role].login(portal, username)
    own = unit_id(clients["own clerk"], period)
    for content in (workbook_for("Nhị Chiểu", "Năm", 2025, BAD), workbook_for("Nhị Chiểu", "Năm", 2025)):
        sent = clients["own clerk"].post(f"/ky/{period}/don-vi/{own}/nop", {}, {"workbook": ("a.xlsx", content)})
        assert sent.status == 302  # version 1 has an error (its highlighted copy), version 2 none (its report)
    return period, own, clients


@pytest.mark.parametrize("route", list(MATRIX), ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_authorization_matrix(route: tuple[str, str, str], matrix_setup: tuple[int, int, dict[str, Client]]) -> None:
    period, own, clients = matrix_setup
    method, template, body = route
    path = template.format(p=period, u=own)
    seen = []
    for role in ROLES:
        client = clients[role]
        if method == "GET":
            reply = client.get(path)
        else:
            client.get("/dang-nhap" if role == "anonymous" else "/")  # a fresh token, as a page would give
            reply = client.request(
                path,
                f"csrf_token={client.token}&{body}".encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
        if reply.status == 403:
            seen.append(FORBIDDEN)
        elif reply.status == 302 and "/dang-nhap" in reply.location:
            seen.append(LOGIN)
        else:
            assert reply.status in (200, 302, 400), (role, reply.status, reply.page_text[:200])
            assert method == "POST" or reply.status == 200, reply.page_text[:300]  # every page, every download works
            seen.append(ALLOWED)
    assert seen == MATRIX[route]
