"""Fast read-only access to an .xlsx: cell values through python-calamine, plus the cells
that hold an Excel error or a formula (calamine shows both as blank), from the sheet XML.

openpyxl needs ~30 ms just to open one of our workbooks (it parses every style); calamine
reads all sheets in ~2 ms, which is what lets a city's or the country's workbooks be read in
seconds. openpyxl is still used to write workbooks.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

import python_calamine
from lxml import etree

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
# a cell element with an optional namespace prefix: <c r="D14" t="e"><v>#DIV/0!</v></c>
_CELL = re.compile(rb"<((?:\w+:)?c)\b([^>]*?)(?:/>|>(.*?)</\1>)", re.DOTALL)
_ATTR_R = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_ATTR_ERROR = re.compile(rb'\bt="e"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>(.*?)</(?:\w+:)?v>", re.DOTALL)


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace"))


class XlsxWorkbook:
    """Values of every sheet by name; `special_cells(sheet)` gives error and formula cells."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        self.sheetnames: list[str] = list(self._book.sheet_names)
        self._sheet_parts: dict[str, str] | None = None
        self._special: dict[str, dict[str, tuple[str, str]]] | None = None

    def rows(self, sheet: str, max_row: int, max_col: int) -> list[tuple[Any, ...]]:
        """Rows of values from A1 (blank cells → None, whole floats → int), at most max_row × max_col."""
        rows = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False, nrows=max_row)
        return [tuple(_value(v) for v in row[:max_col]) for row in rows]

    def special_cells(self, sheet: str) -> dict[str, tuple[str, str]]:
        """'D14' → ('error', '#DIV/0!') or ('formula', '=12+3') for cells calamine reads as blank."""
        if self._special is None:
            self._special = self._scan_special()
        return self._special.get(sheet, {})

    def _scan_special(self) -> dict[str, dict[str, tuple[str, str]]]:
        """Error and formula cells of every sheet, in one pass over the package (regular expressions
        over the sheet XML: ~20× faster than parsing it, and only <c> elements are looked at)."""
        found: dict[str, dict[str, tuple[str, str]]] = {}
        with zipfile.ZipFile(self.path) as z:
            names = set(z.namelist())
            for sheet, part in self._parts(z).items():
                if part not in names:
                    continue
                cells: dict[str, tuple[str, str]] = {}
                for match in _CELL.finditer(z.read(part)):
                    attributes, body = match.group(2), match.group(3) or b""
                    if b"<" not in body:
                        continue
                    reference = _ATTR_R.search(attributes)
                    if reference is None:
                        continue
                    formula = _FORMULA.search(body)
                    if _ATTR_ERROR.search(attributes):
                        value = _VALUE.search(body)
                        cells[reference.group(1).decode()] = ("error", _text(value.group(1)) if value else "#N/A")
                    elif formula is not None:
                        cells[reference.group(1).decode()] = ("formula", "=" + _text(formula.group(1) or b""))
                found[sheet] = cells
        return found

    def _parts(self, z: zipfile.ZipFile) -> dict[str, str]:
        """Sheet name → zip member of its XML (from workbook.xml and its relationships)."""
        if self._sheet_parts is None:
            book = etree.fromstring(z.read("xl/workbook.xml"), _PARSER)
            rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"), _PARSER)
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{PKG_REL_NS}}}Relationship")}
            self._sheet_parts = {}
            for sheet in book.iter(f"{{{MAIN_NS}}}sheet"):
                target = targets.get(sheet.get(f"{{{REL_NS}}}id"), "")
                member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                self._sheet_parts[sheet.get("name", "")] = member
        return self._sheet_parts

    def close(self) -> None:
        self._book.close()


def _value(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
