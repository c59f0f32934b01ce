"""Build the Word template of a form (``templates/<form>/bao_cao.docx``).

The output is a docxtpl template: an ordinary .docx (A4, Times New Roman, layout of
Nghị định 30/2020/NĐ-CP) whose text carries Jinja tags. The variables it uses are the
ones listed in ``docs/template-context.md``; row ids (``v.``/``n.``), narrative keys
(``text.``) and grids (``grids.``) come from the form file.

Three bodies share the letterhead, title, signature, Phụ lục and grid builders:

* ``hai_phong_2025`` — the Hải Phòng 2025 report (the narrative's sentences name its rows);
* ``hai_duong_2023`` — the Hải Dương 2023 report, with the table of hồ sơ by lĩnh vực;
* ``generic`` — any form: every narrative section in order (``sections``), every grid, the
  Phụ lục. A starting point for a new form's template (docs/huong-dan-bieu-mau.md).
* ``starter`` — ``templates/_starter/bao_cao.docx``: the standard headings I–V with the clerk's
  lines and the Phụ lục loop (``python tools/build_template.py --form templates/_starter/form.yaml``).

Every Jinja tag is written inside a single run, so neither Word nor docxtpl ever sees
a tag split over several ``w:t`` elements. Paragraph-level tags (``{%p … %}``) sit alone
in their own paragraph, in the grey "Template Tag" style so that they stand out when
a person edits the template; docxtpl removes those paragraphs when rendering.

Run from the repository root::

    python tools/build_template.py [--form ID_OR_FORM_YAML] [--body NAME] [--output PATH]

Without ``--output`` the template is written where the form file's ``template:`` says.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import (
    WD_CELL_VERTICAL_ALIGNMENT,
    WD_ROW_HEIGHT_RULE,
    WD_TABLE_ALIGNMENT,
)
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from baocao.form import Form, FormIssues, Grid, find_form, installed_forms, parse_form  # noqa: E402
from baocao.layout import grid_header_cells  # noqa: E402

FONT = "Times New Roman"
BLACK = RGBColor(0, 0, 0)

# Page geometry (ND30: A4, top/bottom 20 mm, left 30 mm, right 15 mm).
PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN_TOP = Cm(2.0)
MARGIN_BOTTOM = Cm(2.0)
MARGIN_LEFT = Cm(3.0)
MARGIN_RIGHT = Cm(1.5)
HEADER_DISTANCE = Cm(1.0)
TEXT_WIDTH = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 16.5 cm

BODY_INDENT = Cm(1.27)
NO_LENGTH = Cm(0)

# Column widths of the three tables.
LETTERHEAD_WIDTHS = (Cm(6.5), Cm(10.0))
SIGNATURE_WIDTHS = (Cm(7.5), Cm(9.0))
APPENDIX_WIDTHS = (Cm(1.6), Cm(8.2), Cm(2.4), Cm(2.0), Cm(2.0))
LETTERHEAD_CELL_MARGIN = Cm(0.1)
APPENDIX_CELL_MARGIN = Cm(0.1)
APPENDIX_HEADER_ROW_HEIGHT = Cm(0.85)

# Short solid lines, drawn as the bottom border of an empty paragraph whose
# left/right indents leave the wanted width in the middle of its cell or page.
AGENCY_RULE_WIDTH = Cm(2.5)
MOTTO_RULE_WIDTH = Cm(5.6)  # "Độc lập - Tự do - Hạnh phúc" in 13 pt bold
SUBJECT_RULE_WIDTH = Cm(3.5)

# Style names (shown in Word's style gallery).
STYLE_BODY = "Normal"
STYLE_TAG = "Template Tag"
STYLE_LETTERHEAD = "Letterhead"
STYLE_RULE = "Rule Line"
STYLE_TITLE = "Report Title"
STYLE_SECTION = "Section Heading"
STYLE_SUBSECTION = "Subsection Heading"
STYLE_TABLE = "Table Text"
STYLE_RECIPIENTS = "Recipient List"
STYLE_NOTE = "Table Note"
STYLE_PAGE_NUMBER = "Header"


class BlockContainer(Protocol):
    """Anything python-docx lets us add paragraphs to (document, cell, header)."""

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph: ...


# --------------------------------------------------------------------------- #
# Raw OOXML helpers
# --------------------------------------------------------------------------- #


def set_attrs(element: BaseOxmlElement, **attrs: str) -> BaseOxmlElement:
    """Set ``w:``-namespaced attributes on an element and return it."""
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def make_element(tag: str, **attrs: str) -> BaseOxmlElement:
    """Create ``<w:tag …/>`` with the given ``w:`` attributes."""
    return set_attrs(OxmlElement(f"w:{tag}"), **attrs)


def replace_child(parent: BaseOxmlElement, child: BaseOxmlElement) -> None:
    """Append ``child`` to ``parent`` after removing any element of the same tag."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)


def set_run_fonts(rpr: BaseOxmlElement) -> None:
    """Force Times New Roman for every script (Latin, East Asian, complex)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = make_element("rFonts")
        rpr.insert(0, fonts)
    for theme_attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme_attr}"), None)
    set_attrs(fonts, ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT)


def border_element(tag: str, kind: str = "single", size: int = 4) -> BaseOxmlElement:
    """One border edge (``w:top``, ``w:bottom`` …); size in eighths of a point."""
    if kind == "nil":
        return make_element(tag, val="nil")
    return make_element(tag, val=kind, sz=str(size), space="0", color="000000")


def twips(length: Length) -> str:
    """A length in twentieths of a point, as OOXML wants it."""
    return str(round(length.pt * 20))


# --------------------------------------------------------------------------- #
# Document-wide setup: page, fonts, styles, page numbers
# --------------------------------------------------------------------------- #


def setup_page(doc: DocumentObject) -> None:
    """A4 portrait with the ND30 margins; no page number on the first page."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = HEADER_DISTANCE
    section.different_first_page_header_footer = True

    add_page_number(section.header.paragraphs[0])
    first_header = section.first_page_header
    first_header.is_linked_to_previous = False  # creates an empty first-page header


def add_page_number(paragraph: Paragraph) -> None:
    """Put a centred PAGE field (Arabic numerals) into a header paragraph."""
    paragraph.style = STYLE_PAGE_NUMBER
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pieces: list[BaseOxmlElement] = [
        make_element("fldChar", fldCharType="begin"),
        make_element("instrText"),
        make_element("fldChar", fldCharType="separate"),
        make_element("t"),
        make_element("fldChar", fldCharType="end"),
    ]
    pieces[1].set(qn("xml:space"), "preserve")
    pieces[1].text = " PAGE "
    pieces[3].text = "2"
    for piece in pieces:
        run = paragraph.add_run()
        run.font.size = Pt(14)
        run._r.append(piece)


