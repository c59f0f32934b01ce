"""The whole reporting cycle in a real headless Chromium, on SQLite and PostgreSQL: the administrator
opens a period; two communes submit, one with an error; the Sở returns that one with a comment and
approves the other, consolidates, downloads the roll-up and checks its figures in the re-opened
.docx and .xlsx. Then one commune of each status, and the board's screenshot (docs/portal-board.png
when BAOCAO_SCREENSHOT=1)."""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from baocao.form import find_form
from baocao.pipeline import GenerateOptions, prepare
from baocao.portal.db import make_engine, sessions
from baocao.portal.models import Submission, Unit
from baocao.portal.rates import rate_text
from tests.conftest import ROOT, all_text
from tests.portal.conftest import ADMIN, OFFICER, Portal
from tests.portal.test_browser import browser, log_in  # noqa: F401 (the fixture)
from tests.portal.workbooks import BY_USERNAME, demo_workbook

pytestmark = pytest.mark.browser
GOOD, BAD, OTHERS = "xa-tien-lang", "phuong-do-son", ("xa-vinh-bao", "xa-an-khanh", "phuong-thuy-nguyen")


def upload(page: Page, portal: Portal, period_title: str, workbook: Path) -> None:
    page.set_default_timeout(180_000)  # a check on a machine shared with other jobs may take long
    page.goto(portal.url + "/")
    page.locator("#periods tr", has_text=period_title).get_by_role("link", name="Nộp / xem").click()
    page.locator("#upload input[type=file]").set_input_files(workbook)
    page.get_by_role("button", name="Kiểm tra và nộp").click()
    page.locator(".notice").wait_for()


def review(page: Page, portal: Portal, period: int, name: str, button: str, comment: str = "") -> None:
    page.goto(f"{portal.url}/ky/{period}")
    page.locator("#board tr", has_text=name).get_by_role("link", name=name).click()
    if comment:
        page.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill(comment)
    page.get_by_role("button", name=button).click()


