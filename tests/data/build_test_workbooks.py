"""(Re)write the bad-input workbooks used by tests/test_bad_inputs.py into tests/data/.

    python tests/data/build_test_workbooks.py

Every workbook starts as the real blank workbook (`baocao.workbook.blank.blank_workbook`, the same writer as
`python generate.py new-input`) filled with the sample of phường Nhị Chiểu
(tools/samples/nhi_chieu_2026_6thang.yaml), which has no problem at all. Then ONE thing is changed
the way a clerk would do it in Excel: text typed into a cell, a row deleted or inserted, a sheet
deleted, the file saved or renamed wrongly. Rows are found by their STT in column A, never by
position. The name of each file says what is wrong with it:

    bad_…   the checker must report at least one error (lỗi): no report is written
    warn_…  only warnings (cảnh báo): the report is still written
    ok_…    clerk's text the reader must accept silently

Files that must be large (a file over 20 MB, a zip bomb) and Excel lock files (`~$…`, ignored by
.gitignore) are not kept here: the tests build them in a temporary folder with the helpers below.
The output is deterministic (fixed zip timestamps and document dates), so rebuilding does not
change committed files unless the blank workbook writer or the sample changed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook

DATA = Path(__file__).resolve().parent
ROOT = DATA.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from baocao.form import find_form  # noqa: E402
from baocao.workbook.blank import blank_workbook  # noqa: E402

SAMPLE = ROOT / "tools" / "samples" / "nhi_chieu_2026_6thang.yaml"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
FIXED_TIME = (2026, 6, 9, 8, 0, 0)
FIXED_STAMP = "2026-06-09T08:00:00Z"

INFO_SHEET = "Thông tin chung"
MARK_SHEET = "_baocao"
STT_COLUMN, LABEL_COLUMN, VALUE_COLUMN = 1, 2, 4
INFO_LABEL_COLUMN, INFO_VALUE_COLUMN = 1, 2


# --- the starting point: the sample, as the blank workbook writer fills it -----------------------


def load_sample(path: Path = SAMPLE) -> dict:
    """Same as tools/build_samples.load_sample."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["text"] = {k: v or "" for k, v in (data.get("text") or {}).items()}
    return data


@cache
def sample_bytes() -> bytes:
    """The sample workbook of phường Nhị Chiểu, 6 tháng đầu năm 2026, as .xlsx bytes."""
    return blank_workbook(find_form(), load_sample())


def sample_workbook() -> Workbook:
    return load_workbook(io.BytesIO(sample_bytes()))


def deterministic(xlsx: bytes) -> bytes:
    """The same package with fixed zip timestamps and document dates (rebuilds give the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{FIXED_STAMP}\g<2>", text)
                data = text.encode("utf-8")
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def saved(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return deterministic(buffer.getvalue())


# --- finding cells as a clerk sees them ---------------------------------------------------------------


def row_of(wb: Workbook, sheet: str, stt: str) -> int:
    """Sheet row of the Biểu mẫu row whose STT (column A) is `stt`, e.g. '4.1.2.'."""
    ws = wb[sheet]
    for (cell,) in ws.iter_rows(min_row=2, min_col=STT_COLUMN, max_col=STT_COLUMN):
        if str(cell.value or "").strip() == stt:
            return cell.row
    raise KeyError(f"{sheet}: no row with STT {stt!r}")


def type_value(wb: Workbook, sheet: str, stt: str, value) -> None:
    """Type `value` into column D (Số liệu) of the row with this STT."""
    wb[sheet].cell(row=row_of(wb, sheet, stt), column=VALUE_COLUMN).value = value


def type_info(wb: Workbook, label: str, value) -> None:
    """Type `value` into the Nội dung column of the Thông tin chung row labelled `label`."""
    ws = wb[INFO_SHEET]
    for (cell,) in ws.iter_rows(min_col=INFO_LABEL_COLUMN, max_col=INFO_LABEL_COLUMN):
        if str(cell.value or "").strip() == label:
            ws.cell(row=cell.row, column=INFO_VALUE_COLUMN).value = value
            return
    raise KeyError(f"{INFO_SHEET}: no row labelled {label!r}")


def set_mark(wb: Workbook, key: str, value: str) -> None:
    """Change the form mark in the very hidden sheet _baocao (form_id in B1, form_version in B2)."""
    ws = wb[MARK_SHEET]
    for row in ws.iter_rows(max_col=2):
        if row[0].value == key:
            row[1].value = value
            return
    raise KeyError(key)


# --- the workbooks ----------------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[], bytes]] = {}


def edited(name: str):
    """Register a builder that edits the sample workbook in place (the file is saved after)."""

    def register(edit: Callable[[Workbook], None]) -> Callable[[Workbook], None]:
        def build() -> bytes:
            wb = sample_workbook()
            edit(wb)
            return saved(wb)

        BUILDERS[name] = build
        return edit

    return register


def raw(name: str):
    """Register a builder that returns the file's bytes itself (wrong formats, damaged files)."""

    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        BUILDERS[name] = build
        return build

    return register


