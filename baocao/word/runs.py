"""Word runs whose properties follow the schema's element order (docxtpl's RichText writes `w:sz`
before `w:b`/`w:i`, which validators reject and Word may drop)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from docxtpl import RichText


def run_xml(text: str, *, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
    """One `<w:r>`: `w:b`, `w:i`, then `w:sz`, `w:szCs` (CT_RPr order)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if size:
        props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(str(text))}</w:t></w:r>'


class Runs(RichText):
    """A RichText built from schema-ordered runs; docxtpl inserts its `xml` as it is."""

    def __init__(self, text: str = "", *, bold: bool = False, italic: bool = False, size: int | None = None) -> None:
        super().__init__()
        if text:
            self.append(text, bold=bold, italic=italic, size=size)

    def append(self, text: str, *, bold: bool = False, italic: bool = False, size: int | None = None) -> None:
        """Add one run."""
        self.xml += run_xml(text, bold=bold, italic=italic, size=size)
