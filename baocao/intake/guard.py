"""Open an input workbook safely: refuse, with one clear message each (WorkbookError), anything
that is not an .xlsx workbook we can read (Excel lock files, .xls, .xlsm, .ods, renamed files,
damaged packages, zip bombs, macros); find its sheets when a name was retyped.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from baocao import layout
from baocao.errors import WorkbookError
from baocao.intake.xlsx import Package, XlsxWorkbook
from baocao.parse import normalize_label
from baocao.xmltext import CleanWorkbook

SAVE_AS_XLSX = (
    "Mở tệp bằng Excel, chọn Tệp (File) → Lưu thành (Save As) → “Excel Workbook (*.xlsx)”, rồi chạy lại với tệp .xlsx."
)


def check_file(path: Path) -> Package:
    """Refuse, with one clear message, anything that is not an .xlsx workbook we can open; else the
    package, read once (see check_content)."""
    if path.name.startswith("~$") or path.is_file():
        check_name(path)
    return check_content(path)


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


def check_content(path: Path) -> Package:
    """Refuse by what the file holds, whatever its name: empty, too big, another format, a damaged
    package, a zip bomb, a workbook with macros. Else the package, over the file's bytes read once
    (at most MAX_FILE_BYTES), so that the reader does not read and parse the file again."""
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
    data = path.read_bytes()
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptionInfo".encode("utf-16-le") in data:
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
    return _check_zip(path, data)


def _check_zip(path: Path, data: bytes) -> Package:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
        names = {i.filename for i in infos}
        unpacked = sum(i.file_size for i in infos)
        mimetype = z.read("mimetype")[:60] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise WorkbookError(path, f"tệp bị hỏng, không mở được. {SAVE_AS_XLSX}") from e
    if unpacked > layout.MAX_UNPACKED_BYTES or unpacked > 200 * max(1, len(data)) + 10_000_000:
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
    return Package(data, z)


def open_workbook(path: Path) -> CleanWorkbook:
    """The workbook's values (text without what XML cannot hold), after check_file; WorkbookError if it
    cannot be parsed."""
    try:
        package = check_file(path)
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
        return CleanWorkbook(XlsxWorkbook(path, package))
    except WorkbookError:
        raise
    except Exception as e:  # calamine and lxml raise many kinds on a damaged package
        raise WorkbookError(path, f"tệp bị hỏng, không mở được ({type(e).__name__}). {SAVE_AS_XLSX}") from e


def find_sheet(wb: Any, wanted: str) -> str | None:
    """The sheet named `wanted`, else one whose name differs only in case, spaces or punctuation."""
    if wanted in wb.sheetnames:
        return wanted
    return next((s for s in wb.sheetnames if normalize_label(s) == normalize_label(wanted)), None)