def setup_document_defaults(doc: DocumentObject) -> None:
    """Times New Roman 14 pt black, Vietnamese, for everything without a style."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_fonts(rpr)
    replace_child(rpr, make_element("color", val="000000"))
    for tag in ("sz", "szCs"):
        replace_child(rpr, make_element(tag, val="28"))
    replace_child(rpr, make_element("lang", val="vi-VN", eastAsia="en-US", bidi="ar-SA"))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    replace_child(ppr, make_element("spacing", after="0", line="240", lineRule="auto"))


def setup_normal_style(doc: DocumentObject) -> None:
    """Body text: 14 pt, justified, 1.27 cm first line, 6 pt after, 1.15 lines."""
    normal = doc.styles[STYLE_BODY]
    set_run_fonts(normal.element.get_or_add_rPr())
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.font.color.rgb = BLACK
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = BODY_INDENT
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    fmt.widow_control = True


def add_paragraph_style(
    doc: DocumentObject,
    name: str,
    *,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_line: Length | None = None,
    before: float = 0,
    after: float = 0,
    line: float = 1.0,
    keep_with_next: bool = False,
) -> ParagraphStyle:
    """Create a paragraph style based on Normal; spacing in points."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[STYLE_BODY]
    style.quick_style = True
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if first_line is not None:
        fmt.first_line_indent = first_line
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line
    fmt.keep_with_next = keep_with_next
    return style


def set_outline_level(style: ParagraphStyle, level: int) -> None:
    """Make a heading style show up in Word's navigation pane."""
    ppr = style.element.get_or_add_pPr()
    replace_child(ppr, make_element("outlineLvl", val=str(level)))


def setup_styles(doc: DocumentObject) -> None:
    """Create the named styles used by the template."""
    setup_document_defaults(doc)
    setup_normal_style(doc)
    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    no_indent = Cm(0)

    tag = add_paragraph_style(doc, STYLE_TAG, size=9, align=left, first_line=no_indent)
    tag.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    add_paragraph_style(doc, STYLE_LETTERHEAD, size=13, align=center, first_line=no_indent)
    add_paragraph_style(doc, STYLE_RULE, size=2, align=center, first_line=no_indent, before=2)
    add_paragraph_style(doc, STYLE_TITLE, bold=True, align=center, first_line=no_indent, keep_with_next=True)
    section = add_paragraph_style(doc, STYLE_SECTION, bold=True, before=6, after=6, line=1.15, keep_with_next=True)
    set_outline_level(section, 0)
    subsection = add_paragraph_style(doc, STYLE_SUBSECTION, bold=True, after=6, line=1.15, keep_with_next=True)
    set_outline_level(subsection, 1)
    add_paragraph_style(doc, STYLE_TABLE, size=12, align=center, first_line=no_indent)
    add_paragraph_style(doc, STYLE_RECIPIENTS, size=11, align=left, first_line=no_indent)
    add_paragraph_style(doc, STYLE_NOTE, size=11, align=left, first_line=no_indent, before=3)

    header = doc.styles[STYLE_PAGE_NUMBER]
    header.font.size = Pt(14)
    header.paragraph_format.first_line_indent = no_indent
    header.paragraph_format.alignment = center


def setup_settings(doc: DocumentObject) -> None:
    """Word 2013+ layout mode, and no stretched lines before a manual line break.

    Values may contain line breaks ("\\n" becomes ``w:br``); in a justified paragraph
    Word and LibreOffice would otherwise spread the words of such a line across
    the whole width.
    """
    compat = doc.settings.element.find(qn("w:compat"))
    if compat is None:
        compat = make_element("compat")
        doc.settings.element.append(compat)
    compat.insert(0, make_element("doNotExpandShiftReturn"))
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def drop_thumbnail(doc: DocumentObject) -> None:
    """Remove python-docx's stock preview picture, which shows an unrelated page."""
    rels = doc.part.package.rels
    for r_id, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del rels[r_id]


def set_core_properties(
    doc: DocumentObject, name: str = "Hải Phòng 2025", subject: str = "BÁO CÁO + Phụ lục III"
) -> None:
    props = doc.core_properties
    props.title = f"Báo cáo cải cách hành chính định kỳ (mẫu {name})"
    props.subject = f"Mẫu docxtpl: {subject}"
    props.author = "baocao"
    props.last_modified_by = "baocao"
    props.comments = "Sinh tự động bởi tools/build_template.py; xem docs/template-context.md."
    props.language = "vi-VN"


# --------------------------------------------------------------------------- #
# Paragraph helpers
# --------------------------------------------------------------------------- #


def format_run(
    run: Run,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size: float | None = None,
) -> Run:
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if size is not None:
        run.font.size = Pt(size)
    return run


def add_para(
    container: BlockContainer,
    text: str = "",
    style: str = STYLE_BODY,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    """Add a paragraph whose whole text is ONE run (so Jinja tags never split)."""
    paragraph = container.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    if text:
        format_run(paragraph.add_run(text), bold=bold, italic=italic, size=size)
    return paragraph


def add_tag(container: BlockContainer, statement: str) -> Paragraph:
    """A paragraph holding one paragraph-level docxtpl tag: ``{%p statement %}``."""
    return add_para(container, f"{{%p {statement} %}}", STYLE_TAG)


def add_rule(container: BlockContainer, available: Length, width: Length) -> Paragraph:
    """A short horizontal line of ``width``, centred in ``available`` space."""
    paragraph = container.add_paragraph(style=STYLE_RULE)
    side = Length((available - width) // 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    borders = make_element("pBdr")
    borders.append(make_element("bottom", val="single", sz="6", space="1", color="000000"))
    paragraph._p.pPr.pStyle.addnext(borders)  # pBdr follows pStyle in CT_PPr
    return paragraph


def expr(name: str) -> str:
    """``{{ name }}``."""
    return f"{{{{ {name} }}}}"


def choose(condition: str, yes: str, no: str = "") -> str:
    """Inline wording choice: ``{% if c %}yes{% else %}no{% endif %}``."""
    if not no:
        return f"{{% if {condition} %}}{yes}{{% endif %}}"
    return f"{{% if {condition} %}}{yes}{{% else %}}{no}{{% endif %}}"


def first_paragraph(cell: _Cell, style: str) -> Paragraph:
    """The empty paragraph every new cell has, given a style."""
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    return paragraph


# --------------------------------------------------------------------------- #
# Table helpers
# --------------------------------------------------------------------------- #


def set_table_borders(table: Table, kind: str) -> None:
    """All borders of a table: ``"single"`` (thin) or ``"nil"`` (none)."""
    tbl_pr = table._tbl.tblPr
    borders = make_element("tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(border_element(edge, kind))
    tbl_pr.insert_element_before(
        borders,
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    )


def set_cell_margins(table: Table, left_right: Length, top_bottom: Length = NO_LENGTH) -> None:
    """Default inner margins of every cell of the table."""
    margins = make_element("tblCellMar")
    for edge, value in (("top", top_bottom), ("left", left_right), ("bottom", top_bottom), ("right", left_right)):
        margins.append(make_element(edge, w=twips(value), type="dxa"))
    tbl_pr = table._tbl.tblPr
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def set_fixed_widths(table: Table, widths: Sequence[Length]) -> None:
    """Fixed layout: grid columns, table width and every cell width (spans summed)."""
    table.autofit = False
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))  # python-docx always writes one
    set_attrs(tbl_w, w=twips(Length(sum(widths))), type="dxa")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Length(sum(widths[column : column + span]))
            column += span


def mark_header_row(table: Table, index: int) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    tr_pr = table.rows[index]._tr.get_or_add_trPr()
    tr_pr.append(make_element("cantSplit"))
    tr_pr.append(make_element("tblHeader"))


def keep_rows_whole(table: Table, indices: Sequence[int]) -> None:
    """Forbid page breaks inside these rows."""
    for index in indices:
        table.rows[index]._tr.get_or_add_trPr().append(make_element("cantSplit"))


def new_table(doc: DocumentObject, rows: int, widths: Sequence[Length], borders: str) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths))
    set_table_borders(table, borders)
    return table