# Numbers that contradict each other


@edited("bad_part_exceeds_total.xlsx")
def _part_exceeds_total(wb: Workbook) -> None:
    """Seed 000, Biểu mẫu 1 item 4: 18 on time + 19 late out of 19 tasks."""
    for stt, value in (("4.1.", 19), ("4.1.1.", 18), ("4.1.2.", 19), ("4.1.3.", 0)):
        type_value(wb, "Biểu mẫu 1", stt, value)


@edited("bad_rate_part_exceeds_whole.xlsx")
def _rate_part_exceeds_whole(wb: Workbook) -> None:
    """60 tasks done out of 52 planned (the numerator of rate 2.)."""
    type_value(wb, "Biểu mẫu 1", "2.2.", 60)


# Number text


@edited("bad_money_comma_ambiguous.xlsx")
def _money_comma_ambiguous(wb: Workbook) -> None:
    """Seed 004: '42,809' million đồng typed as text: 42,809 or 42.809?"""
    type_value(wb, "Biểu mẫu 6", "1.1.", "42,809")


@edited("warn_comma_thousands_in_count.xlsx")
def _comma_thousands_in_count(wb: Workbook) -> None:
    """'9,500' survey forms: a count, so the comma can only group thousands."""
    type_value(wb, "Biểu mẫu 1", "4.2.", "9,500")


@edited("warn_money_decimal_point.xlsx")
def _money_decimal_point(wb: Workbook) -> None:
    """'1.5' million đồng disbursed: an English decimal point."""
    type_value(wb, "Biểu mẫu 6", "1.2.", "1.5")


@edited("bad_count_decimal_point.xlsx")
def _count_decimal_point(wb: Workbook) -> None:
    """'1.5' directive documents: read as 1,5, which is not a whole number."""
    type_value(wb, "Biểu mẫu 1", "1.", "1.5")


@edited("ok_vietnamese_number_text.xlsx")
def _vietnamese_number_text(wb: Workbook) -> None:
    """Numbers typed as text the Vietnamese way: all must be read silently."""
    type_value(wb, "Biểu mẫu 3", "2.1.1.", " 9\u00a0275 ")  # non-breaking space between the groups
    type_value(wb, "Biểu mẫu 3", "2.1.2.", "4.481")
    type_value(wb, "Biểu mẫu 7", "1.3.2.", "12 hồ sơ")
    type_value(wb, "Biểu mẫu 6", "1.2.", "1.234,5")
    type_value(wb, "Biểu mẫu 1", "3.1.", "-")  # optional row
    type_value(wb, "Biểu mẫu 4", "2.4.", "-")  # optional percent row (the sample has 0)


@edited("bad_excel_error_values.xlsx")
def _excel_error_values(wb: Workbook) -> None:
    """Error values pasted from another workbook (openpyxl stores them as error cells, t="e")."""
    type_value(wb, "Biểu mẫu 1", "2.1.", "#DIV/0!")
    type_value(wb, "Biểu mẫu 3", "1.1.", "#REF!")
    type_value(wb, "Biểu mẫu 1", "4.3.", "#VALUE!")


@edited("bad_formula_in_input.xlsx")
def _formula_in_input(wb: Workbook) -> None:
    type_value(wb, "Biểu mẫu 1", "1.", "=12+3")


@edited("bad_text_not_number.xlsx")
def _text_not_number(wb: Workbook) -> None:
    """Seed 000 typed 'a/0'; a number in words."""
    type_value(wb, "Biểu mẫu 1", "1.", "mười hai")
    type_value(wb, "Biểu mẫu 3", "2.1.1.", "a/0")


