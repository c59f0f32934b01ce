"""The Sở's side through a real server, on SQLite and PostgreSQL: the board (status, counts, key
rates; sorted, filtered, searched by query parameters) and the consolidation, whose files equal
those of `python generate.py render` on the same workbooks."""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from pathlib import Path

import docx
import openpyxl

from baocao.form import find_form
from baocao.pipeline import GenerateOptions, prepare
from baocao.portal.rates import rate_columns, rate_text
from tests.conftest import ROOT, all_text, run_cli
from tests.portal.conftest import OFFICER, Client, Portal
from tests.portal.test_web import open_period, unit_id
from tests.portal.workbooks import demo_workbook

FORM_FILE = ROOT / "templates" / "hai_phong_2025" / "form.yaml"
FIRST, SECOND, WRONG = "xa-an-hung", "phuong-hong-bang", "xa-kien-thuy"  # two clean workbooks, one with an error


def board_rows(client: Client, period: int, query: str = "") -> list[list[str]]:
    """The board's rows as shown: [name, status, last time, versions, errors, warnings, rates…]."""
    page = client.get(f"/ky/{period}{query}")
    assert page.status == 200, page.page_text[:300]
    body = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr data-unit[^>]*>(.*?)</tr>", body, re.S):
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)])
    return rows


def send(portal: Portal, username: str, period: int, workbook: Path) -> Client:
    clerk = Client(portal.url)
    clerk.login(portal, username)
    own = unit_id(clerk, period)
    sent = clerk.post(f"/ky/{period}/don-vi/{own}/nop", {}, {"workbook": (workbook.name, workbook.read_bytes())})
    assert sent.status == 302, sent.page_text[:300]
    clerk.own = own  # type: ignore[attr-defined]
    return clerk


