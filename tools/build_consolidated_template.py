"""Build the Word template ``templates/hai_phong_2025/tong_hop.docx`` (consolidated report).

The consolidated report is the one a city's Sở Nội vụ makes from all its communes' reports:
"BÁO CÁO" tổng hợp, then the "Phụ lục tổng hợp" (same Biểu mẫu tables as a commune's
Phụ lục, with summed values), then the list of units with a few key rates.

The layout is the commune template's: this script imports the helpers of
``tools/build_template.py`` (styles, page, letterhead, rules, headings, signature, Phụ lục
table) and only adds thin wrappers where the commune version names commune variables.
The variables used are the ones of ``docs/template-context.md``, section "Báo cáo tổng hợp";
row ids (``v.``/``n.``) come from ``templates/hai_phong_2025/form.yaml``.

As in the commune template, every Jinja tag sits in a single run, and paragraph-level tags
(``{%p … %}``) sit alone in their own grey "Template Tag" paragraph.

Run from the repository root::

    python tools/build_consolidated_template.py [--output PATH]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

try:  # run as a script: tools/ is on sys.path
    import build_template as base
except ModuleNotFoundError:  # imported as tools.build_consolidated_template
    from tools import build_template as base

DEFAULT_OUTPUT = base.REPO_ROOT / "templates" / "hai_phong_2025" / "tong_hop.docx"

expr, choose = base.expr, base.choose

# Extra styles of this template (the commune template's styles are created by base.setup_styles).
STYLE_UNIT_TABLE = "Unit Table Text"
STYLE_CHART = "Chart"
STYLE_CAPTION = "Chart Caption"
STYLE_PLACEHOLDER = "Placeholder"

# List of units: STT | Đơn vị | Tình trạng | Lỗi | Cảnh báo | four rate columns (16.5 cm in all).
RATE_COLUMN_COUNT = 4
UNIT_WIDTHS = (Cm(0.9), Cm(3.9), Cm(1.5), Cm(0.9), Cm(1.5)) + (Cm(1.95),) * RATE_COLUMN_COUNT
UNIT_FIELDS = ("stt", "name", "status", "errors", "warnings")
UNIT_HEADERS = ("STT", "Đơn vị", "Tình trạng", "Lỗi", "Cảnh báo")
UNIT_HEADER_ROW_HEIGHT = Cm(1.2)


# --------------------------------------------------------------------------- #
# Thin wrappers around the commune template's parts
# --------------------------------------------------------------------------- #


def retarget(element, names: dict[str, str]) -> None:
    """Rename variables in the tags of an already built part (each tag is one ``w:t``)."""
    for text in element.iter(qn("w:t")):
        for old, new in names.items():
            if text.text and old in text.text:
                text.text = text.text.replace(old, new)


def drop_block(doc: DocumentObject, statement: str) -> None:
    """Remove a ``{%p statement %}`` … ``{%p endif %}`` block from the body."""
    opening = f"{{%p {statement} %}}"
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == opening)
    end = next(i for i in range(start, len(paragraphs)) if paragraphs[i].text == "{%p endif %}")
    for paragraph in paragraphs[start : end + 1]:
        paragraph._p.getparent().remove(paragraph._p)


def setup_styles(doc: DocumentObject) -> None:
    """The commune template's styles, plus the few this template adds."""
    base.setup_styles(doc)
    center, no_indent = WD_ALIGN_PARAGRAPH.CENTER, Cm(0)
    base.add_paragraph_style(doc, STYLE_UNIT_TABLE, size=11, align=center, first_line=no_indent)
    base.add_paragraph_style(doc, STYLE_CHART, align=center, first_line=no_indent, before=6, keep_with_next=True)
    base.add_paragraph_style(doc, STYLE_CAPTION, size=13, italic=True, align=center, first_line=no_indent, after=6)
    base.add_paragraph_style(doc, STYLE_PLACEHOLDER, italic=True, after=6, line=1.15)