@edited("bad_negative_number.xlsx")
def _negative_number(wb: Workbook) -> None:
    type_value(wb, "Biểu mẫu 5", "2.2.", -10)


@edited("bad_count_not_whole.xlsx")
def _count_not_whole(wb: Workbook) -> None:
    type_value(wb, "Biểu mẫu 4", "1.3.", 12.5)


@edited("bad_percent_over_100.xlsx")
def _percent_over_100(wb: Workbook) -> None:
    type_value(wb, "Biểu mẫu 3", "1.1.", 120)


# Coded rows (4.3 Hình thức khảo sát: 0/1/2, 5. Đối thoại: 0/1)


@edited("ok_choice_words.xlsx")
def _choice_words(wb: Workbook) -> None:
    type_value(wb, "Biểu mẫu 1", "4.3.", "Kết hợp")
    type_value(wb, "Biểu mẫu 1", "5.", "Có")


@edited("ok_choice_code_and_words.xlsx")
def _choice_code_and_words(wb: Workbook) -> None:
    type_value(wb, "Biểu mẫu 1", "4.3.", "1 - Phát phiếu")
    type_value(wb, "Biểu mẫu 1", "5.", "co")


@edited("bad_choice_value.xlsx")
def _choice_value(wb: Workbook) -> None:
    type_value(wb, "Biểu mẫu 1", "4.3.", 5)
    type_value(wb, "Biểu mẫu 1", "5.", "Có lẽ")


# Thông tin chung


@edited("bad_info_required_blank.xlsx")
def _info_required_blank(wb: Workbook) -> None:
    type_info(wb, "Người ký", None)


@edited("bad_info_period.xlsx")
def _info_period(wb: Workbook) -> None:
    type_info(wb, "Kỳ báo cáo", "Quý 5")


@edited("bad_info_year.xlsx")
def _info_year(wb: Workbook) -> None:
    type_info(wb, "Năm báo cáo", 20266)


@edited("bad_info_date_to_wrong_year.xlsx")
def _info_date_to_wrong_year(wb: Workbook) -> None:
    """Seed 004's Phụ lục was dated a year off."""
    type_info(wb, "Số liệu đến ngày", dt.datetime(2025, 6, 14))


@edited("warn_sign_date_before_period_end.xlsx")
def _sign_date_before_period_end(wb: Workbook) -> None:
    """Signed 09/6/2026 with "Số liệu đến ngày" left blank (default 14/6/2026)."""
    type_info(wb, "Số liệu đến ngày", None)


@edited("bad_sign_date_before_period_start.xlsx")
def _sign_date_before_period_start(wb: Workbook) -> None:
    """Signed 09/6/2025 for the first half of 2026 (the year of last year's report)."""
    type_info(wb, "Ngày ký", dt.datetime(2025, 6, 9))


@edited("ok_text_dates.xlsx")
def _text_dates(wb: Workbook) -> None:
    """Dates typed as text with dashes (an Excel with English regional settings keeps them as text)."""
    type_info(wb, "Số liệu từ ngày", "16-12-2025")
    type_info(wb, "Số liệu đến ngày", "8-6-2026")
    type_info(wb, "Ngày ký", "10-6-2026")


# The workbook's structure and form mark


@edited("bad_other_form.xlsx")
def _other_form(wb: Workbook) -> None:
    set_mark(wb, "form_id", "ha_noi_2024")


@edited("warn_old_template_version.xlsx")
def _old_template_version(wb: Workbook) -> None:
    set_mark(wb, "form_version", "HP-2024.1")


@edited("bad_sheet_deleted.xlsx")
def _sheet_deleted(wb: Workbook) -> None:
    del wb["Biểu mẫu 4"]


@edited("bad_row_deleted.xlsx")
def _row_deleted(wb: Workbook) -> None:
    """Row 2.2 (Số nhiệm vụ đã hoàn thành) deleted; the rows below move up."""
    ws = wb["Biểu mẫu 1"]
    ws.delete_rows(row_of(wb, "Biểu mẫu 1", "2.2."))


