"""Build the form documents that `new-form --from-document` is tested on (tests/data/form_documents/).

Each is the Phụ lục of a form laid out as a province sends it to its communes, not as this
project prints it:

* hai_phong_2025.docx — the Hải Phòng form: "Biểu mẫu N" and an upper-case title above each
  table, a two-row header of merged cells ("Kết quả thống kê" over "Đơn vị tính" | "Số liệu"),
  header rows marked to repeat, italic notes, Biểu mẫu 7 cut by a page break into two tables
  (the second with the header again), empty rows, the footnote under Biểu mẫu 2;
* hai_duong_2023.docx — the Hải Dương form (district and commune rows): one continuous table,
  a "(1) (2) (3)" row under the header, each Biểu mẫu a bold row merged across the table, coded
  units in five spellings, the table cut at a page break and continued without a header, and
  the table of hồ sơ by lĩnh vực after it (not a table of indicators: the importer skips it);
* hai_phong_2025.xlsx — the Hải Phòng form as a workbook, one sheet per Biểu mẫu;
* tinh_khac_2024.docx — written for this test, unlike both: another province's order of
  sections (TTHC first), Roman sections as table rows, "- " and "+ " rows, a "Trong đó:" row, a
  remark column headed "Địa phương thực hiện", coded units "Có = 1 Không = 0" and "Tốt = 1 Có vi
  phạm = 0", no "Biểu mẫu" titles.

    python tests/data/build_form_documents.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from docx import Document
from docx.oxml import OxmlElement
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from baocao.form import Row, load_form  # noqa: E402

OUT = Path(__file__).resolve().parent / "form_documents"

# How a province spells the coded units (the shipped forms print "Không = 0\nCó = 1").
HP_UNITS = {"dialogue": "Không = 0; Có = 1", "survey_method": "Trực tuyến = 0, Phát phiếu = 1, Kết hợp = 2"}
HD_UNITS = {
    "dialogue": "Không = 0 Có = 1",
    "ea_updated": "Chưa = 0\nHoàn thành = 1",
    "meeting_system": "Chưa có = 0; 2 cấp = 1; 3 cấp = 2",
    "lgsp": "Chưa = 0 Đang làm = 1 Hoàn thành = 2",
    "survey_method": "Trực tuyến = 0; Phát phiếu = 1; Kết hợp = 2",
}


def form_tables(form_id: str) -> list[tuple[str, str, list[Row]]]:
    """(sheet, title, rows of every level) of a shipped form, in the form file's order."""
    path = ROOT / "templates" / form_id / "form.yaml"
    form = load_form(path)
    rows = {r.id: r for r in form.all_rows}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(t["sheet"], t["title"], [rows[r["id"]] for r in t["rows"]]) for t in data["tables"]]


# --- Word helpers ------------------------------------------------------------------------------


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def write(cell, text: str, *, bold: bool = False, italic: bool = False, note: str = "") -> None:
    paragraph = cell.paragraphs[0]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold, run.italic = bold, italic
        if i < len(lines) - 1:
            run.add_break()
    if note:
        paragraph.add_run(" " + note).italic = True


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(__import__("docx").enum.text.WD_BREAK.PAGE)


def heading(doc, text: str, *, bold: bool = True, italic: bool = False) -> None:
    run = doc.add_paragraph().add_run(text)
    run.bold, run.italic = bold, italic


def header_rows(table, columns: tuple[str, ...], label_note: str, group: str) -> None:
    """Two header rows: STT, label, remark merged down; `group` merged over unit and value."""
    top, bottom = table.rows[0].cells, table.rows[1].cells
    stt, label, unit, value, remark = columns
    top[0].merge(bottom[0])
    top[1].merge(bottom[1])
    top[4].merge(bottom[4])
    top[2].merge(top[3])
    write(table.cell(0, 0), stt, bold=True)
    write(table.cell(0, 1), label, bold=True, note=label_note)
    write(table.cell(0, 2), group, bold=True)
    write(table.cell(0, 4), remark, bold=True)
    write(table.cell(1, 2), unit, bold=True)
    write(table.cell(1, 3), value, bold=True)
    repeat_header(table.rows[0])
    repeat_header(table.rows[1])


