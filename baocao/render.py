"""Step 5: fill a form's Word template with the context (docxtpl + Jinja, autoescaped).

docxtpl re-reads the .docx, cleans its XML and compiles its Jinja on every render (~70–120 ms).
A CompiledTemplate does that once per template and process: each render is then a Jinja render
of the cleaned XML, docxtpl's own post-processing, and a zip that reuses the untouched parts
already compressed. Templates using features this path does not replicate (images, sub-documents,
tags in document properties or footnotes, merged-cell tags) are rendered by plain docxtpl.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template, TemplateError, UndefinedError
from lxml import etree
from markupsafe import Markup, escape

from baocao.errors import RenderError
from baocao.word.nd30 import FILTERS as ND30_FILTERS
from baocao.word.zipparts import ZipTemplate

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
HEADER_FOOTER_TYPES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
)
# docxtpl features that need its per-render tree fix-ups (fix_tables) or a live DocxTemplate
_UNSUPPORTED_TAGS = re.compile(r"\{%\s*(colspan|cellbg|vm|hm)\b|\{%-?\s*tc\b")
_TAG = re.compile(r"\{\{|\{%")
_LISTING_CHARS = "\t\a\n\f"  # what docxtpl's resolve_listing turns into tabs, paragraphs, breaks, pages
# Jinja blocks that capture or transform rendered text: with them the newline docxtpl puts before each
# paragraph may change the result (e.g. `indent`), so such templates render exactly the docxtpl way
_CAPTURING_TAGS = re.compile(r"\{%-?\s*(filter|set|macro|call)\b")
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\sid=")[^"]*(")')
COMPRESS_LEVEL = 3  # document.xml deflated at level 3: 18.7 KB instead of 15.2 KB at level 6, 2.7× faster


_DICT_ATTRIBUTES = frozenset(dir(dict))


def _escape(value: Any) -> Markup:
    """markupsafe.escape, with a Markup given back as it is (escape returns an equal copy, made in two
    Python calls): the Phụ lục's cells are Markup runs, about 400 of the ~550 values of a report."""
    return value if type(value) is Markup else escape(value)


class _Template(Template):
    """Jinja's Template, its output escaped by `_escape` (the same text: a Markup is already escaped)."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: Any, globals: Any) -> Template:
        namespace["escape"] = _escape  # the compiled code's own global, bound by its `from jinja2.runtime import`
        return super()._from_namespace(environment, namespace, globals)


class _Environment(Environment):
    """Jinja's environment with the same `a.b` lookup, faster for the context's dicts.

    Jinja tries `getattr(a, "b")` first, which for a dict raises AttributeError unless b is a
    dict method, then `a["b"]`; this goes straight to `a["b"]` in that case (same result).
    """

    _compiled: dict[str, Template]
    template_class = _Template

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        """Compiled once per source: docxtpl compiles the whole part's XML on every render, and a
        batch's roll-ups render the same consolidated template again and again."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        cache = self.__dict__.setdefault("_compiled", {})
        found = cache.pop(source, None) or super().from_string(source)
        cache[source] = found  # most recently used last
        while len(cache) > 32:
            del cache[next(iter(cache))]
        return found

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@cache
def jinja_environment() -> Environment:
    """One Jinja environment for every template: unknown names are errors, values are escaped."""
    env = _Environment(undefined=StrictUndefined, autoescape=True)
    env.filters.update(ND30_FILTERS)  # agency / rule_under / keep: layout rules of ND30 (baocao/word/nd30.py)
    return env


@cache
def template_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise RenderError("template-unreadable", path=path, error=e.strerror) from e


def render_errors(template_name: str):
    """Context manager turning Jinja errors into RenderError naming the template."""

    class _Wrap:
        def __enter__(self) -> None:
            return None

        def __exit__(self, kind, error, tb) -> bool:
            if isinstance(error, UndefinedError):
                raise RenderError("template-undefined", template=template_name, error=error.message) from error
            if isinstance(error, TemplateError):
                raise RenderError("template-syntax", template=template_name, error=str(error)) from error
            return False

    return _Wrap()