def set_core_properties(doc: DocumentObject) -> None:
    props = doc.core_properties
    props.title = "Báo cáo tổng hợp cải cách hành chính định kỳ (mẫu Hải Phòng 2025)"
    props.subject = "Mẫu docxtpl: BÁO CÁO tổng hợp + Phụ lục tổng hợp + danh sách đơn vị"
    props.author = "baocao"
    props.last_modified_by = "baocao"
    props.comments = (
        "Sinh tự động bởi tools/build_consolidated_template.py; xem docs/template-context.md, mục Báo cáo tổng hợp."
    )
    props.language = "vi-VN"


def build_letterhead(doc: DocumentObject) -> None:
    """The commune letterhead, issued by the Sở (``issuer.*``) instead of the commune.

    The "Số" line and the place and date line move to a second row of the header table, so that
    they stand on the same line whatever the number of lines above them (the Sở's letterhead has
    three on the left, "ỦY BAN NHÂN DÂN / THÀNH PHỐ … / SỞ NỘI VỤ", against two on the right).
    """
    base.build_letterhead(doc)
    table = doc.tables[-1]
    retarget(table._tbl, {"unit.parent_upper": "issuer.parent_upper", "unit.agency_upper": "issuer.agency_upper"})
    row = table.add_row()
    for column, tag in ((0, "doc.number_line"), (1, "doc.place_date")):
        paragraph = next(p for p in table.cell(0, column).paragraphs if p.text == expr(tag))
        cell = row.cells[column]
        cell._tc.remove(cell.paragraphs[0]._p)
        cell._tc.append(paragraph._p)  # moved, with its style and run formatting
    base.set_fixed_widths(table, base.LETTERHEAD_WIDTHS)


def build_title(doc: DocumentObject) -> None:
    """ "BÁO CÁO" and the subject; the consolidated report has no "Kính gửi" line."""
    base.build_title(doc)
    drop_block(doc, "if doc.recipient")


def build_signature(doc: DocumentObject) -> None:
    """The commune signature block; the authority line ("TM. …") is left out when empty."""
    base.build_signature(doc)
    right = doc.tables[-1].cell(0, 1)
    right.paragraphs[0].insert_paragraph_before("{%p if signature.authority %}", base.STYLE_TAG)
    right.paragraphs[2].insert_paragraph_before("{%p endif %}", base.STYLE_TAG)


def fill_unit_cell(cell: _Cell, text: str, align: WD_ALIGN_PARAGRAPH, *, bold: bool = False) -> Paragraph:
    """One run in a cell of the list of units (11 pt)."""
    paragraph = base.fill_cell(cell, text, align)
    paragraph.style = STYLE_UNIT_TABLE
    if bold and paragraph.runs:
        paragraph.runs[0].bold = True
    return paragraph


# --------------------------------------------------------------------------- #
# Narrative
# --------------------------------------------------------------------------- #


def body(doc: DocumentObject, text: str) -> Paragraph:
    return base.body(doc, text)


def bullet(doc: DocumentObject, condition: str, yes: str, no: str = "") -> Paragraph:
    """A "- …" paragraph worded for a value and for its zero case."""
    return body(doc, "- " + choose(condition, yes, no))


def placeholder(doc: DocumentObject, text: str) -> Paragraph:
    """An italic reminder the Sở replaces with its own text."""
    return base.add_para(doc, text, STYLE_PLACEHOLDER)


def build_opening(doc: DocumentObject) -> None:
    body(
        doc,
        "Sở Nội vụ tổng hợp báo cáo công tác cải cách hành chính {{ period.text }} của"
        " {{ units.included }}/{{ units.total }} {{ units.kind_text }} trên địa bàn {{ province }}"
        " (số liệu từ ngày {{ period.date_from }} đến ngày {{ period.date_to }}), cụ thể như sau:",
    )


