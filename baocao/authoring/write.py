"""Write an imported form as form.yaml: the shipped forms' layout, one row per line, with the
importer's doubts as `# KIỂM TRA: …` comment lines above the rows they concern.

Every text is written plain when YAML reads it back unchanged inside a flow mapping, else in
double quotes (so a label with ",", ":" or a leading "-" can never become something else).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import yaml

from baocao.authoring.rows import FormDocument, Guess
from baocao.form import DEFAULT_COLUMNS, TEMPLATES_DIR

PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]([^,:#\[\]{}]*[^\s,:#\[\]{}])?$")
# What YAML cannot hold as it is in a double-quoted text (written as \\uXXXX), line separators included.
UNPRINTABLE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
ACRONYMS = frozenset(
    [
        "CCHC",
        "TTHC",
        "UBND",
        "HĐND",
        "VBQPPL",
        "PAKN",
        "DVC",
        "DVCTT",
        "BCCI",
        "ĐVSN",
        "SNCL",
        "NSNN",
        "CBCC",
        "CBCCVC",
        "LGSP",
        "CNTT",
        "CSDL",
    ]
)
STARTER = TEMPLATES_DIR / "_starter" / "form.yaml"


def starter_narrative() -> str:
    """The starter form's narrative sections (one per standard heading), with their comment."""
    text = STARTER.read_text(encoding="utf-8")
    return text[text.index("# Các mục phần lời") :]


