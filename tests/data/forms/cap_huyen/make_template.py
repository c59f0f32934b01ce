"""Writes bao_cao.docx of this test form: a Word template that is only a Phụ lục (no BÁO CÁO, so no
Người ký, Nơi nhận, trích yếu). python-docx stands in for a person in Word; run it again after editing:

    python tests/data/forms/cap_huyen/make_template.py
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

ROOT = Path(__file__).resolve().parents[4]
doc = Document(ROOT / "templates" / "_starter" / "bao_cao.docx")  # its styles and page; python-docx's own fail
body = doc.element.body
for element in list(body):
    if not element.tag.endswith("}sectPr"):
        body.remove(element)
for text in (
    "{{ unit.parent_upper }}",
    "{{ unit.agency_upper }}",
    "{{ appendix.title }}",
    "{{ appendix.heading }}",
    "{{ appendix.attached }}",
    "Số liệu từ ngày {{ period.date_from }} đến ngày {{ period.date_to }} ({{ period.text }})",
    "{%p if doc.basis %}",
    "Căn cứ: {{ doc.basis_text }}",
    "{%p endif %}",
    "{%p if info.decision %}",
    "Chỉ tiêu giao theo {{ info.decision }}",
    "{%p endif %}",
    "{%p for t in appendix.tables %}",
    "{{ t.number }}. {{ t.title }}",
):
    doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
table = doc.add_table(rows=4, cols=5)
if "Table Grid" in [s.name for s in doc.styles]:
    table.style = "Table Grid"
heads = ["{{ t.columns.stt }}", "{{ t.columns.label }}", "{{ t.columns.unit }}", "{{ t.columns.value }}"]
for cell, text in zip(table.rows[0].cells, [*heads, "{{ t.columns.remark }}"], strict=True):
    cell.text = text
table.rows[1].cells[0].text = "{%tr for row in t.rows %}"
for cell, key in zip(table.rows[2].cells, ("stt", "label", "unit", "value", "remark"), strict=True):
    cell.text = "{{r row." + key + " }}"
table.rows[3].cells[0].text = "{%tr endfor %}"
doc.add_paragraph("{%p endfor %}")
doc.save(Path(__file__).with_name("bao_cao.docx"))
