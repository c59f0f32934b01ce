"""Guess what each imported row is (kind, id, formula) and write the form file.

The rules, in order, for one row of a form document (baocao.authoring.rows):
* a coded unit in any spelling ("Không = 0; Có = 1", "Có = 1 Không = 0", "Chưa = 0 Đang = 1
  HThành = 2") → `choice` with those codes;
* unit "%": with two or more sub-rows counted in another unit → `rate` of them (the denominator
  is the sub-row saying "Tổng số …", else the first; the numerator the next: marked for checking);
  else `percent` (typed);
* a row whose text says "= a+b+c" or "Trong đó:" → `sum` of its sub-rows; a row whose sub-rows all
  have its unit → `sum` too, marked for checking;
* no unit → `header`; anything else → `number`.
Ids are made from the labels (ASCII, unique, at most 32 characters). Every guess the importer is
unsure of gets a `# KIỂM TRA: …` line above the row, saying in Vietnamese what to check.
"""

from __future__ import annotations

import re
from pathlib import Path

from baocao.authoring.read import read_document
from baocao.authoring.rows import FormDocument, Guess, RawRow, Section, read_form_rows
from baocao.authoring.write import unique, write_form_yaml
from baocao.errors import FormError
from baocao.parse import fold, normalize_label

CODE = re.compile(r"=\s*(\d+)")
ABBREVIATION = re.compile(r"[A-ZĐ]{2}[a-zà-ỹđ]|\.")
STOP_WORDS = frozenset(
    [
        "so",
        "cac",
        "cua",
        "va",
        "da",
        "duoc",
        "trong",
        "tai",
        "theo",
        "tong",
        "voi",
        "cho",
        "tu",
        "den",
        "la",
        "mot",
        "nhung",
        "co",
        "thuc",
        "hien",
        "hien",
        "dang",
        "tren",
    ]
)
MAX_ID = 32


def form_yaml_from_document(path: Path, name: str, title: str | None) -> tuple[str, dict[str, int]]:
    """The text of form.yaml for the form document at `path`, and counts (rows per kind, checks, skipped)."""
    doc = read_form_rows(read_document(path))
    if not doc.sections:
        raise FormError(
            f"Không tìm thấy bảng chỉ tiêu nào trong {path.name}: cần một bảng có cột “Chỉ tiêu” (hoặc “Nội dung”) "
            "và cột “Đơn vị tính” (hoặc “ĐVT”), thường thêm cột “STT” và “Ghi chú”."
        )
    used: set[str] = set()
    tables = [guess_section(section, used) for section in doc.sections]
    counts: dict[str, int] = {}
    for rows in tables:
        for g in rows:
            counts[g.kind] = counts.get(g.kind, 0) + 1
    counts["checks"] = sum(len(g.checks) for rows in tables for g in rows)
    counts["skipped_tables"] = len(doc.skipped)
    text = write_form_yaml(doc, tables, name, title or _title(doc, path), path.name)
    return text, counts


def _title(doc: FormDocument, path: Path) -> str:
    heading = doc.heading or doc.title or path.stem
    return f"{heading} (nhập từ {path.name})"


# --- one section -----------------------------------------------------------------------------


def parse_choices(unit: str) -> dict[int, str]:
    """Codes of a coded unit: "Không = 0; Có = 1" → {0: "Không", 1: "Có"}; {} when it is not one."""
    text = " ".join(unit.split())
    if text.count("=") < 2:
        return {}
    if re.match(r"^\d+\s*=", text):  # "0 = Không; 1 = Có"
        pairs = re.findall(r"(\d+)\s*=\s*([^;,\d]+?)\s*(?=[;,]|\s\d+\s*=|$)", text)
        found = {int(code): label.strip(" .;,") for code, label in pairs}
        return found if len(found) >= 2 and all(found.values()) else {}
    found: dict[int, str] = {}
    start = 0
    for match in CODE.finditer(text):
        label = text[start : match.start()].strip(" .;,/-")
        code = int(match.group(1))
        if not label or code in found:
            return {}
        found[code] = label
        start = match.end()
    return found if len(found) >= 2 and not text[start:].strip(" .;,") else {}


def _stt_parts(stt: str) -> list[str] | None:
    parts = [p for p in stt.strip().rstrip(".").split(".")]
    return parts if parts and all(p.isdigit() for p in parts) else None


def _parents(rows: list[RawRow]) -> list[int | None]:
    """The row each row is a sub-row of: by STT prefix ("2.1" under "2"), "a)" and "-" under the last
    numbered row, "+" under the last "-" row, a row without STT under the last numbered row."""
    parents: list[int | None] = []
    numbered: dict[tuple[str, ...], int] = {}
    last_numbered: int | None = None
    last_dash: int | None = None
    for i, row in enumerate(rows):
        parts = _stt_parts(row.stt)
        parent: int | None = None
        if parts:
            for k in range(len(parts) - 1, 0, -1):
                if tuple(parts[:k]) in numbered:
                    parent = numbered[tuple(parts[:k])]
                    break
            numbered[tuple(parts)] = i
            last_numbered, last_dash = i, None
        elif row.bullet == "+":
            parent = last_dash if last_dash is not None else last_numbered
        elif row.bullet == "-" or not row.stt:
            parent = last_numbered
            if row.bullet == "-":
                last_dash = i
        else:  # "a)", Roman or anything else printed in the STT column
            parent = last_numbered
        parents.append(parent)
    return parents