def data_row(table, row: Row, unit: str | None = None) -> None:
    cells = table.add_row().cells
    write(cells[0], row.stt)
    write(cells[1], row.display_label, bold=row.bold, italic=row.italic, note=row.note)
    write(cells[2], unit if unit is not None else row.unit_text)
    write(cells[4], row.remark)


def new_table(doc, header: bool, columns, label_note: str = "", group: str = "Kết quả thống kê"):
    table = doc.add_table(rows=2 if header else 0, cols=5)
    table.style = "Table Grid"
    if header:
        header_rows(table, columns, label_note, group)
    return table


# --- the documents ---------------------------------------------------------------------------------

HP_COLUMNS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")


def hai_phong_docx(path: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = "Times New Roman", Pt(13)
    heading(doc, "Phụ lục III")
    heading(doc, "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH ĐỊNH KỲ")
    heading(doc, "(Dành cho UBND các xã, phường, đặc khu)", bold=False, italic=True)
    heading(doc, "(Kèm theo Công văn số 2237/UBND-NVKTGS ngày 27/8/2025 của UBND thành phố Hải Phòng)", bold=False)
    note = "(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"
    for number, (sheet, title, rows) in enumerate(form_tables("hai_phong_2025"), 1):
        heading(doc, sheet)
        heading(doc, title.upper())
        table = new_table(doc, True, HP_COLUMNS, note)
        for index, row in enumerate(rows):
            if number == 7 and index == 8:  # a page break: the rest in a second table, header repeated
                page_break(doc)
                table = new_table(doc, True, HP_COLUMNS, note)
            if number == 4 and index == 5:
                table.add_row()  # an empty row left in the middle
            data_row(table, row, HP_UNITS.get(row.id))
        if number == 1:
            table.add_row()
            table.add_row()
        if sheet == "Biểu mẫu 2":
            heading(doc, "¹ Văn bản quy phạm pháp luật.", bold=False)
    doc.save(path)


def hai_duong_docx(path: Path) -> None:
    doc = Document()
    heading(doc, "PHỤ LỤC")
    heading(doc, "Thống kê kết quả thực hiện công tác CCHC")
    columns = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số lượng/ Tỷ lệ", "Ghi chú")
    note = "(sử dụng cho kỳ báo cáo hàng quý, 6 tháng, năm)"
    table = new_table(doc, True, columns, note)
    numbers = table.add_row().cells
    for cell, text in zip(numbers, ("(1)", "(2)", "(3)", "(4)", "(5)"), strict=True):
        write(cell, text, italic=True)
    for number, (_sheet, title, rows) in enumerate(form_tables("hai_duong_2023"), 1):
        if number == 5:  # a page break: the table goes on, without its header
            page_break(doc)
            table = new_table(doc, False, columns)
        section = table.add_row().cells
        section[0].merge(section[4])
        write(table.rows[-1].cells[0], f"Biểu mẫu {number}. {title.upper()}", bold=True)
        for row in rows:
            data_row(table, row, HD_UNITS.get(row.id))
        if number == 3:
            table.add_row()
    heading(doc, "Kết quả tiếp nhận, giải quyết hồ sơ TTHC theo lĩnh vực")
    grid = doc.add_table(rows=3, cols=5)
    for cell, text in zip(
        grid.rows[0].cells, ("Số TT", "Tên lĩnh vực", "Số lượng hồ sơ tiếp nhận", "", ""), strict=True
    ):
        write(cell, text, bold=True)
    for cell, text in zip(grid.rows[1].cells, ("", "", "Tổng số", "Trực tuyến", "Trực tiếp"), strict=True):
        write(cell, text, bold=True)
    write(grid.rows[2].cells[0], "1")
    write(grid.rows[2].cells[1], "Lĩnh vực Hộ tịch")
    doc.save(path)


def hai_phong_xlsx(path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, title, rows in form_tables("hai_phong_2025"):
        ws = wb.create_sheet(sheet)
        ws["A1"] = title.upper()
        ws["A1"].font = Font(bold=True)
        ws.merge_cells("A1:E1")
        for col, text in zip("ABCDE", ("STT", "Chỉ tiêu thống kê", "Kết quả thống kê", None, "Ghi chú"), strict=True):
            if text:
                ws[f"{col}3"] = text
                ws[f"{col}3"].font = Font(bold=True)
        ws["C4"], ws["D4"] = "ĐVT", "Số liệu"
        ws.merge_cells("A3:A4")
        ws.merge_cells("B3:B4")
        ws.merge_cells("C3:D3")
        ws.merge_cells("E3:E4")
        for r, row in enumerate(rows, 5):
            ws.cell(r, 1, row.stt)
            label = CellRichText(
                TextBlock(InlineFont(b=row.bold, i=row.italic), row.display_label),
                *([TextBlock(InlineFont(i=True), " " + row.note)] if row.note else []),
            )
            ws.cell(r, 2).value = label
            ws.cell(r, 3, HP_UNITS.get(row.id, row.unit_text) or None)
            ws.cell(r, 5, row.remark or None)
    wb.save(path)


OTHER_ROWS = [  # (STT, label, italic note, unit, remark); "" rows are left empty
    ("I.", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", ""),
    ("1", "Tổng số hồ sơ TTHC tiếp nhận trong kỳ", "", "Hồ sơ", ""),
    ("", "Trong đó:", "", "", ""),
    ("-", "Tiếp nhận trực tuyến", "", "Hồ sơ", ""),
    ("-", "Tiếp nhận trực tiếp và qua dịch vụ BCCI", "", "Hồ sơ", ""),
    ("2", "Tỷ lệ hồ sơ giải quyết đúng hạn", "(so với tổng số hồ sơ đã giải quyết)", "%", ""),
    ("-", "Số hồ sơ đã giải quyết", "", "Hồ sơ", ""),
    ("-", "Số hồ sơ giải quyết đúng hạn", "", "Hồ sơ", ""),
    ("3", "Bộ phận Một cửa được bố trí theo quy định", "", "Có = 1 Không = 0", "Xã, phường"),
    ("", "", "", "", ""),
    ("II.", "CHỈ ĐẠO, ĐIỀU HÀNH", "", "", ""),
    ("1", "Văn bản chỉ đạo, điều hành CCHC đã ban hành", "", "Văn bản", ""),
    ("+", "Kế hoạch", "", "Văn bản", ""),
    ("+", "Công văn, thông báo", "", "Văn bản", ""),
    ("2", "Kết quả tự kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính", "", "Tốt = 1 Có vi phạm = 0", ""),
    ("III.", "CHÍNH QUYỀN SỐ", "", "", ""),
    ("1", "Tỷ lệ văn bản đi được ký số", "", "%", "Toàn xã"),
    ("2", "Hệ thống thông tin một cửa điện tử", "", "Chưa = 0 Đang = 1 HThành = 2", ""),
    ("3", "Số máy tính kết nối mạng", "", "Chiếc", "(Nếu có)"),
]


def other_docx(path: Path) -> None:
    doc = Document()
    heading(doc, "PHỤ LỤC")
    heading(doc, "SỐ LIỆU CẢI CÁCH HÀNH CHÍNH CỦA UBND XÃ")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("TT", "Nội dung", "ĐVT", "Số liệu", "Địa phương thực hiện"), strict=True
    ):
        write(cell, text, bold=True)
    repeat_header(table.rows[0])
    for stt, label, note, unit, remark in OTHER_ROWS:
        cells = table.add_row().cells
        write(cells[0], stt, bold=stt.endswith("."))
        write(cells[1], label, bold=stt.endswith("."), note=note)
        write(cells[2], unit)
        write(cells[4], remark)
    doc.save(path)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    hai_phong_docx(OUT / "hai_phong_2025.docx")
    hai_duong_docx(OUT / "hai_duong_2023.docx")
    hai_phong_xlsx(OUT / "hai_phong_2025.xlsx")
    other_docx(OUT / "tinh_khac_2024.docx")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