# --------------------------------------------------------------------------- #
# Report parts
# --------------------------------------------------------------------------- #


def build_letterhead(doc: DocumentObject) -> None:
    """Borderless two-column header: issuing agency left, national motto right."""
    table = new_table(doc, 1, LETTERHEAD_WIDTHS, "nil")
    set_cell_margins(table, LETTERHEAD_CELL_MARGIN)
    left, right = table.rows[0].cells
    left_inner = LETTERHEAD_WIDTHS[0] - 2 * LETTERHEAD_CELL_MARGIN
    right_inner = LETTERHEAD_WIDTHS[1] - 2 * LETTERHEAD_CELL_MARGIN

    first_paragraph(left, STYLE_TAG).add_run("{%p if unit.parent_upper %}")
    add_para(left, expr("unit.parent_upper"), STYLE_LETTERHEAD)
    add_tag(left, "endif")
    add_para(left, expr("unit.agency_upper"), STYLE_LETTERHEAD, bold=True)
    add_rule(left, left_inner, AGENCY_RULE_WIDTH)
    number = add_para(left, expr("doc.number_line"), STYLE_LETTERHEAD)
    number.paragraph_format.space_before = Pt(6)

    national = first_paragraph(right, STYLE_LETTERHEAD)
    format_run(national.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=12)
    add_para(right, "Độc lập - Tự do - Hạnh phúc", STYLE_LETTERHEAD, bold=True, size=13)
    add_rule(right, right_inner, MOTTO_RULE_WIDTH)
    place = add_para(right, expr("doc.place_date"), STYLE_LETTERHEAD, italic=True, size=14)
    place.paragraph_format.space_before = Pt(6)

    set_fixed_widths(table, LETTERHEAD_WIDTHS)


def build_title(doc: DocumentObject) -> None:
    """ "BÁO CÁO", the subject line with a short rule, and the optional recipient."""
    title = add_para(doc, "BÁO CÁO", STYLE_TITLE)
    title.paragraph_format.space_before = Pt(18)
    add_para(doc, expr("doc.subject"), STYLE_TITLE)
    add_rule(doc, TEXT_WIDTH, SUBJECT_RULE_WIDTH)
    add_tag(doc, "if doc.recipient")
    recipient = add_para(doc, f"Kính gửi: {expr('doc.recipient')}", STYLE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER)
    recipient.paragraph_format.first_line_indent = Cm(0)
    recipient.paragraph_format.space_before = Pt(12)
    add_tag(doc, "endif")
    spacer = add_para(doc, "", STYLE_RULE)
    spacer.paragraph_format.space_after = Pt(12)


def body(doc: DocumentObject, text: str) -> Paragraph:
    return add_para(doc, text, STYLE_BODY)


def section_heading(doc: DocumentObject, text: str) -> Paragraph:
    return add_para(doc, text, STYLE_SECTION)


def subsection_heading(doc: DocumentObject, text: str) -> Paragraph:
    return add_para(doc, text, STYLE_SUBSECTION)


def clerk_lines(doc: DocumentObject, key: str) -> None:
    """The clerk's own paragraphs for one narrative section (``text.<key>``)."""
    add_tag(doc, f"for line in text.{key}")
    body(doc, expr("line"))
    add_tag(doc, "endfor")


def build_opening(doc: DocumentObject) -> None:
    basis = "Thực hiện {{ doc.basis_text }}; {{ unit.ubnd_full }}"
    body(
        doc,
        choose("doc.basis_text", basis, "{{ unit.ubnd_full }}")
        + " báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính {{ period.text }}"
        " (số liệu từ ngày {{ period.date_from }} đến ngày {{ period.date_to }}),"
        " cụ thể như sau:",
    )


