"""Native charts in a report made by the compile-once renderer (baocao.render.CompiledTemplate).

docxtpl adds a chart through python-docx's part graph (`InlineChart`); the compiled renderer has no
such graph, so `ChartSlots` does what python-docx would: each `{{ c.chart }}` rendered takes the
first relationship id the document does not use and the first free chart and workbook numbers
(in the order the document shows them, as python-docx numbers them), and `members` then gives the
chart parts, their workbooks, and the document's relationships and content types with them added.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from baocao.word.chart import ChartData, chart_workbook, chart_xml, drawing_run

DOCUMENT_RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_PARTS = (DOCUMENT_RELS, CONTENT_TYPES)  # what a chart changes besides its own parts
_ID = re.compile(rb'\bId\s*=\s*"([^"]*)"')
_DEFAULT_XLSX = re.compile(rb'<Default\b[^>]*\bExtension\s*=\s*"xlsx"', re.IGNORECASE)


class ChartSlot:
    """One chart of the report: becomes its drawing run when Jinja renders it (as InlineChart does)."""

    def __init__(self, slots: ChartSlots, data: ChartData, number: int, description: str) -> None:
        self.slots, self.data, self.number, self.description = slots, data, number, description
        self._xml = ""

    def _insert(self) -> str:
        if not self._xml:
            self._xml = drawing_run(self.slots.take(self.data), self.data, self.number, self.description)
        return self._xml

    __str__ = __html__ = _insert


class ChartSlots:
    """The charts one render adds; `package` holds the template's relationships and content types."""

    def __init__(self, package: dict[str, bytes], names: list[str]) -> None:
        self.package = package
        self._ids = {m.decode().lower() for m in _ID.findall(package[DOCUMENT_RELS])}
        self._names = {name.lower() for name in names}
        self.taken: list[tuple[str, str, str, ChartData]] = []  # (rel id, chart member, workbook member, data)

    def slot(self, data: ChartData, number: int, description: str = "") -> ChartSlot:
        return ChartSlot(self, data, number, description)

    def take(self, data: ChartData) -> str:
        """The relationship id of a chart rendered now, its part names reserved."""
        r_id = _first_free("rId%d", self._ids)
        book = _first_free("word/embeddings/Microsoft_Excel_Sheet%d.xlsx", self._names)
        chart = _first_free("word/charts/chart%d.xml", self._names)
        self.taken.append((r_id, chart, book, data))
        return r_id

    def members(self) -> list[tuple[str, bytes]]:
        """Every member to write: the charts with their relationships and workbooks, and the
        document's relationships and content types (unchanged when no chart was rendered)."""
        rels, types = self.package[DOCUMENT_RELS], self.package[CONTENT_TYPES]
        out: list[tuple[str, bytes]] = []
        added_rels, added_types = [], []
        for r_id, chart, book, data in self.taken:
            chart_name = chart.rsplit("/", 1)[1]
            book_target = "../embeddings/" + book.rsplit("/", 1)[1]
            out += [
                (chart, chart_xml(data, "rId1")),
                (f"word/charts/_rels/{chart_name}.rels", _relationships([("rId1", RT.PACKAGE, book_target)])),
                (book, chart_workbook(data)),
            ]
            added_rels.append(_relationship(r_id, RT.CHART, f"charts/{chart_name}"))
            added_types.append(f'<Override PartName="/{chart}" ContentType="{CT.DML_CHART}"/>')
        if self.taken and not _DEFAULT_XLSX.search(types):
            added_types.insert(0, f'<Default Extension="xlsx" ContentType="{CT.SML_SHEET}"/>')
        out.append((DOCUMENT_RELS, _append(rels, "</Relationships>", added_rels)))
        out.append((CONTENT_TYPES, _append(types, "</Types>", added_types)))
        return out


def _first_free(pattern: str, used: set[str]) -> str:
    """The first pattern % n (n = 1, 2, …) not in `used` (lower-cased names), now reserved there."""
    n = 1
    while (pattern % n).lower() in used:
        n += 1
    used.add((pattern % n).lower())
    return pattern % n


def _relationship(r_id: str, kind: str, target: str) -> str:
    return f"<Relationship Id={quoteattr(r_id)} Type={quoteattr(kind)} Target={quoteattr(target)}/>"


def _relationships(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(_relationship(*item) for item in items)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'
    ).encode()


def _append(xml: bytes, closing: str, elements: list[str]) -> bytes:
    """The part with elements inserted before its root's closing tag."""
    if not elements:
        return xml
    at = xml.rfind(closing.encode())
    if at < 0:
        raise ValueError(f"no {closing} in the template's part")
    return xml[:at] + "".join(elements).encode() + xml[at:]
