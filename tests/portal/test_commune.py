"""The commune's side of the portal through a real waitress server, on SQLite and PostgreSQL: a
locked period, the upload that is not the page's, the highlighted copy, the report (.docx, .pdf)
and the workbook pre-filled from the last period."""

from __future__ import annotations

import hashlib
import io
import subprocess
import tempfile
from pathlib import Path

import docx
import openpyxl

from baocao import layout
from baocao.form import find_form
from baocao.portal.service import upload_path
from baocao.workbook.blank import blank_workbook
from tests.conftest import all_text, run_cli
from tests.portal.conftest import ADMIN, CLEAN, FAULTY, OFFICER, Client, Portal
from tests.portal.test_web import board_status, open_period, unit_id
from tests.portal.workbooks import BAD, SAMPLE, info_cells, workbook_for


def logged_in(portal: Portal, username: str) -> Client:
    client = Client(portal.url)
    client.login(portal, username)
    return client


def send(client: Client, period: int, unit: int, name: str, content: bytes):
    return client.post(f"/ky/{period}/don-vi/{unit}/nop", {}, {"workbook": (name, content)})


def test_a_locked_period_refuses_uploads_until_reopened(portal: Portal) -> None:
    period = open_period(portal, "Quý II", "2026")
    admin, clerk = logged_in(portal, ADMIN), logged_in(portal, CLEAN)
    own = unit_id(clerk, period)
    admin.get("/")
    assert admin.post(f"/ky/{period}/trang-thai", {"action": "khoa"}).status == 302
    assert "Đã khóa" in admin.get("/").page_text and "Mở lại" in admin.get("/").page_text
    page = clerk.get(f"/ky/{period}/don-vi/{own}")
    assert "Kỳ báo cáo đã khóa: không nhận thêm bảng tính." in page.page_text and 'id="upload"' not in page.text
    refused = send(clerk, period, own, "a.xlsx", workbook_for("Nhị Chiểu", "Quý II", 2026))
    assert refused.status == 400
    assert "Kỳ báo cáo Quý II năm 2026 đã khóa, không nhận thêm bảng tính." in refused.page_text
    again = admin.post(f"/ky/{period}/trang-thai", {"action": "khoa"})
    assert again.status == 400 and "đã ở trạng thái “đã khóa”" in again.page_text
    assert admin.post(f"/ky/{period}/trang-thai", {"action": "mo"}).status == 302
    assert send(clerk, period, own, "a.xlsx", workbook_for("Nhị Chiểu", "Quý II", 2026)).status == 302
    audit = admin.get("/nhat-ky").page_text
    assert "lock-period" in audit and "reopen-period" in audit


def test_an_upload_that_is_not_the_pages_is_refused_naming_what_differs(portal: Portal) -> None:
    period = open_period(portal, "Quý III", "2026")
    clerk = logged_in(portal, FAULTY)  # Phường Lê Chân sends Nhị Chiểu's workbook of 6 tháng 2026
    own = unit_id(clerk, period)
    refused = send(clerk, period, own, "nhi-chieu.xlsx", SAMPLE.read_bytes())
    assert refused.status == 400
    cli = run_cli(
        "check", SAMPLE, "--expect-unit", "Phường Lê Chân", "--expect-period", "Quý III", "--expect-year", "2026"
    )
    lines = [line.strip() for line in cli.stdout.splitlines() if line.strip().startswith("[LỖI]")]
    assert len(lines) == 2 and cli.returncode == 1
    assert "bảng tính ghi đơn vị “Phường Nhị Chiểu”, không phải “Phường Lê Chân”" in lines[0]
    assert "bảng tính ghi kỳ báo cáo “6 tháng”, không phải “Quý III”" in lines[1]
    assert all(line in refused.page_text for line in lines)  # the CLI's very sentences
    assert "Không nhận bảng tính này" in refused.page_text
    wrong_year = send(clerk, period, own, "a.xlsx", workbook_for("Lê Chân", "Quý III", 2025))
    assert wrong_year.status == 400 and "năm báo cáo 2025, không phải năm 2026" in wrong_year.page_text
    other = find_form("hai_duong_2023")
    info = {"unit_type": "Phường", "unit_name": "Lê Chân", "period": "Quý III", "year": 2026}
    wrong_form = send(clerk, period, own, "hd.xlsx", blank_workbook(other, {"info": info}))
    assert wrong_form.status == 400
    assert "(hai_duong_2023), không phải biểu mẫu hai_phong_2025" in wrong_form.page_text
    assert "Phường Lê Chân" in board_status(logged_in(portal, OFFICER), period)
    assert board_status(logged_in(portal, OFFICER), period)["Phường Lê Chân"] == "chưa nộp"  # nothing kept
    assert "chưa nộp" in clerk.get(f"/ky/{period}/don-vi/{own}").page_text


