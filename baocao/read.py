"""Step 1: read an input workbook into a RawReport (typed values, located cells).

The reader never trusts a cached formula result: computed rows are skipped here and
recomputed from the input cells by baocao.compute. Rows are found by their STT and
label, not by position, so a row the clerk inserted does not shift the figures.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from baocao import layout
from baocao.errors import WorkbookError
from baocao.form import Form, Row, find_form
from baocao.problems import ERROR, WARNING, Problem


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

    def add_problem(self, severity: str, key: str, message: str) -> None:
        """Record a problem about an info field key or a row id, located by its cell."""
        sheet, cell = self.cells.get(key, ("", ""))
        label = self._label_of(key)
        self.problems.append(Problem(severity, self.path.name, sheet, cell, label, message))

    def _label_of(self, key: str) -> str:
        for f in self.form.info_fields:
            if f.key == key:
                return f.label
        for row in self.form.rows:
            if row.id == key:
                return f"{row.stt} {row.label}".strip()
        return ""


def normalize_label(text: Any) -> str:
    """Casefolded NFC text with punctuation and runs of spaces removed, for matching labels."""
    s = unicodedata.normalize("NFC", str(text or "")).casefold()
    s = re.sub(r"[^\w%]+", " ", s)
    return " ".join(s.split())


def normalize_stt(text: Any) -> str:
    return re.sub(r"[\s.]+", ".", str(text or "").strip()).strip(".")


_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"^[+-]?\d+$")


def parse_number(value: Any) -> Decimal | None:
    """A number cell as Decimal; text follows the Vietnamese convention ("4.481", "99,7").

    Blank and "-" mean none (None). Raises ValueError with a Vietnamese reason otherwise.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError("ô chứa giá trị đúng/sai, không phải số")
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise ValueError("ô chứa ngày tháng, không phải số")
    text = _SPACES.sub("", str(value)).rstrip("%")
    if text in ("", "-", "–"):
        return None
    if text.startswith("#"):
        raise ValueError(f"ô chứa lỗi của Excel “{text}”")
    text = re.sub(r"[^\d.,+-]+$", "", text)  # trailing unit: "12hồsơ" → "12"
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if not (_NUMBER.match(text) or re.fullmatch(r"[+-]?\d+\.\d+", text)):
        raise ValueError(f"“{value}” không phải là số")
    try:
        return Decimal(text)
    except InvalidOperation as e:  # pragma: no cover - guarded by the regexes above
        raise ValueError(f"“{value}” không phải là số") from e


def parse_date(value: Any) -> dt.date | None:
    """An Excel date or a text date "09/6/2026", "9-6-2026", "2026-06-09"; blank → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if not m:
            raise ValueError(f"“{text}” không phải ngày tháng (ghi theo dạng ngày/tháng/năm, ví dụ 09/6/2026)")
        year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as e:
        raise ValueError(f"“{text}” không phải ngày có thật") from e


def parse_choice(row: Row, value: Any) -> Decimal | None:
    """A coded cell: the code (0, 1, 2) or its words ("Kết hợp"); blank → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    words = {normalize_label(label): code for code, label in row.choices.items()}
    key = normalize_label(value)
    if key in words:
        return Decimal(words[key])
    m = re.match(r"^\s*(\d+)\s*(?:[-=:.].*)?$", str(value))
    if m and int(m.group(1)) in row.choices:
        return Decimal(int(m.group(1)))
    allowed = "; ".join(f"{label} = {code}" for code, label in row.choices.items())
    raise ValueError(f"“{value}” không thuộc các giá trị được chọn ({allowed})")