class _Part:
    """One XML part of the template with Jinja in it, compiled once.

    docxtpl inserts a newline before every `<w:p` (so that Jinja's line numbers count paragraphs)
    and strips it after rendering; with no capturing block that round trip changes nothing, so it
    is skipped, and the output is stripped only if a newline before `<w:p` is still found.
    """

    def __init__(
        self, member: str, prefix: str, source: str, suffix: str, tpl: DocxTemplate, body: bool = False
    ) -> None:
        self.member, self.body = member, body
        self._prefix, self._suffix = prefix.encode("utf-8"), suffix.encode("utf-8")
        self._tpl = tpl  # only for its stateless post-processing (resolve_listing)
        src = tpl.patch_xml(source)
        if _CAPTURING_TAGS.search(src):
            src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)  # as docxtpl.render_xml_part does
        self.template: Template = jinja_environment().from_string(src)

    def render(self, context: dict[str, Any]) -> list[bytes]:
        """The rendered part as chunks (declaration and root tag, body, closing tags)."""
        xml = self.template.render(context)
        if "\n" in xml and _newline_before_paragraph(xml):  # one-character searches: the fast ones
            xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        if "_" in xml:
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if self.body and "<wp:docPr" in xml:  # docxtpl's fix_docpr_ids: drawings numbered from 1001
            ids = itertools.count(1001)
            xml = _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(ids)}{m.group(2)}", xml)
        return [self._prefix, self._resolve_listing(xml).encode("utf-8"), self._suffix]

    def _resolve_listing(self, xml: str) -> str:
        """docxtpl's resolve_listing applied only to the paragraphs that hold \\t \\n \\a \\f.

        docxtpl cuts the XML into paragraphs with `<w:p( |>)…</w:p>` (shortest match) and treats
        each alone; the paragraph around each such character is cut the same way here. The two
        agree for paragraphs that do not nest (only text boxes nest them).
        """
        found = [i for i in (xml.find(c) for c in _LISTING_CHARS) if i >= 0]
        if not found:
            return xml
        out, pos, i = [], 0, min(found)
        while i >= 0:
            start = max(xml.rfind("<w:p ", pos, i), xml.rfind("<w:p>", pos, i))
            end = xml.find("</w:p>", start) if start >= 0 else -1
            if end >= i:  # inside a paragraph (outside one docxtpl leaves it alone too)
                end += len("</w:p>")
                out += [xml[pos:start], _resolve_paragraph(self._tpl, xml[start:end])]
                pos = end
            i = _next_listing_char(xml, max(pos, i + 1))
        out.append(xml[pos:])
        return "".join(out)


@lru_cache(maxsize=128)  # bounded: a report also has a paragraph of its own, which would pile up
def _resolve_paragraph(tpl: DocxTemplate, paragraph: str) -> str:
    """docxtpl's resolve_listing of one paragraph (a pure function; the same legends recur in every report)."""
    return tpl.resolve_listing(paragraph)


def _newline_before_paragraph(xml: str) -> bool:
    """Whether a newline is followed by `<w:p ` or `<w:p>` (few newlines: a find per newline)."""
    i = xml.find("\n")
    while i >= 0:
        if xml.startswith(("<w:p ", "<w:p>"), i + 1):
            return True
        i = xml.find("\n", i + 1)
    return False


def _next_listing_char(xml: str, pos: int) -> int:
    """Index of the first \\t \\a \\n \\f at or after pos, -1 when there is none."""
    found = [i for i in (xml.find(c, pos) for c in _LISTING_CHARS) if i >= 0]
    return min(found) if found else -1


class CompiledTemplate:
    """A .docx template compiled once, rendered many times (see module docstring)."""

    def __init__(self, path: Path, package_parts: tuple[str, ...] = ()) -> None:
        """`package_parts`: members (relationships, content types) that each render may rewrite."""
        self.path = Path(path)
        data = template_bytes(self.path)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.names = z.namelist()
            self.package = {name: z.read(name) for name in package_parts if name in self.names}
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
        self.zip = ZipTemplate(data, [p.member for p in self.parts] + list(self.package), COMPRESS_LEVEL)

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
        member = tpl.docx.part.partname.lstrip("/")
        return _Part(member, XML_DECLARATION + full[:start], tpl.get_xml(), full[end:], tpl, body=True)

    def render(self, context: dict[str, Any], added: Callable[[], list[tuple[str, bytes]]] | None = None) -> bytes:
        """The filled .docx; `added()`, called after Jinja, gives the package parts (rewritten) and
        any new member (e.g. baocao.word.chartparts.ChartSlots.members)."""
        if not self.supported:
            return render_docx_plain(self.path, context)
        with render_errors(self.path.name):
            rendered = [(p.member, p.render(context)) for p in self.parts]
        extra = added() if added is not None else list(self.package.items())
        rendered += [(name, [data]) for name, data in extra]
        return self.zip.build(rendered)  # the template's entries: same names and dates every run


@cache
def compiled_template(path: Path, package_parts: tuple[str, ...] = ()) -> CompiledTemplate:
    """The compiled template of this path, built once per process."""
    return CompiledTemplate(Path(path), package_parts)


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
