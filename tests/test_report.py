"""Reports generated through the CLI from small workbooks: header, wording, escaping."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from tests.conftest import all_text, appendix_rows, paragraphs, plain, run_cli

NASTY = "Công văn số 12 & 13 <khẩn> \"gấp\" 'mật' {{ v.x }} {% if %}\nQuyết định số 128/QĐ-UBND"


def generate_one(workbook: Path, out_dir: Path) -> Path:
    done = run_cli(workbook, "-o", out_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = sorted(out_dir.glob("*.docx"))
    assert len(outputs) == 1
    return outputs[0]


def test_header_signature_and_recipients(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory(info={"signing_mode": "KT.", "signer_title": "Phó Chủ tịch", "signer_name": "Vũ Văn Nguyễn"})
    document = docx.Document(generate_one(wb, tmp_path / "out"))
    header = [plain(c.text) for c in document.tables[0].rows[0].cells]
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG THỬ NGHIỆM" in header[0]
    assert "Số: 07/BC-UBND" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert "Thử Nghiệm, ngày 09 tháng 6 năm 2026" in header[1]
    text = all_text(document)
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text.replace("\n\n", "\n") or all(
        s in text for s in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Vũ Văn Nguyễn")
    )
    assert "- Sở Nội vụ thành phố Hải Phòng;" in text
    assert "- Lưu: VT." in text
    body = paragraphs(document)
    assert "BÁO CÁO" in body
    assert (
        "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026; phương hướng, nhiệm vụ quý III năm 2026"
    ) in body
    assert "(Kèm theo Báo cáo số 07/BC-UBND ngày 09/6/2026 của UBND phường Thử Nghiệm)" in body


def test_unsigned_report_leaves_number_and_date_blank(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory(info={"doc_number": None, "sign_date": None})
    document = docx.Document(generate_one(wb, tmp_path / "out"))
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert "Số:       /BC-UBND" in header[0]
    assert "Thử Nghiệm, ngày" + " " * 6 + "tháng" + " " * 6 + "năm 2026" in header[1]


def test_zero_cases_read_naturally(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory(values={"feedback_received": 0, "feedback_resolved": 0, "disciplined_commune_leaders": 0})
    document = docx.Document(generate_one(wb, tmp_path / "out"))
    body = "\n".join(paragraphs(document))
    assert "Trong kỳ, không phát sinh phản ánh, kiến nghị về quy định thủ tục hành chính." in body
    assert "Trong kỳ, không có cán bộ, công chức, viên chức bị kỷ luật." in body
    assert "#DIV/0!" not in body and "b/a" not in body
    rows = {r[0]: r for r in appendix_rows(document)["Biểu mẫu 3"]}
    assert rows["2.2."][3] == "-"


def test_narrative_and_appendix_print_the_same_figures(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory(
        values={"feedback_received": 3, "feedback_resolved": 2, "files_resolved": 4481, "files_on_time": 4467}
    )
    document = docx.Document(generate_one(wb, tmp_path / "out"))
    body = "\n".join(paragraphs(document))
    assert (
        "Trong kỳ, tiếp nhận 3 phản ánh, kiến nghị về quy định thủ tục hành chính; đã giải quyết xong "
        "2 phản ánh, kiến nghị, đạt 66,7%."
    ) in body
    assert (
        "Tổng số hồ sơ TTHC đã giải quyết xong: 4.481 hồ sơ, trong đó giải quyết đúng hạn 4.467 hồ sơ, đạt 99,7%."
        in body
    )
    rows = {r[0]: r for r in appendix_rows(document)["Biểu mẫu 3"]}
    assert rows["2.1."][3] == "99,7%"
    assert rows["2.1.1."][3] == "4.481"
    assert rows["2.2."][3] == "66,7%"


def test_special_characters_and_line_breaks_come_out_as_typed(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory(
        info={"unit_name": "A&B <C>", "signer_name": 'Lê "Tí" & Tèo', "recipients": "Sở Nội vụ & <Ban>\nLưu: VT"},
        text={"weaknesses": "Hạ tầng < yêu cầu & thiếu \"máy\"\n+ Đường truyền 'yếu'"},
        remarks={"investment_plan": "11 tháng\n& <dự kiến>"},
    )
    out = generate_one(wb, tmp_path / "out")
    with zipfile.ZipFile(out) as z:
        etree.fromstring(z.read("word/document.xml"))  # still well-formed XML
    document = docx.Document(out)
    text = all_text(document)
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG A&B <C>" in text
    assert 'Lê "Tí" & Tèo' in text
    assert "- Sở Nội vụ & <Ban>;" in text
    assert '- Hạ tầng < yêu cầu & thiếu "máy"' in text
    assert "+ Đường truyền 'yếu'" in text
    rows = {r[0]: r for r in appendix_rows(document)["Biểu mẫu 6"]}
    assert rows["1.1."][4] == "11 tháng\n& <dự kiến>"


def test_basis_with_markup_and_line_break(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory(info={"basis": NASTY})
    document = docx.Document(generate_one(wb, tmp_path / "out"))
    opening = next(p for p in paragraphs(document) if p.startswith("Thực hiện "))
    assert opening.startswith(
        "Thực hiện Công văn số 12 & 13 <khẩn> \"gấp\" 'mật' {{ v.x }} {% if %}; Quyết định số 128/QĐ-UBND; "
        "Ủy ban nhân dân phường Thử Nghiệm báo cáo"
    )


@pytest.mark.parametrize(
    ("period", "year", "text", "dates"),
    [
        ("Năm", 2025, "năm 2025", "(số liệu từ ngày 15/12/2024 đến ngày 14/12/2025)"),
        ("Quý I", 2026, "quý I năm 2026", "(số liệu từ ngày 15/12/2025 đến ngày 14/3/2026)"),
        ("Quý III", 2026, "quý III năm 2026", "(số liệu từ ngày 15/6/2026 đến ngày 14/9/2026)"),
    ],
)
def test_period_wording_and_default_dates(workbook_factory, tmp_path: Path, period, year, text, dates) -> None:
    wb = workbook_factory(info={"period": period, "year": year, "sign_date": None})
    document = docx.Document(generate_one(wb, tmp_path / "out"))
    opening = next(p for p in paragraphs(document) if p.startswith("Thực hiện "))
    assert f"cải cách hành chính {text} {dates}" in opening


def test_output_that_cannot_be_replaced_is_reported_and_others_still_written(workbook_factory, tmp_path: Path) -> None:
    """A report whose file cannot be replaced (here: a folder of that name; on Windows: open in Word)."""
    first = workbook_factory("a.xlsx", info={"unit_name": "Nhị Chiểu"})  # two communes of the official list:
    second = workbook_factory("b.xlsx", info={"unit_name": "An Biên"})  # a roll-up matches each against it
    out = tmp_path / "out"
    blocked = out / "nhi-chieu_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx"
    (blocked / "keep.txt").parent.mkdir(parents=True)
    (blocked / "keep.txt").write_text("giữ nguyên", encoding="utf-8")
    done = run_cli(first, second, "-o", out)
    assert done.returncode == 1
    assert f"Không ghi đè được {blocked}" in done.stderr
    assert "Tệp cũ được giữ nguyên" in done.stderr
    assert "1/2 báo cáo; 1 đơn vị lỗi" in done.stdout
    assert (out / "an-bien_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx").is_file()
    assert (blocked / "keep.txt").read_text(encoding="utf-8") == "giữ nguyên"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