@edited("warn_row_inserted.xlsx")
def _row_inserted(wb: Workbook) -> None:
    """A row inserted above item 4 with a clerk's own line; 4.2 then typed '9,500' (a warning at D17)."""
    ws = wb["Biểu mẫu 1"]
    at = row_of(wb, "Biểu mẫu 1", "4.")
    ws.insert_rows(at)
    ws.cell(row=at, column=LABEL_COLUMN).value = "Ghi chú của văn phòng: số liệu mục 4 lấy theo phần mềm theo dõi"
    ws.cell(row=at, column=VALUE_COLUMN).value = 3
    type_value(wb, "Biểu mẫu 1", "4.2.", "9,500")


@edited("bad_row_inserted_part_exceeds_total.xlsx")
def _row_inserted_part_exceeds_total(wb: Workbook) -> None:
    """The same inserted row, then seed 000's 4.1.2 = 19: the message names the shifted cells D15 and D13."""
    ws = wb["Biểu mẫu 1"]
    at = row_of(wb, "Biểu mẫu 1", "4.")
    ws.insert_rows(at)
    ws.cell(row=at, column=LABEL_COLUMN).value = "Ghi chú của văn phòng: số liệu mục 4 lấy theo phần mềm theo dõi"
    type_value(wb, "Biểu mẫu 1", "4.1.2.", 19)


@edited("bad_several_problems.xlsx")
def _several_problems(wb: Workbook) -> None:
    type_info(wb, "Người ký", None)  # error
    type_value(wb, "Biểu mẫu 1", "4.1.2.", 19)  # error: 28 + 19 > 38
    type_value(wb, "Biểu mẫu 1", "4.2.", "9,500")  # warning
    type_value(wb, "Biểu mẫu 3", "1.1.", 120)  # error
    type_value(wb, "Biểu mẫu 6", "2.1.", 20)  # warning: 0 + 0 + 0 + 19 ≠ 20


# Files that are not our .xlsx


def _zip(members: list[tuple[str, bytes]], *, first_stored: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, data) in enumerate(members):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_STORED if first_stored and i == 0 else zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def ole_file(extra: bytes = b"") -> bytes:
    """The start of an OLE compound file (.xls, or an encrypted .xlsx), padded to one 512-byte sector."""
    header = OLE_MAGIC + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + extra
    return header + bytes(512 - len(header) % 512) + "Workbook".encode("utf-16-le")


def ods_file() -> bytes:
    """A minimal OpenDocument spreadsheet: 'mimetype' stored first, as LibreOffice writes it."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="'
        + ODS_MIMETYPE.decode()
        + '"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Biểu mẫu 1"><table:table-row>'
        "<table:table-cell><text:p>STT</text:p></table:table-cell></table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    return _zip(
        [("mimetype", ODS_MIMETYPE), ("META-INF/manifest.xml", manifest.encode()), ("content.xml", content.encode())],
        first_stored=True,
    )


@raw("bad_format_old.xls")
def _old_xls() -> bytes:
    return ole_file()


@raw("bad_format_xls_renamed.xlsx")
def _xls_renamed() -> bytes:
    return ole_file()


@raw("bad_format_macro.xlsm")
def _macro() -> bytes:
    """Our workbook saved under .xlsm (Excel: Save As → Excel Macro-Enabled Workbook)."""
    return deterministic(sample_bytes())


@raw("bad_format_opendocument.ods")
def _ods() -> bytes:
    return ods_file()


@raw("bad_format_ods_renamed.xlsx")
def _ods_renamed() -> bytes:
    return ods_file()


@raw("bad_format_csv_renamed.xlsx")
def _csv_renamed() -> bytes:
    rows = ["STT;Chỉ tiêu thống kê;Đơn vị tính;Số liệu", "1.;Số văn bản chỉ đạo CCHC đã ban hành;Văn bản;7"]
    return ("\r\n".join(rows) + "\r\n").encode("utf-8-sig")


@raw("bad_format_docx_renamed.xlsx")
def _docx_renamed() -> bytes:
    """A Word document (the report itself, say) renamed .xlsx."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        "<w:t>BÁO CÁO Kết quả thực hiện công tác cải cách hành chính</w:t></w:r></w:p></w:body></w:document>"
    )
    members = [("[Content_Types].xml", content_types), ("_rels/.rels", rels), ("word/document.xml", document)]
    return _zip([(name, text.encode()) for name, text in members])