def build_reporting_status(doc: DocumentObject) -> None:
    """I. Which units reported, which sent a faulty report, which did not report."""
    base.section_heading(doc, "I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ")
    base.add_tag(doc, "if units.errors or units.missing")
    body(
        doc,
        "- Số đơn vị gửi báo cáo đúng mẫu, số liệu đã được tổng hợp: {{ units.included }}/{{ units.total }} đơn vị.",
    )
    bullet(
        doc,
        "units.errors",
        "Số đơn vị gửi báo cáo còn lỗi, chưa được tổng hợp: {{ units.errors }} đơn vị.",
        "Không có đơn vị gửi báo cáo còn lỗi.",
    )
    bullet(
        doc,
        "units.missing",
        "Số đơn vị chưa gửi báo cáo: {{ units.missing }} đơn vị.",
        "Tất cả các đơn vị đã gửi báo cáo.",
    )
    body(doc, "Tình trạng báo cáo của từng đơn vị tại {{ units_annex.title }} kèm theo Báo cáo này.")
    base.add_tag(doc, "else")
    body(doc, "Tất cả các đơn vị đã gửi báo cáo đúng mẫu; số liệu của {{ units.included }} đơn vị đã được tổng hợp.")
    base.add_tag(doc, "endif")


def build_direction(doc: DocumentObject) -> None:
    base.subsection_heading(doc, "1. Công tác chỉ đạo, điều hành")
    bullet(
        doc,
        "n.directive_docs",
        "Các đơn vị đã ban hành {{ v.directive_docs }} văn bản chỉ đạo, điều hành công tác cải cách"
        " hành chính (kết luận, chỉ thị, công văn chỉ đạo, quán triệt).",
        "Trong kỳ, các đơn vị chưa ban hành văn bản chỉ đạo riêng về công tác cải cách hành chính.",
    )
    bullet(
        doc,
        "n.plan_tasks",
        "Kế hoạch cải cách hành chính năm {{ period.year }} của các đơn vị đề ra {{ v.plan_tasks }}"
        " nhiệm vụ; lũy kế đến thời điểm báo cáo đã hoàn thành {{ v.plan_done }} nhiệm vụ, đạt {{ v.plan_rate }}.",
        "Kế hoạch cải cách hành chính năm {{ period.year }} của các đơn vị chưa giao nhiệm vụ cụ thể trong kỳ.",
    )
    findings = choose(
        "n.inspection_issues",
        "phát hiện {{ v.inspection_issues }} vấn đề, đã xử lý xong {{ v.inspection_fixed }} vấn đề,"
        " đạt {{ v.inspection_fix_rate }}.",
        "qua kiểm tra không phát hiện vấn đề phải xử lý.",
    )
    bullet(
        doc,
        "n.inspected_units or n.inspection_issues",
        "Các đơn vị đã kiểm tra công tác cải cách hành chính tại {{ v.inspected_units }} cơ quan, đơn vị; " + findings,
        "Trong kỳ, các đơn vị chưa tổ chức kiểm tra công tác cải cách hành chính.",
    )
    bullet(
        doc,
        "n.assigned_tasks",
        "Các đơn vị được cấp trên giao {{ v.assigned_tasks }} nhiệm vụ, trong đó: đã hoàn thành đúng hạn"
        " {{ v.assigned_on_time }} nhiệm vụ; đã hoàn thành nhưng quá hạn {{ v.assigned_done_late }} nhiệm vụ;"
        " quá hạn nhưng chưa hoàn thành {{ v.assigned_overdue }} nhiệm vụ"
        + choose("n.assigned_in_progress", "; đang thực hiện {{ v.assigned_in_progress }} nhiệm vụ")
        + ".",
        "Trong kỳ, các đơn vị không được cấp trên giao nhiệm vụ.",
    )
    bullet(
        doc,
        "n.survey_forms",
        "Các đơn vị đã khảo sát sự hài lòng của người dân, tổ chức với {{ v.survey_forms }} phiếu."
        " Số đơn vị theo hình thức khảo sát: {{ v.survey_method }}.",
        "Trong kỳ, các đơn vị chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức.",
    )
    bullet(
        doc,
        "n.dialogue",
        "Số đơn vị có lãnh đạo tổ chức đối thoại với người dân, cộng đồng doanh nghiệp: {{ v.dialogue }}.",
        "Trong kỳ, chưa có đơn vị tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp.",
    )


