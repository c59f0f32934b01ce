"""One fast pass over the raw sheet XML of a workbook, before python-calamine reads it.

It finds, per sheet, without building the grid:
- the guard: a cell with a value far outside any form (`layout.GUARD_MAX_ROW`, `GUARD_MAX_COL`).
  python-calamine allocates the whole rectangle from A1 to the farthest cell that has a value,
  so one letter typed at XFD1048576 (Ctrl+End, then a key) asks for 512 GB and aborts the
  process. A cell counts when calamine would keep it: `<c r="…"/>`, `<v></v>` or a formula
  without a cached value are empty, an empty inline string `<is><t></t></is>` is not. The
  `<dimension ref>` is not trusted (it can be stale either way): only the cells are;
- the cells calamine shows as blank or as a plain number: Excel errors (`t="e"`), formulas
  (`<f>`, whose cached value calamine returns as if it had been typed), and numbers with a
  percentage number format (`50%` is stored as 0.5).

The common sheet (every cell written `<c r="…"`, no namespace prefix inside `sheetData`, no
reference beyond column ZZ or row 999) is handled by one regular expression anchored on "<"
that only stops at formulas, error values and odd cells, and one anchored on ":" for prefixed
elements: ~10 times cheaper than looking at every cell. Anything else goes through `_exact`,
which follows calamine's own rules (element local names, so Strict Open XML and prefixed
namespaces too; cells without `r` placed after the previous one; rows without `r` counted).
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from baocao import layout

# stops of the fast pass: an odd cell tag, a far-looking reference, a formula, an error value,
# any prefixed element that calamine would read as a row, cell, value or formula
# (first: the common formula cell, `<c r="D14" s="5"><f>SUM(D10:D13)</f>`, read in the same match)
_FAST = re.compile(
    rb'<(?:c r="([A-Z]{1,2}[0-9]{1,3})"(?: s="[0-9]+")?><f>([^<]*)</f>'
    rb'|c(?: r="(?:[A-Za-z]{3,}|[A-Za-z]{1,2}[0-9]{4,})|(?! r=")[\s>/])|f[\s>/]|v>#)'
)
_PREFIXED = re.compile(rb":(?:c|f|v|is|row)[\s>/]")  # a prefixed <x:c>, <x:v>…: calamine reads local names
_CELL_START = b'<c r="'
_ATTRS = re.compile(rb'([\w.:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_TAG_BODY = rb'((?:[^>"\']|"[^"]*"|\'[^\']*\')*?)'
# a row start or end tag, or a whole cell (any namespace prefix), in document order
_ITEM = re.compile(
    rb"<(?:[\w.-]+:)?row\b" + _TAG_BODY + rb"(/?)>"
    rb"|</(?:[\w.-]+:)?row\s*>"
    rb"|<(?:[\w.-]+:)?c(?=[\s>/])" + _TAG_BODY + rb"(?:/>|>(.*?)</(?:[\w.-]+:)?c\s*>)",
    re.DOTALL,
)
_CHILD = re.compile(rb"<(?:[\w.-]+:)?(v|is|f)\b" + _TAG_BODY + rb"(?:/>|>(.*?)</(?:[\w.-]+:)?\1\s*>)", re.DOTALL)
_REF = re.compile(rb"([A-Za-z]*)([0-9]+)")
_R_VALUE = re.compile(rb'r="([A-Za-z]+[0-9]+)"')
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)")


@dataclass
class SheetScan:
    """What one sheet's XML holds beyond calamine's values."""

    special: dict[str, tuple[str, str]] = field(default_factory=dict)  # 'D14' → ('error', '#DIV/0!')
    percent: set[str] = field(default_factory=set)  # cells with a percentage number format
    far: str = ""  # the first cell with a value beyond the guard limits, e.g. 'XFD1048576'


def column_name(index: int) -> str:
    """1 → 'A', 16384 → 'XFD'."""
    name = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _position(ref: bytes) -> tuple[int, int] | None:
    """'XFD1048576' → (1048576, 16384), 1-based; None where calamine would refuse the reference."""
    m = _REF.fullmatch(ref)
    if m is None or int(m.group(2) or 0) == 0:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ch - 64
    return int(m.group(2)), col


def _is_far(row: int, col: int) -> bool:
    return row > layout.GUARD_MAX_ROW or col > layout.GUARD_MAX_COL


@functools.lru_cache(maxsize=8192)  # the form's own formulas come back in every workbook
def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _sheet_data(data: bytes) -> tuple[int, int]:
    """The span that can hold cells: from the first 'sheetData' to the last (a superset)."""
    start = data.find(b"sheetData")
    return (start, data.rfind(b"sheetData")) if start >= 0 else (0, 0)


def scan_sheet(data: bytes, percent_styles: frozenset[str]) -> SheetScan:
    """The special cells, percentage cells and far cell of one sheet's XML."""
    start, end = _sheet_data(data)
    if end <= start:
        return SheetScan()
    if _PREFIXED.search(data, start, end):
        return _exact(data, start, end, percent_styles)
    found = SheetScan()
    for match in _FAST.finditer(data, start, end):
        ref = match.group(1)
        if ref is not None:  # a common formula cell, as `_fast_formula` would read it
            if data.find(b"</c>", match.end()) >= 0:
                found.special[ref.decode()] = ("formula", "=" + _text(match.group(2)))
            continue
        if match.group().startswith((b"<c", b"<v")):
            return _exact(data, start, end, percent_styles)
        _fast_formula(data, match.start(), start, found)
    if percent_styles:
        _fast_percent(data, start, end, percent_styles, found)
    return found


