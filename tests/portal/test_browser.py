"""The portal in a real headless Chromium (Debian's, driven by Playwright), on SQLite and PostgreSQL:
the administrator opens a period, a commune logs in (changing its first password), downloads its
workbook, uploads it, and the Sở's board shows it as “đã nộp”."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.portal.conftest import ADMIN, CLEAN, OFFICER, Portal
from tests.portal.workbooks import workbook_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is not installed (apt-get install chromium)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def log_in(browser: Browser, portal: Portal, username: str, problems: list[str]) -> Page:
    """A new browser session logged in as `username` (its first password changed on the way)."""
    page = browser.new_context(accept_downloads=True).new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(portal.url + "/")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(portal.passwords[username])
    page.get_by_role("button", name="Đăng nhập").click()
    if page.url.endswith("/doi-mat-khau"):
        new = portal.passwords[username] + "-moi"
        page.get_by_label("Mật khẩu hiện tại").fill(portal.passwords[username])
        page.get_by_label("Mật khẩu mới (ít nhất 10 ký tự)").fill(new)
        page.get_by_label("Gõ lại mật khẩu mới").fill(new)
        page.get_by_role("button", name="Đổi mật khẩu").click()
        portal.passwords[username] = new
    expect(page.locator("h1")).to_have_text("Các kỳ báo cáo")
    return page


def test_login_upload_submit_and_the_board_shows_it(browser: Browser, portal: Portal, tmp_path: Path) -> None:
    problems: list[str] = []
    admin = log_in(browser, portal, ADMIN, problems)
    form = admin.locator("#new-period select[name=form]")
    expect(form).to_have_value("hai_phong_2025")  # the default form is preselected
    form.select_option("hai_phong_2025")
    admin.locator("#new-period select[name=period]").select_option("9 tháng")
    admin.locator("#new-period input[name=year]").fill("2027")
    admin.get_by_label("Hạn nộp").fill("2099-09-20")
    admin.get_by_role("button", name="Mở kỳ").click()
    row = admin.locator("#periods tr", has_text="9 tháng năm 2027").first
    expect(row).to_contain_text("20/09/2099")
    board_link = row.get_by_role("link", name="Bảng theo dõi").get_attribute("href")
    period = int(re.search(r"/ky/(\d+)", board_link).group(1))

    clerk = log_in(browser, portal, CLEAN, problems)
    clerk.locator("#periods tr", has_text="9 tháng năm 2027").get_by_role("link", name="Nộp / xem").click()
    expect(clerk.locator("#status")).to_have_text("chưa nộp")
    with clerk.expect_download() as info:
        clerk.locator("#workbook").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "phuong-nhi-chieu_9-thang-nam-2027.xlsx"
    sheet = openpyxl.load_workbook(saved)["Thông tin chung"]
    values = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert (values["Tên đơn vị"], values["Kỳ báo cáo"], values["Năm báo cáo"]) == ("Nhị Chiểu", "9 tháng", 2027)

    filled = tmp_path / "nhi-chieu-9-thang.xlsx"
    filled.write_bytes(workbook_for("Nhị Chiểu", "9 tháng", 2027))
    clerk.locator("#upload input[type=file]").set_input_files(filled)
    clerk.get_by_role("button", name="Kiểm tra và nộp").click()
    clerk.locator(".notice").wait_for()
    shown = clerk.locator("#problems").all_inner_texts()
    assert not shown, shown
    expect(clerk.locator(".notice")).to_have_text("Đã nhận bản nộp lần 1: 0 lỗi, 0 cảnh báo.")
    expect(clerk.locator("#status")).to_have_text("đã nộp")
    expect(clerk.locator("#versions tbody tr")).to_have_count(1)

    officer = log_in(browser, portal, OFFICER, problems)
    officer.goto(f"{portal.url}/ky/{period}")
    expect(officer.locator("#board tbody tr")).to_have_count(114)
    line = officer.locator("#board tr", has_text="Phường Nhị Chiểu")
    expect(line.locator(".status")).to_have_text("đã nộp")
    expect(officer.locator("#counts")).to_contain_text("đã nộp: 1")
    officer.get_by_label("Tìm đơn vị").fill("nhi chieu")
    officer.get_by_role("button", name="Lọc").click()
    expect(officer.locator("#board tbody tr")).to_have_count(1)
    assert problems == []  # no CSP violation, no script error
