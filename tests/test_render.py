"""The compile-once renderer produces the same document as plain docxtpl, and reports bad tags."""

from __future__ import annotations

import functools
import io
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from markupsafe import Markup

from baocao.batch.demo import write_demo_workbooks
from baocao.communes import communes_of
from baocao.errors import RenderError
from baocao.form import find_form
from baocao.pipeline import prepare
from baocao.render import COMPRESS_LEVEL, CompiledTemplate, render_docx, render_docx_plain
from tests.conftest import ROOT
from tests.previous_render import PreviousTemplate


def canonical_document(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.tostring(etree.fromstring(z.read("word/document.xml")), method="c14n")


@pytest.mark.parametrize("sample", ["nhi_chieu_2026_6thang", "nam_thanh_mien_2025"])
def test_fast_render_equals_plain_docxtpl(sample: str) -> None:
    prepared = prepare(ROOT / "inputs" / f"{sample}.xlsx")
    template = prepared.report.form.template_path
    assert CompiledTemplate(template).supported
    fast = render_docx(template, prepared.context)
    assert canonical_document(fast) == canonical_document(render_docx_plain(template, prepared.context))
    with zipfile.ZipFile(io.BytesIO(fast)) as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == sorted(zipfile.ZipFile(template).namelist())


def test_fast_render_equals_plain_with_line_breaks_and_markup(workbook_factory) -> None:
    wb = workbook_factory(
        info={"basis": 'Công văn <1> & "2"\nQuyết định\t3', "recipients": "A & B\nLưu: VT"},
        text={"weaknesses": "Dòng 1\nDòng 2 có\tdấu tab", "strengths": "- x < y\n+ z > w"},
    )
    prepared = prepare(wb)
    template = prepared.report.form.template_path
    fast = render_docx(template, prepared.context)
    assert canonical_document(fast) == canonical_document(render_docx_plain(template, prepared.context))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(fast)).paragraphs)
    assert "- Dòng 2 có\tdấu tab" in text