def _enclosing_cell(data: bytes, pos: int, start: int) -> tuple[bytes, bytes, bytes] | None:
    """(reference, start-tag attributes, body) of the `<c r="…">` holding position pos."""
    cell = data.rfind(_CELL_START, start, pos)
    if cell < 0:
        return None
    close = data.find(b">", cell)
    end = data.find(b"</c>", close)
    if close < 0 or close > pos or data[close - 1 : close] == b"/" or end < pos:
        return None
    attributes = data[cell + 2 : close]
    ref = _R_VALUE.match(attributes, 1)
    return (ref.group(1), attributes, data[close + 1 : end]) if ref else None


def _fast_formula(data: bytes, pos: int, start: int, found: SheetScan) -> None:
    cell = _enclosing_cell(data, pos, start)
    if cell is None:
        return
    ref, attributes, body = cell
    if b"t=" in attributes or b"<f" not in body[:3]:  # anything but `<c r=".." s=".."><f>…`
        _special(ref.decode().upper(), _attributes(attributes), body, found)
        return
    formula = _FORMULA.match(body)
    if formula is not None:
        found.special[ref.decode().upper()] = ("formula", "=" + _text(formula.group(1) or b""))
    else:
        _special(ref.decode().upper(), _attributes(attributes), body, found)


def _fast_percent(data: bytes, start: int, end: int, styles: frozenset[str], found: SheetScan) -> None:
    for style in styles:
        needle = f' s="{style}"'.encode()
        at = data.find(needle, start, end)
        while at >= 0:
            cell = data.rfind(_CELL_START, start, at)
            close = data.find(b">", cell)
            if cell >= 0 and close > at:  # the attribute is in this cell's start tag
                ref = _R_VALUE.match(data, cell + 3)
                if ref:
                    found.percent.add(ref.group(1).decode().upper())
            at = data.find(needle, at + 1, end)


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    """Unprefixed attributes as calamine matches them (QName b"r", b"s", b"t")."""
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTRS.finditer(raw)}


def _special(ref: str, attributes: dict[bytes, bytes], body: bytes, found: SheetScan) -> None:
    """Record an error or formula cell (the error first: a formula may give the error)."""
    children = [(m.group(1), m.group(3) or b"") for m in _CHILD.finditer(body)]
    if attributes.get(b"t") == b"e":
        value = next((text for name, text in children if name == b"v"), b"")
        found.special[ref] = ("error", _text(value).strip() or "#N/A")
        return
    formula = next((text for name, text in children if name == b"f"), None)
    if formula is not None:
        found.special[ref] = ("formula", "=" + _text(formula))