@raw("bad_file_truncated.xlsx")
def _truncated() -> bytes:
    """The first 2000 bytes of a real workbook (a copy interrupted, an e-mail attachment cut short)."""
    return deterministic(sample_bytes())[:2000]


@raw("bad_file_empty.xlsx")
def _empty() -> bytes:
    return b""


@raw("bad_file_password.xlsx")
def _password() -> bytes:
    """Excel saves a workbook with a password to open as an OLE file holding 'EncryptionInfo'."""
    return ole_file("EncryptionInfo".encode("utf-16-le"))


# --- the guarded reader (tests/test_reader_guards.py): tests/data/guards/ ------------------------------

GUARDS = DATA / "guards"
GUARD_BUILDERS: dict[str, Callable[[], bytes]] = {}
STRICT_NAMESPACES = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
}


def guard(name: str):
    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        GUARD_BUILDERS[name] = build
        return build

    return register


def rewrite_parts(xlsx: bytes, edit: Callable[[str, bytes], bytes]) -> bytes:
    """The same package with every member passed through edit(name, data)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = edit(info.filename, src.read(info.filename))
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_member(xlsx: bytes, sheet: str) -> str:
    """The zip member of a sheet's XML ('xl/worksheets/sheet2.xml' for 'Biểu mẫu 1')."""
    wb = load_workbook(io.BytesIO(xlsx))
    return f"xl/worksheets/sheet{wb.sheetnames.index(sheet) + 1}.xml"


def edit_sheet(xlsx: bytes, sheet: str, edit: Callable[[bytes], bytes]) -> bytes:
    member = sheet_member(xlsx, sheet)
    return rewrite_parts(xlsx, lambda name, data: edit(data) if name == member else data)


def add_cells(xml: bytes, cells: bytes) -> bytes:
    """Raw cells (whole <row> elements) appended at the end of sheetData."""
    return xml.replace(b"</sheetData>", cells + b"</sheetData>")


def to_strict(xlsx: bytes) -> bytes:
    """The package as Excel's "Strict Open XML Spreadsheet" writes it: the ISO namespaces."""

    def edit(name: str, data: bytes) -> bytes:
        for old, new in STRICT_NAMESPACES.items():
            data = data.replace(old, new)
        if name == "xl/workbook.xml":
            data = data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        return data

    return rewrite_parts(xlsx, edit)


def edited_sample(edit: Callable[[Workbook], None]) -> bytes:
    wb = sample_workbook()
    edit(wb)
    return saved(wb)