def scalar(value: object) -> str:
    """A YAML scalar for a flow mapping that reads back as exactly `value`."""
    if isinstance(value, bool | int):
        return str(value).lower() if isinstance(value, bool) else str(value)
    text = str(value)
    if PLAIN.match(text):
        try:
            if yaml.safe_load(f"{{k: {text}}}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def sentence_case(text: str) -> str:
    """ "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC" → "Công tác chỉ đạo điều hành CCHC" (known acronyms kept)."""
    if not text.isupper():
        return text
    words = [w if w.strip("(),.;:") in ACRONYMS else w.lower() for w in text.split()]
    first = words[0] if words else ""
    if words and first not in ACRONYMS:
        words[0] = first[:1].upper() + first[1:]
    return " ".join(words)


def row_line(g: Guess) -> str:
    raw = g.raw
    fields: list[tuple[str, object]] = []
    if raw.bullet:
        fields.append(("bullet", raw.bullet))
    else:
        fields.append(("stt", raw.stt))
    fields += [("id", g.id), ("label", raw.label)]
    if raw.note:
        fields.append(("note", raw.note))
    if g.unit:
        fields.append(("unit", g.unit))
    if raw.remark:
        fields.append(("remark", raw.remark))
    fields.append(("kind", g.kind))
    if g.kind == "rate":
        fields += [("num", g.num), ("den", g.den)]
    if g.terms:
        fields.append(("terms", "[" + ", ".join(g.terms) + "]"))
    if g.choices:
        fields.append(("choices", "{" + ", ".join(f"{c}: {scalar(v)}" for c, v in g.choices.items()) + "}"))
    if g.decimals is not None:
        fields.append(("decimals", g.decimals))
    if g.style:
        fields.append(("style", g.style))
    if g.optional:
        fields.append(("optional", True))
    raw_values = {"terms", "choices"}
    quoted = {"stt", "bullet"}  # as in the shipped forms: "2.1.", "-"
    body = ", ".join(
        f"{k}: {v if k in raw_values else json.dumps(v, ensure_ascii=False) if k in quoted else scalar(v)}"
        for k, v in fields
    )
    return "{" + body + "}"


def write_form_yaml(doc: FormDocument, tables: list[list[Guess]], name: str, title: str, source: str) -> str:
    roman = all(s.roman for s in doc.sections)
    numbered = all(s.number and not s.roman for s in doc.sections)
    first = doc.sections[0].columns
    columns = {**DEFAULT_COLUMNS, **{k: v for k, v in first.items() if v}}
    checks = sum(len(g.checks) for rows in tables for g in rows)
    out = [
        f"# Biểu mẫu {name}: nhập từ văn bản “{source}” bằng python generate.py new-form --from-document.",
        f"# {sum(len(t) for t in tables)} chỉ tiêu trong {len(tables)} bảng; {checks} chỗ máy đoán, mỗi chỗ có"
        " một dòng “# KIỂM TRA: …”",
        "# ngay trên hàng đó: xem lại, sửa nếu cần, rồi xóa dòng đánh dấu.",
        "# Các khóa của một hàng: docs/huong-dan-bieu-mau.md, mục 2.3.",
    ]
    for skipped in doc.skipped:
        out.append(
            f"# KIỂM TRA: {skipped} không có cột “Chỉ tiêu” và “Đơn vị tính”, đã bỏ qua; nếu là bảng công chức"
            " nhập theo dòng (ví dụ hồ sơ theo lĩnh vực), khai báo ở grids (mục 2.7 của hướng dẫn)."
        )
    out += [
        f"id: {scalar(name)}",
        'version: "0.1"',
        f"title: {json.dumps(title, ensure_ascii=False)}",
        "# KIỂM TRA: ghi tỉnh/thành phố (giá trị mặc định ở Thông tin chung) và cấp trên của đơn vị báo cáo",
        'province: ""',
        "superior: UBND tỉnh",
        "template: bao_cao.docx",
        "",
        "numbers:",
        "  rate_decimals: 1",
        "  whole_rate_without_decimals: true",
        '  no_value: "-"',
        "",
        "appendix:",
        f"  title: {scalar(doc.title or 'PHỤ LỤC')}",
        f"  heading: {scalar(doc.heading or 'SỐ LIỆU THỐNG KÊ KẾT QUẢ CẢI CÁCH HÀNH CHÍNH')}",
        f"  subheading: {scalar(doc.subheading)}",
    ]
    if roman:
        out.append('  numbering: "{roman}"')
    elif numbered:
        out.append('  numbering: "Biểu mẫu {n}"')
    out.append("  columns:")
    out += [f"    {key}: {scalar(columns[key])}" for key in DEFAULT_COLUMNS]
    out += ["", "tables:"]
    sheets: set[str] = set()
    for index, (section, rows) in enumerate(zip(doc.sections, tables, strict=True), 1):
        sheet = _sheet_name(section, index, roman, sheets)
        out.append(f"  - sheet: {scalar(sheet)}")
        out.append(f"    title: {scalar(sentence_case(section.title) or sheet)}")
        if not roman and not numbered and section.number:
            out.append(f"    number: {scalar(section.number)}")
        if section.footnote:
            out.append(f"    footnote: {scalar(section.footnote)}")
        own = {k: v for k, v in section.columns.items() if v and columns.get(k) != v}
        if own:
            out.append("    columns: {" + ", ".join(f"{k}: {scalar(v)}" for k, v in own.items()) + "}")
        out.append("    rows:")
        for g in rows:
            out += [f"      # KIỂM TRA: {check}." for check in g.checks]
            out.append(f"      - {row_line(g)}")
        out.append("")
    out.append(starter_narrative())
    return "\n".join(out)


def _sheet_name(section, index: int, roman: bool, used: set[str]) -> str:
    if roman:
        name = f"Mục {section.number}"
    elif section.number:
        name = f"Biểu mẫu {section.number}"
    else:
        name = f"Biểu mẫu {index}"
    name = re.sub(r"[\[\]:*?/\\]", " ", name)[:31]
    return unique(name, used, lambda n: f"{name[:27]} ({n})")


def unique(base: str, used: set[str], numbered: Callable[[int], str]) -> str:
    """`base`, else the first of numbered(2), numbered(3), … not in `used`; added to `used`."""
    candidate, n = base, 2
    while candidate in used:
        candidate = numbered(n)
        n += 1
    used.add(candidate)
    return candidate