def build_direction(doc: DocumentObject) -> None:
    """I. Công tác chỉ đạo, điều hành."""
    section_heading(doc, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")

    subsection_heading(doc, "1. Ban hành văn bản chỉ đạo, điều hành")
    body(
        doc,
        choose(
            "n.directive_docs",
            "Trong kỳ, {{ unit.ubnd }} đã ban hành {{ v.directive_docs }} văn bản chỉ đạo,"
            " điều hành công tác cải cách hành chính (kết luận, chỉ thị, công văn chỉ đạo,"
            " quán triệt).",
            "Trong kỳ, {{ unit.ubnd }} chưa ban hành văn bản chỉ đạo riêng về công tác cải cách hành chính.",
        ),
    )

    subsection_heading(doc, "2. Thực hiện Kế hoạch cải cách hành chính năm {{ period.year }}")
    body(
        doc,
        choose(
            "n.plan_tasks",
            "Kế hoạch cải cách hành chính năm {{ period.year }} đề ra {{ v.plan_tasks }}"
            " nhiệm vụ; lũy kế đến thời điểm báo cáo đã hoàn thành"
            " {{ v.plan_done }}/{{ v.plan_tasks }} nhiệm vụ, đạt {{ v.plan_rate }}.",
            "Kế hoạch cải cách hành chính năm {{ period.year }} chưa giao nhiệm vụ cụ thể trong kỳ.",
        ),
    )

    subsection_heading(doc, "3. Công tác kiểm tra cải cách hành chính")
    findings = choose(
        "n.inspection_issues",
        "phát hiện {{ v.inspection_issues }} vấn đề, đã xử lý xong"
        " {{ v.inspection_fixed }} vấn đề, đạt {{ v.inspection_fix_rate }}.",
        "qua kiểm tra không phát hiện vấn đề phải xử lý.",
    )
    body(
        doc,
        choose(
            "n.inspected_units or n.inspection_issues",
            "Trong kỳ, đã kiểm tra {{ v.inspected_units }} cơ quan, đơn vị; " + findings,
            "Trong kỳ, {{ unit.ubnd }} chưa tổ chức kiểm tra công tác cải cách hành chính.",
        ),
    )

    subsection_heading(doc, "4. Thực hiện nhiệm vụ {{ superior }}, Chủ tịch {{ superior }} giao")
    add_tag(doc, "if n.assigned_tasks")
    body(doc, "- Tổng số nhiệm vụ được giao: {{ v.assigned_tasks }} nhiệm vụ, trong đó:")
    body(doc, "+ Số nhiệm vụ đã hoàn thành đúng hạn: {{ v.assigned_on_time }} nhiệm vụ;")
    body(
        doc,
        "+ Số nhiệm vụ đã hoàn thành nhưng quá hạn: {{ v.assigned_done_late }} nhiệm vụ;",
    )
    body(
        doc,
        "+ Số nhiệm vụ quá hạn nhưng chưa hoàn thành: {{ v.assigned_overdue }} nhiệm vụ;",
    )
    add_tag(doc, "if n.assigned_in_progress > 0")
    body(doc, "+ Số nhiệm vụ đang thực hiện: {{ v.assigned_in_progress }} nhiệm vụ.")
    add_tag(doc, "endif")
    add_tag(doc, "else")
    body(doc, "Trong kỳ, {{ unit.ubnd }} không được giao nhiệm vụ.")
    add_tag(doc, "endif")

    subsection_heading(doc, "5. Khảo sát sự hài lòng, đối thoại")
    body(
        doc,
        "- "
        + choose(
            "n.survey_forms",
            "Trong kỳ, đã khảo sát sự hài lòng của người dân, tổ chức với {{ v.survey_forms }}"
            " phiếu, hình thức: {{ v.survey_method|lower }}.",
            "Trong kỳ, chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức.",
        ),
    )
    body(
        doc,
        "- "
        + choose(
            "n.dialogue",
            "Lãnh đạo {{ unit.ubnd }} đã tổ chức đối thoại với người dân, cộng đồng doanh nghiệp.",
            "Trong kỳ, lãnh đạo {{ unit.ubnd }} chưa tổ chức đối thoại với người dân, cộng đồng doanh nghiệp.",
        ),
    )
    clerk_lines(doc, "direction")


def build_institutions(doc: DocumentObject) -> None:
    subsection_heading(doc, "1. Cải cách thể chế")
    body(
        doc,
        choose(
            "n.legal_docs_total",
            "Trong kỳ, {{ unit.ubnd }} đã ban hành {{ v.legal_docs_total }} văn bản quy phạm pháp luật.",
            "Trong kỳ, {{ unit.ubnd }} không ban hành văn bản quy phạm pháp luật.",
        ),
    )
    clerk_lines(doc, "institutions")


def build_procedures(doc: DocumentObject) -> None:
    subsection_heading(doc, "2. Cải cách thủ tục hành chính")
    body(
        doc,
        "- Tỷ lệ thủ tục hành chính thực hiện việc tiếp nhận, trả kết quả tại Trung tâm"
        " Phục vụ hành chính công: {{ v.one_stop_rate }}; số thủ tục hành chính tiếp nhận"
        " và giải quyết không phụ thuộc vào địa giới hành chính:"
        " {{ v.borderless_procedures }} thủ tục.",
    )
    body(
        doc,
        "- "
        + choose(
            "n.files_resolved",
            "Tổng số hồ sơ TTHC đã giải quyết xong: {{ v.files_resolved }} hồ sơ, trong đó"
            " giải quyết đúng hạn {{ v.files_on_time }} hồ sơ, đạt {{ v.on_time_rate }}.",
            "Trong kỳ, không có hồ sơ TTHC được giải quyết xong.",
        ),
    )
    body(
        doc,
        "- "
        + choose(
            "n.feedback_received",
            "Trong kỳ, tiếp nhận {{ v.feedback_received }} phản ánh, kiến nghị về quy định"
            " thủ tục hành chính; đã giải quyết xong {{ v.feedback_resolved }} phản ánh,"
            " kiến nghị, đạt {{ v.feedback_rate }}.",
            "Trong kỳ, không phát sinh phản ánh, kiến nghị về quy định thủ tục hành chính.",
        ),
    )
    clerk_lines(doc, "procedures")


def build_organization(doc: DocumentObject) -> None:
    subsection_heading(doc, "3. Cải cách tổ chức bộ máy")
    body(
        doc,
        "- Biên chế công chức được giao năm {{ period.year }}: {{ v.staff_quota }} người;"
        " có mặt tại thời điểm báo cáo: {{ v.staff_present }} người; hợp đồng lao động"
        " làm việc tại cơ quan, tổ chức hành chính: {{ v.contract_workers }} người; "
        + choose(
            "n.staff_reduced",
            "đã tinh giản {{ v.staff_reduced }} biên chế trong kỳ.",
            "trong kỳ không có biên chế phải tinh giản.",
        ),
    )
    body(
        doc,
        "- Đơn vị sự nghiệp công lập: số người làm việc được giao {{ v.psu_quota }} người,"
        " có mặt {{ v.psu_present }} người; "
        + choose(
            "n.psu_reduced",
            "đã tinh giản {{ v.psu_reduced }} người trong kỳ.",
            "trong kỳ không có người phải tinh giản.",
        ),
    )
    clerk_lines(doc, "organization")


def build_civil_service(doc: DocumentObject) -> None:
    subsection_heading(doc, "4. Cải cách chế độ công vụ")
    body(
        doc,
        "- Vị trí việc làm: {{ v.job_positions_admin }} cơ quan, tổ chức hành chính và"
        " {{ v.job_positions_psu }} đơn vị sự nghiệp đã được phê duyệt vị trí việc làm"
        " theo quy định"
        + choose(
            "n.job_positions_violations",
            "; {{ v.job_positions_violations }} cơ quan, tổ chức có vi phạm phát hiện qua thanh tra",
        )
        + ".",
    )
    body(
        doc,
        "- "
        + choose(
            "n.recruited_civil_servants or n.recruited_public_employees",
            "Trong kỳ, tuyển dụng {{ v.recruited_civil_servants }} công chức và"
            " {{ v.recruited_public_employees }} viên chức.",
            "Trong kỳ, không tuyển dụng công chức, viên chức.",
        ),
    )
    body(
        doc,
        "- "
        + choose(
            "n.disciplined_total",
            "Trong kỳ, có {{ v.disciplined_total }} cán bộ, công chức, viên chức bị kỷ luật.",
            "Trong kỳ, không có cán bộ, công chức, viên chức bị kỷ luật.",
        ),
    )
    clerk_lines(doc, "civil_service")


def build_public_finance(doc: DocumentObject) -> None:
    subsection_heading(doc, "5. Cải cách tài chính công")
    body(
        doc,
        "- "
        + choose(
            "n.investment_plan",
            "Giải ngân vốn đầu tư công: đã thực hiện {{ v.investment_done }} triệu đồng trên"
            " kế hoạch được giao {{ v.investment_plan }} triệu đồng, đạt"
            " {{ v.investment_rate }}.",
            "Trong kỳ, không được giao kế hoạch vốn đầu tư công.",
        ),
    )
    body(
        doc,
        "- "
        + choose(
            "n.psu_units",
            "Tổng số đơn vị sự nghiệp công lập: {{ v.psu_units }} đơn vị, trong đó: tự bảo"
            " đảm chi thường xuyên và chi đầu tư {{ v.psu_self_invest }}; tự bảo đảm chi"
            " thường xuyên {{ v.psu_self_regular }}; tự bảo đảm một phần chi thường xuyên"
            " {{ v.psu_self_partial }}; do Nhà nước bảo đảm chi thường xuyên"
            " {{ v.psu_state_funded }} đơn vị.",
            "Trên địa bàn không có đơn vị sự nghiệp công lập.",
        ),
    )
    clerk_lines(doc, "public_finance")


def build_digital_government(doc: DocumentObject) -> None:
    subsection_heading(doc, "6. Xây dựng và phát triển chính quyền điện tử, chính quyền số")
    body(
        doc,
        choose(
            "n.full_online_eligible",
            "- Dịch vụ công trực tuyến toàn trình:"
            " {{ v.full_online_services }}/{{ v.full_online_eligible }} dịch vụ đủ điều kiện,"
            " đạt {{ v.full_online_rate }}.",
            "- Chưa có dịch vụ công đủ điều kiện cung cấp trực tuyến toàn trình.",
        ),
    )
    body(
        doc,
        choose(
            "n.services_with_files",
            "- Dịch vụ công có phát sinh hồ sơ nộp trực tuyến:"
            " {{ v.services_with_online_files }}/{{ v.services_with_files }} dịch vụ có phát"
            " sinh hồ sơ, đạt {{ v.services_online_rate }}.",
            "- Trong kỳ, không có dịch vụ công trực tuyến phát sinh hồ sơ.",
        ),
    )
    body(
        doc,
        choose(
            "n.full_service_files or n.partial_service_files",
            "- Hồ sơ nộp trực tuyến: dịch vụ công toàn trình"
            " {{ v.full_online_files }}/{{ v.full_service_files }} hồ sơ, đạt"
            " {{ v.full_online_files_rate }}; dịch vụ công một phần"
            " {{ v.partial_online_files }}/{{ v.partial_service_files }} hồ sơ, đạt"
            " {{ v.partial_online_files_rate }}.",
            "- Trong kỳ, không phát sinh hồ sơ dịch vụ công trực tuyến.",
        ),
    )
    body(
        doc,
        choose(
            "n.fee_procedures",
            "- Thanh toán trực tuyến: {{ v.online_payment_procedures }}/{{ v.fee_procedures }}"
            " thủ tục hành chính có yêu cầu nghĩa vụ tài chính đã được tích hợp, triển khai"
            " thanh toán trực tuyến, đạt {{ v.online_payment_rate }}.",
            "- Không có thủ tục hành chính có yêu cầu nghĩa vụ tài chính.",
        ),
    )
    clerk_lines(doc, "digital_government")


def build_results(doc: DocumentObject) -> None:
    """II. Kết quả thực hiện các nhiệm vụ cải cách hành chính."""
    section_heading(doc, "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    build_institutions(doc)
    build_procedures(doc)
    build_organization(doc)
    build_civil_service(doc)
    build_public_finance(doc)
    build_digital_government(doc)


def optional_subsection(doc: DocumentObject, title: str, key: str) -> None:
    """A numbered sub-heading and the clerk's lines, left out when they are empty."""
    add_tag(doc, f"if text.{key}")
    subsection_heading(doc, title)
    clerk_lines(doc, key)
    add_tag(doc, "endif")


HP_ASSESSMENT = ("1. Kết quả nổi bật, ưu điểm", "2. Tồn tại, hạn chế", "3. Nguyên nhân")
HP_CLOSING = (
    "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {{ period.text }} của {{ unit.ubnd }}./."
)


def build_assessment_and_plans(
    doc: DocumentObject, titles: tuple[str, str, str] = HP_ASSESSMENT, closing_text: str = HP_CLOSING
) -> None:
    """III. Đánh giá chung (ưu điểm, hạn chế, nguyên nhân: each seed words them its own way);
    IV. Phương hướng; V. Kiến nghị; closing sentence."""
    section_heading(doc, "III. ĐÁNH GIÁ CHUNG")
    for title, key in zip(titles, ("strengths", "weaknesses", "causes"), strict=True):
        optional_subsection(doc, title, key)

    section_heading(doc, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ period.next_text|upper }}")
    clerk_lines(doc, "next_tasks")

    add_tag(doc, "if text.proposals")
    section_heading(doc, "V. KIẾN NGHỊ, ĐỀ XUẤT")
    clerk_lines(doc, "proposals")
    add_tag(doc, "endif")

    closing = body(doc, closing_text)
    closing.paragraph_format.keep_with_next = True  # stay on the signature's page


def build_signature(doc: DocumentObject) -> None:
    """Borderless table: "Nơi nhận" list left, signing authority right."""
    spacer = add_para(doc, "", STYLE_RULE)
    spacer.paragraph_format.space_after = Pt(6)
    spacer.paragraph_format.keep_with_next = True
    table = new_table(doc, 1, SIGNATURE_WIDTHS, "nil")
    set_cell_margins(table, Cm(0.1))
    keep_rows_whole(table, [0])  # never split the signature over two pages
    left, right = table.rows[0].cells

    heading = first_paragraph(left, STYLE_RECIPIENTS)
    format_run(heading.add_run("Nơi nhận:"), bold=True, italic=True, size=12)
    add_tag(left, "for r in recipients")
    add_para(left, "- {{ r }}", STYLE_RECIPIENTS)
    add_tag(left, "endfor")

    authority = first_paragraph(right, STYLE_LETTERHEAD)
    format_run(authority.add_run(expr("signature.authority")), bold=True, size=14)
    add_tag(right, "for t in signature.title_lines")
    add_para(right, expr("t"), STYLE_LETTERHEAD, bold=True, size=14)
    add_tag(right, "endfor")
    for _ in range(4):
        add_para(right, "", STYLE_LETTERHEAD).paragraph_format.line_spacing = 1.15
    add_para(right, expr("signature.name"), STYLE_LETTERHEAD, bold=True, size=14)

    set_fixed_widths(table, SIGNATURE_WIDTHS)


def build_appendix_heading(doc: DocumentObject, heading: str = expr("appendix.heading")) -> None:
    """Phụ lục title block, starting on a new page."""
    title = add_para(doc, expr("appendix.title"), STYLE_TITLE)
    title.paragraph_format.page_break_before = True
    add_para(doc, heading, STYLE_TITLE)
    add_para(doc, expr("appendix.subheading"), STYLE_TITLE, italic=True)
    add_para(doc, expr("appendix.attached"), STYLE_TITLE, bold=False, italic=True)


def fill_cell(cell: _Cell, text: str, align: WD_ALIGN_PARAGRAPH) -> Paragraph:
    """Write one run into a table cell (table text style, vertically centred)."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = first_paragraph(cell, STYLE_TABLE)
    paragraph.alignment = align
    if text:
        paragraph.add_run(text)
    return paragraph


def build_appendix_header_rows(table: Table, columns: str = "appendix.columns") -> None:
    """Two repeating header rows with merged STT/label/remark and a spanned group.

    ``columns`` names the headings: ``appendix.columns`` (the form's) or ``t.columns``
    (the table's own, e.g. a Ghi chú column headed "Địa phương thực hiện").
    """
    center = WD_ALIGN_PARAGRAPH.CENTER
    stt = table.cell(0, 0).merge(table.cell(1, 0))
    label = table.cell(0, 1).merge(table.cell(1, 1))
    group = table.cell(0, 2).merge(table.cell(0, 3))
    remark = table.cell(0, 4).merge(table.cell(1, 4))

    fill_cell(stt, expr(f"{columns}.stt"), center).runs[0].bold = True
    label_paragraph = fill_cell(label, expr(f"{columns}.label"), center)
    label_paragraph.runs[0].bold = True
    label_paragraph.runs[0].add_break(WD_BREAK.LINE)
    label_paragraph.add_run(expr(f"{columns}.label_note")).italic = True
    fill_cell(group, expr(f"{columns}.group"), center).runs[0].bold = True
    fill_cell(remark, expr(f"{columns}.remark"), center).runs[0].bold = True
    fill_cell(table.cell(1, 2), expr(f"{columns}.unit"), center).runs[0].bold = True
    fill_cell(table.cell(1, 3), expr(f"{columns}.value"), center).runs[0].bold = True
    for index in (0, 1):
        mark_header_row(table, index)
        # Give the two rows together room for the 3-line merged label cell: LibreOffice
        # otherwise clips that cell where it repeats the header on a new page.
        table.rows[index].height = APPENDIX_HEADER_ROW_HEIGHT
        table.rows[index].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def build_appendix_loop_rows(table: Table) -> None:
    """Row loop: ``{%tr for %}`` row, one data row, ``{%tr endfor %}`` row."""
    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    for index, statement in ((2, "for row in t.rows"), (4, "endfor")):
        merged = table.cell(index, 0).merge(table.cell(index, 4))
        paragraph = first_paragraph(merged, STYLE_TAG)
        paragraph.add_run(f"{{%tr {statement} %}}")
    cells = table.rows[3].cells
    for cell, field, align in zip(
        cells,
        ("stt", "label", "unit", "value", "remark"),
        (center, left, center, center, center),
        strict=True,
    ):
        fill_cell(cell, f"{{{{r row.{field} }}}}", align)
    keep_rows_whole(table, [3])


def build_appendix_table(doc: DocumentObject, columns: str = "appendix.columns") -> None:
    table = new_table(doc, 5, APPENDIX_WIDTHS, "single")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_cell_margins(table, APPENDIX_CELL_MARGIN, Cm(0.05))
    build_appendix_header_rows(table, columns)
    build_appendix_loop_rows(table)
    set_fixed_widths(table, APPENDIX_WIDTHS)


def build_appendix(
    doc: DocumentObject,
    *,
    number: str = "t.sheet",
    columns: str = "appendix.columns",
    heading: str = expr("appendix.heading"),
) -> None:
    """Phụ lục: one titled, bordered table per Biểu mẫu, inside a paragraph loop.

    ``number`` prints the table's number (``t.sheet`` or ``t.number``: "Biểu mẫu 1", "I");
    ``columns`` names the column headings (``appendix.columns`` or ``t.columns``).
    """
    build_appendix_heading(doc, heading)
    add_tag(doc, "for t in appendix.tables")
    sheet = add_para(doc, expr(number), STYLE_TITLE)
    sheet.paragraph_format.space_before = Pt(12)
    title = add_para(doc, expr("t.title"), STYLE_TITLE)
    title.paragraph_format.space_after = Pt(6)
    build_appendix_table(doc, columns)
    add_tag(doc, "if t.footnote")
    add_para(doc, expr("t.footnote"), STYLE_NOTE)
    add_tag(doc, "endif")
    add_tag(doc, "endfor")
    # Word wants a paragraph after a table at the end of the body.
    add_para(doc, "", STYLE_RULE)


# --------------------------------------------------------------------------- #
# Grids: a table typed row by row, with a multi-level header and a total row
# --------------------------------------------------------------------------- #


GRID_NUMBER_WIDTH = Cm(0.8)
GRID_LABEL_WIDTH = Cm(2.6)
GRID_FONT_SIZE = 9


def grid_widths(grid: Grid) -> list[Length]:
    """STT, label, then the leaf columns sharing what is left of the text width."""
    leaves = len(grid.leaves)
    rest = TEXT_WIDTH - GRID_NUMBER_WIDTH - GRID_LABEL_WIDTH
    return [GRID_NUMBER_WIDTH, GRID_LABEL_WIDTH, *([Length(rest // leaves)] * leaves)]


def grid_cell(cell: _Cell, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = first_paragraph(cell, STYLE_TABLE)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    if text:
        format_run(paragraph.add_run(text), bold=bold, size=GRID_FONT_SIZE)


def build_grid_table(doc: DocumentObject, grid: Grid) -> None:
    """The grid as a Word table: its headings (merged as in the form), a row loop, the total row.

    The headings are written as plain text, as a person would type them in Word; the rows
    come from ``grids.<id>.rows`` and the total from ``grids.<id>.total``.
    """
    depth, leaves = grid.depth, grid.leaves
    widths = grid_widths(grid)
    table = new_table(doc, depth + 4, widths, "single")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_cell_margins(table, Cm(0.05), Cm(0.03))
    for cell in grid_header_cells(grid):
        target = table.cell(cell.row, cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
        grid_cell(target, cell.text, bold=True)
    for index in range(depth):
        mark_header_row(table, index)
    name = f"grids.{grid.id}"
    for index, statement in ((depth, f"for r in {name}.rows"), (depth + 2, "endfor")):
        merged = table.cell(index, 0).merge(table.cell(index, len(widths) - 1))
        first_paragraph(merged, STYLE_TAG).add_run(f"{{%tr {statement} %}}")
    row = table.rows[depth + 1].cells
    grid_cell(row[0], expr("r.number"))
    grid_cell(row[1], expr("r.label"), align=WD_ALIGN_PARAGRAPH.LEFT)
    for cell, column in zip(row[2:], leaves, strict=True):
        grid_cell(cell, expr(f"r.v.{column.id}"))
    total = table.rows[depth + 3].cells
    grid_cell(total[1], expr(f"{name}.total.label"), bold=True)
    for cell, column in zip(total[2:], leaves, strict=True):
        grid_cell(cell, expr(f"{name}.total.v.{column.id}"), bold=True)
    keep_rows_whole(table, [depth + 1, depth + 3])
    set_fixed_widths(table, widths)


# --------------------------------------------------------------------------- #
# Hải Dương 2023 (templates/hai_duong_2023/form.yaml)
# --------------------------------------------------------------------------- #


def build_hd_direction(doc: DocumentObject) -> None:
    section_heading(doc, "I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")
    subsection_heading(doc, "1. Ban hành Kế hoạch Cải cách hành chính")
    clerk_lines(doc, "plan")
    add_tag(doc, "if n.plan_tasks")
    body(
        doc,
        "- Mức độ hoàn thành kế hoạch: Theo kế hoạch có {{ v.plan_tasks }} nhiệm vụ. Tính đến thời điểm"
        " {{ period.date_to }} đã hoàn thành {{ v.plan_done }}/{{ v.plan_tasks }} nhiệm vụ mà kế hoạch đã đề ra"
        " từ đầu năm (đạt {{ v.plan_rate }}).",
    )
    add_tag(doc, "endif")

    subsection_heading(doc, "2. Công tác kiểm tra cải cách hành chính")
    clerk_lines(doc, "inspection")
    add_tag(doc, "if n.inspection_issues")
    body(
        doc,
        "Qua kiểm tra phát hiện {{ v.inspection_issues }} vấn đề, đã xử lý xong {{ v.inspection_fixed }}"
        " vấn đề, đạt {{ v.inspection_fix_rate }}.",
    )
    add_tag(doc, "endif")

    subsection_heading(doc, "3. Công tác tuyên truyền cải cách hành chính")
    clerk_lines(doc, "communication")

    subsection_heading(doc, "4. Kết quả thực hiện nhiệm vụ {{ superior }}, Chủ tịch {{ superior }} giao")
    clerk_lines(doc, "assigned")
    add_tag(doc, "if n.assigned_tasks")
    body(
        doc,
        "- Tổng số nhiệm vụ được giao: {{ v.assigned_tasks }} nhiệm vụ; đã hoàn thành đúng hạn"
        " {{ v.assigned_on_time }} nhiệm vụ"
        + choose("n.assigned_done_late", "; hoàn thành nhưng quá hạn {{ v.assigned_done_late }} nhiệm vụ")
        + choose("n.assigned_overdue", "; quá hạn nhưng chưa hoàn thành {{ v.assigned_overdue }} nhiệm vụ")
        + choose("n.assigned_in_progress > 0", "; đang thực hiện {{ v.assigned_in_progress }} nhiệm vụ")
        + ".",
    )
    add_tag(doc, "endif")


def build_hd_one_stop(doc: DocumentObject, grid: Grid) -> None:
    """Bộ phận Một cửa: the clerk's lines around the table of hồ sơ by lĩnh vực."""
    heading = add_para(doc, "* Kết quả tiếp nhận, giải quyết TTHC tại Bộ phận một cửa:", STYLE_BODY, bold=True)
    heading.paragraph_format.keep_with_next = True
    clerk_lines(doc, "one_stop")
    name = f"grids.{grid.id}"
    add_tag(doc, f"if not {name}.empty")
    lead = body(
        doc,
        "Tính từ ngày {{ period.date_from }} đến {{ period.date_to }}, Bộ phận Một cửa {{ unit.ubnd }} đã tiếp"
        f" nhận trong kỳ báo cáo là {{{{ {name}.total.v.received }}}} hồ sơ, trong đó:",
    )
    lead.paragraph_format.keep_with_next = True
    build_grid_table(doc, grid)
    add_para(doc, "", STYLE_RULE).paragraph_format.space_after = Pt(6)
    add_tag(doc, f"if {name}.total.n.resolved")
    body(
        doc,
        f"Đã giải quyết {{{{ {name}.total.v.resolved }}}} hồ sơ, trong đó: trước hạn"
        f" {{{{ {name}.total.v.early }}}} hồ sơ; đúng hạn {{{{ {name}.total.v.on_time }}}} hồ sơ; quá hạn"
        f" {{{{ {name}.total.v.late }}}} hồ sơ. Số hồ sơ đang giải quyết: {{{{ {name}.total.v.pending }}}} hồ sơ.",
    )
    add_tag(doc, "endif")
    add_tag(doc, "endif")
    clerk_lines(doc, "one_stop_results")


def build_hd_results(doc: DocumentObject, grid: Grid) -> None:
    section_heading(doc, "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH")
    subsection_heading(doc, "1. Cải cách thể chế")
    clerk_lines(doc, "institutions")
    body(
        doc,
        choose(
            "n.legal_docs_total",
            "Trong kỳ, {{ unit.ubnd }} đã ban hành {{ v.legal_docs_total }} văn bản quy phạm pháp luật.",
            "Trong kỳ, {{ unit.ubnd }} không ban hành văn bản quy phạm pháp luật.",
        ),
    )

    subsection_heading(doc, "2. Cải cách thủ tục hành chính")
    clerk_lines(doc, "procedures")
    build_hd_one_stop(doc, grid)

    subsection_heading(doc, "3. Cải cách tổ chức bộ máy")
    body(
        doc,
        "- Tổng số biên chế được giao trong năm là {{ v.staff_quota }} người, hiện tại có mặt là"
        " {{ v.staff_present }} người"
        + choose("n.contract_workers", "; hợp đồng lao động {{ v.contract_workers }} người")
        + choose("n.staff_reduced", "; đã tinh giản {{ v.staff_reduced }} biên chế trong kỳ")
        + ".",
    )
    clerk_lines(doc, "organization")

    subsection_heading(doc, "4. Cải cách chế độ công vụ")
    clerk_lines(doc, "civil_service")
    add_tag(doc, "if n.disciplined_total")
    body(doc, "- Trong kỳ, có {{ v.disciplined_total }} cán bộ, công chức, viên chức bị kỷ luật.")
    add_tag(doc, "endif")

    subsection_heading(doc, "5. Cải cách tài chính công")
    clerk_lines(doc, "public_finance")
    add_tag(doc, "if n.investment_plan")
    body(
        doc,
        "- Thực hiện kế hoạch giải ngân vốn đầu tư công: đã giải ngân {{ v.investment_done }} triệu đồng trên"
        " kế hoạch được giao {{ v.investment_plan }} triệu đồng, đạt {{ v.investment_rate }}.",
    )
    add_tag(doc, "endif")

    subsection_heading(doc, "6. Xây dựng và phát triển chính quyền điện tử, chính quyền số")
    clerk_lines(doc, "digital_government")
    add_tag(doc, "if n.level34_services")
    body(
        doc,
        "- Dịch vụ công trực tuyến: {{ v.level34_services }} thủ tục hành chính được cung cấp trực tuyến mức độ"
        " 3 và 4 (mức độ 3: {{ v.level3_services }}; mức độ 4: {{ v.level4_services }}), trong đó"
        " {{ v.integrated_services }} thủ tục đã tích hợp, công khai trên Cổng Dịch vụ công quốc gia.",
    )
    add_tag(doc, "endif")
    add_tag(doc, "if n.received_files")
    body(
        doc,
        "- Hồ sơ tiếp nhận trực tuyến mức độ 3 và 4: {{ v.online_files }}/{{ v.received_files }} hồ sơ, đạt"
        " {{ v.online_files_rate }}.",
    )
    add_tag(doc, "endif")
    add_tag(doc, "if n.fee_procedures")
    body(
        doc,
        "- Thanh toán trực tuyến: {{ v.online_payment_procedures }}/{{ v.fee_procedures }} thủ tục hành chính"
        " có yêu cầu nghĩa vụ tài chính đã được tích hợp, triển khai thanh toán trực tuyến, đạt"
        " {{ v.online_payment_rate }}.",
    )
    add_tag(doc, "endif")


HD_ASSESSMENT = ("1. Ưu điểm", "2. Hạn chế", "3. Nguyên nhân của hạn chế")
HD_CLOSING = (
    "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {{ period.text }} và phương hướng"
    " nhiệm vụ {{ period.next_text }} của {{ unit.ubnd }}./."
)


def build_hai_duong(doc: DocumentObject, form: Form) -> None:
    build_letterhead(doc)
    build_title(doc)
    build_opening(doc)
    build_hd_direction(doc)
    build_hd_results(doc, form.grid("files_by_field"))
    build_assessment_and_plans(doc, HD_ASSESSMENT, HD_CLOSING)
    build_signature(doc)
    build_appendix(doc, number="t.number", columns="t.columns", heading="{{ appendix.heading }} {{ period.text }}")


# --------------------------------------------------------------------------- #
# Generic: any form
# --------------------------------------------------------------------------- #


def build_generic(doc: DocumentObject, form: Form) -> None:
    """Every narrative section in order under its label, every grid after them, then the Phụ lục."""
    build_letterhead(doc)
    build_title(doc)
    build_opening(doc)
    add_tag(doc, "for s in sections")
    add_tag(doc, "if s.lines")
    subsection_heading(doc, expr("s.label"))
    add_tag(doc, "for line in s.lines")
    body(doc, expr("line"))
    add_tag(doc, "endfor")
    add_tag(doc, "endif")
    add_tag(doc, "endfor")
    for grid in form.grids:
        subsection_heading(doc, expr(f"grids.{grid.id}.title"))
        build_grid_table(doc, grid)
        add_para(doc, "", STYLE_RULE).paragraph_format.space_after = Pt(6)
    closing = body(
        doc,
        "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {{ period.text }} của {{ unit.ubnd }}./.",
    )
    closing.paragraph_format.keep_with_next = True
    build_signature(doc)
    build_appendix(doc, number="t.number", columns="t.columns")


STARTER_RESULTS = (
    ("1. Cải cách thể chế", "institutions"),
    ("2. Cải cách thủ tục hành chính", "procedures"),
    ("3. Cải cách tổ chức bộ máy", "organization"),
    ("4. Cải cách chế độ công vụ", "civil_service"),
    ("5. Cải cách tài chính công", "public_finance"),
    ("6. Xây dựng và phát triển chính quyền điện tử, chính quyền số", "digital_government"),
)


def build_starter(doc: DocumentObject, form: Form) -> None:
    """templates/_starter: the standard headings I–V, each with the clerk's lines; the Phụ lục loop.

    No sentence names a row, so the same template serves `new-form --blank` and
    `new-form --from-document` whatever rows the form has.
    """
    build_letterhead(doc)
    build_title(doc)
    build_opening(doc)
    section_heading(doc, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")
    clerk_lines(doc, "direction")
    section_heading(doc, "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    for title, key in STARTER_RESULTS:
        optional_subsection(doc, title, key)
    build_assessment_and_plans(doc, ("1. Ưu điểm", "2. Tồn tại, hạn chế", "3. Nguyên nhân"))
    build_signature(doc)
    build_appendix(doc, number="t.number", columns="t.columns")


def build_hai_phong(doc: DocumentObject, form: Form) -> None:
    build_letterhead(doc)
    build_title(doc)
    build_opening(doc)
    build_direction(doc)
    build_results(doc)
    build_assessment_and_plans(doc)
    build_signature(doc)
    build_appendix(doc)


BODIES: dict[str, Callable[[DocumentObject, Form], None]] = {
    "hai_phong_2025": build_hai_phong,
    "hai_duong_2023": build_hai_duong,
    "generic": build_generic,
    "starter": build_starter,
}
NAMES = {
    "hai_phong_2025": ("Hải Phòng 2025", "BÁO CÁO + Phụ lục III"),
    "hai_duong_2023": ("Hải Dương 2023", "BÁO CÁO + Phụ lục"),
}


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def build_document(form: Form | None = None, body_name: str | None = None) -> DocumentObject:
    form = form or find_form("hai_phong_2025")
    body_name = body_name or (form.id if form.id in BODIES else "generic")
    if form.id == "starter" and form.directory.name == "_starter":
        body_name = "starter"
    doc = Document()
    setup_styles(doc)
    setup_page(doc)
    setup_settings(doc)
    set_core_properties(doc, *NAMES.get(body_name, (form.title, "BÁO CÁO + Phụ lục")))
    drop_thumbnail(doc)
    BODIES[body_name](doc, form)
    return doc


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--form", default="hai_phong_2025", help="installed form id or path of a form.yaml")
    parser.add_argument("--body", choices=sorted(BODIES), default=None, help="default: the form's own, else generic")
    parser.add_argument("--output", type=Path, default=None, help="default: the form's template file")
    args = parser.parse_args(argv)
    form = load_form_for_template(args.form)
    output = args.output or form.template_path
    output.parent.mkdir(parents=True, exist_ok=True)
    build_document(form, args.body).save(output)
    print(f"wrote {output}")


def load_form_for_template(value: str) -> Form:
    """The form, even when its template does not exist yet (this tool is what makes it)."""
    path = Path(value)
    if not value.endswith((".yaml", ".yml")) and not path.is_dir():
        path = installed_forms()[value]
    elif path.is_dir():
        path = path / "form.yaml"
    issues = FormIssues(path.name)
    form = parse_form(path, None, issues, require_template=False)
    if form is None:
        raise SystemExit("\n".join(str(i) for i in issues.errors))
    return form


if __name__ == "__main__":
    main()
