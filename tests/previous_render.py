"""The compile-once renderer as it was before issue 15, kept only for tests and benchmarks.

Its `document.xml` (and headers) are what today's renderer must still write byte for byte; the
benchmark times it as the previous figure. It follows docxtpl's render_xml_part literally: a
newline inserted before every paragraph and stripped after rendering, the four brace
replacements, a regular expression for the \\t \\a \\n \\f of resolve_listing, and a zip appended
through zipfile (whose writestr(ZipInfo) ignored the requested level 3: level 6 was used).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined
from lxml import etree

from baocao.render import HEADER_FOOTER_TYPES, XML_DECLARATION
from baocao.word.nd30 import FILTERS as ND30_FILTERS

_TAG = re.compile(r"\{\{|\{%")
_LISTING_CHARS = re.compile(r"[\t\a\n\f]")
_ENV = Environment(undefined=StrictUndefined, autoescape=True)
_ENV.filters.update(ND30_FILTERS)  # the templates' layout filters (baocao/word/nd30.py), same as the renderer's


class PreviousPart:
    def __init__(self, member: str, prefix: str, source: str, suffix: str, tpl: DocxTemplate) -> None:
        self.member, self.prefix, self.suffix, self._tpl = member, prefix, suffix, tpl
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(source))
        self.template = _ENV.from_string(src)

    def render(self, context: dict[str, Any]) -> bytes:
        xml = self.template.render(context)
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return (self.prefix + self._resolve_listing(xml) + self.suffix).encode("utf-8")

    def _resolve_listing(self, xml: str) -> str:
        out, pos = [], 0
        for match in _LISTING_CHARS.finditer(xml):
            i = match.start()
            if i < pos:
                continue
            start = max(xml.rfind("<w:p ", pos, i), xml.rfind("<w:p>", pos, i))
            end = xml.find("</w:p>", start) if start >= 0 else -1
            if end < i:
                continue
            end += len("</w:p>")
            out += [xml[pos:start], self._tpl.resolve_listing(xml[start:end])]
            pos = end
        out.append(xml[pos:])
        return "".join(out)


class PreviousTemplate:
    """The previous CompiledTemplate (only templates its fast path supported)."""

    def __init__(self, path: Path) -> None:
        data = Path(path).read_bytes()
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        full = etree.tostring(tpl.docx.element, encoding="unicode")
        start, end = full.index("<w:body"), full.rindex("</w:body>") + len("</w:body>")
        member = tpl.docx.part.partname.lstrip("/")
        self.parts = [PreviousPart(member, XML_DECLARATION + full[:start], tpl.get_xml(), full[end:], tpl)]
        for rel in tpl.docx.part.rels.values():
            if rel.reltype in HEADER_FOOTER_TYPES and not rel.is_external:
                xml = rel.target_part.blob.decode("utf-8")
                if _TAG.search(xml):
                    declaration, _, rest = xml.partition("?>")
                    name = rel.target_part.partname.lstrip("/")
                    self.parts.append(PreviousPart(name, declaration + "?>", rest, "", tpl))
        members = {p.member for p in self.parts}
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename not in members:
                    target.writestr(info, source.read(info.filename), compress_type=info.compress_type)
            self.entries = {}
            for m in members:
                self.entries[m] = zipfile.ZipInfo(m, date_time=source.getinfo(m).date_time)
                self.entries[m].compress_type = zipfile.ZIP_DEFLATED
        self.unchanged = out.getvalue()

    def render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        """Each rendered member's bytes (what the new renderer must write identically)."""
        return {p.member: p.render(context) for p in self.parts}

    def render(self, context: dict[str, Any]) -> bytes:
        rendered = self.render_parts(context)
        out = io.BytesIO(self.unchanged)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=3) as z:
            for member, xml in rendered.items():
                z.writestr(self.entries[member], xml)
        return out.getvalue()
