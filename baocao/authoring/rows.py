"""From a form document's paragraphs and tables to its sections and indicator rows.

Finds each table's columns from its header texts ("STT", "Chỉ tiêu"/"Nội dung", "Đơn vị tính"/
"ĐVT", "Ghi chú" or any other heading on the right, such as "Địa phương thực hiện"), over
several header rows; skips repeated header rows, the "(1) (2) (3)" row and empty rows; joins
a table continued on the next page; and cuts the rows into sections at "Biểu mẫu 1 …"
paragraphs or rows, Roman-numbered rows ("I. …") and bold rows without STT or unit. Each row
keeps its STT or bullet, its label with the italic note split off, its unit and remark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from baocao.authoring.doc import Block, Cell, Paragraph, Table
from baocao.parse import normalize_label

ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})\.?$")
SECTION_TEXT = re.compile(r"^(?:biểu mẫu|biểu|mẫu)\s*(?:số\s*)?(\d+)\s*[.:–-]?\s*(.*)$", re.IGNORECASE)
ROMAN_TEXT = re.compile(r"^((?=[IVXLC])[IVXLC]+)\s*[.:–-]\s*(.+)$")
STT_IN_LABEL = re.compile(r"^((?:\d+\.)+\d*|\d+\)|[a-zđ]\))\s+(\S.*)$")
BULLETS = {"-": "-", "–": "-", "—": "-", "•": "-", "+": "+"}
TRONG_DO = re.compile(r"[;,.]?\s*\(?trong đó\)?\s*:?\s*$", re.IGNORECASE)
SUM_TEXT = re.compile(r"\s*\(?\s*=\s*[\w.]+(?:\s*\+\s*[\w.]+)+\s*\)?\s*$")
NUMBERING = re.compile(r"\(?[0-9A-Za-z]{1,2}\)?(?:\s*=\s*[0-9+/*()x ]+)?")
NON_WORD = re.compile(r"[^\w ]")
HEADER_WORDS = (
    "stt",
    "tt",
    "số tt",
    "số thứ tự",
    "chỉ tiêu",
    "nội dung",
    "đơn vị",
    "đvt",
    "số liệu",
    "số lượng",
    "kết quả",
    "ghi chú",
    "giá trị",
    "tỷ lệ",
    "thực hiện",
    "địa phương",
)


@dataclass
class RawRow:
    stt: str
    label: str
    bullet: str = ""
    note: str = ""
    unit: str = ""
    remark: str = ""
    bold: bool = False
    italic: bool = False
    parts_follow: bool = False  # "Trong đó:" / "= a+b+c": a sum of the rows under it
    note_guessed: bool = False  # note taken from a "(…)" at the end, the document having no italics
    where: str = ""


@dataclass
class Section:
    number: str  # "1" (Biểu mẫu 1), "I" (Roman), "" (none printed)
    title: str
    roman: bool = False
    rows: list[RawRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    footnote: str = ""


@dataclass
class Columns:
    index: dict[str, int]  # role → grid column
    headings: dict[str, str]  # role → heading text (stt, label, label_note, group, unit, value, remark)
    width: int


@dataclass
class FormDocument:
    sections: list[Section]
    title: str = ""
    heading: str = ""
    subheading: str = ""
    skipped: list[str] = field(default_factory=list)
    empty_rows: int = 0
    repeated_headers: int = 0


def _role(text: str) -> str:
    t = normalize_label(text, keep_punctuation=True)
    if t in ("stt", "tt", "số tt", "số thứ tự", "thứ tự"):
        return "stt"
    if t.startswith(("chỉ tiêu", "nội dung", "tên chỉ tiêu", "danh mục")):
        return "label"
    if "đơn vị tính" in t or t in ("đvt", "đơn vị", "đv tính"):
        return "unit"
    if "ghi chú" in t:
        return "remark"
    if t.startswith(("số liệu", "số lượng", "giá trị", "kết quả", "tỷ lệ", "số lượng/")):
        return "value"
    return ""


def _is_heading_text(text: str) -> bool:
    t = normalize_label(text, keep_punctuation=True)
    if NUMBERING.fullmatch(t):
        return False
    words = " " + NON_WORD.sub(" ", t) + " "
    return bool(t) and (any(f" {w} " in words for w in HEADER_WORDS) or t.startswith("("))


def _header_start(table: Table) -> int:
    """The first header row (the one naming the label column); 0 when there is none."""
    return next((i for i, row in enumerate(table.rows[:8]) if any(_role(c.text) == "label" for c in row)), 0)


def find_columns(table: Table) -> tuple[Columns, int] | None:
    """The table's columns and the index of its first data row, or None when it has no label/unit column."""
    rows = table.rows
    start = next((i for i, row in enumerate(rows[:8]) if any(_role(c.text) == "label" for c in row)), None)
    if start is None:
        return None
    end = start + 1
    while end < len(rows) and end < start + 4:
        cells = [c for c in rows[end] if c.text and not c.spanned]
        if (cells and all(_is_heading_text(c.text) for c in cells)) or (
            not cells and any(c.spanned for c in rows[end])
        ):
            end += 1
        else:
            break
    header = rows[start:end]
    width = len(rows[start])
    index: dict[str, int] = {}
    headings: dict[str, str] = {}
    for col in range(width):
        texts = [r[col] for r in header if col < len(r) and r[col].text]
        if not texts:
            continue
        deepest = next((c for c in reversed(texts) if _role(c.text)), texts[-1])
        role = _role(deepest.text)
        if role and role not in index:
            index[role] = col
            headings[role] = _heading_text(deepest) if role == "label" else deepest.text
            if role == "label":
                headings["label_note"] = _note_text(deepest)
            elif role in ("unit", "value") and len(texts) > 1 and texts[0].text != deepest.text:
                headings.setdefault("group", texts[0].text)
        elif not role and "label" in index and "remark" not in index and col > index["label"]:
            index["remark"], headings["remark"] = col, deepest.text
    if "label" not in index or "unit" not in index:
        return None
    return Columns(index, headings, width), _skip_numbering_row(rows, end)


