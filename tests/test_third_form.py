"""The guide works: a third form (tests/data/forms/tinh_thu_2024), made by following
docs/huong-dan-bieu-mau.md only, loads, passes check-form, gets a blank workbook, is read back filled
by a clerk, and renders — and the Python code knows nothing of it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import openpyxl

from baocao.form import load_form
from tests.conftest import ROOT, paragraphs, plain, run_cli

FOLDER = ROOT / "tests" / "data" / "forms" / "tinh_thu_2024"
FORM = FOLDER / "form.yaml"

INFO = {
    "Tỉnh/thành phố": "Tỉnh Thử Nghiệm",
    "Loại đơn vị": "Xã",
    "Tên đơn vị": "Hòa Bình",
    "Kỳ báo cáo": "Năm",
    "Năm báo cáo": 2024,
    "Số văn bản": "45",
    "Ngày ký": dt.datetime(2024, 12, 16),
    "Văn bản căn cứ": "Công văn số 100/UBND-NV ngày 01/11/2024 của UBND tỉnh Thử Nghiệm",
    "Người ký": "Trần Văn B",
    "Nơi nhận": "Sở Nội vụ tỉnh Thử Nghiệm\nLưu: VT",
}
# what the clerk types, by sheet and by the row label as the blank workbook shows it
VALUES = {
    "Mục I": {"- Kế hoạch": 6, "- Công văn": 14, "- Số nhiệm vụ trong kế hoạch": 30, "- Số nhiệm vụ đã hoàn thành": 28},
    "Mục II": {
        "- Tổng số hồ sơ tiếp nhận": 2480,
        "+ Trong đó tiếp nhận trực tuyến": "2.105",
        "- Số hồ sơ đã giải quyết": 2460,
        "+ Trong đó đúng hạn": 2449,
    },
    "Mục III": {"- Số được giao": 21, "- Số có mặt": 20, "Lượt cán bộ, công chức được bồi dưỡng": 35},
    "Mục IV": {"Sử dụng chữ ký số": 2, "Tỷ lệ văn bản đi được gửi hoàn toàn dưới dạng điện tử": "98,5"},
}
TEXT = {
    "I. Công tác chỉ đạo, điều hành": "Ban hành Kế hoạch CCHC năm 2024 ngay từ đầu năm.",
    "II. Kết quả các nhiệm vụ CCHC": "Duy trì Bộ phận Một cửa hoạt động nền nếp.\n+ 100% hồ sơ được số hóa.",
    "III. Tồn tại, hạn chế": "Hạ tầng mạng ở một số thôn còn yếu.",
    "IV. Nhiệm vụ kỳ tới": "Nâng tỷ lệ hồ sơ trực tuyến lên trên 90%.",
}


def fill_like_a_clerk(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    for sheet, column, typed in (("Thông tin chung", 1, INFO), ("Nội dung", 1, TEXT)):
        ws = wb[sheet]
        for r in range(1, ws.max_row + 1):
            if ws.cell(row=r, column=column).value in typed:
                ws.cell(row=r, column=column + 1).value = typed[ws.cell(row=r, column=column).value]
    for sheet, typed in VALUES.items():
        ws = wb[sheet]
        for r in range(2, ws.max_row + 1):
            if ws.cell(row=r, column=2).value in typed:
                ws.cell(row=r, column=4).value = typed[ws.cell(row=r, column=2).value]
    wb["Mục II"]["E3"] = "Toàn xã"
    wb.save(path)


def test_the_third_form_loads_and_passes_check_form() -> None:
    form = load_form(FORM.resolve())
    assert [t.number for t in form.tables] == ["I", "II", "III", "IV"]
    assert sum(1 for r in form.rows if r.bullet) == 10
    done = run_cli("check-form", FOLDER)
    assert done.returncode == 0, done.stdout
    assert "0 lỗi, 0 cảnh báo." in done.stdout


def test_the_third_form_from_blank_workbook_to_report(tmp_path: Path) -> None:
    workbook = tmp_path / "hoa_binh_2024.xlsx"
    done = run_cli("new-input", "--form", FORM, "-o", workbook)
    assert done.returncode == 0, done.stderr
    assert "(biểu mẫu tinh_thu_2024, phiên bản 1.0)" in done.stdout
    fill_like_a_clerk(workbook)
    checked = run_cli("check", workbook, "--form", FORM)
    assert checked.returncode == 0, checked.stdout
    assert "0 lỗi, 0 cảnh báo." in checked.stdout
    out = tmp_path / "out"
    rendered = run_cli(workbook, "--form", FORM, "-o", out)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    document = docx.Document(out / "hoa-binh_xa_bao-cao-cchc_nam-2024.docx")
    body = paragraphs(document)
    for line in (
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "- Trong kỳ, UBND xã Hòa Bình đã ban hành 20 văn bản chỉ đạo, điều hành công tác cải cách hành chính"
        " (6 kế hoạch, 14 công văn); đã hoàn thành 28/30 nhiệm vụ của kế hoạch cải cách hành chính năm 2024,"
        " đạt 93,3%.",
        "- Ban hành Kế hoạch CCHC năm 2024 ngay từ đầu năm.",
        "- Thủ tục hành chính: tiếp nhận 2.480 hồ sơ, trong đó trực tuyến 2.105 hồ sơ (đạt 84,9%); đã giải quyết"
        " 2.460 hồ sơ, trong đó đúng hạn 2.449 hồ sơ (đạt 99,6%).",
        "- Chính quyền số: sử dụng chữ ký số: toàn bộ văn bản đi; tỷ lệ văn bản đi được gửi hoàn toàn dưới dạng"
        " điện tử: 98,5%.",
        "+ 100% hồ sơ được số hóa.",
        "IV. NHIỆM VỤ NĂM 2025",
        "SỐ LIỆU KẾT QUẢ CẢI CÁCH HÀNH CHÍNH NĂM 2024",
        "(Kèm theo Báo cáo số 45/BC-UBND ngày 16/12/2024 của UBND xã Hòa Bình)",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
        "IV. CHÍNH QUYỀN SỐ",
    ):
        assert line in body, line
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "TT"]
    assert [t.rows[0].cells[4].text for t in tables] == ["Địa phương thực hiện"] * 4
    rows = [[c.text for c in row.cells] for row in tables[1].rows[2:]]
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("1", "Hồ sơ thủ tục hành chính", "", ""),
        ("", "- Tổng số hồ sơ tiếp nhận", "2.480", "Toàn xã"),
        ("", "+ Trong đó tiếp nhận trực tuyến", "2.105", ""),
        ("", "- Số hồ sơ đã giải quyết", "2.460", ""),
        ("", "+ Trong đó đúng hạn", "2.449", ""),
        ("2", "Tỷ lệ hồ sơ giải quyết đúng hạn", "99,6%", ""),
        ("3", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "84,9%", ""),
    ]
    assert [plain(c.text) for c in tables[3].rows[2].cells][2:4] == [
        "Chưa triển khai = 0\nĐang triển khai = 1\nToàn bộ văn bản đi = 2",
        "2",
    ]


def test_the_python_code_knows_nothing_of_the_third_form() -> None:
    form = load_form(FORM.resolve())
    shipped = {
        r.id
        for f in ("hai_phong_2025", "hai_duong_2023")
        for r in load_form(ROOT / "templates" / f / "form.yaml").all_rows
    }
    own = [r.id for r in form.all_rows if r.id not in shipped] + [form.id]
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "baocao").rglob("*.py"))
    code = code.replace("request.files", "request")  # Flask's attribute, not the form's row "files"
    # a form's id or row id would appear in Python as a string ("e_signature") or an attribute (.e_signature)
    assert own and not [name for name in own if re.search(rf"[\"'.]{name}\b", code)]
