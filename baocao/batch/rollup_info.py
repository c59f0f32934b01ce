"""The consolidated report's own header and signature (số, ngày ký, thẩm quyền ký, chức vụ, người ký,
nơi nhận of the Sở), typed by the Sở's officer: a small workbook or YAML file given with
`--roll-up-info FILE`, or the optional fields of the web page. Blank fields follow the commune
reports' draft rules: "Số:      /BC-SNV", "ngày … tháng … năm 2026" for the văn thư to fill.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from baocao.errors import BaocaoError
from baocao.form.schema import Consolidated
from baocao.parse import cell_text, fold, parse_date
from baocao.vnformat import date_long, date_short, doc_reference, upper_vi
from baocao.workbook.print_setup import setup_print
from baocao.workbook.styles import BORDER, FONT, HEADER_FILL, WRAP

# key → the label the officer sees (same wording as a commune workbook's "Thông tin chung")
LABELS: dict[str, str] = {
    "doc_number": "Số văn bản",
    "sign_date": "Ngày ký",
    "signing_mode": "Thẩm quyền ký",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Người ký",
    "recipients": "Nơi nhận",
}
HELP: dict[str, str] = {
    "doc_number": "Chỉ ghi số, ví dụ: 215. Để trống nếu văn thư sẽ cấp số.",
    "sign_date": "Ví dụ: 18/6/2026. Để trống nếu chưa ký: văn bản in “ngày … tháng … năm …”.",
    "signing_mode": "Để trống: Giám đốc ký; KT.: Phó Giám đốc ký thay Giám đốc.",
    "signer_title": "Để trống: Giám đốc (hoặc Phó Giám đốc khi ký thay).",
    "signer_name": "Họ và tên người ký, ví dụ: Nguyễn Văn A.",
    "recipients": "Mỗi nơi nhận một dòng (Alt+Enter); dòng cuối là “Lưu: VT, …”. Để trống: theo biểu mẫu.",
}
# the web page's optional fields (baocao/web/templates/index.html) → keys
WEB_FIELDS = {
    "so_van_ban": "doc_number",
    "ngay_ky": "sign_date",
    "tham_quyen_ky": "signing_mode",
    "chuc_vu": "signer_title",
    "nguoi_ky": "signer_name",
    "noi_nhan": "recipients",
}
_KEYS = {fold(label): key for key, label in LABELS.items()} | {fold(key): key for key in LABELS}
_KEYS[fold("Số")] = "doc_number"


class RollupInfoError(BaocaoError):
    """Raised when the roll-up's header and signature file or fields cannot be read."""


@dataclass(frozen=True)
class RollupInfo:
    """What the Sở types for its consolidated report; every field may be blank (a draft)."""

    doc_number: str = ""
    sign_date: dt.date | None = None
    signing_mode: str = ""  # "" (the head signs), "KT." (a deputy signs for the head), "TM."
    signer_title: str = ""
    signer_name: str = ""
    recipients: tuple[str, ...] = ()