def _heading_text(cell: Cell) -> str:
    plain = "".join(r.text for r in cell.runs if not r.italic) if not cell.italic else cell.text
    plain = re.sub(r"\(.*\)\s*$", "", " ".join(plain.split())).strip()
    return plain or cell.text


def _note_text(cell: Cell) -> str:
    match = re.search(r"(\(.*\))\s*$", cell.text)
    return match.group(1) if match and match.group(1) != cell.text else ""


def _skip_numbering_row(rows: list[list[Cell]], at: int) -> int:
    """Skip a "(1) (2) (3)" / "A B C" row under the header."""
    if at < len(rows):
        texts = [c.text for c in rows[at] if c.text and not c.spanned]
        if len(texts) >= 3 and all(NUMBERING.fullmatch(t) for t in texts):
            return at + 1
    return at


def read_form_rows(blocks: list[Block]) -> FormDocument:
    """Sections and rows of the document, in order."""
    doc = FormDocument(sections=[])
    reader = _Reader(doc, has_italic=_has_italic(blocks))
    for block in blocks:
        if isinstance(block, Paragraph):
            reader.paragraph(block)
        else:
            reader.table(block)
    doc.sections = [s for s in doc.sections if s.rows]
    return doc


def _has_italic(blocks: list[Block]) -> bool:
    return any(
        r.italic and r.text.strip()
        for b in blocks
        if isinstance(b, Table)
        for row in b.rows
        for c in row
        for r in c.runs
    )


