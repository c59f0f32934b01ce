"""Step 1: read an input workbook into a RawReport (typed values, located cells).

The reader never trusts a cached formula result: computed rows are skipped here and
recomputed from the input cells by baocao.compute. Rows are found by their STT and
label, not by position, so a row the clerk inserted does not shift the figures.
Files that are not a workbook of ours get one clear message (WorkbookError).
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from baocao import layout
from baocao.errors import FormError, WorkbookError
from baocao.form import Form, Row, find_form, installed_forms
from baocao.grid import GridRow, read_grids
from baocao.parse import SpecialCell, cell_text, parse_choice, parse_date, parse_number
from baocao.problems import ERROR, WARNING, Cell, Problem, Severity
from baocao.recognize import recognize_form
from baocao.xlsx import FarCellError, XlsxWorkbook
from baocao.xmltext import CleanWorkbook

SAVE_AS_XLSX = (
    "Mở tệp bằng Excel, chọn Tệp (File) → Lưu thành (Save As) → “Excel Workbook (*.xlsx)”, rồi chạy lại với tệp .xlsx."
)


@dataclass
class RawReport:
    """What the clerk typed, by field key / row id, with the cell each came from."""

    path: Path
    form: Form
    info: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Decimal | str | None] = field(default_factory=dict)
    remarks: dict[str, str] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (sheet, cell)
    problems: list[Problem] = field(default_factory=list)
    grids: dict[str, list[GridRow]] = field(default_factory=dict)  # grid id → the rows the clerk typed

    def add_problem(
        self,
        severity: Severity,
        code: str,
        key: str = "",
        *,
        at: tuple[str, str, str] | None = None,
        cells: tuple[Cell, ...] = (),
        **params: Any,
    ) -> None:
        """Record a problem (a code of baocao.messages and its parameters) about an info field key
        or a row id, located by its cell; or at (sheet, cell, label) given outright."""
        sheet, cell = self.cells.get(key, ("", ""))
        sheet, cell, label = at if at is not None else (sheet, cell, self.label_of(key))
        self.problems.append(Problem(code, severity, self.path.name, sheet, cell, label, params, cells))

    def cell_of(self, key: str, role: str = "") -> Cell:
        """The cell of an info field key or a row id, as a problem names it."""
        sheet, cell = self.cells.get(key, ("", ""))
        return Cell(sheet, cell, role)

    def label_of(self, key: str) -> str:
        """'4.1.2. Số nhiệm vụ …' for a row id, the field label for an info key."""
        for f in self.form.info_fields:
            if f.key == key:
                return f.label
        for section in self.form.narrative:
            if section.key == key:
                return section.label
        for row in (*self.form.rows, *self.form.grid_rows):
            if row.id == key:
                return f"{row.stt} {row.label}".strip()
        return ""


def normalize_label(text: Any) -> str:
    """Casefolded NFC text with punctuation and runs of spaces removed, for matching labels."""
    return _normalized_label(str(text or ""))


@functools.lru_cache(maxsize=32768)  # the same labels come back in every workbook of a batch
def _normalized_label(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", unicodedata.normalize("NFC", text).casefold()).split())


@functools.lru_cache(maxsize=32768)
def _normalized_stt(text: str) -> str:
    return _STT_DOTS.sub(".", text.strip()).strip(".")


def normalize_stt(text: Any) -> str:
    return _normalized_stt(str(text or ""))


_NOT_WORD = re.compile(r"[^\w%]+")
_STT_DOTS = re.compile(r"[\s.]+")


# --- the file itself -----------------------------------------------------------------------


def check_file(path: Path) -> None:
    """Refuse, with one clear message, anything that is not an .xlsx workbook we can open."""
    if path.name.startswith("~$") or path.is_file():
        check_name(path)
    check_content(path)


def check_name(path: Path) -> None:
    """Refuse by the file's name alone: Excel lock files and other kinds of file (.xls, .xlsm, .ods, …)."""
    name = path.name
    if name.startswith("~$"):
        raise WorkbookError(
            path,
            "đây là tệp khóa tạm của Excel (tạo ra khi bảng tính đang mở), không phải bảng tính. "
            f"Hãy chọn tệp {name[2:]}.",
        )
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise WorkbookError(path, f"đây là bảng tính Excel kiểu cũ (.xls). {SAVE_AS_XLSX}")
    if suffix == ".xlsm":
        raise WorkbookError(
            path, f"đây là bảng tính có macro (.xlsm), không được nhận vì lý do an toàn. {SAVE_AS_XLSX}"
        )
    if suffix == ".ods":
        raise WorkbookError(
            path,
            "đây là bảng tính OpenDocument (.ods). Mở bằng LibreOffice Calc hoặc Excel và lưu lại "
            "dưới dạng “Excel 2007-365 (.xlsx)”.",
        )
    if suffix != ".xlsx":
        raise WorkbookError(
            path,
            f"không phải tệp .xlsx (đuôi “{path.suffix or 'không có'}”). Hãy dùng bảng tính mẫu "
            "(python generate.py new-input).",
        )