def download(page: Page, name: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator("#rollup-files").get_by_role("link", name=name).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_the_whole_cycle_in_chromium(browser: Browser, portal: Portal, tmp_path: Path) -> None:  # noqa: F811
    problems: list[str] = []
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    year = 2030 + (portal.database_url.startswith("postgresql"))
    admin = log_in(browser, portal, ADMIN, problems)
    admin.locator("#new-period select[name=period]").select_option("Quý I")
    admin.locator("#new-period input[name=year]").fill(str(year))
    admin.get_by_label("Hạn nộp").fill(today.isoformat())
    admin.get_by_role("button", name="Mở kỳ").click()
    title = f"Quý I năm {year}"
    row = admin.locator("#periods tr", has_text=title).first
    period = int(re.search(r"/ky/(\d+)", row.get_by_role("link", name="Bảng theo dõi").get_attribute("href")).group(1))

    books = tmp_path / "bang-tinh"
    good = demo_workbook(books, GOOD, "Quý I", year)
    clerk_good = log_in(browser, portal, GOOD, problems)
    upload(clerk_good, portal, title, good)
    expect(clerk_good.locator("#status")).to_have_text("đã nộp")
    clerk_bad = log_in(browser, portal, BAD, problems)
    upload(clerk_bad, portal, title, demo_workbook(books, BAD, "Quý I", year, error=True))
    expect(clerk_bad.locator("#status")).to_have_text("có lỗi")
    expect(clerk_bad.locator("#problems")).to_contain_text("[LỖI]")

    officer = log_in(browser, portal, OFFICER, problems)
    officer.set_default_timeout(180_000)
    review(officer, portal, period, "Phường Đồ Sơn", "Trả lại", "Số nhiệm vụ đã hoàn thành lớn hơn số nhiệm vụ.")
    expect(officer.locator("#status")).to_have_text("bị trả lại")
    review(officer, portal, period, "Xã Tiên Lãng", "Duyệt")
    expect(officer.locator("#status")).to_have_text("đã duyệt")
    clerk_bad.reload()
    expect(clerk_bad.locator("#comment")).to_have_text("Ý kiến của Sở: Số nhiệm vụ đã hoàn thành lớn hơn số nhiệm vụ.")

    officer.goto(f"{portal.url}/ky/{period}")
    expect(officer.locator("#counts")).to_contain_text("đã duyệt: 1")
    shown_rate = officer.locator("#board tr", has_text="Xã Tiên Lãng").locator("td.rate").first.inner_text()
    officer.get_by_role("button", name="Tổng hợp").click()
    expect(officer.locator("#rollup-state")).to_have_text("đã xong", timeout=300_000)  # the page reloads itself
    xlsx = download(officer, "tong_hop.xlsx", tmp_path)
    report = download(officer, f"tong-hop_thanh-pho-hai-phong_quy-i-nam-{year}.docx", tmp_path)

    # the figures: the approved commune alone is summed; its rates as its own workbook gives them
    form = find_form("hai_phong_2025")
    values = prepare(good, GenerateOptions(form=form), with_context=False).values
    sheet = openpyxl.load_workbook(xlsx)["Đơn vị"]
    lines = {str(r[1]): r for r in sheet.iter_rows(values_only=True) if r[1]}
    tien_lang = next(line for name, line in lines.items() if "Tiên Lãng" in name)
    do_son = next(line for name, line in lines.items() if "Đồ Sơn" in name)
    for i, rate in enumerate(form.consolidated.key_rates):  # a fraction, rounded as printed (to 0,1 % or finer)
        assert tien_lang[5 + i] == pytest.approx(float(values[rate]) / 100, abs=0.00051)
    assert shown_rate == rate_text(form, form.consolidated.key_rates[0], values[form.consolidated.key_rates[0]])
    assert do_son[2] != tien_lang[2] and do_son[5] is None  # not rolled up: missing (not approved)
    text = all_text(docx.Document(report))
    plan = f"{int(values['plan_tasks']):,}".replace(",", ".")
    assert "Tiên Lãng" in text and plan in text

    # one commune of each status, then the board sorted by status, as the screenshot shows it
    for name in OTHERS:
        page = log_in(browser, portal, name, problems)
        upload(page, portal, title, demo_workbook(books, name, "Quý I", year, error=name == OTHERS[1]))
    _sent_after_the_deadline(portal, period, BY_USERNAME[OTHERS[2]].name)
    officer.goto(f"{portal.url}/ky/{period}?sap-xep=trang-thai&chieu=giam")
    counts = officer.locator("#counts").inner_text()
    for status in ("đã duyệt: 1", "đã nộp: 1", "nộp muộn: 1", "bị trả lại: 1", "có lỗi: 1", "chưa nộp: 109"):
        assert status in counts
    statuses = officer.locator("#board tbody tr td.status").all_inner_texts()[:6]
    assert statuses == ["chưa nộp", "có lỗi", "bị trả lại", "nộp muộn", "đã nộp", "đã duyệt"][::-1]
    officer.set_viewport_size({"width": 1400, "height": 760})
    shot = tmp_path / "portal-board.png"
    officer.screenshot(path=str(shot))
    if os.environ.get("BAOCAO_SCREENSHOT") and portal.database_url.startswith("sqlite"):
        shutil.copy(shot, ROOT / "docs" / "portal-board.png")
    assert problems == []  # no CSP violation, no script error


def _sent_after_the_deadline(portal: Portal, period: int, name: str) -> None:
    """As if the commune had sent its workbook the day after the deadline (the clock cannot wait a day)."""
    engine = make_engine(portal.database_url)
    with sessions(engine).begin() as s:
        submission = s.scalars(
            select(Submission).join(Unit).where(Submission.period_id == period, Unit.name == name)
        ).one()
        submission.latest.submitted_at = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)
    engine.dispose()