def test_the_highlighted_copy_marks_the_problem_cells_and_leaves_the_upload_intact(portal: Portal) -> None:
    period = open_period(portal, "Quý IV", "2026")
    clerk, officer, other = logged_in(portal, FAULTY), logged_in(portal, OFFICER), logged_in(portal, CLEAN)
    own = unit_id(clerk, period)
    bad = workbook_for("Lê Chân", "Quý IV", 2026, BAD)
    sent = send(clerk, period, own, "lê chân.xlsx", bad)
    page = clerk.get(sent.location.removeprefix(portal.url))
    assert "1 lỗi, 0 cảnh báo" in page.page_text and 'id="marked"' in page.text and 'id="report-docx"' not in page.text
    marked = clerk.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/danh-dau.xlsx")
    assert marked.status == 200 and "le-chan_danh-dau-loi.xlsx" in marked.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(marked.body))
    cell = wb["Biểu mẫu 1"]["D14"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert cell.comment.text == (
        "[LỖI] 18 (D13) + 19 (D14) = 37 nhiệm vụ, vượt Tổng số nhiệm vụ được giao (19) ở D12. Kiểm tra lại số liệu."
    )
    assert wb["Biểu mẫu 1"]["D12"].fill.fgColor.rgb.endswith("FCE4D6")  # the total the rule involves
    assert wb["Biểu mẫu 1"]["D12"].comment is None
    listed = [r[0] for r in wb["Danh sách lỗi"].iter_rows(min_row=4, values_only=True)]
    assert listed == [
        "[LỖI] Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn): 18 (D13) + 19 (D14) = 37 nhiệm vụ, "
        "vượt Tổng số nhiệm vụ được giao (19) ở D12. Kiểm tra lại số liệu."
    ]
    original = clerk.get(f"/ky/{period}/don-vi/{own}/ban-nop/1.xlsx")
    assert original.body == bad  # the upload itself is never modified
    assert upload_path(portal.data, hashlib.sha256(bad).hexdigest()).read_bytes() == bad
    assert officer.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/danh-dau.xlsx").body == marked.body
    assert other.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/danh-dau.xlsx").status == 403
    refused = clerk.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/bao-cao.docx")
    assert refused.status == 400 and "còn lỗi nên chưa lập được báo cáo" in refused.page_text


def test_the_report_is_the_clis_in_docx_and_pdf(portal: Portal, tmp_path: Path) -> None:
    period = open_period(portal, "Năm", "2026")
    clerk, officer, other = logged_in(portal, CLEAN), logged_in(portal, OFFICER), logged_in(portal, FAULTY)
    own = unit_id(clerk, period)
    content = workbook_for("Nhị Chiểu", "Năm", 2026)
    assert send(clerk, period, own, "nhi-chieu.xlsx", content).status == 302
    page = clerk.get(f"/ky/{period}/don-vi/{own}")
    assert 'id="report-docx"' in page.text and 'id="marked"' not in page.text
    report = clerk.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/bao-cao.docx")
    assert report.status == 200 and report.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    source = tmp_path / "nhi-chieu.xlsx"
    source.write_bytes(content)
    assert run_cli("render", source, "-o", tmp_path / "cli").returncode == 0
    (cli_docx,) = (tmp_path / "cli").glob("*.docx")
    assert cli_docx.name in report.headers["Content-Disposition"]
    text = all_text(docx.Document(io.BytesIO(report.body)))
    assert text == all_text(docx.Document(cli_docx))  # the CLI's report
    assert "Nhị Chiểu" in text and "năm 2026" in text
    assert officer.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/bao-cao.docx").body == report.body
    assert other.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/bao-cao.docx").status == 403
    pdf = clerk.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/bao-cao.pdf")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf.body)
        f.flush()
        pdf_text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout
    assert "Nhị Chiểu" in pdf_text
    assert "báo cáo .pdf của lần nộp 1" in logged_in(portal, ADMIN).get("/nhat-ky").page_text


def test_the_workbook_is_prefilled_from_the_last_period(portal: Portal) -> None:
    first = open_period(portal, "Quý I", "2031", "2031-04-15")
    clerk = logged_in(portal, CLEAN)
    own = unit_id(clerk, first)
    blank = openpyxl.load_workbook(io.BytesIO(clerk.get(f"/ky/{first}/don-vi/{own}/bang-tinh.xlsx").body))
    fields = {k: c.value for k, c in info_cells(blank[layout.INFO_SHEET]).items()}
    assert (fields["Tên đơn vị"], fields["Kỳ báo cáo"], fields["Năm báo cáo"]) == ("Nhị Chiểu", "Quý I", 2031)
    content = workbook_for("Nhị Chiểu", "Quý I", 2031, **{"Người ký": "Trần Thị Thử", "Chức vụ người ký": "CHỦ TỊCH"})
    sent_book = openpyxl.load_workbook(io.BytesIO(content))
    texts = {
        r[0]: r[1] for r in sent_book[layout.TEXT_SHEET].iter_rows(min_row=layout.TEXT_FIRST_ROW, values_only=True)
    }
    assert send(clerk, first, own, "q1.xlsx", content).status == 302

    second = open_period(portal, "Quý II", "2031", "2031-07-15")
    wb = openpyxl.load_workbook(io.BytesIO(clerk.get(f"/ky/{second}/don-vi/{own}/bang-tinh.xlsx").body))
    fields = {k: c.value for k, c in info_cells(wb[layout.INFO_SHEET]).items()}
    assert (fields["Tên đơn vị"], fields["Kỳ báo cáo"], fields["Năm báo cáo"]) == ("Nhị Chiểu", "Quý II", 2031)
    assert (fields["Người ký"], fields["Chức vụ người ký"]) == ("Trần Thị Thử", "CHỦ TỊCH")
    sent_fields = {k: c.value for k, c in info_cells(sent_book[layout.INFO_SHEET]).items()}
    for label in ("Nơi nhận", "Văn bản căn cứ", "Trích yếu", "Số văn bản", "Địa danh", "Thẩm quyền ký"):
        assert sent_fields[label] and fields[label] == sent_fields[label].strip(), label
    assert fields["Số liệu từ ngày"] is None and fields["Ngày ký"] is None  # a period's dates are not carried
    carried = {r[0]: r[1] for r in wb[layout.TEXT_SHEET].iter_rows(min_row=layout.TEXT_FIRST_ROW, values_only=True)}
    assert {k: v for k, v in carried.items() if v} == {k: v.strip() for k, v in texts.items() if v and k}
    assert any(carried.values())
    never = logged_in(portal, "xa-vinh-thinh")  # a commune that never sent anything: its names only
    theirs = never.get(f"/ky/{second}/don-vi/{unit_id(never, second)}/bang-tinh.xlsx")
    fields = {
        k: c.value for k, c in info_cells(openpyxl.load_workbook(io.BytesIO(theirs.body))[layout.INFO_SHEET]).items()
    }
    assert (fields["Tên đơn vị"], fields["Loại đơn vị"], fields["Kỳ báo cáo"]) == ("Vĩnh Thịnh", "Xã", "Quý II")
    assert fields["Người ký"] is None and fields["Nơi nhận"] is None


def test_the_report_compares_with_the_same_period_a_year_before_as_the_cli_does(portal: Portal, tmp_path: Path) -> None:
    """The commune's report of 9 tháng 2033 compares with its version of 9 tháng 2032 (the template's `prev`),
    exactly as `generate.py render … --previous …` does with the two workbooks."""
    clerk = logged_in(portal, CLEAN)
    earlier, current = workbook_for("Nhị Chiểu", "9 tháng", 2032), workbook_for("Nhị Chiểu", "9 tháng", 2033)
    for year, content in (("2032", earlier), ("2033", current)):
        period = open_period(portal, "9 tháng", year)
        own = unit_id(clerk, period)
        assert send(clerk, period, own, f"nhi-chieu-{year}.xlsx", content).status == 302
    report = clerk.get(f"/ky/{period}/don-vi/{own}/ban-nop/1/bao-cao.docx")
    assert report.status == 200
    (tmp_path / "truoc.xlsx").write_bytes(earlier)
    (tmp_path / "nay.xlsx").write_bytes(current)
    done = run_cli("render", tmp_path / "nay.xlsx", "--previous", tmp_path / "truoc.xlsx", "-o", tmp_path / "cli")
    assert done.returncode == 0, done.stdout
    (cli_docx,) = (tmp_path / "cli").glob("*.docx")
    text = all_text(docx.Document(io.BytesIO(report.body)))
    assert text == all_text(docx.Document(cli_docx))
    assert "cùng kỳ năm 2032" in text
