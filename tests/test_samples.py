"""The two bundled samples (inputs/) render to the seeds' reports, figure by figure.

Expected values are written out by hand from the real reports 000 and 004 (docs/domain.md "The samples"),
with rates recomputed by hand from their parts and rounded half-up to one decimal.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT, all_text, appendix_rows, paragraphs, plain, run_cli

NAM_THANH_MIEN = "nam_thanh_mien_2025"
NHI_CHIEU = "nhi_chieu_2026_6thang"
OUTPUT_NAME = {
    NAM_THANH_MIEN: "nam-thanh-mien_xa_bao-cao-cchc_nam-2025.docx",
    NHI_CHIEU: "nhi-chieu_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx",
}

# Biểu mẫu → [(STT, Số liệu)] in table order; "" = blank cell, "-" = rate without denominator.
EXPECTED: dict[str, dict[str, list[tuple[str, str]]]] = {
    NAM_THANH_MIEN: {
        "Biểu mẫu 1": [
            ("1.", "12"),
            ("2.", "100%"),
            ("2.1.", "38"),
            ("2.2.", "38"),
            ("3.", ""),
            ("3.1.", "0"),
            ("3.2.", "-"),
            ("3.2.1.", "0"),
            ("3.2.2.", "0"),
            ("4.", ""),
            ("4.1.", "19"),
            ("4.1.1.", "18"),
            ("4.1.2.", "1"),
            ("4.1.3.", "0"),
            ("4.2.", "670"),
            ("4.3.", "0"),
            ("5.", "0"),
        ],
        "Biểu mẫu 2": [("1.", "5"), ("", "5")],
        "Biểu mẫu 3": [
            ("1.", ""),
            ("1.1.", "100%"),
            ("1.2.", "189"),
            ("2.", ""),
            ("2.1.", "99,7%"),
            ("2.1.1.", "2.115"),
            ("2.1.2.", "2.108"),
            ("2.2.", "100%"),
            ("2.2.1.", "1"),
            ("2.2.2.", "1"),
        ],
        "Biểu mẫu 4": [
            ("1.", ""),
            ("1.1.", "41"),
            ("1.2.", "41"),
            ("1.3.", "2"),
            ("1.4.", "3"),
            ("2.", ""),
            ("2.1.", "373"),
            ("2.2.", "331"),
            ("2.3.", "0"),
            ("2.4.", ""),
        ],
        "Biểu mẫu 5": [
            ("1.", ""),
            ("1.1.", "4"),
            ("1.2.", "13"),
            ("1.3.", "0"),
            ("2.", ""),
            ("2.1.", "0"),
            ("2.2.", "0"),
            ("3.", "0"),
            ("4.", "0"),
            ("4.1.", "0"),
            ("4.2.", "0"),
            ("4.3.", "0"),
        ],
        "Biểu mẫu 6": [
            ("1.", "87,7%"),
            ("1.1.", "78.763"),
            ("1.2.", "69.044"),
            ("2.", ""),
            ("2.1.", "13"),
            ("2.2.", "0"),
            ("2.3.", "0"),
            ("2.4.", "13"),
            ("2.4.1.", "0"),
            ("2.4.2.", "0"),
            ("2.4.3.", "13"),
            ("2.5.", "13"),
            ("2.6.", "0"),
        ],
        "Biểu mẫu 7": [
            ("1.", ""),
            ("1.1.", "100%"),
            ("1.1.1.", "224"),
            ("1.1.2.", "224"),
            ("1.2.", "100%"),
            ("1.2.1.", "31"),
            ("1.2.2.", "31"),
            ("1.3.", "43,6%"),
            ("1.3.1.", "835"),
            ("1.3.2.", "364"),
            ("1.4.", "70,1%"),
            ("1.4.1.", "1.073"),
            ("1.4.2.", "752"),
            ("1.5.", "100%"),
            ("1.5.1.", "118"),
            ("1.5.2.", "118"),
        ],
    },
    NHI_CHIEU: {
        "Biểu mẫu 1": [
            ("1.", "7"),
            ("2.", "51,9%"),
            ("2.1.", "52"),
            ("2.2.", "27"),
            ("3.", ""),
            ("3.1.", ""),
            ("3.2.", "-"),
            ("3.2.1.", ""),
            ("3.2.2.", ""),
            ("4.", ""),
            ("4.1.", "38"),
            ("4.1.1.", "28"),
            ("4.1.2.", "0"),
            ("4.1.3.", "0"),
            ("4.2.", "9.500"),
            ("4.3.", "1"),
            ("5.", "0"),
        ],
        "Biểu mẫu 2": [("1.", "0"), ("", "0")],
        "Biểu mẫu 3": [
            ("1.", ""),
            ("1.1.", "100%"),
            ("1.2.", "2.060"),
            ("2.", ""),
            ("2.1.", "100%"),
            ("2.1.1.", "9.275"),
            ("2.1.2.", "9.275"),
            ("2.2.", "100%"),
            ("2.2.1.", "2"),
            ("2.2.2.", "2"),
        ],
        "Biểu mẫu 4": [
            ("1.", ""),
            ("1.1.", "52"),
            ("1.2.", "43"),
            ("1.3.", "1"),
            ("1.4.", "0"),
            ("2.", ""),
            ("2.1.", "586"),
            ("2.2.", "573"),
            ("2.3.", "0"),
            ("2.4.", "0%"),
        ],
        "Biểu mẫu 5": [
            ("1.", ""),
            ("1.1.", "4"),
            ("1.2.", "19"),
            ("1.3.", "0"),
            ("2.", ""),
            ("2.1.", "0"),
            ("2.2.", "10"),
            ("3.", "0"),
            ("4.", "0"),
            ("4.1.", "0"),
            ("4.2.", "0"),
            ("4.3.", "0"),
        ],
        "Biểu mẫu 6": [
            ("1.", "50,0%"),
            ("1.1.", "42.809"),
            ("1.2.", "21.406"),
            ("2.", ""),
            ("2.1.", "19"),
            ("2.2.", "0"),
            ("2.3.", "0"),
            ("2.4.", "0"),
            ("2.4.1.", "0"),
            ("2.4.2.", "0"),
            ("2.4.3.", "0"),
            ("2.5.", "19"),
            ("2.6.", "0"),
        ],
        "Biểu mẫu 7": [
            ("1.", ""),
            ("1.1.", "100%"),
            ("1.1.1.", "219"),
            ("1.1.2.", "219"),
            ("1.2.", "100%"),
            ("1.2.1.", "39"),
            ("1.2.2.", "39"),
            ("1.3.", "100%"),
            ("1.3.1.", "752"),
            ("1.3.2.", "752"),
            ("1.4.", "100%"),
            ("1.4.1.", "8.523"),
            ("1.4.2.", "8.523"),
            ("1.5.", "100%"),
            ("1.5.1.", "43"),
            ("1.5.2.", "43"),
        ],
    },
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, docx.document.Document]:
    """Both samples rendered by the real CLI, exactly as the README's main command does."""
    out = tmp_path_factory.mktemp("outputs")
    done = run_cli(ROOT / "inputs", "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3/3 báo cáo; 0 đơn vị lỗi" in done.stdout  # with the Hải Dương sample (tests/test_samples_hai_duong.py)
    return {name: docx.Document(out / file) for name, file in OUTPUT_NAME.items()}


@pytest.mark.parametrize("sample", [NAM_THANH_MIEN, NHI_CHIEU])
def test_every_appendix_row_has_the_expected_value(reports, sample: str) -> None:
    tables = appendix_rows(reports[sample])
    assert list(tables) == [f"Biểu mẫu {i}" for i in range(1, 8)]
    for sheet, expected in EXPECTED[sample].items():
        assert [(r[0], r[3]) for r in tables[sheet]] == expected, sheet


def test_nhi_chieu_header_and_date_line(reports) -> None:
    document = reports[NHI_CHIEU]
    left, right = (plain(c.text) for c in document.tables[0].rows[0].cells)
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG NHỊ CHIỂU" in left  # broken after ỦY BAN NHÂN DÂN only (ND30)
    assert "Số: 329/BC-UBND" in left
    assert right.endswith("Nhị Chiểu, ngày 09 tháng 6 năm 2026")
    body = paragraphs(document)
    assert "Kết quả thực hiện nhiệm vụ cải cách hành chính 6 tháng đầu năm; Phương hướng nhiệm vụ quý III/2026" in body
    assert "(Kèm theo Báo cáo số 329/BC-UBND ngày 09/6/2026 của UBND phường Nhị Chiểu)" in body


def test_nhi_chieu_narrative_uses_the_appendix_figures(reports) -> None:
    body = "\n".join(paragraphs(reports[NHI_CHIEU]))
    assert body.count("Thực hiện Công văn số 2237/UBND-NVKTGS ngày 27/8/2025 của UBND thành phố Hải Phòng") == 1
    assert "đã hoàn thành 27/52 nhiệm vụ, đạt 51,9%." in body
    assert (
        "Tổng số hồ sơ TTHC đã giải quyết xong: 9.275 hồ sơ, trong đó giải quyết đúng hạn 9.275 hồ sơ, đạt 100%."
        in body
    )
    assert "đã thực hiện 21.406 triệu đồng trên kế hoạch được giao 42.809 triệu đồng, đạt 50,0%." in body
    assert "+ Số nhiệm vụ đang thực hiện: 10 nhiệm vụ." in body
    assert "(số liệu từ ngày 15/12/2025 đến ngày 09/6/2026)" in body
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ III NĂM 2026" in body
    assert (
        "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026 của UBND phường Nhị Chiểu./."
        in body
    )


def test_nam_thanh_mien_unsigned_draft_with_kt_signature(reports) -> None:
    document = reports[NAM_THANH_MIEN]
    left, right = (plain(c.text) for c in document.tables[0].rows[0].cells)
    assert "ỦY BAN NHÂN DÂN\nXÃ NAM THANH MIỆN" in left
    assert "Số:" + " " * 7 + "/BC-UBND" in left
    assert right.endswith("Nam Thanh Miện, ngày" + " " * 6 + "tháng" + " " * 6 + "năm 2025")
    text = all_text(document)
    for line in (
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Vũ Văn Nguyễn",
        "- UBND Thành phố;",
        "- Lưu: VT, VHXH.",
    ):
        assert line in text
    body = "\n".join(paragraphs(document))
    assert "Công tác cải cách hành chính định kỳ năm 2025" in body
    assert (
        "Tổng số hồ sơ TTHC đã giải quyết xong: 2.115 hồ sơ, trong đó giải quyết đúng hạn 2.108 hồ sơ, đạt 99,7%."
        in body
    )
    assert "đạt 87,7%." in body
    assert "Trong kỳ, tiếp nhận 1 phản ánh, kiến nghị" in body


@pytest.mark.parametrize("sample", [NAM_THANH_MIEN, NHI_CHIEU])
def test_no_placeholder_or_english_number_survives(reports, sample: str) -> None:
    text = all_text(reports[sample])
    for bad in ("#DIV/0!", "b/a", "a+b", "{{", "{%", "None", "nan"):
        assert bad not in text, bad


def test_sample_workbooks_are_committed_and_readable() -> None:
    names = sorted(p.stem for p in Path(ROOT / "inputs").glob("*.xlsx"))
    assert names == sorted([*OUTPUT_NAME, "chi_lang_nam_2023"])