def guess_section(section: Section, used: set[str]) -> list[Guess]:
    rows = section.rows
    guesses = [Guess(raw=row) for row in rows]
    for i, parent in enumerate(_parents(rows)):
        if parent is not None:
            guesses[parent].children.append(i)
    for g in guesses:
        g.id = make_id(g.raw.label, used)
    for g in guesses:
        _kind(g, guesses)
        _style(g)
        if normalize_label(g.raw.remark, keep_punctuation=True) in ("(nếu có)", "nếu có"):
            g.optional = True
        if g.raw.note_guessed:
            g.checks.append(
                f"phần “{g.raw.note}” được tách làm chú thích in nghiêng (note); nếu là một phần của tên, "
                "ghép lại vào label"
            )
    return guesses


def _kind(g: Guess, all_rows: list[Guess]) -> None:
    raw = g.raw
    unit = raw.unit.strip()
    children = [all_rows[c] for c in g.children]
    choices = parse_choices(unit)
    if choices:
        g.kind, g.choices = "choice", choices
        auto = " ".join(f"{label} = {code}" for code, label in choices.items())
        g.unit = "" if " ".join(unit.split()) == auto else unit
        short = [
            label for label in choices.values() if ABBREVIATION.search(label) or not re.fullmatch(r"[\w ]+", label)
        ]
        if short:
            g.checks.append(
                f"các lựa chọn đọc từ “{unit}”: “{short[0]}” có vẻ là chữ viết tắt, viết đủ (công chức thấy chữ này)"
            )
        return
    g.unit = unit
    if normalize_label(unit, keep_punctuation=True) in ("có/không", "có / không", "không/có"):
        g.kind, g.choices, g.unit = "choice", {0: "Không", 1: "Có"}, unit
        g.checks.append(f"đơn vị “{unit}” được hiểu là lựa chọn Không = 0, Có = 1")
        return
    if unit == "%":
        parts = [c for c in children if c.raw.unit and c.raw.unit != "%" and not parse_choices(c.raw.unit)]
        if len(parts) >= 2 and raw.label.lower().startswith("tỷ lệ"):
            den = next((c for c in parts if c.raw.label.lower().startswith(("tổng số", "tổng"))), parts[0])
            num = next(c for c in parts if c is not den)
            g.kind, g.num, g.den = "rate", num.id, den.id
            g.checks.append(
                f"tỷ lệ tính = “{_short(num.raw)}” / “{_short(den.raw)}” × 100, đoán từ các hàng ngay dưới; "
                "đổi num, den nếu sai"
            )
            if len(parts) > 2:
                g.checks[-1] += f" (có {len(parts)} hàng con, chỉ dùng hai)"
        else:
            g.kind = "percent"
            if raw.label.lower().startswith("tỷ lệ") and not children:
                g.checks.append(
                    "tỷ lệ do công chức nhập (percent); nếu tính được từ hai hàng khác, ghi kind: rate, num: …, den: …"
                )
        return
    numeric = [c for c in children if c.raw.unit and c.raw.unit != "%" and not parse_choices(c.raw.unit)]
    if raw.parts_follow and numeric:
        g.kind, g.terms = "sum", [c.id for c in numeric]
        if not g.unit:
            g.unit = numeric[0].raw.unit
        return
    if unit and numeric and len(numeric) == len(children) and all(c.raw.unit == unit for c in numeric):
        g.kind, g.terms = "sum", [c.id for c in numeric]
        g.checks.append(
            "đoán là tổng của các hàng con (cùng đơn vị tính); nếu công chức nhập số này, ghi kind: number và xóa terms"
        )
        return
    if not unit:
        g.kind = "header"
        if not children:
            g.checks.append(
                "hàng không có đơn vị tính và không có hàng con: để là tiêu đề (header); nếu công chức "
                "nhập số hay chữ ở hàng này, ghi unit và kind: number hoặc text"
            )
        return
    g.kind = "number"
    if normalize_label(unit, keep_punctuation=True) in ("triệu đồng", "tỷ đồng", "nghìn đồng", "ngàn đồng"):
        g.decimals = 3


def _short(raw: RawRow) -> str:
    stt = raw.stt or raw.bullet
    label = raw.label if len(raw.label) <= 50 else raw.label[:47].rstrip() + "…"
    return f"{stt} {label}".strip()


def _style(g: Guess) -> None:
    raw = g.raw
    level1 = bool(raw.stt) and len([p for p in raw.stt.strip().strip(".").split(".") if p]) == 1
    if raw.bold and raw.italic:
        g.style = "bold_italic"
    elif raw.italic:
        g.style = "italic"
    elif raw.bold and not level1:
        g.style = "bold"


# --- ids ---------------------------------------------------------------------------------------


def ascii_words(text: str) -> list[str]:
    """The label's words without accents, for an id: "Tỷ lệ (%)" → ["ty", "le"]."""
    return re.findall(r"[a-z0-9]+", fold(text))


def make_id(label: str, used: set[str]) -> str:
    """An ASCII id from the label's words, without the commonest small words, unique in `used`."""
    words = ascii_words(label)
    rate = words[:2] == ["ty", "le"]
    kept = [w for w in (words[2:] if rate else words) if w not in STOP_WORDS] or words or ["chi_tieu"]
    base = "_".join((["ty_le"] if rate else []) + kept[:4])[:MAX_ID].strip("_")
    if not base or base[0].isdigit():
        base = f"ct_{base}"
    return unique(base, used, lambda n: f"{base}_{n}")