def check_content(path: Path) -> None:
    """Refuse by what the file holds, whatever its name: empty, too big, another format, a damaged
    package, a zip bomb, a workbook with macros."""
    if not path.is_file():
        raise WorkbookError(path, "không tìm thấy tệp." if not path.exists() else "không phải là tệp.")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(path, "tệp rỗng (0 byte). Có thể tệp bị lỗi khi sao chép; hãy lấy lại tệp gốc.")
    if size > layout.MAX_FILE_BYTES:
        raise WorkbookError(
            path,
            f"tệp quá lớn ({size / 1048576:.0f} MB; giới hạn {layout.MAX_FILE_BYTES // 1048576} MB). "
            "Bảng tính báo cáo chỉ cần vài chục KB: hãy dùng bảng tính mẫu và không dán ảnh, dữ liệu khác vào.",
        )
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptionInfo".encode("utf-16-le") in path.read_bytes():
            raise WorkbookError(
                path,
                "bảng tính được đặt mật khẩu mở tệp nên không đọc được. Mở bằng Excel, chọn Tệp → "
                "Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu, lưu lại rồi chạy lại.",
            )
        raise WorkbookError(path, f"đây là bảng tính Excel kiểu cũ (.xls) được đổi tên thành .xlsx. {SAVE_AS_XLSX}")
    if not head.startswith(b"PK"):
        raise WorkbookError(
            path,
            "không phải bảng tính Excel: nội dung là văn bản hoặc định dạng khác (có thể là tệp "
            f"CSV/HTML được đổi đuôi thành .xlsx). {SAVE_AS_XLSX}",
        )
    _check_zip(path)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            unpacked = sum(i.file_size for i in infos)
            mimetype = z.read("mimetype")[:60] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise WorkbookError(path, f"tệp bị hỏng, không mở được. {SAVE_AS_XLSX}") from e
    if unpacked > layout.MAX_UNPACKED_BYTES or unpacked > 200 * max(1, path.stat().st_size) + 10_000_000:
        raise WorkbookError(path, "tệp nén chứa dữ liệu quá lớn so với một bảng tính báo cáo, không được mở.")
    if b"opendocument.spreadsheet" in mimetype:
        raise WorkbookError(
            path,
            "đây là bảng tính OpenDocument (.ods) được đổi tên thành .xlsx. Mở bằng LibreOffice Calc "
            "và lưu lại dưới dạng “Excel 2007-365 (.xlsx)”.",
        )
    if "xl/workbook.xml" not in names:
        kind = "văn bản Word" if "word/document.xml" in names else "tệp nén khác"
        raise WorkbookError(path, f"không phải bảng tính Excel (là {kind} được đổi tên thành .xlsx).")
    if "xl/vbaProject.bin" in names:
        raise WorkbookError(
            path, f"đây là bảng tính có macro (.xlsm), không được nhận vì lý do an toàn. {SAVE_AS_XLSX}"
        )


