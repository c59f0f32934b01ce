"""The Word edits of docs/huong-dan-bieu-mau.md section 7 step 4, as they were made on the copy of
templates/hai_duong_2023/bao_cao.docx that `new-form` wrote: python-docx stands in for a person in
Word (no Word on the build machine). It is a record of what was typed, not part of the product:

    python tests/data/forms/tinh_thu_2024/word_edits.py tests/data/forms/tinh_thu_2024/bao_cao.docx
"""

import sys

from docx import Document

path = sys.argv[1]
doc = Document(path)
body = doc.element.body
paras = doc.paragraphs
start = next(p for p in paras if p.text == "I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")
closing = next(p for p in paras if p.text.startswith("Trên đây là báo cáo"))
# 1. delete the old narrative (paragraphs and the table of hồ sơ by lĩnh vực) up to the closing sentence
element = start._p
while element is not closing._p:
    following = element.getnext()
    body.remove(element)
    element = following
# 2. type the new narrative before the closing sentence
NEW = [
    ("Section Heading", "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
    (
        "Normal",
        "- Trong kỳ, {{ unit.ubnd }} đã ban hành {{ v.directive_docs }} văn bản chỉ đạo, điều hành công tác cải cách hành chính ({{ v.plans }} kế hoạch, {{ v.letters }} công văn); {% if n.plan_tasks %}đã hoàn thành {{ v.plan_done }}/{{ v.plan_tasks }} nhiệm vụ của kế hoạch cải cách hành chính năm {{ period.year }}, đạt {{ v.plan_rate }}{% else %}kế hoạch cải cách hành chính năm {{ period.year }} chưa giao nhiệm vụ cụ thể{% endif %}.",
    ),
    ("Template Tag", "{%p for line in text.direction %}"),
    ("Normal", "{{ line }}"),
    ("Template Tag", "{%p endfor %}"),
    ("Section Heading", "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"),
    (
        "Normal",
        "- Thủ tục hành chính: tiếp nhận {{ v.files_received }} hồ sơ, trong đó trực tuyến {{ v.files_online }} hồ sơ (đạt {{ v.online_rate }}); đã giải quyết {{ v.files_resolved }} hồ sơ, trong đó đúng hạn {{ v.files_on_time }} hồ sơ (đạt {{ v.on_time_rate }}).",
    ),
    (
        "Normal",
        "- Tổ chức bộ máy, công vụ: cán bộ, công chức được giao {{ v.staff_quota }} người, có mặt {{ v.staff_present }} người; {{ v.trained }} lượt cán bộ, công chức được bồi dưỡng.",
    ),
    (
        "Normal",
        "- Chính quyền số: sử dụng chữ ký số: {{ v.e_signature|lower }}; tỷ lệ văn bản đi được gửi hoàn toàn dưới dạng điện tử: {{ v.e_documents_rate }}.",
    ),
    ("Template Tag", "{%p for line in text.results %}"),
    ("Normal", "{{ line }}"),
    ("Template Tag", "{%p endfor %}"),
    ("Section Heading", "III. TỒN TẠI, HẠN CHẾ"),
    ("Template Tag", "{%p for line in text.limits %}"),
    ("Normal", "{{ line }}"),
    ("Template Tag", "{%p endfor %}"),
    ("Section Heading", "IV. NHIỆM VỤ {{ period.next_text|upper }}"),
    ("Template Tag", "{%p for line in text.next_tasks %}"),
    ("Normal", "{{ line }}"),
    ("Template Tag", "{%p endfor %}"),
]
for style, text in NEW:
    paragraph = doc.add_paragraph(text, style=style)
    closing._p.addprevious(paragraph._p)
# 3. Phụ lục: "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" on one line; heading with the period in capitals
number = next(p for p in doc.paragraphs if p.text == "{{ t.number }}")
number.runs[0].text = "{{ t.number }}. {{ t.title|upper }}"
title = next(p for p in doc.paragraphs if p.text == "{{ t.title }}")
body.remove(title._p)
heading = next(p for p in doc.paragraphs if p.text == "{{ appendix.heading }} {{ period.text }}")
heading.runs[0].text = "{{ appendix.heading }} {{ period.text|upper }}"
doc.save(path)