def build_institutions(doc: DocumentObject) -> None:
    base.subsection_heading(doc, "2. Cải cách thể chế")
    bullet(
        doc,
        "n.legal_docs_total",
        "Các đơn vị đã ban hành {{ v.legal_docs_total }} văn bản quy phạm pháp luật.",
        "Trong kỳ, các đơn vị không ban hành văn bản quy phạm pháp luật.",
    )


def build_procedures(doc: DocumentObject) -> None:
    base.subsection_heading(doc, "3. Cải cách thủ tục hành chính")
    body(
        doc,
        "- Tỷ lệ thủ tục hành chính thực hiện việc tiếp nhận, trả kết quả tại Trung tâm Phục vụ hành chính"
        " công của các đơn vị: {{ v.one_stop_rate }}; số thủ tục hành chính tiếp nhận và giải quyết không phụ"
        " thuộc vào địa giới hành chính: {{ v.borderless_procedures }} thủ tục.",
    )
    bullet(
        doc,
        "n.files_resolved",
        "Các đơn vị đã giải quyết xong {{ v.files_resolved }} hồ sơ TTHC, trong đó giải quyết đúng hạn"
        " {{ v.files_on_time }} hồ sơ, đạt {{ v.on_time_rate }}.",
        "Trong kỳ, các đơn vị không có hồ sơ TTHC được giải quyết xong.",
    )
    bullet(
        doc,
        "n.feedback_received",
        "Các đơn vị đã tiếp nhận {{ v.feedback_received }} phản ánh, kiến nghị về quy định thủ tục hành chính;"
        " đã giải quyết xong {{ v.feedback_resolved }} phản ánh, kiến nghị, đạt {{ v.feedback_rate }}.",
        "Trong kỳ, các đơn vị không tiếp nhận phản ánh, kiến nghị về quy định thủ tục hành chính.",
    )