def open_workbook(path: Path) -> CleanWorkbook:
    """The workbook's values (text without what XML cannot hold), after check_file; WorkbookError if it
    cannot be parsed."""
    try:
        check_file(path)
    except PermissionError as e:
        raise WorkbookError(
            path,
            "không có quyền đọc tệp này. Chép tệp sang thư mục của mình (hoặc xin quyền đọc) rồi chạy lại.",
        ) from e
    except OSError as e:
        raise WorkbookError(path, f"không đọc được tệp ({e.strerror or e}). Chép lại tệp gốc rồi chạy lại.") from e
    if str(path) != str(path).encode("utf-8", "replace").decode("utf-8"):
        raise WorkbookError(
            path, "tên tệp hoặc thư mục có ký tự không đọc được (không phải UTF-8). Đổi tên tệp rồi chạy lại."
        )
    try:
        return CleanWorkbook(XlsxWorkbook(path))
    except WorkbookError:
        raise
    except Exception as e:  # calamine and lxml raise many kinds on a damaged package
        raise WorkbookError(path, f"tệp bị hỏng, không mở được ({type(e).__name__}). {SAVE_AS_XLSX}") from e


def read_form_mark(wb) -> tuple[str | None, str | None]:
    """(form id, form version) stored by the blank-workbook writer, or (None, None)."""
    if layout.MARK_SHEET not in wb.sheetnames:
        return None, None
    rows = wb.rows(layout.MARK_SHEET, max_row=10, max_col=2)
    marks = {row[0]: row[1] for row in rows if len(row) >= 2 and row[0]}
    return marks.get("form_id"), marks.get("form_version")


def read_form_level(wb) -> str | None:
    """The level (district, commune…) the blank workbook was made for, or None."""
    if layout.MARK_SHEET not in wb.sheetnames:
        return None
    rows = wb.rows(layout.MARK_SHEET, max_row=10, max_col=2)
    return next((row[1] for row in rows if len(row) >= 2 and row[0] == "form_level"), None) or None


def _form_for(path: Path, wb, forced: Form | None) -> tuple[Form, list[Problem]]:
    """The form the workbook was made with (or the forced one), and warnings about the mark."""
    form_id, version = read_form_mark(wb)
    notes: list[Problem] = []
    if forced is not None:
        return forced.at_level(read_form_level(wb)), notes
    if form_id is None:  # the mark sheet deleted: recognise the form by its sheets and rows
        form, note = recognize_form(path, wb)
        return form, [note]
    if form_id not in installed_forms():
        raise WorkbookError(
            path,
            f"bảng tính thuộc biểu mẫu “{form_id}”, chưa được cài (các biểu mẫu đã cài: "
            f"{', '.join(installed_forms())}). Hãy cài biểu mẫu đó: chép thư mục của nó (form.yaml và mẫu Word) "
            f"vào templates/{form_id}/, hoặc chỉ rõ tệp biểu mẫu: --form đường/dẫn/form.yaml.",
        )
    form = find_form(form_id, read_form_level(wb))
    if version and str(version) != form.version:
        notes.append(
            Problem(
                "form-version-differs", WARNING, path.name, params={"version": str(version), "current": form.version}
            )
        )
    return form, notes


def read_workbook(path: Path | str, form: Form | None = None) -> RawReport:
    """Read every input of the workbook; problems found while reading go into .problems."""
    path = Path(path)
    wb = open_workbook(path)
    try:
        try:
            form, notes = _form_for(path, wb, form)
        except FormError as e:
            raise WorkbookError(path, str(e)) from e
        report = RawReport(path=path, form=form, problems=notes)
        lock = path.with_name(f"~${path.name}")
        if lock.exists():
            report.add_problem(WARNING, "file-open-in-excel")
        _read_info(wb, report)
        for table in form.tables:
            _read_table(wb, table.sheet, table.rows, report)
        read_grids(wb, report)
        _read_text(wb, report)
        labels = {cell: report.label_of(key) for key, cell in report.cells.items()}
        report.problems.extend(wb.problems(path.name, labels))
    finally:
        wb.close()
    return report


