"""Text that XML (and so Word and Excel) cannot hold, removed where it enters and where it leaves.

A clerk can paste into a cell characters that the .docx and .xlsx we write cannot contain:
C0 control characters other than tab, line feed and carriage return (Word's manual line break
U+000B, a form feed …), lone surrogates, and the Unicode noncharacters (U+FFFE, U+FFFF,
U+FDD0–U+FDEF and the last two code points of every plane). Left in, they give a document that
Word and LibreOffice refuse to open. They are removed when the workbook is read, with a warning
naming the cell (`CleanWorkbook`), and once more by every writer as a last defence (`xml_safe`).
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils import get_column_letter

from baocao.problems import WARNING, Problem

# Written as the complement of what XML may hold: the same characters as listing them (C0 controls
# but tab, LF, CR; surrogates; U+FDD0–U+FDEF; U+xFFFE and U+xFFFF of every plane), but a negated
# class of ranges is searched ~10 times faster by `re` than a class holding astral characters.
_PLANES = "".join(f"{chr(plane << 16)}-{chr((plane << 16) | 0xFFFD)}" for plane in range(1, 17))
NOT_XML = re.compile(f"[^\t\n\r\x20-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd{_PLANES}]")


def xml_clean(text: str) -> tuple[str, list[str]]:
    """(text without the characters XML cannot hold, the characters removed)."""
    removed = NOT_XML.findall(text)
    return (NOT_XML.sub("", text), removed) if removed else (text, [])


def xml_safe(value: Any) -> Any:
    """The value with those characters removed when it is text; anything else unchanged."""
    return NOT_XML.sub("", value) if isinstance(value, str) else value


def describe(removed: list[str]) -> str:
    """'1 ký tự không hợp lệ (U+FFFE)', '3 ký tự không hợp lệ (U+000B, U+FFFE)'."""
    codes = sorted({f"U+{ord(c):04X}" for c in removed})
    shown = ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")
    return f"{len(removed)} ký tự không hợp lệ ({shown})"


def removed_problem(file: str, sheet: str, cell: str, label: str, removed: list[str]) -> Problem:
    """The warning about a cell that lost characters a workbook cannot hold."""
    return Problem("characters-removed", WARNING, file, sheet, cell, label, {"removed": list(removed)})


class CleanWorkbook:
    """A read-only workbook (`rows`, `special_cells`, `sheetnames`, `close`) whose text comes back
    without the characters XML cannot hold; `removed` remembers, per (sheet, cell), what was taken out."""

    def __init__(self, book: Any) -> None:
        self._book = book
        self._raw_names: dict[str, str] = {}
        for name in book.sheetnames:
            self._raw_names.setdefault(xml_safe(name), name)
        self.sheetnames: list[str] = list(self._raw_names)
        self.removed: dict[tuple[str, str], list[str]] = {}

    def rows(self, sheet: str, max_row: int, max_col: int) -> list[tuple[Any, ...]]:
        rows = self._book.rows(self._raw_names.get(sheet, sheet), max_row=max_row, max_col=max_col)
        if not NOT_XML.search("".join([v for row in rows for v in row if type(v) is str])):
            return rows  # one search for the whole sheet: a character to remove is rare
        for r, row in enumerate(rows):
            if any(isinstance(v, str) and NOT_XML.search(v) for v in row):
                rows[r] = tuple(self._clean(sheet, f"{get_column_letter(c)}{r + 1}", v) for c, v in enumerate(row, 1))
        return rows

    def special_cells(self, sheet: str) -> dict[str, tuple[str, str]]:
        special = self._book.special_cells(self._raw_names.get(sheet, sheet))
        return {cell: (kind, self._clean(sheet, cell, text)) for cell, (kind, text) in special.items()}

    def _clean(self, sheet: str, cell: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text, removed = xml_clean(value)
        if removed:
            self.removed[(sheet, cell)] = removed
        return text

    def problems(self, file: str, labels: dict[tuple[str, str], str] | None = None) -> list[Problem]:
        """One warning per cell that lost characters, in sheet order, labelled where the cell is known."""
        labels = labels or {}
        order = {name: i for i, name in enumerate(self.sheetnames)}
        return [
            removed_problem(file, sheet, cell, labels.get((sheet, cell), ""), removed)
            for (sheet, cell), removed in sorted(
                self.removed.items(), key=lambda kv: (order.get(kv[0][0], len(order)), _cell_key(kv[0][1]))
            )
        ]

    def close(self) -> None:
        self._book.close()


def _cell_key(cell: str) -> tuple[int, int]:
    letters = cell.rstrip("0123456789")
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return int(cell[len(letters) :] or 0), column


FORMULA_START = ("=", "+", "-", "@")


def set_text(cell: Any, value: Any) -> Any:
    """Put value in an openpyxl cell; text is stored as text, never as a formula: "=HYPERLINK(…)" typed
    as a unit name stays those characters (data type 's', with Excel's quote prefix so that editing the
    cell keeps it text), and characters XML cannot hold are dropped. Returns the cell."""
    cell.value = xml_safe(value)
    if isinstance(value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def texts_as_text(workbook: Any) -> None:
    """set_text on every text cell of an openpyxl workbook that holds no formula of ours (tong_hop.xlsx)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    set_text(cell, cell.value)