def build_organization(doc: DocumentObject) -> None:
    base.subsection_heading(doc, "4. Cải cách tổ chức bộ máy")
    body(
        doc,
        "- Biên chế công chức được giao năm {{ period.year }} của các đơn vị: {{ v.staff_quota }} người;"
        " có mặt tại thời điểm báo cáo: {{ v.staff_present }} người; hợp đồng lao động làm việc tại cơ quan,"
        " tổ chức hành chính: {{ v.contract_workers }} người; "
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


def build_civil_service(doc: DocumentObject) -> None:
    base.subsection_heading(doc, "5. Cải cách chế độ công vụ")
    body(
        doc,
        "- Vị trí việc làm: {{ v.job_positions_admin }} cơ quan, tổ chức hành chính và"
        " {{ v.job_positions_psu }} đơn vị sự nghiệp đã được phê duyệt vị trí việc làm theo quy định"
        + choose(
            "n.job_positions_violations",
            "; {{ v.job_positions_violations }} cơ quan, tổ chức có vi phạm phát hiện qua thanh tra",
        )
        + ".",
    )
    bullet(
        doc,
        "n.recruited_civil_servants or n.recruited_public_employees",
        "Trong kỳ, các đơn vị đã tuyển dụng {{ v.recruited_civil_servants }} công chức và"
        " {{ v.recruited_public_employees }} viên chức.",
        "Trong kỳ, các đơn vị không tuyển dụng công chức, viên chức.",
    )
    bullet(
        doc,
        "n.disciplined_total",
        "Trong kỳ, có {{ v.disciplined_total }} cán bộ, công chức, viên chức của các đơn vị bị kỷ luật.",
        "Trong kỳ, các đơn vị không có cán bộ, công chức, viên chức bị kỷ luật.",
    )


def build_public_finance(doc: DocumentObject) -> None:
    base.subsection_heading(doc, "6. Cải cách tài chính công")
    bullet(
        doc,
        "n.investment_plan",
        "Giải ngân vốn đầu tư công: các đơn vị đã thực hiện {{ v.investment_done }} triệu đồng trên tổng kế"
        " hoạch được giao {{ v.investment_plan }} triệu đồng, đạt {{ v.investment_rate }}.",
        "Trong kỳ, các đơn vị không được giao kế hoạch vốn đầu tư công.",
    )
    bullet(
        doc,
        "n.psu_units",
        "Tổng số đơn vị sự nghiệp công lập thuộc các {{ units.kind_text }}: {{ v.psu_units }} đơn vị, trong đó:"
        " tự bảo đảm chi thường xuyên và chi đầu tư {{ v.psu_self_invest }}; tự bảo đảm chi thường xuyên"
        " {{ v.psu_self_regular }}; tự bảo đảm một phần chi thường xuyên {{ v.psu_self_partial }}; do Nhà nước"
        " bảo đảm chi thường xuyên {{ v.psu_state_funded }} đơn vị.",
        "Các {{ units.kind_text }} không có đơn vị sự nghiệp công lập.",
    )


def build_digital_government(doc: DocumentObject) -> None:
    base.subsection_heading(doc, "7. Xây dựng và phát triển chính quyền điện tử, chính quyền số")
    bullet(
        doc,
        "n.full_online_eligible",
        "Dịch vụ công trực tuyến toàn trình: {{ v.full_online_services }}/{{ v.full_online_eligible }} dịch vụ"
        " đủ điều kiện, đạt {{ v.full_online_rate }}.",
        "Các đơn vị chưa có dịch vụ công đủ điều kiện cung cấp trực tuyến toàn trình.",
    )
    bullet(
        doc,
        "n.services_with_files",
        "Dịch vụ công có phát sinh hồ sơ nộp trực tuyến: {{ v.services_with_online_files }}/"
        "{{ v.services_with_files }} dịch vụ có phát sinh hồ sơ, đạt {{ v.services_online_rate }}.",
        "Trong kỳ, các đơn vị không có dịch vụ công trực tuyến phát sinh hồ sơ.",
    )
    bullet(
        doc,
        "n.full_service_files or n.partial_service_files",
        "Hồ sơ nộp trực tuyến: dịch vụ công toàn trình {{ v.full_online_files }}/{{ v.full_service_files }}"
        " hồ sơ, đạt {{ v.full_online_files_rate }}; dịch vụ công một phần"
        " {{ v.partial_online_files }}/{{ v.partial_service_files }} hồ sơ, đạt {{ v.partial_online_files_rate }}.",
        "Trong kỳ, các đơn vị không phát sinh hồ sơ dịch vụ công trực tuyến.",
    )
    bullet(
        doc,
        "n.fee_procedures",
        "Thanh toán trực tuyến: {{ v.online_payment_procedures }}/{{ v.fee_procedures }} thủ tục hành chính"
        " có yêu cầu nghĩa vụ tài chính đã được tích hợp, triển khai thanh toán trực tuyến,"
        " đạt {{ v.online_payment_rate }}.",
        "Các đơn vị không có thủ tục hành chính có yêu cầu nghĩa vụ tài chính.",
    )


def build_chart(doc: DocumentObject) -> None:
    """Each native Word chart (baocao.chart.InlineChart) with its caption; none when ``charts`` is empty."""
    base.add_tag(doc, "for c in charts")
    base.add_para(doc, expr("c.chart"), STYLE_CHART)
    base.add_para(doc, expr("c.title"), STYLE_CAPTION)
    base.add_tag(doc, "endfor")


def build_results(doc: DocumentObject) -> None:
    """II. Aggregated results, one numbered sub-section per area, then the chart."""
    base.section_heading(doc, "II. KẾT QUẢ THỰC HIỆN CẢI CÁCH HÀNH CHÍNH")
    build_direction(doc)
    build_institutions(doc)
    build_procedures(doc)
    build_organization(doc)
    build_civil_service(doc)
    build_public_finance(doc)
    build_digital_government(doc)
    build_chart(doc)


def build_assessment_and_plans(doc: DocumentObject) -> None:
    """III. Đánh giá chung; IV. Phương hướng; V. Kiến nghị (placeholders); closing sentence."""
    base.section_heading(doc, "III. ĐÁNH GIÁ CHUNG")
    body(
        doc,
        "Nhìn chung, trong {{ period.text }}, các {{ units.kind_text }} trên địa bàn {{ province }} đã triển khai"
        " các nhiệm vụ cải cách hành chính theo kế hoạch; kết quả cụ thể của từng lĩnh vực được tổng hợp tại"
        " Mục II và Phụ lục tổng hợp kèm theo Báo cáo này.",
    )
    placeholder(doc, "(Sở Nội vụ bổ sung nhận xét, đánh giá.)")

    base.section_heading(doc, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ period.next_text|upper }}")
    placeholder(doc, "(Sở Nội vụ bổ sung phương hướng, nhiệm vụ trọng tâm kỳ tới.)")

    base.section_heading(doc, "V. KIẾN NGHỊ, ĐỀ XUẤT")
    placeholder(doc, "(Sở Nội vụ bổ sung kiến nghị, đề xuất, nếu có.)")

    closing = body(
        doc,
        "Trên đây là báo cáo tổng hợp kết quả thực hiện công tác cải cách hành chính {{ period.text }}"
        " của các {{ units.kind_text }} trên địa bàn {{ province }}./.",
    )
    closing.paragraph_format.keep_with_next = True  # stay on the signature's page