# --- the sheets ----------------------------------------------------------------------------


def _sheet_rows(wb, sheet: str, report: RawReport) -> list[tuple] | None:
    if sheet not in wb.sheetnames:
        near = [s for s in wb.sheetnames if normalize_label(s) == normalize_label(sheet)]
        if near:
            sheet = near[0]
        else:
            visible = [n for n in wb.sheetnames if n != layout.MARK_SHEET]
            report.add_problem(
                ERROR, "sheet-missing", at=(sheet, "", ""), sheet=sheet, sheets=visible, form_title=report.form.title
            )
            return None
    try:
        rows = wb.rows(sheet, max_row=layout.MAX_ROWS_READ, max_col=layout.NOTE_COL)
        special = wb.special_cells(sheet)
    except FarCellError as e:  # the sheet is not read; the other sheets still are
        report.add_problem(ERROR, "far-cell", at=(sheet, e.cell, ""), far=e.cell)
        return None
    except WorkbookError:
        raise
    except Exception as e:  # a damaged sheet part
        raise WorkbookError(report.path, f"trang “{sheet}” bị hỏng, không đọc được ({type(e).__name__}).") from e
    for coordinate, (kind, text) in special.items():
        column, row = coordinate_from_string(coordinate)
        if row <= len(rows) and column_index_from_string(column) <= layout.NOTE_COL:
            cells = list(rows[row - 1]) + [None] * layout.NOTE_COL
            cells[column_index_from_string(column) - 1] = SpecialCell(kind, text)
            rows[row - 1] = tuple(cells[: max(len(rows[row - 1]), column_index_from_string(column))])
    return rows


def _rows_by_label(rows: list[tuple], label_col: int, value_col: int) -> dict[str, tuple[int, tuple]]:
    """Normalized label → (1-based sheet row, cells) for a label | value sheet."""
    return {
        normalize_label(r[label_col - 1]): (i, r)
        for i, r in enumerate(rows, 1)
        if len(r) >= value_col and r[label_col - 1]
    }


def _read_info(wb, report: RawReport) -> None:
    rows = _sheet_rows(wb, layout.INFO_SHEET, report)
    if rows is None:
        return
    by_label = _rows_by_label(rows, layout.INFO_LABEL_COL, layout.INFO_VALUE_COL)
    for f in report.form.info_fields:
        found = by_label.get(normalize_label(f.label))
        if found is None:
            report.add_problem(ERROR, "info-row-missing", at=(layout.INFO_SHEET, "", f.label))
            continue
        row_number, cells = found
        report.cells[f.key] = (layout.INFO_SHEET, f"{get_column_letter(layout.INFO_VALUE_COL)}{row_number}")
        value = cells[layout.INFO_VALUE_COL - 1]
        if isinstance(value, SpecialCell):
            report.add_problem(ERROR, "unreadable-value", f.key, reason=value.reason())
            continue
        try:
            if f.kind == "date":
                report.info[f.key], note = parse_date(value)
            elif f.kind == "year":
                number, note = parse_number(value, allow_decimals=False)
                if number is not None and number != number.to_integral_value():
                    raise ValueError(f"“{value}” không phải là năm")
                report.info[f.key] = int(number) if number is not None else None
            else:
                report.info[f.key], note = cell_text(value) or None, ""
        except ValueError as e:
            report.add_problem(ERROR, "unreadable-info", f.key, reason=str(e), year=f.kind == "year")
            continue
        if note:
            report.add_problem(WARNING, "info-note", f.key, note=note)