def rollup_info_from_fields(fields: dict[str, Any], where: str = "") -> RollupInfo:
    """From a mapping of keys or labels (a YAML file, the web form) to values."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        key = _KEYS.get(fold(name))
        if key is None:
            known = ", ".join(f"“{label}”" for label in LABELS.values())
            raise RollupInfoError(f"{where}“{name}” không phải mục của thông tin báo cáo tổng hợp (có: {known}).")
        values[key] = value
    try:
        sign_date, _ = parse_date(values.get("sign_date"))
    except ValueError as e:
        raise RollupInfoError(f"{where}{LABELS['sign_date']}: {e}.") from e
    mode = _mode(cell_text(values.get("signing_mode")))
    if mode is None:
        raise RollupInfoError(
            f"{where}{LABELS['signing_mode']}: “{cell_text(values.get('signing_mode'))}” không hợp lệ; "
            "để trống (Giám đốc ký), ghi KT. (ký thay) hoặc TM. (thay mặt)."
        )
    recipients = values.get("recipients")
    lines = recipients if isinstance(recipients, list | tuple) else cell_text(recipients).split("\n")
    return RollupInfo(
        doc_number=cell_text(values.get("doc_number")).strip(),
        sign_date=sign_date,
        signing_mode=mode,
        signer_title=cell_text(values.get("signer_title")).strip(),
        signer_name=cell_text(values.get("signer_name")).strip(),
        recipients=tuple(str(line).strip() for line in lines if str(line).strip()),
    )


def read_rollup_info(path: Path) -> RollupInfo:
    """A workbook (label in column A, value in column B) or a YAML mapping (label: value)."""
    where = f"{path.name}: "
    if not path.is_file():
        raise RollupInfoError(f"{where}không tìm thấy tệp thông tin báo cáo tổng hợp.")
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            raise RollupInfoError(f"{where}không đọc được tệp YAML ({e}).") from e
        if not isinstance(data, dict):
            raise RollupInfoError(f"{where}mỗi dòng phải có dạng “Mục: nội dung”, ví dụ “Người ký: Nguyễn Văn A”.")
        return rollup_info_from_fields(data, where)
    if path.suffix.lower() != ".xlsx":
        raise RollupInfoError(f"{where}hãy dùng tệp .xlsx (hoặc .yaml) như tệp do lệnh new-input --roll-up-info tạo.")
    return rollup_info_from_fields(_workbook_fields(path, where), where)


def _workbook_fields(path: Path, where: str) -> dict[str, Any]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise RollupInfoError(f"{where}không mở được bảng tính ({type(e).__name__}).") from e
    try:
        fields: dict[str, Any] = {}
        for row in wb.worksheets[0].iter_rows(max_col=2, values_only=True):
            label, value = (*row, None, None)[:2]
            if fold(label) in _KEYS:  # titles, headers and notes are skipped
                fields[str(label)] = value
        return fields
    finally:
        wb.close()


def _mode(text: str) -> str | None:
    folded = fold(text).replace(" ", "")
    return {"": "", "kt": "KT.", "kythay": "KT.", "tm": "TM.", "thaymat": "TM."}.get(folded)


def rollup_info_workbook() -> bytes:
    """A blank info workbook for the Sở: one field per row (label | value | help), printable."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Thông tin chung"
    ws["A1"] = "THÔNG TIN BÁO CÁO TỔNG HỢP CỦA SỞ NỘI VỤ"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws.append(["Mục", "Nội dung", "Hướng dẫn"])
    for cell in ws[2]:
        cell.font, cell.fill, cell.border = Font(name=FONT, bold=True), HEADER_FILL, BORDER
    for key, label in LABELS.items():
        ws.append([label, None, HELP[key]])
        for cell in ws[ws.max_row]:
            cell.font, cell.border, cell.alignment = Font(name=FONT, size=12), BORDER, WRAP
        ws.cell(row=ws.max_row, column=3).font = Font(name=FONT, size=10, italic=True, color="595959")
    ws.cell(row=ws.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[ws.max_row].height = 80
    for letter, width in zip("ABC", (24, 50, 60), strict=True):
        ws.column_dimensions[letter].width = width
    setup_print(ws, "Thông tin báo cáo tổng hợp", title_rows="2:2")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rollup_doc(settings: Consolidated, info: RollupInfo, year: int, place: str) -> dict[str, str]:
    """Số, ký hiệu and date of the consolidated report; blanks give the văn thư's draft."""
    ref = doc_reference(info.doc_number or None, settings.doc_symbol)
    return {
        "number_line": f"Số: {ref}",
        "ref": ref,
        "place_date": f"{place}, {date_long(info.sign_date, year)}",
        "date_long": date_long(info.sign_date, year),
        "date_short": date_short(info.sign_date, year),
    }


def rollup_signature(settings: Consolidated, info: RollupInfo) -> dict[str, Any]:
    """Authority lines and signer: "GIÁM ĐỐC"; "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"; "TM. SỞ NỘI VỤ" / …"""
    head = upper_vi(settings.signer_title.strip())
    title = upper_vi(info.signer_title) if info.signer_title else ""
    if info.signing_mode == "KT.":
        lines = [f"KT. {head}", title if title and title != head else f"PHÓ {head}"]
    else:
        lines = [title or head]
    authority = f"TM. {upper_vi(settings.issuer)}" if info.signing_mode == "TM." else ""
    return {"authority": authority, "title_lines": lines, "name": info.signer_name}
