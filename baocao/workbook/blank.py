"""Write the input workbook a clerk fills: laid out like the paper form, computed rows locked.

Every sheet is protected without a password: input cells are unlocked and white,
computed cells hold live Excel formulas, are locked and shaded grey.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from baocao import layout
from baocao.authoring.templatecheck import remarks_printed
from baocao.communes import Commune
from baocao.form import Form, InfoField, Row, Table
from baocao.workbook.formulas import Locations, check_formulas, excel_formula, row_locations
from baocao.workbook.grid_sheet import write_grid_sheet
from baocao.workbook.print_setup import setup_print
from baocao.workbook.styles import (
    BORDER,
    CENTER,
    COMPUTED_FILL,
    FONT,
    HINT_FONT,
    INPUT_FILL,
    UNLOCKED,
    WRAP,
    header_row,
    number_format,
    plain,
    protect,
)
from baocao.write import write_atomic
from baocao.xmltext import set_text


def blank_workbook(form: Form, data: dict[str, Any] | None = None) -> bytes:
    """The workbook as .xlsx bytes; `data` (info/values/remarks/text) pre-fills it, e.g. for samples."""
    data = data or {}
    wb = Workbook()
    wb.remove(wb.active)
    info_sheet(wb, form, data.get("info") or {})
    locations = row_locations(form)
    for table in form.tables:
        _table_sheet(wb, form, table.sheet, table.title, table.rows, locations, data, table_headers(form, table))
    for grid in form.grids:
        write_grid_sheet(wb, form, grid, (data.get("grids") or {}).get(grid.id) or [])
    _text_sheet(wb, form, data.get("text") or {})
    _mark_sheet(wb, form)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _text_as_utf8(buffer.getvalue())


# a character reference openpyxl writes for every non-ASCII letter of an inline string ("&#7889;")
_CHAR_REF = re.compile(rb"&#(?:([0-9]+)|x([0-9A-Fa-f]+));")
_MARKUP = frozenset("<>&\"'")


def _utf8(match: re.Match[bytes]) -> bytes:
    code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    if code < 0x20 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or chr(code) in _MARKUP:
        return match.group(0)  # whitespace, controls and markup characters stay references
    return chr(code).encode("utf-8")


def _text_as_utf8(workbook: bytes) -> bytes:
    """The workbook with its sheets' character references written as UTF-8, as Excel saves text:
    the same cells, a third smaller, and quicker for any reader to parse."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = _CHAR_REF.sub(_utf8, data)
            out.writestr(info, data)
    return buffer.getvalue()


def write_blank_workbook(form: Form, path: Path | str, data: dict[str, Any] | None = None) -> Path:
    return write_atomic(Path(path), blank_workbook(form, data))


COMMUNE_MARKERS = {
    "province": "@@baocao-province@@",
    "unit_type": "@@baocao-unit-type@@",
    "unit_name": "@@baocao-unit-name@@",
}


def commune_workbooks(form: Form, communes: Iterable[Commune]) -> Iterator[tuple[str, bytes]]:
    """(file name, blank workbook) for each commune, its province, type and name already filled in.

    The workbook is written once, with a marker in each of those three cells; each commune's copy
    replaces the markers in the sheet's XML (a city's 114 workbooks in well under a second,
    instead of ~10 s writing each one with openpyxl)."""
    template = blank_workbook(form, {"info": dict(COMMUNE_MARKERS)})
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    for c in communes:
        values = {"province": c.province, "unit_type": c.unit_type, "unit_name": c.name}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in entries:
                if info.filename.endswith(".xml"):  # the Thông tin chung sheet (inline strings)
                    for key, marker in COMMUNE_MARKERS.items():
                        data = data.replace(marker.encode(), xml_escape(values[key]).encode("utf-8"))
                out.writestr(info, data)
        yield f"{c.file_stem}.xlsx", buffer.getvalue()


