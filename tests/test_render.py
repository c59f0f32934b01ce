"""The compile-once renderer produces the same document as plain docxtpl, and reports bad tags."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from baocao.errors import RenderError
from baocao.pipeline import prepare
from baocao.render import CompiledTemplate, render_docx, render_docx_plain
from tests.conftest import ROOT


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
