"""Step 5: fill a form's Word template with the context (docxtpl + Jinja, autoescaped).

docxtpl re-reads the .docx, cleans its XML and compiles its Jinja on every render (~70–120 ms).
A CompiledTemplate does that once per template and process: each render is then a Jinja render
of the cleaned XML, docxtpl's own post-processing, and a zip that reuses the untouched parts
already compressed. Templates using features this path does not replicate (images, sub-documents,
tags in document properties or footnotes, merged-cell tags) are rendered by plain docxtpl.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template, TemplateError, UndefinedError
from lxml import etree

from baocao.errors import RenderError

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
HEADER_FOOTER_TYPES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
)
# docxtpl features that need its per-render tree fix-ups (fix_tables) or a live DocxTemplate
_UNSUPPORTED_TAGS = re.compile(r"\{%\s*(colspan|cellbg|vm|hm)\b|\{%-?\s*tc\b")
_TAG = re.compile(r"\{\{|\{%")
_LISTING_CHARS = re.compile(r"[\t\a\n\f]")


@cache
def jinja_environment() -> Environment:
    """One Jinja environment for every template: unknown names are errors, values are escaped."""
    return Environment(undefined=StrictUndefined, autoescape=True)


@cache
def template_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise RenderError(f"Không đọc được mẫu Word {path}: {e.strerror}.") from e


def render_errors(template_name: str):
    """Context manager turning Jinja errors into RenderError naming the template."""

    class _Wrap:
        def __enter__(self) -> None:
            return None

        def __exit__(self, kind, error, tb) -> bool:
            if isinstance(error, UndefinedError):
                raise RenderError(
                    f"Mẫu Word {template_name} dùng một biến không có: {error.message}. "
                    "Sửa thẻ trong mẫu Word (xem docs/template-context.md)."
                ) from error
            if isinstance(error, TemplateError):
                raise RenderError(f"Mẫu Word {template_name} có thẻ Jinja sai: {error}.") from error
            return False

    return _Wrap()


class _Part:
    """One XML part of the template with Jinja in it, compiled once."""

    def __init__(self, member: str, prefix: str, source: str, suffix: str, tpl: DocxTemplate) -> None:
        self.member, self.prefix, self.suffix = member, prefix, suffix
        self._tpl = tpl  # only for its stateless post-processing (resolve_listing)
        src = tpl.patch_xml(source)
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)  # as docxtpl.render_xml_part does
        self.template: Template = jinja_environment().from_string(src)

    def render(self, context: dict[str, Any]) -> bytes:
        xml = self.template.render(context)
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        xml = self._resolve_listing(xml)
        return (self.prefix + xml + self.suffix).encode("utf-8")

    def _resolve_listing(self, xml: str) -> str:
        """docxtpl's resolve_listing applied only to the paragraphs that hold \\t \\n \\a \\f.

        docxtpl cuts the XML into paragraphs with `<w:p( |>)…</w:p>` (shortest match) and treats
        each alone; the paragraph around each such character is cut the same way here. The two
        agree for paragraphs that do not nest (only text boxes nest them).
        """
        out, pos = [], 0
        for match in _LISTING_CHARS.finditer(xml):
            i = match.start()
            if i < pos:
                continue
            start = max(xml.rfind("<w:p ", pos, i), xml.rfind("<w:p>", pos, i))
            end = xml.find("</w:p>", start) if start >= 0 else -1
            if end < i:
                continue  # not inside a paragraph: docxtpl leaves it alone too
            end += len("</w:p>")
            out += [xml[pos:start], self._tpl.resolve_listing(xml[start:end])]
            pos = end
        out.append(xml[pos:])
        return "".join(out)


class CompiledTemplate:
    """A .docx template compiled once, rendered many times (see module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        data = template_bytes(self.path)
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        self.supported = self._supported(tpl, data)
        self.parts: list[_Part] = []
        if not self.supported:
            return
        with render_errors(self.path.name):
            self.parts.append(self._body_part(tpl))
            for rel in tpl.docx.part.rels.values():
                if rel.reltype in HEADER_FOOTER_TYPES and not rel.is_external:
                    xml = rel.target_part.blob.decode("utf-8")
                    if _TAG.search(xml):
                        declaration, _, rest = xml.partition("?>")
                        self.parts.append(
                            _Part(rel.target_part.partname.lstrip("/"), declaration + "?>", rest, "", tpl)
                        )
        self.unchanged = self._zip_without({p.member for p in self.parts}, data)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.entries = {}
            for part in self.parts:
                entry = zipfile.ZipInfo(part.member, date_time=z.getinfo(part.member).date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                self.entries[part.member] = entry

    @staticmethod
    def _supported(tpl: DocxTemplate, data: bytes) -> bool:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            for name in names:
                if name.startswith("word/media/") or name.startswith("word/embeddings/"):
                    return False
            for name in ("docProps/core.xml", "word/footnotes.xml", "word/document.xml"):
                if name in names:
                    xml = z.read(name).decode("utf-8", "replace")
                    if name != "word/document.xml" and _TAG.search(xml):
                        return False
                    if name == "word/document.xml" and _UNSUPPORTED_TAGS.search(tpl.patch_xml(xml)):
                        return False
        return True

    @staticmethod
    def _body_part(tpl: DocxTemplate) -> _Part:
        document = tpl.docx.element
        full = etree.tostring(document, encoding="unicode")
        start, end = full.index("<w:body"), full.rindex("</w:body>") + len("</w:body>")
        return _Part(tpl.docx.part.partname.lstrip("/"), XML_DECLARATION + full[:start], tpl.get_xml(), full[end:], tpl)

    @staticmethod
    def _zip_without(members: set[str], data: bytes) -> bytes:
        """The template's zip minus the rendered members, other entries copied still compressed."""
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename not in members:
                    target.writestr(info, source.read(info.filename), compress_type=info.compress_type)
        return out.getvalue()

    def render(self, context: dict[str, Any]) -> bytes:
        if not self.supported:
            return render_docx_plain(self.path, context)
        with render_errors(self.path.name):
            rendered = [(p.member, p.render(context)) for p in self.parts]
        out = io.BytesIO(self.unchanged)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=3) as z:
            for member, xml in rendered:
                z.writestr(self.entries[member], xml)  # the template's entry: same name and date every run
        return out.getvalue()


@cache
def compiled_template(path: Path) -> CompiledTemplate:
    """The compiled template of this path, built once per process."""
    return CompiledTemplate(Path(path))


def render_docx(template_path: Path, context: dict[str, Any]) -> bytes:
    """The filled .docx as bytes; RenderError names the template and the faulty tag."""
    return compiled_template(Path(template_path)).render(context)


def render_docx_plain(template_path: Path, context: dict[str, Any]) -> bytes:
    """Plain docxtpl: a new DocxTemplate per render (the reference the fast path must equal)."""
    template = DocxTemplate(io.BytesIO(template_bytes(Path(template_path))))
    with render_errors(Path(template_path).name):
        template.render(context, jinja_env=jinja_environment(), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