def _template_with(tmp_path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    path = tmp_path / "mau.docx"
    document.save(path)
    return path


@pytest.mark.parametrize("render", [render_docx, render_docx_plain])
def test_unknown_variable_is_a_render_error_naming_the_template(tmp_path: Path, render) -> None:
    path = _template_with(tmp_path, "Xin chào {{ unit.khong_co }}")
    with pytest.raises(RenderError, match=r"Mẫu Word mau.docx dùng một biến không có: .*khong_co"):
        render(path, {"unit": {}})


def test_bad_jinja_is_a_render_error(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "{% if %}")
    with pytest.raises(RenderError, match=r"Mẫu Word mau\.docx có thẻ Jinja sai"):
        render_docx(path, {})


def test_templates_with_images_use_plain_docxtpl(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "Ảnh: {{ x }}")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("word/media/image1.png", b"\x89PNG")
    compiled = CompiledTemplate(path)
    assert not compiled.supported
    assert "Ảnh: 1" in docx.Document(io.BytesIO(compiled.render({"x": 1}))).paragraphs[0].text


# --- issue 15: the faster renderer writes the previous renderer's parts byte for byte -------------


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


def _assert_same_parts_as_previous(template: Path, context: dict) -> dict[str, bytes]:
    """Every rendered member equals the previous renderer's, byte for byte; the rest equals the template."""
    fast = _members(render_docx(template, context))
    previous = PreviousTemplate(template).render_parts(context)
    assert previous and all(fast[member] == data for member, data in previous.items())
    untouched = _members(template.read_bytes())
    assert sorted(fast) == sorted(untouched)
    assert all(fast[m] == untouched[m] for m in untouched if m not in previous)
    return fast


@pytest.fixture(scope="module")
def demo_workbooks(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("demo")
    write_demo_workbooks(find_form(), communes_of("Hải Phòng")[:3], out, workers=1)
    return sorted(out.glob("*.xlsx"))


@pytest.mark.parametrize("sample", sorted(p.name for p in (ROOT / "inputs").glob("*.xlsx")))
def test_document_xml_byte_identical_to_previous_renderer_for_every_sample(sample: str) -> None:
    prepared = prepare(ROOT / "inputs" / sample)
    _assert_same_parts_as_previous(prepared.report.form.template_path, prepared.context)


def test_document_xml_byte_identical_to_previous_renderer_for_demo_communes(demo_workbooks: list[Path]) -> None:
    assert len(demo_workbooks) == 3
    for workbook in demo_workbooks:
        prepared = prepare(workbook)
        _assert_same_parts_as_previous(prepared.report.form.template_path, prepared.context)


def test_document_xml_byte_identical_with_tabs_breaks_pages_and_braces(workbook_factory) -> None:
    wb = workbook_factory(
        info={"basis": 'Công văn <1> & "2"\nQuyết định\t3', "unit_name": "A_B {_{ x }_}"},
        text={"weaknesses": "Dòng 1\nDòng 2 có\tdấu tab", "strengths": "{_% if %_} 100% _ {_{"},
    )
    prepared = prepare(wb)
    context = prepared.context
    # \a (new paragraph) and \f (page break) cannot be typed in a workbook but reach docxtpl's resolve_listing
    paragraph_in_value = Markup("x</w:t></w:r></w:p>\n<w:p><w:r><w:t>y")  # docxtpl strips the newline
    context["text"]["direction"] = ["Một\aHai\fBa", "\tthụt\n", "\n<w:p> là chữ", paragraph_in_value]
    fast = _assert_same_parts_as_previous(prepared.report.form.template_path, context)
    text = fast["word/document.xml"].decode("utf-8")
    assert '<w:br w:type="page"/>' in text and "{{ x }}" in text and "{% if %}" in text


_LINE = st.text(st.sampled_from(list("ab_{}%<>&\t\n đĐ\"'")), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_LINE, max_size=4), name=_LINE)
def test_document_xml_byte_identical_for_any_text(lines: list[str], name: str) -> None:
    prepared = _nhi_chieu()
    context = {**prepared.context, "unit": {**prepared.context["unit"], "name": name, "full": name}}
    context["sections"] = [{**s, "lines": lines} for s in prepared.context["sections"]]
    context["text"] = {key: lines for key in prepared.context["text"]}
    _assert_same_parts_as_previous(prepared.report.form.template_path, context)


@functools.cache
def _nhi_chieu():
    return prepare(ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx")


def test_document_xml_is_deflated_at_level_3_with_the_template_dates() -> None:
    prepared = _nhi_chieu()
    template = prepared.report.form.template_path
    data = render_docx(template, prepared.context)
    with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(template) as t:
        info = z.getinfo("word/document.xml")
        xml = z.read(info.filename)
        deflater = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
        assert COMPRESS_LEVEL == 3 and info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size == len(deflater.compress(xml) + deflater.flush())
        assert info.compress_size > len(zlib.compress(xml, 6)) - 6  # not the level 6 of before
        assert [i.date_time for i in z.infolist()] == [t.getinfo(i.filename).date_time for i in z.infolist()]
    assert docx.Document(io.BytesIO(data)).paragraphs  # Word's reader opens it
    assert render_docx(template, prepared.context) == data  # same bytes every run


def test_templates_with_capturing_blocks_keep_docxtpl_newlines(tmp_path: Path) -> None:
    """`{% filter indent %}` sees the newline docxtpl puts before each paragraph: kept for such templates."""
    document = docx.Document()
    document.add_paragraph("{% filter indent(2, true) %}Một {{ x }}")
    document.add_paragraph("Hai{% endfilter %}")
    path = tmp_path / "loc.docx"
    document.save(path)
    fast = _assert_same_parts_as_previous(path, {"x": "1"})
    assert b"\n  <w:p" in fast["word/document.xml"]
    assert canonical_document(render_docx(path, {"x": "1"})) == canonical_document(render_docx_plain(path, {"x": "1"}))