def wait_for(client: Client, path: str, seconds: float = 300) -> str:
    """Follow the consolidation's page (as its meta refresh does) until it is finished; its text."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        page = client.get(path)
        assert page.status == 200
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        time.sleep(1)
    raise AssertionError(f"{path} still running after {seconds} s")


def cells(content: bytes | Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(io.BytesIO(content) if isinstance(content, bytes) else content)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_board_and_consolidation_equal_the_cli(portal: Portal, tmp_path: Path) -> None:
    period = open_period(portal, "Quý II", "2026", "2099-06-30")
    sent = tmp_path / "gui"
    books = {u: demo_workbook(sent, u, "Quý II", 2026, error=u == WRONG) for u in (FIRST, SECOND, WRONG)}
    clerks = {u: send(portal, u, period, books[u]) for u in books}
    officer = Client(portal.url)
    officer.login(portal, OFFICER)

    # the board: every commune, the counts, each row's errors and key rates as the roll-up prints them
    rows = board_rows(officer, period)
    assert len(rows) == 114
    by_name = {r[0]: r for r in rows}
    form = find_form("hai_phong_2025")
    prepared = prepare(books[FIRST], GenerateOptions(form=form), with_context=False)
    expected = [rate_text(form, r, prepared.values[r]) for r, _ in rate_columns(form)]
    assert by_name["Xã An Hưng"][1] == "đã nộp" and by_name["Xã An Hưng"][6:] == expected
    assert all(re.fullmatch(r"\d+(,\d+)?%", t) for t in expected)
    assert by_name["Xã Kiến Thụy"][1] == "có lỗi" and by_name["Xã Kiến Thụy"][4] == "1"
    assert by_name["Phường Ái Quốc"][1:] == ["chưa nộp", "—", "0", "—", "—"] + ["—"] * len(expected)
    page = officer.get(f"/ky/{period}").page_text
    assert "chưa nộp: 111" in page and "có lỗi: 1" in page and "đã nộp: 2" in page
    for label in ("Hồ sơ đúng hạn", "Hồ sơ trực tuyến toàn trình"):
        assert label in page

    # sort by any column, filter by status, search by name (query parameters, no script)
    assert [r[0] for r in board_rows(officer, period, "?sap-xep=loi&chieu=giam")[:3]] == [
        "Xã Kiến Thụy", "Xã An Hưng", "Phường Hồng Bàng"]  # fmt: skip
    by_rate = board_rows(officer, period, "?sap-xep=ti-le:on_time_rate")
    shown = [r[6] for r in by_rate[:3]]
    numbers = [float(t.rstrip("%").replace(",", ".")) for t in shown]
    assert numbers == sorted(numbers) and by_rate[3][6] == "—"  # rows without a value last
    assert [r[0] for r in board_rows(officer, period, "?trang-thai=c%C3%B3+l%E1%BB%97i")] == ["Xã Kiến Thụy"]
    assert [r[0] for r in board_rows(officer, period, "?tim=kien+thuy&sap-xep=ten")] == ["Xã Kiến Thụy"]
    ascending = [r[0] for r in board_rows(officer, period, "?sap-xep=ten")]
    assert ascending[0] == "Phường Ái Quốc" and ascending[-1] == "Xã Yết Kiêu"
    assert [r[0] for r in board_rows(officer, period, "?sap-xep=ten&chieu=giam")] == ascending[::-1]

    # the Sở returns one and approves the others, then consolidates the approved reports
    wrong = clerks[WRONG].own  # type: ignore[attr-defined]
    returned = officer.post(f"/ky/{period}/don-vi/{wrong}/xet", {"action": "tra-lai", "comment": "Sửa mục 2.2."})
    assert returned.status == 302
    for u in (FIRST, SECOND):
        own = clerks[u].own  # type: ignore[attr-defined]
        assert officer.post(f"/ky/{period}/don-vi/{own}/xet", {"action": "duyet", "comment": ""}).status == 302
    assert "bị trả lại: 1" in officer.get(f"/ky/{period}").page_text
    started = officer.post(f"/ky/{period}/tong-hop", {"scope": "da-duyet"})
    assert started.status == 302, started.page_text[:300]
    follow = started.location.removeprefix(portal.url)
    text = wait_for(officer, follow)
    files = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a></li>', text.split('id="rollup-files"', 1)[1]))
    names = sorted(files.values())
    assert names == ["tong-hop_thanh-pho-hai-phong_quy-ii-nam-2026.docx",
                     "tong-hop_thanh-pho-hai-phong_quy-ii-nam-2026.zip", "tong_hop.xlsx"]  # fmt: skip
    got = {name: officer.get(href).body for href, name in files.items()}
    assert clerks[FIRST].get(next(iter(files))).status == 403  # a commune never sees the roll-up
    assert clerks[FIRST].get(follow).status == 403
    assert clerks[FIRST].post(f"/ky/{period}/tong-hop", {"scope": "da-duyet"}).status == 403
    assert officer.get(follow + "/khong-co.docx").status == 404  # only the files the run wrote

    # the CLI on the same workbooks, named as the portal names them
    folder = tmp_path / "cung-bang-tinh"
    folder.mkdir()
    for u in (FIRST, SECOND):
        shutil.copy(books[u], folder / books[u].name)
    out = tmp_path / "cli"
    cli = run_cli("render", folder, "-o", out, "--province", "Hải Phòng", "--form", FORM_FILE)
    assert cli.returncode == 0 and "2/2 báo cáo; 0 đơn vị lỗi; 112 thiếu" in cli.stdout  # not approved: missing
    assert cells(got["tong_hop.xlsx"]) == cells(out / "tong_hop.xlsx")
    stem = "tong-hop_thanh-pho-hai-phong_quy-ii-nam-2026"
    portal_doc = all_text(docx.Document(io.BytesIO(got[f"{stem}.docx"])))
    assert portal_doc == all_text(docx.Document(out / f"{stem}.docx"))
    assert "xã An Hưng" in portal_doc and "phường Hồng Bàng" in portal_doc
    with zipfile.ZipFile(io.BytesIO(got[f"{stem}.zip"])) as z, zipfile.ZipFile(out / f"{stem}.zip") as c:
        assert sorted(z.namelist()) == sorted(c.namelist())
        assert "xa-an-hung_quy-ii-nam-2026.docx" in z.namelist() or any("an-hung" in n for n in z.namelist())

    # the same versions again: the same consolidation, not a second run; the latest of every commune
    again = officer.post(f"/ky/{period}/tong-hop", {"scope": "da-duyet"})
    assert again.location.removeprefix(portal.url) == follow
    latest = officer.post(f"/ky/{period}/tong-hop", {"scope": "moi-nhat"})
    assert latest.location.removeprefix(portal.url) != follow
    text = wait_for(officer, latest.location.removeprefix(portal.url))
    assert "3 đơn vị" in text
    href = next(h for h, n in re.findall(r'<a href="([^"]+)">([^<]+)</a>', text) if n == "tong_hop.xlsx")
    summary = str(cells(officer.get(href).body))
    assert "Kiến Thụy" in summary


def test_nothing_to_consolidate_is_told(portal: Portal) -> None:
    period = open_period(portal, "Quý III", "2026", "2099-09-30")
    officer = Client(portal.url)
    officer.login(portal, OFFICER)
    officer.get(f"/ky/{period}")  # the board, with the form and its token
    reply = officer.post(f"/ky/{period}/tong-hop", {"scope": "da-duyet"})
    assert reply.status == 400 and "Chưa có báo cáo nào được duyệt trong kỳ này" in reply.page_text
    assert officer.get(f"/ky/{period}/tong-hop/999999").status == 404


def test_the_consolidation_compares_with_the_same_period_a_year_before_as_the_cli_does(
    portal: Portal, tmp_path: Path
) -> None:
    """Năm 2035 consolidated after Năm 2034: the roll-up compares the summed figures with 2034's (the
    template's `prev`), as `generate.py render FOLDER --previous FOLDER` does on the same workbooks."""
    folders = {}
    for year in (2034, 2035):
        period = open_period(portal, "Năm", str(year), f"{year}-12-31")
        folders[year] = tmp_path / str(year)
        for u in (FIRST, SECOND):
            send(portal, u, period, demo_workbook(folders[year], u, "Năm", year))
    officer = Client(portal.url)
    officer.login(portal, OFFICER)
    officer.get(f"/ky/{period}")
    started = officer.post(f"/ky/{period}/tong-hop", {"scope": "moi-nhat"})
    assert started.status == 302, started.page_text[:300]
    text = wait_for(officer, started.location.removeprefix(portal.url))
    stem = "tong-hop_thanh-pho-hai-phong_nam-2035"
    href = next(h for h, n in re.findall(r'<a href="([^"]+)">([^<]+)</a>', text) if n == f"{stem}.docx")
    portal_doc = all_text(docx.Document(io.BytesIO(officer.get(href).body)))
    out = tmp_path / "cli"
    cli = run_cli("render", folders[2035], "--previous", folders[2034], "-o", out, "--province", "Hải Phòng",
                  "--form", FORM_FILE)  # fmt: skip
    assert cli.returncode == 0, cli.stdout
    assert portal_doc == all_text(docx.Document(out / f"{stem}.docx"))
    assert "cùng kỳ năm 2034" in portal_doc
