"""Every feature a form file can express, each with its small form in tests/data/forms/.

Each form goes the whole way as a province's form would: `new-input --form` writes its blank
workbook, the workbook is filled (by the same writer or cell by cell as a clerk does), and the
CLI renders it with `--form`. No form here is installed in templates/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import openpyxl

from baocao.blank import write_blank_workbook
from baocao.form import load_form
from tests.conftest import MINIMAL_INFO, ROOT, plain, run_cli

FORMS = ROOT / "tests" / "data" / "forms"


def form_file(name: str) -> Path:
    return FORMS / name / "form.yaml"


def new_input(tmp_path: Path, name: str, *args: str) -> Path:
    path = tmp_path / f"{name}.xlsx"
    done = run_cli("new-input", "--form", form_file(name), "-o", path, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def filled(tmp_path: Path, name: str, data: dict[str, Any], level: str | None = None) -> Path:
    form = load_form(form_file(name).resolve(), level)
    return write_blank_workbook(form, tmp_path / f"{name}_filled.xlsx", {"info": MINIMAL_INFO, **data})


def render(tmp_path: Path, workbook: Path, name: str) -> docx.document.Document:
    out = tmp_path / "out"
    done = run_cli(workbook, "--form", form_file(name), "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    return docx.Document(next(out.glob("*.docx")))


def phu_luc(document: docx.document.Document, first: str = "STT") -> list[list[list[str]]]:
    """The Phụ lục tables (first header cell `first`): rows after the two header rows, as cell texts."""
    tables = [t for t in document.tables if t.rows[0].cells[0].text == first]
    return [[[c.text for c in row.cells] for row in t.rows[2:]] for t in tables]


def rows_by_label(ws) -> dict[str, int]:
    return {str(ws.cell(row=r, column=2).value): r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=2).value}


# --- Roman numerals, "- " rows, a note column with another heading ------------------------


def test_roman_numbers_bullet_rows_and_a_note_column_headed_otherwise(tmp_path: Path) -> None:
    values = {"docs_plans": 3, "docs_letters": 9, "docs_letters_urgent": 2, "received_total": 120}
    values |= {"resolved_total": 118, "meetings": 4}
    document = render(tmp_path, filled(tmp_path, "la_ma", {"values": values}), "la_ma")
    body = [p.text for p in document.paragraphs]
    for number, title in (("I", "Công tác chỉ đạo"), ("II", "Giải quyết hồ sơ"), ("III (bổ sung)", "Ghi nhận khác")):
        assert body[body.index(number) + 1] == title
    first, second, third = phu_luc(document, "TT")
    assert [(r[0], r[1], r[3]) for r in first] == [
        ("1.", "Văn bản chỉ đạo", "12"),
        ("", "- Kế hoạch", "3"),
        ("", "- Công văn", "9"),
        ("", "+ Trong đó hỏa tốc", "2"),
    ]
    assert [(r[0], r[1], r[3], r[4]) for r in second] == [
        ("1.", "Hồ sơ tiếp nhận", "", ""),
        ("", "- Tổng số", "120", "Toàn tỉnh"),
        ("2.", "Hồ sơ đã giải quyết", "", ""),
        ("", "- Tổng số", "118", ""),
    ]
    assert [(r[0], r[3]) for r in third] == [("1.", "4")]
    headings = [t.rows[0].cells[4].text for t in document.tables if t.rows[0].cells[0].text == "TT"]
    assert headings == ["Ghi chú", "Địa phương thực hiện", "Ghi chú"]


def test_blank_workbook_writes_bullet_rows_without_stt_and_the_tables_own_headings(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(new_input(tmp_path, "la_ma"))
    assert wb.sheetnames[1:4] == ["Mục I", "Mục II", "Mục bổ sung"]
    first = wb["Mục I"]
    assert [(first.cell(row=r, column=1).value, first.cell(row=r, column=2).value) for r in range(2, 6)] == [
        ("1.", "Văn bản chỉ đạo"),
        (None, "- Kế hoạch"),
        (None, "- Công văn"),
        (None, "+ Trong đó hỏa tốc"),
    ]
    assert [c.value for c in wb["Mục I"][1]][:6] == ["TT", "Nội dung", "Đơn vị tính", "Số liệu", "Ghi chú", "Kiểm tra"]
    assert wb["Mục II"]["E1"].value == "Địa phương thực hiện"


def test_rows_with_the_same_label_are_read_in_their_order(tmp_path: Path) -> None:
    path = new_input(tmp_path, "la_ma")
    wb = openpyxl.load_workbook(path)
    info = wb["Thông tin chung"]
    for r in range(4, info.max_row + 1):
        key = {"Tỉnh/thành phố": "province", "Loại đơn vị": "unit_type", "Tên đơn vị": "unit_name"}
        key |= {"Kỳ báo cáo": "period", "Năm báo cáo": "year", "Văn bản căn cứ": "basis", "Người ký": "signer_name"}
        key |= {"Nơi nhận": "recipients"}
        label = info.cell(row=r, column=1).value
        if label in key:
            info.cell(row=r, column=2).value = MINIMAL_INFO[key[label]]
    ws = wb["Mục II"]
    ws["D3"], ws["D5"] = 120, 130  # the two "- Tổng số" rows: received, then resolved (more than received)
    wb.save(path)
    done = run_cli("check", path, "--form", form_file("la_ma"))
    assert done.returncode == 1
    assert "[LỖI] Mục II!D5 (Tổng số): 130 hồ sơ, vượt Tổng số (120) ở D3. Kiểm tra lại số liệu." in done.stdout


# --- bold and italic rows, numbers that skip, coded units ----------------------------------


def runs_of(cell) -> list[tuple[bool, bool]]:
    return [(bool(r.bold), bool(r.italic)) for p in cell.paragraphs for r in p.runs if r.text.strip()]


def test_bold_and_italic_rows_and_numbers_that_skip(tmp_path: Path) -> None:
    values = {"auto_bold": 1, "skipped": 2, "italic_row": 3, "plain_row": 4, "bold_row": 5, "bold_italic_row": 6}
    document = render(tmp_path, filled(tmp_path, "kieu_chu", {"values": values | {"lgsp": 1, "survey": 0}}), "kieu_chu")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    styles = {row.cells[0].text: runs_of(row.cells[1])[0] for row in table.rows[2:]}
    assert styles == {
        "1.": (True, False),
        "1.3.": (False, False),
        "1.3.2.": (False, True),
        "2.": (False, False),
        "2.1.": (True, False),
        "2.2.": (True, True),
    }
    assert [(r[0], r[3]) for r in phu_luc(document)[0]] == [
        ("1.", "1"),
        ("1.3.", "2"),
        ("1.3.2.", "3"),
        ("2.", "4"),
        ("2.1.", "5"),
        ("2.2.", "6"),
    ]
    ws = openpyxl.load_workbook(new_input(tmp_path, "kieu_chu"))["Biểu mẫu 1"]
    fonts = [(ws.cell(row=r, column=2).font.b, ws.cell(row=r, column=2).font.i) for r in range(2, 8)]
    assert fonts == [(True, False), (False, False), (False, True), (False, False), (True, False), (True, True)]


def test_units_that_are_codes(tmp_path: Path) -> None:
    document = render(tmp_path, filled(tmp_path, "kieu_chu", {"values": {"lgsp": 1, "survey": 0}}), "kieu_chu")
    rows = phu_luc(document)[1]
    assert [(plain(r[2]), r[3]) for r in rows] == [
        ("Chưa = 0\nĐang làm = 1\nHoàn thành = 2", "1"),
        ("Có = 1\nKhông = 0", "0"),  # one option per line (ND30 layout)
    ]
    ws = openpyxl.load_workbook(new_input(tmp_path, "kieu_chu"))["Biểu mẫu 2"]
    validation = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == "D2")
    assert (validation.type, validation.formula1, validation.formula2) == ("whole", "0", "2")
    assert validation.error == "Nhập mã: Chưa = 0; Đang làm = 1; Hoàn thành = 2."


# --- rates, sums and differences over rows of another Biểu mẫu -----------------------------


def test_rates_sums_and_differences_over_rows_of_another_bieu_mau(tmp_path: Path) -> None:
    data = {"values": {"received": 200, "online": 150, "extra": 50}}
    document = render(tmp_path, filled(tmp_path, "cong_thuc", data), "cong_thuc")
    assert [(r[0], r[3]) for r in phu_luc(document)[1]] == [
        ("1.", "75,0%"),  # 150 / 200, from Biểu mẫu 1
        ("2.", "50"),  # 200 − 150
        ("3.", "250"),  # 200 (Biểu mẫu 1) + 50
        ("3.1.", "50"),
        ("4.", "20,00%"),  # 50 / 250: two computed rows, two decimals
    ]
    ws = openpyxl.load_workbook(new_input(tmp_path, "cong_thuc"))["Biểu mẫu 2"]
    assert ws["D2"].value == "=IF(N('Biểu mẫu 1'!D2)=0,\"-\",ROUND(N('Biểu mẫu 1'!D3)/'Biểu mẫu 1'!D2*100,1))"
    assert ws["D3"].value == "=IF(COUNT('Biểu mẫu 1'!D2)=0,\"\",N('Biểu mẫu 1'!D2)-SUM('Biểu mẫu 1'!D3))"
    assert ws["D4"].value == "=IF(COUNT('Biểu mẫu 1'!D2,D5)=0,\"\",SUM('Biểu mẫu 1'!D2,D5))"
    assert ws["D6"].value == '=IF(N(D4)=0,"-",ROUND(N(D3)/D4*100,2))'


# --- district rows and commune rows --------------------------------------------------------


def test_a_commune_workbook_shows_only_commune_rows(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(new_input(tmp_path, "phan_cap"))["Biểu mẫu 1"]
    assert [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(2, ws.max_row + 1)] == [
        ("1.", "Tổng số văn bản"),
        ("1.2.", "Văn bản do cấp xã ban hành"),
        ("2.", "Nhiệm vụ UBND huyện giao"),
    ]
    assert ws["D2"].value == '=IF(COUNT(D3)=0,"",SUM(D3))'
    document = render(
        tmp_path, filled(tmp_path, "phan_cap", {"values": {"docs_commune": 4, "tasks_by_district": 9}}), "phan_cap"
    )
    assert [(r[0], r[1], r[3]) for r in phu_luc(document)[0]] == [
        ("1.", "Tổng số văn bản", "4"),
        ("1.2.", "Văn bản do cấp xã ban hành", "4"),
        ("2.", "Nhiệm vụ UBND huyện giao", "9"),
    ]


def test_a_district_workbook_shows_the_district_rows_and_is_read_at_its_level(tmp_path: Path) -> None:
    path = new_input(tmp_path, "phan_cap", "--level", "district")
    wb = openpyxl.load_workbook(path)
    ws = wb["Biểu mẫu 1"]
    assert [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)] == [
        "Tổng số văn bản",
        "Văn bản do cấp huyện ban hành",
        "Văn bản do cấp xã ban hành",
        "Nhiệm vụ UBND tỉnh giao",
    ]
    assert wb["_baocao"]["B3"].value == "district"
    data = {"values": {"docs_district": 2, "docs_commune": 4, "tasks_by_province": 7}}
    document = render(tmp_path, filled(tmp_path, "phan_cap", data, level="district"), "phan_cap")
    assert [(r[0], r[3]) for r in phu_luc(document)[0]] == [("1.", "6"), ("1.1.", "2"), ("1.2.", "4"), ("2.", "7")]


def test_an_unknown_level_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    done = run_cli("new-input", "--form", form_file("phan_cap"), "--level", "tinh", "-o", tmp_path / "x.xlsx")
    assert done.returncode == 1
    assert "form.yaml: biểu mẫu không có cấp “tinh”. Các cấp: district, commune." in done.stderr


# --- a grid: rows typed by the clerk, multi-level header, total row ------------------------

GRID_ROWS = [
    {"label": "Hộ tịch", "online": 30, "in_person": 10, "on_time": 35, "late": 3},
    {"label": "Chứng thực", "online": 5, "in_person": 0, "on_time": 2, "late": 0},
]


def test_grid_sheet_has_the_multi_level_header_typed_cells_and_formulas(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(new_input(tmp_path, "theo_linh_vuc"))
    assert wb.sheetnames.index("Theo lĩnh vực") == wb.sheetnames.index("Biểu mẫu 1") + 1
    ws = wb["Theo lĩnh vực"]
    assert sorted(str(r) for r in ws.merged_cells.ranges) == sorted(
        ["A1:A2", "B1:B2", "C1:E1", "F1:H1", "I1:I2", "J1:J2"]
    )
    header = [[ws.cell(row=r, column=c).value for c in range(1, 11)] for r in (1, 2)]
    assert header == [
        ["TT", "Lĩnh vực", "Tiếp nhận", None, None, "Đã giải quyết", None, None, "Tỷ lệ đúng hạn", "Đang giải quyết"],
        [None, None, "Tổng số", "Trực tuyến", "Trực tiếp", "Tổng số", "Đúng hạn", "Quá hạn", None, None],
    ]
    assert ws["A3"].value == '=IF(LEN(B3)=0,"",COUNTA($B$3:B3))'
    assert ws["C3"].value == '=IF(COUNT(D3,E3)=0,"",SUM(D3,E3))'
    assert ws["I3"].value == '=IF(N(F3)=0,"-",ROUND(N(G3)/F3*100,1))'
    assert ws["J3"].value == '=IF(COUNT(C3)=0,"",N(C3)-SUM(F3))'
    assert ws["B8"].value == "Cộng"
    assert ws["D8"].value == '=IF(COUNT(D3:D7)=0,"",SUM(D3:D7))'
    assert ws["I8"].value == '=IF(N(F8)=0,"-",ROUND(N(G8)/F8*100,1))'  # recomputed, not added up
    assert not ws["B3"].protection.locked and not ws["D7"].protection.locked
    assert ws["C3"].protection.locked and ws["D8"].protection.locked
    # a Phụ lục row computed from a grid total refers to the total cell
    assert wb["Biểu mẫu 1"]["D3"].value == "=IF(COUNT('Theo lĩnh vực'!C8)=0,\"\",SUM('Theo lĩnh vực'!C8))"


def test_grid_typed_by_a_clerk_renders_with_its_total_row_and_feeds_the_appendix(tmp_path: Path) -> None:
    path = filled(tmp_path, "theo_linh_vuc", {"values": {"files_resolved": 40}})
    wb = openpyxl.load_workbook(path)
    ws = wb["Theo lĩnh vực"]
    for r, row in enumerate(GRID_ROWS, 3):  # typed as a clerk does, one row per lĩnh vực, numbers as text too
        ws.cell(row=r, column=2).value = row["label"]
        for col, key in zip("DEGH", ("online", "in_person", "on_time", "late"), strict=True):
            ws[f"{col}{r}"] = str(row[key]) if r == 4 else row[key]
    wb.save(path)
    document = render(tmp_path, path, "theo_linh_vuc")
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "TT")
    assert [[c.text for c in row.cells] for row in grid.rows[2:]] == [
        ["1", "Hộ tịch", "40", "30", "10", "38", "35", "3", "92,1%", "2"],
        ["2", "Chứng thực", "5", "5", "0", "2", "2", "0", "100,0%", "3"],
        ["", "Cộng", "45", "35", "10", "40", "37", "3", "92,5%", "5"],
    ]
    assert [(r[0], r[3]) for r in phu_luc(document)[0]] == [("1.", "40"), ("2.", "45"), ("3.", "92,5%")]


def test_grid_problems_are_located_by_sheet_cell_and_lĩnh_vực(tmp_path: Path) -> None:
    rows = [
        {"label": "Hộ tịch", "online": 3, "in_person": 1, "on_time": 5, "late": 1},  # 6 resolved > 4 received
        {"label": "", "online": 2},
        {"label": "Đất đai", "online": -1},
    ]
    path = filled(tmp_path, "theo_linh_vuc", {"values": {"files_resolved": 9}, "grids": {"by_field": rows}})
    done = run_cli("check", path, "--form", form_file("theo_linh_vuc"))
    assert done.returncode == 1
    for line in (
        "[LỖI] Theo lĩnh vực!F3 (Hộ tịch – Đã giải quyết – Tổng số): 6 hồ sơ, vượt “Tiếp nhận – Tổng số” (4 hồ sơ)"
        " ở C3. Kiểm tra lại số liệu.",
        "[LỖI] Theo lĩnh vực!B4 (dòng 4): dòng có số liệu nhưng chưa ghi lĩnh vực. Ghi tên vào cột “Lĩnh vực”"
        " hoặc xóa số liệu của dòng này.",
        "[LỖI] Theo lĩnh vực!D5 (Đất đai – Tiếp nhận – Trực tuyến): -1 là số âm. Số liệu không được âm.",
        "[Cảnh báo] Biểu mẫu 1!D2 (1. Tổng số hồ sơ đã giải quyết): 9 hồ sơ, khác tổng các dòng Cộng cột"
        " “Đã giải quyết – Tổng số” (Hồ sơ theo lĩnh vực) (6 (Theo lĩnh vực!F8) = 6 hồ sơ)."
        " Kiểm tra lại số liệu.",
    ):
        assert line in done.stdout, done.stdout