@guard("bad_far_cell_xfd1048576.xlsx")
def _far_cell() -> bytes:
    """A clerk pressed Ctrl+End on Biểu mẫu 1 and typed a letter: one cell at XFD1048576."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>a</t></is></c></row>'
    return edit_sheet(deterministic(sample_bytes()), "Biểu mẫu 1", lambda xml: add_cells(xml, far))


@guard("ok_far_cell_formatted_only.xlsx")
def _far_cell_formatted() -> bytes:
    """The last cell only formatted (no value) and a stale dimension: nothing to refuse."""

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return add_cells(xml, b'<row r="1048576"><c r="XFD1048576" s="3"/><c r="XFC1048576"><v></v></c></row>')

    return edit_sheet(deterministic(sample_bytes()), "Biểu mẫu 1", edit)


@guard("ok_percent_cells.xlsx")
def _percent_cells() -> bytes:
    """Rates typed as Excel percentages: 50% (0.5, built-in format 0%) and 87,5% (custom 0.0%)."""

    def edit(wb: Workbook) -> None:
        ws = wb["Biểu mẫu 3"]
        ws.cell(row=row_of(wb, "Biểu mẫu 3", "1.1."), column=VALUE_COLUMN, value=0.5).number_format = "0%"
        ws = wb["Biểu mẫu 4"]
        ws.cell(row=row_of(wb, "Biểu mẫu 4", "2.4."), column=VALUE_COLUMN, value=0.875).number_format = "0.0%"

    return edited_sample(edit)


@guard("bad_percent_cell_over_100.xlsx")
def _percent_cell_over_100() -> bytes:
    """150% typed into a rate cell (stored as 1.5 with the format 0%)."""

    def edit(wb: Workbook) -> None:
        ws = wb["Biểu mẫu 3"]
        ws.cell(row=row_of(wb, "Biểu mẫu 3", "1.1."), column=VALUE_COLUMN, value=1.5).number_format = "0%"

    return edited_sample(edit)


@guard("bad_text_after_number.xlsx")
def _text_after_number() -> bytes:
    """ "52abc" in a count of Nhiệm vụ, "2026a" as the year; "12 hồ sơ" (the row's unit) stays fine."""

    def edit(wb: Workbook) -> None:
        type_value(wb, "Biểu mẫu 1", "2.1.", "52abc")
        type_value(wb, "Biểu mẫu 7", "1.3.2.", "12 hồ sơ")
        type_info(wb, "Năm báo cáo", "2026a")

    return edited_sample(edit)


@guard("ok_strict_open_xml.xlsx")
def _strict() -> bytes:
    return to_strict(deterministic(sample_bytes()))


@guard("bad_strict_formula_and_error.xlsx")
def _strict_formula_and_error() -> bytes:
    """Saved as Strict Open XML with a formula and #DIV/0! typed into input cells."""

    def edit(wb: Workbook) -> None:
        type_value(wb, "Biểu mẫu 1", "1.", "=12+3")
        type_value(wb, "Biểu mẫu 1", "2.1.", "#DIV/0!")

    return to_strict(edited_sample(edit))


def hai_duong_bytes() -> bytes:
    return blank_workbook(
        find_form("hai_duong_2023"), load_sample(ROOT / "tools" / "samples" / "chi_lang_nam_2023.yaml")
    )


@guard("warn_mark_sheet_deleted_hai_duong.xlsx")
def _mark_deleted_hai_duong() -> bytes:
    """LibreOffice showed the very hidden _baocao sheet and the clerk deleted it."""
    wb = load_workbook(io.BytesIO(hai_duong_bytes()))
    del wb[MARK_SHEET]
    return saved(wb)


@guard("bad_mark_sheet_deleted_no_tables.xlsx")
def _mark_deleted_no_tables() -> bytes:
    """No mark and no Biểu mẫu sheet: the sheets left fit every form alike."""
    wb = sample_workbook()
    for name in [n for n in wb.sheetnames if n.startswith("Biểu mẫu") or n == MARK_SHEET]:
        del wb[name]
    return saved(wb)


def build_guards(out_dir: Path = GUARDS) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in GUARD_BUILDERS.items():
        path = out_dir / name
        path.write_bytes(make())
        written.append(path)
    return written


# --- large files and lock files: built by the tests in a temporary folder ---------------------------


def write_huge_file(path: Path, size: int = 21 * 1024 * 1024) -> Path:
    """A real workbook followed by padding up to `size` bytes (sparse where the file system allows)."""
    with path.open("wb") as f:
        f.write(sample_bytes())
        f.truncate(size)
    return path


def write_zip_bomb(path: Path, unpacked: int = 210 * 1024 * 1024) -> Path:
    """Our workbook plus one member of `unpacked` zero bytes (a "picture"): about 200 KB packed."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with zipfile.ZipFile(io.BytesIO(sample_bytes())) as src:
            for info in src.infolist():
                z.writestr(info.filename, src.read(info.filename))
        with z.open("xl/media/image1.emf", "w", force_zip64=True) as member:
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
    return path


def write_lock_file(workbook: Path) -> Path:
    """Excel's owner file '~$name.xlsx' beside an open workbook (165 bytes: the user's name, padded)."""
    lock = workbook.with_name(f"~${workbook.name}")
    owner = "Văn phòng UBND".encode("utf-16-le")
    lock.write_bytes(bytes([len("Văn phòng UBND")]) + b"\x00" + owner + bytes(165 - 2 - len(owner)))
    return lock


# --- main -----------------------------------------------------------------------------------------


def build(out_dir: Path = DATA, names: list[str] | None = None) -> list[Path]:
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names or BUILDERS:
        path = out_dir / name
        path.write_bytes(BUILDERS[name]())
        written.append(path)
    return written


if __name__ == "__main__":
    for p in [*build(), *build_guards()]:
        print(f"{p.relative_to(ROOT)}  ({p.stat().st_size:,} bytes)")
