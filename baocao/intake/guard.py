"""Open an input workbook safely: refuse, with one clear reason each (a WorkbookError's code), anything
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
        raise WorkbookError(path, "lock-file", workbook=name[2:])
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise WorkbookError(path, "xls")
    if suffix == ".xlsm":
        raise WorkbookError(path, "xlsm")
    if suffix == ".ods":
        raise WorkbookError(path, "ods")
    if suffix != ".xlsx":
        raise WorkbookError(path, "not-xlsx", suffix=path.suffix)


def check_content(path: Path) -> Package:
    """Refuse by what the file holds, whatever its name: empty, too big, another format, a damaged
    package, a zip bomb, a workbook with macros. Else the package, over the file's bytes read once
    (at most MAX_FILE_BYTES), so that the reader does not read and parse the file again."""
    if not path.is_file():
        raise WorkbookError(path, "file-not-found" if not path.exists() else "not-a-file")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(path, "empty-file")
    if size > layout.MAX_FILE_BYTES:
        raise WorkbookError(path, "file-too-big", size=size, limit=layout.MAX_FILE_BYTES)
    data = path.read_bytes()
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise WorkbookError(path, "password")
        raise WorkbookError(path, "xls-renamed")
    if not head.startswith(b"PK"):
        raise WorkbookError(path, "not-a-package")
    return _check_zip(path, data)


def _check_zip(path: Path, data: bytes) -> Package:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
        names = {i.filename for i in infos}
        unpacked = sum(i.file_size for i in infos)
        mimetype = z.read("mimetype")[:60] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise WorkbookError(path, "bad-zip") from e
    if unpacked > layout.MAX_UNPACKED_BYTES or unpacked > 200 * max(1, len(data)) + 10_000_000:
        raise WorkbookError(path, "zip-bomb")
    if b"opendocument.spreadsheet" in mimetype:
        raise WorkbookError(path, "ods-renamed")
    if "xl/workbook.xml" not in names:
        raise WorkbookError(path, "docx-renamed" if "word/document.xml" in names else "zip-renamed")
    if "xl/vbaProject.bin" in names:
        raise WorkbookError(path, "xlsm")
    return Package(data, z)


def open_workbook(path: Path) -> CleanWorkbook:
    """The workbook's values (text without what XML cannot hold), after check_file; WorkbookError if it
    cannot be parsed."""
    try:
        package = check_file(path)
    except PermissionError as e:
        raise WorkbookError(path, "no-permission") from e
    except OSError as e:
        raise WorkbookError(path, "os-error", error=str(e.strerror or e)) from e
    if str(path) != str(path).encode("utf-8", "replace").decode("utf-8"):
        raise WorkbookError(path, "name-not-utf8")
    try:
        return CleanWorkbook(XlsxWorkbook(path, package))
    except WorkbookError:
        raise
    except Exception as e:  # calamine and lxml raise many kinds on a damaged package
        raise WorkbookError(path, "damaged-package", error=type(e).__name__) from e


def find_sheet(wb: Any, wanted: str) -> str | None:
    """The sheet named `wanted`, else one whose name differs only in case, spaces or punctuation."""
    if wanted in wb.sheetnames:
        return wanted
    return next((s for s in wb.sheetnames if normalize_label(s) == normalize_label(wanted)), None)