def cell_text(value: Any) -> str:
    """Text of a cell with line breaks kept and the ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return text.strip()


def open_workbook(path: Path):
    """openpyxl workbook in read-only mode; WorkbookError for anything that is not an .xlsx."""
    try:
        return load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except FileNotFoundError as e:
        raise WorkbookError(path, "không tìm thấy tệp.") from e
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise WorkbookError(
            path,
            "không mở được tệp như một bảng tính Excel (.xlsx). Hãy mở tệp bằng Excel và "
            "lưu lại dưới dạng “Excel Workbook (*.xlsx)”.",
        ) from e


def read_form_mark(wb) -> tuple[str | None, str | None]:
    """(form id, form version) stored by the blank-workbook writer, or (None, None)."""
    if layout.MARK_SHEET not in wb.sheetnames:
        return None, None
    marks = {row[0]: row[1] for row in wb[layout.MARK_SHEET].iter_rows(max_col=2, values_only=True) if row[0]}
    return marks.get("form_id"), marks.get("form_version")


def read_workbook(path: Path | str, form: Form | None = None) -> RawReport:
    """Read every input of the workbook; problems found while reading go into .problems."""
    path = Path(path)
    wb = open_workbook(path)
    try:
        form_id, _version = read_form_mark(wb)
        form = form or find_form(form_id)
        report = RawReport(path=path, form=form)
        _read_info(wb, report)
        for table in form.tables:
            _read_table(wb, table.sheet, table.rows, report)
        _read_text(wb, report)
    finally:
        wb.close()
    return report


def _sheet_rows(wb, sheet: str, report: RawReport) -> list[tuple] | None:
    if sheet not in wb.sheetnames:
        report.problems.append(
            Problem(
                ERROR,
                report.path.name,
                sheet,
                "",
                "",
                f"không có trang “{sheet}”. Hãy dùng bảng tính mẫu của biểu mẫu “{report.form.title}”.",
            )
        )
        return None
    return list(wb[sheet].iter_rows(values_only=True))


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
            report.problems.append(
                Problem(
                    ERROR,
                    report.path.name,
                    layout.INFO_SHEET,
                    "",
                    f.label,
                    "không tìm thấy dòng này. Hãy dùng bảng tính mẫu (python generate.py new-input).",
                )
            )
            continue
        row_number, cells = found
        report.cells[f.key] = (layout.INFO_SHEET, f"{get_column_letter(layout.INFO_VALUE_COL)}{row_number}")
        value = cells[layout.INFO_VALUE_COL - 1]
        if f.kind == "date":
            try:
                report.info[f.key] = parse_date(value)
            except ValueError as e:
                report.add_problem(ERROR, f.key, f"{e}.")
        elif f.kind == "year":
            try:
                number = parse_number(value)
            except ValueError as e:
                report.add_problem(ERROR, f.key, f"{e}. Ghi năm bằng 4 chữ số, ví dụ 2026.")
                continue
            report.info[f.key] = int(number) if number is not None else None
        else:
            report.info[f.key] = cell_text(value) or None


def _find_row(rows: list[tuple], row: Row, start: int) -> int | None:
    """1-based sheet row holding the form row: same STT and label, else same label."""
    label = normalize_label(row.label)
    stt = normalize_stt(row.stt)
    label_only = None
    for i in range(start, len(rows)):
        cells = rows[i]
        if len(cells) < layout.LABEL_COL:
            continue
        text = normalize_label(cells[layout.LABEL_COL - 1])
        if not text.startswith(label):
            continue
        if normalize_stt(cells[layout.STT_COL - 1]) == stt:
            return i + 1
        label_only = label_only or i + 1
    return label_only


def _read_table(wb, sheet: str, form_rows: tuple[Row, ...], report: RawReport) -> None:
    rows = _sheet_rows(wb, sheet, report)
    if rows is None:
        return
    for row in form_rows:
        if row.kind == "header":
            continue
        number = _find_row(rows, row, layout.TABLE_FIRST_ROW - 1)
        if number is None:
            report.problems.append(
                Problem(
                    ERROR,
                    report.path.name,
                    sheet,
                    "",
                    f"{row.stt} {row.label}".strip(),
                    "không tìm thấy dòng chỉ tiêu này (dòng bị xóa hoặc sửa nội dung). "
                    "Hãy dùng bảng tính mẫu và không xóa, sửa các dòng chỉ tiêu.",
                )
            )
            continue
        cells = rows[number - 1]
        report.cells[row.id] = (sheet, f"{layout.VALUE_LETTER}{number}")
        remark = cell_text(cells[layout.REMARK_COL - 1]) if len(cells) >= layout.REMARK_COL else ""
        if remark and remark != row.remark:
            report.remarks[row.id] = remark
        if row.is_input:
            _read_value(row, cells[layout.VALUE_COL - 1] if len(cells) >= layout.VALUE_COL else None, report)


def _read_value(row: Row, value: Any, report: RawReport) -> None:
    try:
        if row.kind == "choice":
            report.values[row.id] = parse_choice(row, value)
        elif row.kind == "text":
            report.values[row.id] = cell_text(value) or None
        else:
            report.values[row.id] = parse_number(value)
    except ValueError as e:
        report.values[row.id] = None
        report.add_problem(ERROR, row.id, f"{e}. Hãy nhập lại ô này.")


def _read_text(wb, report: RawReport) -> None:
    rows = _sheet_rows(wb, layout.TEXT_SHEET, report)
    if rows is None:
        return
    by_label = _rows_by_label(rows, layout.TEXT_LABEL_COL, layout.TEXT_VALUE_COL)
    for section in report.form.narrative:
        found = by_label.get(normalize_label(section.label))
        if found is None:
            report.problems.append(
                Problem(
                    WARNING,
                    report.path.name,
                    layout.TEXT_SHEET,
                    "",
                    section.label,
                    "không tìm thấy mục này; phần tương ứng của báo cáo sẽ để trống.",
                )
            )
            continue
        row_number, cells = found
        report.cells[section.key] = (layout.TEXT_SHEET, f"{get_column_letter(layout.TEXT_VALUE_COL)}{row_number}")
        report.text[section.key] = cell_text(cells[layout.TEXT_VALUE_COL - 1])