def info_sheet(wb: Workbook, form: Form, info: dict[str, Any]) -> None:
    """The sheet "Thông tin chung": one field per row, `info` pre-filled (also the city workbook's)."""
    ws = wb.create_sheet(layout.INFO_SHEET)
    ws["A1"] = "THÔNG TIN CHUNG CỦA BÁO CÁO"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A2"] = f"{form.title} — nhập vào các ô màu trắng ở cột “Nội dung”."
    ws["A2"].font = Font(name=FONT, size=11, italic=True)
    header_row(ws, layout.INFO_HEADER_ROW, ("Thông tin", "Nội dung", "Hướng dẫn"))
    for i, f in enumerate(form.info_fields):
        r = layout.INFO_FIRST_ROW + i
        label = ws.cell(row=r, column=layout.INFO_LABEL_COL, value=f.label)
        label.font = Font(name=FONT, size=12, bold=f.required)
        label.alignment = WRAP
        label.border = BORDER
        value = info.get(f.key, f.default or None)
        cell = set_text(ws.cell(row=r, column=layout.INFO_VALUE_COL), _info_value(f, value))
        cell.font = Font(name=FONT, size=12)
        cell.alignment = WRAP
        cell.border = BORDER
        cell.protection = UNLOCKED
        if f.kind == "date":
            cell.number_format = "dd/mm/yyyy"
        help_text = f.help + (" (bắt buộc)" if f.required else "")
        hint = ws.cell(row=r, column=layout.INFO_HELP_COL, value=help_text.strip())
        hint.font = Font(name=FONT, size=10, italic=True, color="595959")
        hint.alignment = WRAP
        _info_validation(ws, f, cell.coordinate)
        if f.kind == "multiline":
            ws.row_dimensions[r].height = 75
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 55
    ws.freeze_panes = ws.cell(row=layout.INFO_FIRST_ROW, column=1)
    title_rows = f"{layout.INFO_HEADER_ROW}:{layout.INFO_HEADER_ROW}"
    setup_print(ws, f"{layout.INFO_SHEET}: {form.title}", title_rows=title_rows)
    protect(ws)


def _info_value(f: InfoField, value: Any) -> Any:
    if value is None or value == "":
        return None
    if f.kind == "date" and isinstance(value, str):
        day, month, year = (int(p) for p in value.replace("-", "/").split("/"))
        return dt.date(year, month, day)
    return value


def _info_validation(ws, f: InfoField, coordinate: str) -> None:
    if f.kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=not f.required)
        dv.error, dv.errorTitle = f"Chọn một trong: {', '.join(f.choices)}.", "Giá trị không hợp lệ"
    elif f.kind == "date":
        dv = DataValidation(
            type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)", allow_blank=True
        )
        dv.error, dv.errorTitle = "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 09/06/2026.", "Ngày không hợp lệ"
    elif f.kind == "year":
        dv = DataValidation(
            type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=not f.required
        )
        dv.error, dv.errorTitle = "Nhập năm bằng 4 chữ số, ví dụ 2026.", "Năm không hợp lệ"
    else:
        limit = 4000 if f.kind == "multiline" else 500
        dv = DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1=str(limit), allow_blank=not f.required
        )
        dv.error, dv.errorTitle = f"Tối đa {limit} ký tự.", "Nội dung quá dài"
    dv.showErrorMessage = True
    if f.help:
        dv.prompt, dv.promptTitle, dv.showInputMessage = f.help[:255], f.label[:32], True
    ws.add_data_validation(dv)
    dv.add(coordinate)


def table_headers(form: Form, table: Table) -> tuple[str, ...]:
    """The workbook's column headings of a Biểu mẫu: the form's (and the table's) headings."""
    columns = {**form.appendix.columns, **table.columns}
    keys = ("stt", "label", "unit", "value", "remark")
    return (*(str(columns.get(k) or d) for k, d in zip(keys, layout.TABLE_HEADERS, strict=False)), "Kiểm tra")


