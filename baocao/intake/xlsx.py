"""Fast read-only access to an .xlsx: cell values through python-calamine, plus the cells
that hold an Excel error or a formula (calamine shows both as blank), from the sheet XML.

openpyxl needs ~30 ms just to open one of our workbooks (it parses every style); calamine
reads all sheets in ~2 ms, which is what lets a city's or the country's workbooks be read in
seconds. openpyxl is still used to write workbooks.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import struct
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import python_calamine
from lxml import etree
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from baocao.errors import WorkbookError
from baocao.intake.sheetscan import SheetScan, percent_styles, scan_sheet

REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",  # Strict Open XML
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class Package(NamedTuple):
    """A workbook file's bytes, and the zip opened over them."""

    raw: bytes
    zip: zipfile.ZipFile


class FarCellError(WorkbookError):
    """Raised when a sheet has a value far outside any form (the reader would need gigabytes)."""

    def __init__(self, path: Path, sheet: str, cell: str) -> None:
        self.sheet, self.cell = sheet, cell
        super().__init__(path, "far-cell", sheet=sheet, cell=cell)


class XlsxWorkbook:
    """Values of every sheet by name; `special_cells(sheet)` gives error and formula cells.

    Before calamine reads a sheet, its XML is scanned (baocao.intake.sheetscan): a sheet with a value
    far outside the form raises FarCellError instead of making calamine allocate gigabytes.
    """

    def __init__(self, path: Path, package: Package | None = None) -> None:
        """`package`: the file already read and opened (guard.check_file's), else it is read here."""
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._raw = b""
        self._members: dict[str, list[zipfile.ZipInfo]] = {}
        if package is not None:
            self._adopt(package.zip, package.raw)
        self._check_string_table()
        self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        self.sheetnames: list[str] = list(self._book.sheet_names)
        self._sheet_parts: dict[str, str] | None = None
        self._percent_styles: frozenset[str] | None = None
        self._scans: dict[str, SheetScan] = {}
        self._values: dict[str, tuple[int, list[list[Any]]]] = {}  # sheet → (rows asked, values)

    def rows(self, sheet: str, max_row: int, max_col: int) -> list[tuple[Any, ...]]:
        """Rows of values from A1 (blank cells → None, whole floats → int, a percentage-formatted
        number → the percentage it shows), at most max_row × max_col. FarCellError for a sheet
        with a value far outside the form."""
        scan = self.scan(sheet)
        if scan.far:
            raise FarCellError(self.path, sheet, scan.far)
        read, values = self._values.get(sheet, (0, []))
        if read < max_row and (not read or len(values) >= read):  # not read yet, or cut short
            try:
                values = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False, nrows=max_row)
            except Exception as e:  # calamine raises many kinds on a damaged sheet part
                raise WorkbookError(self.path, "sheet-damaged", sheet=sheet, error=type(e).__name__) from e
            self._values[sheet] = (max_row, values)
        rows = [
            tuple(
                (v if v else None) if type(v) is str else _value(v)  # text first: most cells are
                for v in row[:max_col]
            )
            for row in values[:max_row]
        ]
        if scan.percent:
            _apply_percent(rows, scan.percent)
        return rows

    def special_cells(self, sheet: str) -> dict[str, tuple[str, str]]:
        """'D14' → ('error', '#DIV/0!') or ('formula', '=12+3') for cells calamine reads as blank."""
        return self.scan(sheet).special

    def scan(self, sheet: str) -> SheetScan:
        """The raw-XML scan of one sheet (guard, special and percentage cells), done once."""
        found = self._scans.get(sheet)
        if found is None:
            try:
                found = self._scans[sheet] = self._scan(sheet)
            except Exception as e:  # XML that lxml refuses, a member failing its CRC…
                raise WorkbookError(self.path, "sheet-damaged", sheet=sheet, error=type(e).__name__) from e
        return found

    def _scan(self, sheet: str) -> SheetScan:
        z = self._package()
        part = (self._parts(z).get(sheet) or "").lower()
        result = SheetScan()
        for info in self._members.get(part, []):  # every member calamine might take for it
            found = scan_sheet(self._member(z, info), self._styles(z))
            result.special.update(found.special)
            result.percent |= found.percent
            result.far = result.far or found.far
        return result

    def _check_string_table(self) -> None:
        """Refuse a shared-string table that claims more strings than its bytes can hold: calamine
        reserves room for the count it claims (4 billion → 96 GB) before reading a single one."""
        try:
            z = self._package()
        except (OSError, zipfile.BadZipFile, ValueError):
            return  # not a readable zip: the reader's own checks say so
        infos = self._members.get("xl/sharedstrings.xml")  # member names are kept lower-cased
        if not infos:
            return
        info = infos[0]
        try:
            with z.open(info) as f:
                head = f.read(1024)
        except (OSError, zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError):
            return
        room = info.file_size // 7 + 16  # the shortest string, <si><t/></si>, takes more than 7 bytes
        for attribute in (b"uniqueCount", b"count"):
            found = re.search(rb"\b" + attribute + rb'\s*=\s*["\']\s*(\d{1,20})', head)
            if found and int(found.group(1)) > room:
                raise WorkbookError(self.path, "string-table-too-big", claimed=int(found.group(1)))

    def _package(self) -> zipfile.ZipFile:
        if self._zip is None:
            raw = self.path.read_bytes()
            self._adopt(zipfile.ZipFile(io.BytesIO(raw)), raw)
        assert self._zip is not None
        return self._zip

    def _adopt(self, package: zipfile.ZipFile, raw: bytes) -> None:
        self._zip, self._raw, self._members = package, raw, members_by_name(package)

    def _read(self, z: zipfile.ZipFile, name: str) -> bytes:
        infos = self._members.get(name.lower())
        return self._member(z, infos[0]) if infos else b""

    def _member(self, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, inflated straight from the file's bytes (zipfile's reader costs more
        than the inflating); zipfile itself for anything unusual, which also checks the CRC."""
        offset, raw = info.header_offset, self._raw
        if (
            info.compress_type == zipfile.ZIP_DEFLATED
            and not info.flag_bits & 1
            and raw[offset : offset + 4] == b"PK\x03\x04"
        ):
            name_length, extra_length = struct.unpack_from("<HH", raw, offset + 26)
            start = offset + 30 + name_length + extra_length
            try:
                data = zlib.decompressobj(-15).decompress(raw[start : start + info.compress_size], info.file_size + 1)
            except zlib.error:
                data = b""
            if len(data) == info.file_size:
                return data
        return z.read(info)

    def _styles(self, z: zipfile.ZipFile) -> frozenset[str]:
        if self._percent_styles is None:
            self._percent_styles = percent_styles(self._read(z, "xl/styles.xml"))
        return self._percent_styles

    def _parts(self, z: zipfile.ZipFile) -> dict[str, str]:
        if self._sheet_parts is None:
            self._sheet_parts = dict(
                sheet_parts(self._read(z, "xl/workbook.xml"), self._read(z, "xl/_rels/workbook.xml.rels"))
            )
        return self._sheet_parts

    def close(self) -> None:
        self._book.close()
        if self._zip is not None:
            self._zip.close()


_REL_IDS = frozenset(f"{{{ns}}}id" for ns in REL_NAMESPACES)


def members_by_name(package: zipfile.ZipFile) -> dict[str, list[zipfile.ZipInfo]]:
    """Every member under its lower-cased name (calamine matches part names without case)."""
    members: dict[str, list[zipfile.ZipInfo]] = {}
    for info in package.infolist():
        members.setdefault(info.filename.lower(), []).append(info)
    return members


def may_hold_text(package: Package, sheet: str, text: str) -> bool:
    """False only when no cell of `sheet` can hold `text`: neither the sheet's XML nor the shared
    strings contain its UTF-8 bytes, nor any character reference (which could spell it). True when
    unsure (a part missing or damaged: the reader proper decides)."""
    members = members_by_name(package.zip)
    try:
        book, rels = (package.zip.read(members[n][0]) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"))
        part = dict(sheet_parts(book, rels)).get(sheet)
        if part is None:
            return False  # no such sheet: nothing holds the text
        needle = text.encode("utf-8")
        for info in members.get(part.lower(), []) + members.get("xl/sharedstrings.xml", []):
            data = package.zip.read(info)
            if needle in data or b"&#" in data:
                return True
    except Exception:  # a damaged part: unsure
        return True
    return False


@functools.lru_cache(maxsize=64)  # the workbooks of one blank share these two parts
def sheet_parts(book_xml: bytes, rels_xml: bytes) -> tuple[tuple[str, str], ...]:
    """(sheet name, zip member of its XML) as calamine finds them (element local names, so
    transitional and Strict Open XML alike; a target under xl/ unless it starts with /xl/)."""
    book = etree.fromstring(book_xml, _PARSER)
    rels = etree.fromstring(rels_xml, _PARSER)
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter() if _local(r) == "Relationship"}
    parts: dict[str, str] = {}
    for sheet in book.iter():
        if _local(sheet) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k in _REL_IDS), "")
        target = targets.get(rid, "")
        if target.startswith("/xl/"):
            target = target[1:]
        elif not target.startswith("xl/"):
            target = f"xl/{target}"
        parts[sheet.get("name", "")] = target
    return tuple(parts.items())


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _apply_percent(rows: list[tuple[Any, ...]], cells: set[str]) -> None:
    """A number shown as a percentage (0.5 as '50%') → the percentage (50), exactly."""
    for ref in cells:
        column, row = coordinate_from_string(ref)
        r, c = row - 1, column_index_from_string(column) - 1
        if r < len(rows) and c < len(rows[r]):
            value = rows[r][c]
            if type(value) in (int, float):
                shown = Decimal(repr(value)) * 100
                cells_of_row = list(rows[r])
                cells_of_row[c] = int(shown) if shown == shown.to_integral_value() else shown.normalize()
                rows[r] = tuple(cells_of_row)


def _value(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