def _has_value(attributes: dict[bytes, bytes], body: bytes | None) -> bool:
    """Whether calamine keeps the cell (anything but Empty), erring on the side of 'yes'."""
    if not body:
        return False
    kind = attributes.get(b"t")
    for m in _CHILD.finditer(body):
        name, text = m.group(1), m.group(3) or b""
        if name == b"is":
            return True
        if name == b"v" and kind not in (b"inlineStr", b"is") and (text or kind in (b"str", b"d", b"b")):
            return True
    return False


def _exact(data: bytes, start: int, end: int, percent_styles: frozenset[str]) -> SheetScan:
    """Every row and cell, placed as calamine places them (see the module docstring)."""
    found = SheetScan()
    row_index, col_index = 1, 1
    for m in _ITEM.finditer(data, start, end):
        whole = m.group()
        if whole.startswith(b"</"):
            row_index, col_index = row_index + 1, 1
            continue
        if m.group(1) is not None:  # a row start tag
            r = _REF.fullmatch(_attributes(m.group(1)).get(b"r", b""))
            if r and int(r.group(2)) > 0:
                row_index = int(r.group(2))
            if m.group(2) == b"/":
                row_index, col_index = row_index + 1, 1
            continue
        attributes = _attributes(m.group(3) or b"")
        body = m.group(4)
        r = attributes.get(b"r")
        place = _position(r) if r else (row_index, col_index)
        if place is None:
            continue  # calamine refuses the reference: the sheet is reported as damaged
        row, col = place
        col_index = col + 1
        ref = f"{column_name(col)}{row}"
        if not found.far and _is_far(row, col) and _has_value(attributes, body):
            found.far = ref
        if body and (attributes.get(b"t") == b"e" or b"f" in body):
            _special(ref, attributes, body, found)
        if attributes.get(b"s", b"").decode("ascii", "replace") in percent_styles:
            found.percent.add(ref)
    return found


# --- styles: which cell styles show a number as a percentage ---------------------------------

_NUMFMT = re.compile(rb"<(?:[\w.-]+:)?numFmt\b" + _TAG_BODY + rb"/?>")
_XFS = re.compile(rb"<(?:[\w.-]+:)?cellXfs\b.*?</(?:[\w.-]+:)?cellXfs\s*>", re.DOTALL)
_XF = re.compile(rb"<(?:[\w.-]+:)?xf\b" + _TAG_BODY + rb"/?>")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
BUILTIN_PERCENT = frozenset({9, 10})  # 0% and 0.00%
_MAYBE_PERCENT = re.compile(rb'%|numFmtId\s*=\s*["\'](?:9|10)["\']')


def is_percent_format(code: str) -> bool:
    """A number format that shows value × 100 with '%' ('0.0%'); not a '%' in quotes or escaped."""
    return "%" in _QUOTED.sub("", code)


@functools.lru_cache(maxsize=64)  # the workbooks of one blank share their styles part
def percent_styles(styles: bytes) -> frozenset[str]:
    """Indexes (as in a cell's s="…") of the cell styles with a percentage number format."""
    if _MAYBE_PERCENT.search(styles) is None:
        return frozenset()
    custom: dict[int, bool] = {}  # numFmtId → shows a percentage (a custom code overrides a built-in id)
    for m in _NUMFMT.finditer(styles):
        attributes = _attributes(m.group(1))
        number = attributes.get(b"numFmtId", b"")
        if number.isdigit():
            custom[int(number)] = is_percent_format(_text(attributes.get(b"formatCode", b"")))
    xfs = _XFS.search(styles)
    if xfs is None:
        return frozenset()
    found = set()
    for index, m in enumerate(_XF.finditer(xfs.group())):
        number = _attributes(m.group(1)).get(b"numFmtId", b"")
        if number.isdigit() and custom.get(int(number), int(number) in BUILTIN_PERCENT):
            found.add(str(index))
    return frozenset(found)