class _Reader:
    def __init__(self, doc: FormDocument, has_italic: bool) -> None:
        self.doc = doc
        self.has_italic = has_italic
        self.columns: Columns | None = None
        self.pending_title = False  # a "Biểu mẫu 1" paragraph waits for its title paragraph
        self.table_count = 0

    @property
    def section(self) -> Section:
        if not self.doc.sections:
            self.doc.sections.append(Section("", ""))
        return self.doc.sections[-1]

    def start_section(self, number: str, title: str, roman: bool) -> None:
        current = self.doc.sections[-1] if self.doc.sections else None
        if current is not None and not current.rows and (current.number == number or not current.number):
            current.number, current.roman = number or current.number, roman or current.roman
            current.title = title or current.title
        else:
            self.doc.sections.append(Section(number, title, roman))
        self.pending_title = not title

    def paragraph(self, p: Paragraph) -> None:
        text = p.text
        self.columns = None  # a table after a paragraph is not the previous one continued
        t = normalize_label(text, keep_punctuation=True)
        if t.startswith("phụ lục") and not self.doc.title and not self.doc.sections:
            self.doc.title = text
        elif text[:1] in "¹²³⁴⁵*" and self.doc.sections and self.section.rows:
            self.section.footnote = (self.section.footnote + "\n" + text).strip()
        elif match := SECTION_TEXT.match(text):
            self.start_section(match.group(1), match.group(2).strip(" .:–-"), False)
        elif (match := ROMAN_TEXT.match(text)) and p.bold:
            self.start_section(match.group(1), match.group(2).strip(), True)
        elif self.pending_title and p.bold:
            self.section.title, self.pending_title = text, False
        elif self.doc.title and not self.doc.sections:
            if t.startswith("(kèm theo"):
                return
            if text.startswith("(") and not self.doc.subheading:
                self.doc.subheading = text
            elif not self.doc.heading:
                self.doc.heading = text

    def table(self, table: Table) -> None:
        self.table_count += 1
        found = find_columns(table)
        if found is None:
            if self.columns is not None and len(table.rows[0] if table.rows else []) == self.columns.width:
                found = (self.columns, _skip_numbering_row(table.rows, 0))  # continued after a page break
            else:
                heading = " | ".join(dict.fromkeys(c.text for c in (table.rows[0] if table.rows else []) if c.text))
                self.doc.skipped.append(f"bảng thứ {self.table_count} ({heading[:80]})")
                return
        elif self.columns is not None and found[0].headings == self.columns.headings:
            self.doc.repeated_headers += 1
        columns, first = found
        for above in table.rows[: _header_start(table)]:  # title rows above a sheet's header (a workbook)
            texts = list(dict.fromkeys(c.text for c in above if c.text))
            if len(texts) == 1:
                self.paragraph(Paragraph(next(c.runs for c in above if c.text)))
        self.columns = columns
        if not self.section.columns:
            self.section.columns = dict(columns.headings)
        for index in range(first, len(table.rows)):
            row = table.rows[index]
            if index in table.repeated and index > first:
                continue
            self.row(row, columns, f"bảng thứ {self.table_count}, hàng {index + 1}")

    def row(self, cells: list[Cell], columns: Columns, where: str) -> None:
        def cell(role: str) -> Cell:
            col = columns.index.get(role)
            return cells[col] if col is not None and col < len(cells) else Cell()

        stt, label_cell, unit, remark = cell("stt").text, cell("label"), cell("unit").text, cell("remark").text
        texts = [c.text for c in cells if c.text]
        if not texts:
            self.doc.empty_rows += 1
            return
        merged = len(set(texts)) == 1 and sum(1 for c in cells if c.spanned) >= len(cells) - 2 and len(cells) > 2
        whole = texts[0] if merged else label_cell.text
        if merged or (not stt and not unit):
            if match := SECTION_TEXT.match(whole):
                self.start_section(match.group(1), match.group(2).strip(" .:–-"), False)
                return
            if match := ROMAN_TEXT.match(whole):
                self.start_section(match.group(1), match.group(2).strip(), True)
                return
        if ROMAN.match(stt) and not unit:
            self.start_section(stt.rstrip("."), label_cell.text, True)
            return
        if not stt and not unit and not merged and label_cell.bold and whole[:1] not in BULLETS and whole.isupper():
            self.start_section("", whole, False)
            return
        self.add_row(stt, label_cell, unit, remark, columns, where)

    def add_row(self, stt: str, label_cell: Cell, unit: str, remark: str, columns: Columns, where: str) -> None:
        label, note, guessed = split_note(label_cell, self.has_italic)
        if not label:
            self.doc.empty_rows += 1
            return
        bullet = BULLETS.get(stt, "")
        stt = "" if bullet else stt
        if not stt and not bullet and label[:1] in BULLETS and label[1:2] == " ":
            bullet, label = BULLETS[label[0]], label[2:].strip()
        if not stt and not bullet and "stt" not in columns.index and (match := STT_IN_LABEL.match(label)):
            stt, label = match.group(1), match.group(2)
        if TRONG_DO.fullmatch(label) and not unit:
            if self.section.rows:
                self.section.rows[-1].parts_follow = True
            return
        parts = False
        if TRONG_DO.search(label) or SUM_TEXT.search(label):
            parts = True
            label = SUM_TEXT.sub("", TRONG_DO.sub("", label)).strip()
        self.section.rows.append(
            RawRow(
                stt=stt,
                label=label,
                bullet=bullet,
                note=note,
                unit=unit,
                remark=remark,
                bold=label_cell.bold,
                italic=label_cell.italic,
                parts_follow=parts,
                note_guessed=guessed,
                where=where,
            )
        )


def split_note(cell: Cell, has_italic: bool) -> tuple[str, str, bool]:
    """(label, note, guessed): the italic tail of a label cell is its note; a wholly italic label has none.

    A document with no italics at all: a "(…)" at the end that starts with a capital letter is taken
    as the note, and flagged as a guess.
    """
    runs = [r for r in cell.runs if r.text]
    tail = len(runs)
    while tail > 0 and (runs[tail - 1].italic or not runs[tail - 1].text.strip()):
        tail -= 1
    head = " ".join("".join(r.text for r in runs[:tail]).split())
    note = " ".join("".join(r.text for r in runs[tail:]).split())
    if not head:  # wholly italic: an italic row, not a note
        return note, "", False
    if note:
        return head, note, False
    if not has_italic:
        match = re.match(r"^(.*\S)\s+(\(([^()]*)\))$", head)
        if match and match.group(3)[:1].isupper() and not re.fullmatch(r"[A-ZĐ0-9]+", match.group(3)):
            return match.group(1), match.group(2), True
    return head, "", False


@dataclass
class Guess:
    """One row of the form file to write."""

    raw: RawRow
    id: str = ""
    kind: str = "number"
    choices: dict[int, str] = field(default_factory=dict)
    unit: str = ""
    num: str = ""
    den: str = ""
    terms: list[str] = field(default_factory=list)
    style: str = ""
    optional: bool = False
    decimals: int | None = None
    checks: list[str] = field(default_factory=list)  # the "# KIỂM TRA:" lines
    children: list[int] = field(default_factory=list)