# --------------------------------------------------------------------------- #
# List of units
# --------------------------------------------------------------------------- #


def build_unit_header_row(table: Table) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    cells = table.rows[0].cells
    titles = list(UNIT_HEADERS) + [expr(f"rate_columns[{i}]") for i in range(RATE_COLUMN_COUNT)]
    for cell, title in zip(cells, titles, strict=True):
        fill_unit_cell(cell, title, center, bold=True)
    base.mark_header_row(table, 0)
    table.rows[0].height = UNIT_HEADER_ROW_HEIGHT
    table.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def build_unit_loop_rows(table: Table) -> None:
    """``{%tr for u in unit_rows %}`` row, one data row, ``{%tr endfor %}`` row."""
    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    last = len(UNIT_WIDTHS) - 1
    for index, statement in ((1, "for u in unit_rows"), (3, "endfor")):
        merged = table.cell(index, 0).merge(table.cell(index, last))
        base.first_paragraph(merged, base.STYLE_TAG).add_run(f"{{%tr {statement} %}}")
    fields = [f"u.{name}" for name in UNIT_FIELDS] + [f"u.rates[{i}]" for i in range(RATE_COLUMN_COUNT)]
    for cell, field in zip(table.rows[2].cells, fields, strict=True):
        fill_unit_cell(cell, expr(field), left if field == "u.name" else center)
    base.keep_rows_whole(table, [2])


def build_unit_list(doc: DocumentObject) -> None:
    """New page: the units with their status, error/warning counts and the key rates."""
    title = base.add_para(doc, expr("units_annex.title"), base.STYLE_TITLE)
    title.paragraph_format.page_break_before = True
    base.add_para(doc, expr("units_annex.heading"), base.STYLE_TITLE)
    attached = base.add_para(doc, expr("units_annex.attached"), base.STYLE_TITLE, bold=False, italic=True)
    attached.paragraph_format.space_after = Pt(12)

    table = base.new_table(doc, 4, UNIT_WIDTHS, "single")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    base.set_cell_margins(table, Cm(0.08), Cm(0.04))
    build_unit_header_row(table)
    build_unit_loop_rows(table)
    base.set_fixed_widths(table, UNIT_WIDTHS)

    base.add_para(
        doc,
        "Ghi chú: Tình trạng “đủ”: báo cáo đúng mẫu, số liệu đã được tổng hợp; “lỗi”: báo cáo còn lỗi,"
        " chưa được tổng hợp; “thiếu”: chưa gửi báo cáo.",
        base.STYLE_NOTE,
        italic=True,
    )


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def build_document() -> DocumentObject:
    doc = Document()
    setup_styles(doc)
    base.setup_page(doc)
    base.setup_settings(doc)
    set_core_properties(doc)
    base.drop_thumbnail(doc)
    build_letterhead(doc)
    build_title(doc)
    build_opening(doc)
    build_reporting_status(doc)
    build_results(doc)
    build_assessment_and_plans(doc)
    build_signature(doc)
    base.build_appendix(doc)
    build_unit_list(doc)
    return doc


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    build_document().save(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