def _table_sheet(
    wb: Workbook,
    form: Form,
    sheet: str,
    title: str,
    rows: tuple[Row, ...],
    locations: Locations,
    data: dict[str, Any],
    headers: tuple[str, ...] = layout.TABLE_HEADERS,
) -> None:
    ws = wb.create_sheet(sheet)
    header_row(ws, layout.TABLE_HEADER_ROW, headers)
    notes = [
        (f"{sheet}: {title}", Font(name=FONT, size=14, bold=True)),
        ("Nhập số liệu vào ô trắng ở cột “Số liệu”; ô xám do máy tự tính, không cần nhập.", HINT_FONT),
        ("Cột “Kiểm tra” báo ngay khi số liệu mâu thuẫn (ví dụ số thành phần vượt tổng số).", HINT_FONT),
        ("Để trống ô nào không có số liệu; nếu là không có, nhập 0.", HINT_FONT),
    ]
    for i, (text, font) in enumerate(notes, 1):
        ws.cell(row=i, column=layout.NOTE_COL, value=text).font = font
    values = data.get("values") or {}
    remarks = data.get("remarks") or {}
    checks = check_formulas(form, locations, sheet)
    remarks_open = remarks_printed(form)  # a Ghi chú the template never prints is not typed for nothing
    for i, row in enumerate(rows):
        r = layout.TABLE_FIRST_ROW + i
        bold = row.bold or row.kind == "header"
        font = Font(name=FONT, size=12, bold=bold, italic=row.italic)
        ws.cell(row=r, column=layout.STT_COL, value=row.stt or None).font = font
        ws.cell(row=r, column=layout.LABEL_COL, value=_label_value(row, bold, row.italic)).font = font
        ws.cell(row=r, column=layout.UNIT_COL, value=row.unit_text or None).font = font
        value_cell = ws.cell(row=r, column=layout.VALUE_COL)
        value_cell.font = font
        remark = set_text(ws.cell(row=r, column=layout.REMARK_COL), remarks.get(row.id) or row.remark or None)
        remark.font = Font(name=FONT, size=11, italic=True)
        if remarks_open:
            remark.protection = UNLOCKED
        else:
            remark.fill = COMPUTED_FILL
        check = ws.cell(row=r, column=layout.CHECK_COL, value=checks.get(row.id))
        check.font = Font(name=FONT, size=11, bold=True, color="C00000")
        for col in range(1, len(layout.TABLE_HEADERS) + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = BORDER
            cell.alignment = WRAP if col == layout.LABEL_COL else CENTER
        if row.is_computed:
            value_cell.value = excel_formula(form, row, locations, sheet)
            value_cell.fill = COMPUTED_FILL
            value_cell.number_format = number_format(form, row, computed=True)
        elif row.is_input:
            set_text(value_cell, plain(values.get(row.id)))
            value_cell.protection = UNLOCKED
            value_cell.fill = INPUT_FILL
            value_cell.number_format = number_format(form, row, computed=False)
            _value_validation(ws, row, value_cell.coordinate)
        else:
            value_cell.fill = COMPUTED_FILL
        if row.kind == "choice":
            ws.row_dimensions[r].height = 15 * max(2, len(row.choices))
    for letter, width in zip("ABCDEFGH", (8, 70, 16, 14, 18, 16, 2, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=layout.TABLE_FIRST_ROW, column=1)
    setup_print(
        ws,
        f"{sheet}: {title}",
        title_rows=f"{layout.TABLE_HEADER_ROW}:{layout.TABLE_HEADER_ROW}",
        last_column=len(layout.TABLE_HEADERS),
    )
    ws.print_area = f"A1:{get_column_letter(len(layout.TABLE_HEADERS))}{layout.TABLE_FIRST_ROW + len(rows) - 1}"
    protect(ws)


def _label_value(row: Row, bold: bool, italic: bool) -> Any:
    if not row.note:
        return row.display_label
    base = InlineFont(rFont=FONT, sz=12, b=bold, i=italic)
    note = InlineFont(rFont=FONT, sz=12, b=bold, i=True)
    return CellRichText(TextBlock(base, row.display_label + " "), TextBlock(note, row.note))


def _value_validation(ws, row: Row, coordinate: str) -> None:
    if row.kind == "choice":
        codes = list(row.choices)
        dv = DataValidation(
            type="whole", operator="between", formula1=str(min(codes)), formula2=str(max(codes)), allow_blank=True
        )
        rule = "; ".join(f"{label} = {code}" for code, label in row.choices.items())
        dv.error = f"Nhập mã: {rule}."
    elif row.kind == "percent":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
        rule = "Tỷ lệ phần trăm từ 0 đến 100 (không gõ dấu %)."
        dv.error = rule
    elif row.kind == "number" and row.decimals:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        rule = f"Số không âm, tối đa {row.decimals} chữ số thập phân ({row.unit})."
        dv.error = rule
    elif row.kind == "number":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        rule = f"Số nguyên không âm ({row.unit.lower() or 'số lượng'})."
        dv.error = rule
    else:
        return
    dv.errorTitle = "Số liệu không hợp lệ"
    dv.prompt, dv.promptTitle = rule[:255], (row.stt or "Số liệu")[:32]
    dv.showErrorMessage = dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(coordinate)


def _text_sheet(wb: Workbook, form: Form, text: dict[str, str]) -> None:
    ws = wb.create_sheet(layout.TEXT_SHEET)
    ws["A1"] = "NỘI DUNG BÁO CÁO (PHẦN LỜI)"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A2"] = (
        "Mỗi ý một dòng (Alt+Enter để xuống dòng trong ô). Các câu có số liệu của Phụ lục "
        "do máy tự viết; ở đây chỉ ghi phần đánh giá, diễn giải."
    )
    ws["A2"].font = Font(name=FONT, size=11, italic=True)
    header_row(ws, layout.TEXT_HEADER_ROW, ("Mục", "Nội dung (mỗi dòng một ý)", "Gợi ý"))
    for i, section in enumerate(form.narrative):
        r = layout.TEXT_FIRST_ROW + i
        label = ws.cell(row=r, column=layout.TEXT_LABEL_COL, value=section.label)
        label.font = Font(name=FONT, size=12, bold=True)
        label.alignment = WRAP
        label.border = BORDER
        cell = set_text(ws.cell(row=r, column=layout.TEXT_VALUE_COL), (text.get(section.key) or "").strip() or None)
        cell.font = Font(name=FONT, size=12)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = BORDER
        cell.protection = UNLOCKED
        hint = ws.cell(row=r, column=layout.TEXT_HELP_COL, value=section.help or None)
        hint.font = Font(name=FONT, size=10, italic=True, color="595959")
        hint.alignment = WRAP
        lines = (text.get(section.key) or "").count("\n") + 1
        ws.row_dimensions[r].height = min(400, max(60, 16 * lines))
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 100
    ws.column_dimensions["C"].width = 40
    title_rows = f"{layout.TEXT_HEADER_ROW}:{layout.TEXT_HEADER_ROW}"
    setup_print(ws, f"{layout.TEXT_SHEET}: {form.title}", title_rows=title_rows)
    protect(ws)


def _mark_sheet(wb: Workbook, form: Form) -> None:
    ws = wb.create_sheet(layout.MARK_SHEET)
    ws.append(["form_id", form.id])
    ws.append(["form_version", form.version])
    ws.append(["form_level", form.level or None])
    ws.append(["generator", "baocao"])
    ws.sheet_state = "veryHidden"
    protect(ws)
    wb.active = 0
    for col in range(1, 3):
        ws.column_dimensions[get_column_letter(col)].width = 20