def _find_row(rows: list[tuple], row: Row, start: int, labels: list[str]) -> int | None:
    """1-based sheet row holding the form row: same label (with or without its note) and STT,
    else the same label under another STT (a renumbered row). Never a row whose label merely
    begins with this one: "…đã hoàn thành đúng hạn" is not "…đã hoàn thành".
    `labels` are the sheet's normalized labels, one per row."""
    wanted = {normalize_label(row.label), normalize_label(f"{row.label} {row.note}")}
    stt = normalize_stt(row.stt)
    label_only = None
    for i in range(start, len(rows)):
        if labels[i] not in wanted:
            continue
        if normalize_stt(rows[i][layout.STT_COL - 1]) == stt:
            return i + 1
        label_only = label_only or i + 1
    return label_only


def _read_table(wb, sheet: str, form_rows: tuple[Row, ...], report: RawReport) -> None:
    rows = _sheet_rows(wb, sheet, report)
    if rows is None:
        return
    missing = []
    labels = [normalize_label(cells[layout.LABEL_COL - 1]) if len(cells) >= layout.LABEL_COL else "" for cells in rows]
    start = layout.TABLE_FIRST_ROW - 1
    for row in form_rows:
        if row.kind == "header":
            continue
        # rows are searched from the last one found, so rows with the same label ("- Tổng số") stay apart
        number = _find_row(rows, row, start, labels) or _find_row(rows, row, layout.TABLE_FIRST_ROW - 1, labels)
        if number is None:
            missing.append(f"{row.stt} {row.label}".strip())
            continue
        start = number
        cells = rows[number - 1]
        report.cells[row.id] = (sheet, f"{get_column_letter(layout.VALUE_COL)}{number}")
        remark = cell_text(cells[layout.REMARK_COL - 1]) if len(cells) >= layout.REMARK_COL else ""
        if remark and remark != row.remark:
            report.remarks[row.id] = remark
        if row.is_input:
            _read_value(row, cells[layout.VALUE_COL - 1] if len(cells) >= layout.VALUE_COL else None, report)
    if missing:
        report.add_problem(ERROR, "rows-missing", at=(sheet, "", ""), rows=missing)


def _read_value(row: Row, value: Any, report: RawReport) -> None:
    try:
        if row.kind == "choice":
            report.values[row.id], note = parse_choice(row.choices, value)
        elif row.kind == "text":
            if isinstance(value, SpecialCell):
                raise ValueError(value.reason())
            report.values[row.id], note = cell_text(value) or None, ""
        else:
            allow_decimals = row.kind == "percent" or bool(row.decimals)
            report.values[row.id], note = parse_number(value, allow_decimals=allow_decimals, unit=row.unit)
    except ValueError as e:
        report.values[row.id] = None
        report.add_problem(ERROR, "unreadable-value", row.id, reason=str(e))
        return
    value = report.values[row.id]
    whole_only = row.kind == "number" and not row.decimals
    if note and not (whole_only and isinstance(value, Decimal) and value != value.to_integral_value()):
        report.add_problem(WARNING, "value-note", row.id, note=note)  # (else: one error, in validate)


def _read_text(wb, report: RawReport) -> None:
    rows = _sheet_rows(wb, layout.TEXT_SHEET, report)
    if rows is None:
        return
    by_label = _rows_by_label(rows, layout.TEXT_LABEL_COL, layout.TEXT_VALUE_COL)
    for section in report.form.narrative:
        found = by_label.get(normalize_label(section.label))
        if found is None:
            report.add_problem(WARNING, "text-section-missing", at=(layout.TEXT_SHEET, "", section.label))
            continue
        row_number, cells = found
        report.cells[section.key] = (layout.TEXT_SHEET, f"{get_column_letter(layout.TEXT_VALUE_COL)}{row_number}")
        report.text[section.key] = cell_text(cells[layout.TEXT_VALUE_COL - 1])
