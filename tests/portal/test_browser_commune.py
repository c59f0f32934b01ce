"""A commune in a real headless Chromium (on SQLite and PostgreSQL): it uploads a workbook with an
error, downloads the copy with the error cell highlighted, fixes that cell, submits again and
downloads its report (.docx)."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import all_text
from tests.portal.conftest import ADMIN, FAULTY, Portal
from tests.portal.test_browser import browser, log_in  # noqa: F401  (the module's Chromium)
from tests.portal.workbooks import BAD, workbook_for

pytestmark = pytest.mark.browser


def test_a_commune_fixes_its_error_from_the_highlighted_copy(
    browser: Browser,  # noqa: F811
    portal: Portal,
    tmp_path: Path,
) -> None:
    problems: list[str] = []
    admin = log_in(browser, portal, ADMIN, problems)
    admin.locator("#new-period select[name=period]").select_option("Quý III")
    admin.locator("#new-period input[name=year]").fill("2028")
    admin.get_by_label("Hạn nộp").fill("2099-10-15")
    admin.get_by_role("button", name="Mở kỳ").click()
    expect(admin.locator("#periods tr", has_text="Quý III năm 2028").first).to_contain_text("Đang nhận")

    clerk = log_in(browser, portal, FAULTY, problems)
    clerk.locator("#periods tr", has_text="Quý III năm 2028").first.get_by_role("link", name="Nộp / xem").click()
    sent = tmp_path / "le-chan-quy-3.xlsx"
    sent.write_bytes(workbook_for("Lê Chân", "Quý III", 2028, BAD))
    clerk.locator("#upload input[type=file]").set_input_files(sent)
    clerk.get_by_role("button", name="Kiểm tra và nộp").click()
    expect(clerk.locator(".notice")).to_have_text("Đã nhận bản nộp lần 1: 1 lỗi, 0 cảnh báo.")
    expect(clerk.locator("#status")).to_have_text("có lỗi")
    expect(clerk.locator("#problems")).to_contain_text("Biểu mẫu 1!D14")
    expect(clerk.locator("#report-docx")).to_have_count(0)  # no report while the error stays

    with clerk.expect_download() as info:
        clerk.locator("#marked").click()
    marked = tmp_path / info.value.suggested_filename
    info.value.save_as(marked)
    assert marked.name == "le-chan-quy-3_danh-dau-loi.xlsx"
    wb = openpyxl.load_workbook(marked, rich_text=True)
    cell = wb["Biểu mẫu 1"]["D14"]
    assert "vượt Tổng số nhiệm vụ được giao (19) ở D12" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    cell.value = 1  # the clerk fixes the highlighted cell, in the copy itself
    fixed = tmp_path / "le-chan-da-sua.xlsx"
    wb.save(fixed)
    clerk.locator("#upload input[type=file]").set_input_files(fixed)
    clerk.get_by_role("button", name="Kiểm tra và nộp").click()
    expect(clerk.locator(".notice")).to_have_text("Đã nhận bản nộp lần 2: 0 lỗi, 0 cảnh báo.")
    expect(clerk.locator("#status")).to_have_text("đã nộp")
    expect(clerk.locator("#versions tbody tr")).to_have_count(2)

    with clerk.expect_download(timeout=120_000) as info:
        clerk.locator("#report-docx").click()
    report = tmp_path / info.value.suggested_filename
    info.value.save_as(report)
    assert report.name.startswith("le-chan_phuong_bao-cao-cchc_") and report.suffix == ".docx"
    text = all_text(docx.Document(report))
    assert "Lê Chân" in text and "năm 2028" in text
    assert problems == []
