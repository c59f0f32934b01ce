"""The Hải Dương 2023 sample (inputs/chi_lang_nam_2023.xlsx) renders to the seed's report, figure by figure.

Expected values are written out by hand from the real report 002 (docs/domain.md "The samples"), with rates recomputed from
their parts (half-up, one decimal) and the corrections listed at the head of
tools/samples/chi_lang_nam_2023.yaml.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT, all_text, appendix_rows, paragraphs, plain, run_cli

SAMPLE = ROOT / "inputs" / "chi_lang_nam_2023.xlsx"
OUTPUT = "chi-lang-nam_xa_bao-cao-cchc_nam-2023.docx"

# Biểu mẫu → [(STT, Số liệu)] in table order; "" = blank, "-" = rate without denominator.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "Biểu mẫu 1": [
        ("1.", "25"),
        ("2.", "100%"),
        ("2.1.", "25"),
        ("2.2.", "25"),
        ("3.", ""),
        ("3.1.", ""),
        ("3.2.", ""),
        ("3.3.", "-"),
        ("3.3.1.", ""),
        ("3.3.2.", ""),
        ("4.", ""),
        ("4.1.", "68"),
        ("4.2.", "68"),
        ("4.3.", ""),
        ("4.4.", ""),
        ("5.", "1"),
        ("5.1.", "3.225"),
        ("5.2.", "2"),
        ("6.", "1"),
    ],
    "Biểu mẫu 2": [
        ("1.", "0"),
        ("1.3.", "0"),
        ("2.", ""),
        ("2.1.", "0"),
        ("2.2.", "-"),
        ("2.2.1.", ""),
        ("2.2.2.", ""),
        ("3.", ""),
        ("3.1.", "0"),
        ("3.2.", "-"),
        ("3.2.1.", ""),
        ("3.2.2.", ""),
    ],
    "Biểu mẫu 3": [
        ("1.", ""),
        ("1.1.", "0"),
        ("1.2.", "0"),
        ("1.3.", "3"),
        ("1.4.", "157"),
        ("1.4.3.", "157"),
        ("2.", ""),
        ("2.1.", "2"),
        ("2.2.", "3"),
        ("2.3.", "28"),
        ("3.", ""),
        ("3.3.", "100%"),
        ("3.3.1.", "3.225"),
        ("3.3.2.", "3.225"),
        ("3.4.", "-"),
        ("3.4.1.", "0"),
        ("3.4.2.", "0"),
    ],
    "Biểu mẫu 4": [
        ("1.", ""),
        ("1.2.", "100%"),
        ("2.", ""),
        ("2.1.", "20"),
        ("2.2.", "20"),
        ("2.3.", "0"),
        ("2.4.", "0"),
        ("2.5.", ""),
    ],
    "Biểu mẫu 5": [
        ("1.", ""),
        ("1.1.", "0"),
        ("1.2.", ""),
        ("1.3.", ""),
        ("2.", ""),
        ("2.1.", "0"),
        ("2.2.", "0"),
        ("2.3.", "0"),
        ("2.4.", ""),
        ("2.5.", "0"),
        ("3.", "0"),
        ("4.", "0"),
        ("4.1.", "0"),
        ("4.2.", "0"),
        ("4.3.", "0"),
        ("4.4.", "0"),
        ("4.5.", "0"),
    ],
    "Biểu mẫu 6": [
        ("1.", "88,1%"),
        ("1.1.", "4.000"),
        ("1.2.", "3.523,681"),
        ("2.", ""),
        ("2.1.", ""),
        ("2.2.", ""),
        ("2.3.", ""),
        ("2.4.", ""),
        ("2.4.1.", ""),
        ("2.4.2.", ""),
        ("2.4.3.", ""),
        ("2.5.", ""),
        ("2.6.", ""),
    ],
    "Biểu mẫu 7": [
        ("1.", "1"),
        ("2.", "2"),
        ("3.", "100%"),
        ("4.", ""),
        ("5.", ""),
        ("5.1.", ""),
        ("5.1.3.", "100%"),
        ("5.2.", "100%"),
        ("5.2.3.", "100%"),
        ("5.3.", ""),
        ("5.3.3.", "100%"),
        ("6.", ""),
        ("6.4.", "100%"),
        ("6.4.1.", "75"),
        ("6.4.2.", "75"),
        ("6.4.3.", "16"),
        ("6.5.", "100%"),
        ("6.5.1.", "44"),
        ("6.5.2.", "44"),
        ("6.5.3.", "7"),
        ("6.6.", "100%"),
        ("6.6.1.", "119"),
        ("6.6.2.", "119"),
        ("6.7.", "97,6%"),
        ("6.7.1.", "3.225"),
        ("6.7.2.", "3.147"),
        ("6.8.", "100%"),
        ("6.8.1.", "51"),
        ("6.8.2.", "51"),
    ],
}

# The table of hồ sơ by lĩnh vực: STT, lĩnh vực, then the 11 columns (received: total, online,
# in person, carried over; resolved: total, early, on time, late; pending: total, in time, late).
GRID_ROWS = [
    ["1", "Lĩnh vực Hộ tịch", "501", "458", "43", "", "", "", "", "", "", "", ""],
    ["2", "Lĩnh vực Chứng thực", "2.645", "2.645", "0", "", "", "", "", "", "", "", ""],
    ["3", "Lĩnh vực NCC", "26", "0", "26", "", "", "", "", "", "", "", ""],
    ["4", "Lĩnh vực BTXH", "53", "44", "9", "", "", "", "", "", "", "", ""],
]
GRID_TOTAL = ["", "Cộng", "3.225", "3.147", "78", "", "", "", "", "", "", "", ""]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> docx.document.Document:
    out = tmp_path_factory.mktemp("hai_duong")
    done = run_cli(SAMPLE, "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1/1 báo cáo; 0 đơn vị lỗi" in done.stdout
    return docx.Document(out / OUTPUT)


def grid_table(document: docx.document.Document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "Số TT")


def test_every_appendix_row_has_the_expected_value(report) -> None:
    tables = appendix_rows(report)
    assert list(tables) == [f"Biểu mẫu {i}" for i in range(1, 8)]
    for sheet, expected in EXPECTED.items():
        assert [(r[0], r[3]) for r in tables[sheet]] == expected, sheet


def test_appendix_heading_columns_units_and_remarks(report) -> None:
    body = paragraphs(report)
    assert "PHỤ LỤC" in body
    assert "Thống kê kết quả thực hiện công tác CCHC năm 2023" in body
    assert "(Kèm theo Báo cáo số       /BC-UBND ngày       /     /2023 của UBND xã Chi Lăng Nam)" in body
    table = next(t for t in report.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[1].cells] == [
        "STT",
        "Chỉ tiêu thống kê\n(sử dụng cho kỳ báo cáo hàng quý, 6 tháng, năm)",
        "Đơn vị tính",
        "Số lượng/ Tỷ lệ",
        "Ghi chú",
    ]
    rows = appendix_rows(report)
    first = {r[0]: r for r in rows["Biểu mẫu 1"]}
    assert first["5."][2] == "Có = 1\nKhông = 0"  # one option per line (ND30 layout)
    assert first["5.2."][2] == "Trực tuyến = 0\nPhát phiếu = 1\nKết hợp = 2"
    assert first["4."][1] == "Thực hiện nhiệm vụ của UBND huyện, Chủ tịch UBND huyện giao"
    seventh = {r[0]: r for r in rows["Biểu mẫu 7"]}
    assert seventh["4."][2] == "Chưa = 0\nĐang làm = 1\nHoàn thành = 2"
    assert seventh["2."][2] == "Chưa có = 0\n2 cấp = 1\n3 cấp = 2"
    third = {r[0]: r for r in rows["Biểu mẫu 3"]}
    assert third["1.4.3."][4] == "UBND: 139 TTHC; CA: 11 TTHC, QS: 7 TTHC"


def test_a_commune_report_shows_no_district_row(report) -> None:
    text = all_text(report)
    for district_row in (
        "Số VBQPPL do cấp huyện ban hành",
        "Số TTHC cấp huyện",
        "Tỷ lệ hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn",
        "Thực hiện nhiệm vụ của UBND tỉnh, Chủ tịch UBND tỉnh giao",
        "Tỷ lệ UBND cấp huyện đã kết nối, liên thông với UBND tỉnh.",
    ):
        assert district_row not in text, district_row


def test_header_signature_and_recipients(report) -> None:
    left, right = (plain(c.text) for c in report.tables[0].rows[0].cells)
    assert "ỦY BAN NHÂN DÂN\nXÃ CHI LĂNG NAM" in left
    assert "Số:       /BC-UBND" in left
    assert right.endswith("Chi Lăng Nam, ngày" + " " * 6 + "tháng" + " " * 6 + "năm 2023")
    assert "Kết quả công tác cải cách hành chính năm 2023; Phương hướng, nhiệm vụ năm 2024" in paragraphs(report)
    text = all_text(report)
    for line in (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Đức Minh",
        "- Lãnh đạo UBND huyện;",
        "- Văn phòng HĐND-UBND huyện;",
        "- Lưu: VT.",
    ):
        assert line in text, line


def test_narrative_sections_and_sentences(report) -> None:
    body = paragraphs(report)
    joined = "\n".join(body)
    for heading in (
        "I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "4. Kết quả thực hiện nhiệm vụ UBND huyện, Chủ tịch UBND huyện giao",
        "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
        "* Kết quả tiếp nhận, giải quyết TTHC tại Bộ phận một cửa:",
        "6. Xây dựng và phát triển chính quyền điện tử, chính quyền số",
        "III. ĐÁNH GIÁ CHUNG",
        "3. Nguyên nhân của hạn chế",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ):
        assert heading in body, heading
    for sentence in (
        "- Mức độ hoàn thành kế hoạch: Theo kế hoạch có 25 nhiệm vụ. Tính đến thời điểm 14/12/2023 đã hoàn thành"
        " 25/25 nhiệm vụ mà kế hoạch đã đề ra từ đầu năm (đạt 100%).",
        "- Tổng số nhiệm vụ được giao: 68 nhiệm vụ; đã hoàn thành đúng hạn 68 nhiệm vụ.",
        "Trong kỳ, UBND xã Chi Lăng Nam không ban hành văn bản quy phạm pháp luật.",
        "Tính từ ngày 15/12/2022 đến 14/12/2023, Bộ phận Một cửa UBND xã Chi Lăng Nam đã tiếp nhận trong kỳ báo"
        " cáo là 3.225 hồ sơ, trong đó:",
        "- Tổng số biên chế được giao trong năm là 20 người, hiện tại có mặt là 20 người.",
        "- Thực hiện kế hoạch giải ngân vốn đầu tư công: đã giải ngân 3.523,681 triệu đồng trên kế hoạch được giao"
        " 4.000 triệu đồng, đạt 88,1%.",
        "- Dịch vụ công trực tuyến: 119 thủ tục hành chính được cung cấp trực tuyến mức độ 3 và 4 (mức độ 3: 75;"
        " mức độ 4: 44), trong đó 119 thủ tục đã tích hợp, công khai trên Cổng Dịch vụ công quốc gia.",
        "- Hồ sơ tiếp nhận trực tuyến mức độ 3 và 4: 3.147/3.225 hồ sơ, đạt 97,6%.",
        "- Thanh toán trực tuyến: 51/51 thủ tục hành chính có yêu cầu nghĩa vụ tài chính đã được tích hợp, triển"
        " khai thanh toán trực tuyến, đạt 100%.",
        "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính năm 2023 và phương hướng nhiệm vụ năm"
        " 2024 của UBND xã Chi Lăng Nam./.",
    ):
        assert sentence in body, sentence
    # the clerk's own lines, as typed (markers kept, "*" becomes "-")
    for line in (
        "- Trong năm 2023, đã phát 15 tin bài trên hệ thống Đài truyền thanh; đăng tải 13 tin bài trên Trang thông"
        " tin điện tử xã.",
        "Đã giải quyết trả kết quả trước hạn 3.143/3.218 hồ sơ đạt tỷ lệ 97,6%; hồ sơ giải quyết đúng hạn giải"
        " quyết 75 hồ sơ, tỷ lệ 2,4%; hồ sơ trễ hạn: 0; hồ sơ đang giải quyết 7 hs.",
        "- Công an xã: Tổng số hồ sơ tiếp nhận: 322 hồ sơ, trong đó:",
        "+ Số hồ sơ giải quyết đúng hạn: 322 hồ sơ, chiếm 100%;",
        "+ Thu ngân sách: 11.750.652.112 đồng;",
    ):
        assert line in body, line
    # a resolved-by-lĩnh-vực sentence appears only when those columns are filled
    assert "hồ sơ, trong đó: trước hạn" not in joined


def test_table_of_files_by_field_with_its_multi_level_header_and_total(report) -> None:
    table = grid_table(report)
    header = [[c.text for c in row.cells] for row in table.rows[:3]]
    assert header[0][:3] == ["Số TT", "Tên lĩnh vực", "Số lượng hồ sơ tiếp nhận"]
    assert header[0][6] == "Số hồ sơ đã giải quyết" and header[0][10] == "Số hồ sơ đang giải quyết"
    assert header[1][2:] == [
        "Tổng số",
        "Trong kỳ",
        "Trong kỳ",
        "Từ kỳ trước",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ]
    assert header[2][3:5] == ["Trực tuyến", "Trực tiếp, dịch vụ bưu chính"]
    body = [[c.text for c in row.cells] for row in table.rows[3:]]
    assert body[:-1] == GRID_ROWS
    assert body[-1] == GRID_TOTAL
    assert all(run.bold for cell in table.rows[-1].cells[1:5] for p in cell.paragraphs for run in p.runs)


def test_sample_passes_every_check(tmp_path: Path) -> None:
    done = run_cli("check", SAMPLE)
    assert done.returncode == 0, done.stdout
    assert "0 lỗi, 0 cảnh báo." in done.stdout


def test_no_placeholder_or_english_number_survives(report) -> None:
    text = all_text(report)
    for bad in ("#DIV/0!", "b/a", "{{", "{%", "None", "nan", "3523.681"):
        assert bad not in text, bad
