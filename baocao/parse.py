"""Reading what clerks really type into a cell.

Each parser returns (value, note): `note` is "" when the text was unambiguous, else a
Vietnamese sentence saying how it was read (the caller turns it into a warning).
A value that cannot be read raises Unreadable (a ValueError) with a reason code and its parameters,
phrased by baocao.messages.

Numbers follow the Vietnamese convention ("4.481" = 4481, "99,7" = 99.7, "1.234,5"),
with spaces, non-breaking spaces, a trailing unit ("12 hồ sơ") or "%" allowed;
blank and "-" mean none. Ambiguous text:
- "42,809": Vietnamese reading 42,809 (decimal) or English 42809 (thousands). In a row of
  whole numbers only 42809 is possible: read so, with a warning. In a row that allows
  decimals both readings are possible and differ 1000-fold: an error.
- "1.5", "99.7": not a Vietnamese thousands group, so an English decimal point: read as
  1,5 with a warning.
- "1,234,567" or "1,234.5": English grouping, read with a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from baocao.messages import reason_text
from baocao.problems import Reason
from baocao.vnformat import figure

EXCEL_ERRORS = (
    "#DIV/0!",
    "#REF!",
    "#VALUE!",
    "#NAME?",
    "#N/A",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
)
NONE_MARKS = frozenset({"", "-", "–", "—", "không có", "x"})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
_TRAILING_WORDS = re.compile(r"(?<=\d)[^\d.,]*$")
_LEADING_PLUS = re.compile(r"^\+")


class Unreadable(ValueError):
    """A value that cannot be read: `reason` is the code (baocao.messages.REASONS) and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        self.reason = Reason(code, tuple((k, str(v)) for k, v in params.items()))
        super().__init__(code)

    @classmethod
    def of(cls, reason: Reason) -> Unreadable:
        return cls(reason.code, **dict(reason.params))

    def __str__(self) -> str:
        return reason_text(self.reason)


@dataclass(frozen=True)
class SpecialCell:
    """A cell holding an Excel error value (kind 'error') or a formula (kind 'formula')."""

    kind: str
    text: str

    def reason(self) -> Reason:
        if self.kind == "error":
            return Reason("excel-error", (("error", self.text),))
        return Reason("formula-in-input", (("formula", self.text[:40]),))


def _special(value: Any) -> None:
    if isinstance(value, SpecialCell):
        raise Unreadable.of(value.reason())


def fold(text: Any) -> str:
    """Casefolded, accent-free text for lenient comparison ("Kết hợp" → "ket hop")."""
    s = unicodedata.normalize("NFKD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", s).split())


def normalize_label(text: Any, *, keep_punctuation: bool = False) -> str:
    """Casefolded NFC text with runs of spaces made one, for matching labels; its punctuation too
    is made a space unless `keep_punctuation` (a form document's words: "(nếu có)", "có/không")."""
    return _normalized_label(str(text or ""), keep_punctuation)


@functools.lru_cache(maxsize=32768)  # the same labels come back in every workbook of a batch
def _normalized_label(text: str, keep_punctuation: bool) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join((text if keep_punctuation else _NOT_WORD.sub(" ", text)).split())


@functools.lru_cache(maxsize=32768)
def _normalized_stt(text: str) -> str:
    return _STT_DOTS.sub(".", text.strip()).strip(".")


def normalize_stt(text: Any) -> str:
    return _normalized_stt(str(text or ""))


_NOT_WORD = re.compile(r"[^\w%]+")
_STT_DOTS = re.compile(r"[\s.]+")


def excel_error(value: Any) -> str | None:
    """The Excel error code a cell holds (#DIV/0!, #REF!, …), or None."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return value.strip().upper()
    return None


def parse_number(value: Any, *, allow_decimals: bool, unit: str = "") -> tuple[Decimal | None, str]:
    """A number cell → (Decimal or None for blank/'-', note). See the module docstring.

    Text after the number may only be "%" or the row's unit ("12 hồ sơ" in a row counted in
    Hồ sơ); anything else ("52abc", a year "2026a") is not a number."""
    _special(value)
    if value is None:
        return None, ""
    if isinstance(value, bool):
        raise Unreadable("true-false")
    if isinstance(value, int):
        return Decimal(value), ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Unreadable("not-finite")
        return Decimal(repr(value)), ""
    if isinstance(value, Decimal):
        return value, ""
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise Unreadable("date-not-number")
    raw = str(value)
    error = excel_error(raw)
    if error:
        raise Unreadable("excel-error", error=error)
    if raw.strip().startswith("="):
        raise Unreadable("formula-not-number", formula=raw.strip()[:40])
    text = _SPACES.sub("", raw)
    if text.casefold() in NONE_MARKS or fold(raw) in NONE_MARKS:
        return None, ""
    _check_trailing(raw, unit)
    text = _TRAILING_WORDS.sub("", text).rstrip("%")
    text = _LEADING_PLUS.sub("", text)
    number, note = _read_separators(text, raw, allow_decimals)
    return number, note


def _compact(text: str) -> str:
    return fold(text).replace(" ", "")


def _check_trailing(raw: str, unit: str) -> None:
    """Unreadable when the text after the last digit is neither '%' nor the row's unit."""
    trailing = _TRAILING_WORDS.search(raw.strip())
    tail = trailing.group().strip() if trailing else ""
    if not tail or tail == "%" or (unit and _compact(tail) == _compact(unit)):
        return
    if unit and unit != "%":
        raise Unreadable("not-unit-after-number", raw=raw.strip(), unit=unit, tail=tail)
    raise Unreadable("text-after-number", raw=raw.strip(), tail=tail)


def _read_separators(text: str, raw: str, allow_decimals: bool) -> tuple[Decimal, str]:
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    if not text or not re.fullmatch(r"[\d.,]+", text) or not text[0].isdigit() or not text[-1].isdigit():
        raise Unreadable("not-a-number", raw=raw.strip())
    dots, commas = text.count("."), text.count(",")
    note = ""
    if dots and commas:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _, frac = text.rpartition(decimal_mark)
        if text.count(decimal_mark) > 1 or not _grouped(whole, group_mark):
            raise Unreadable("misplaced-separators", raw=raw.strip())
        digits = whole.replace(group_mark, "") + "." + frac
        if decimal_mark == ".":
            note = f"“{raw.strip()}” được đọc theo kiểu Anh là {figure(Decimal(sign + digits))}"
    elif commas == 1:
        whole, frac = text.split(",")
        if len(frac) == 3 and not allow_decimals:
            digits = whole + frac
            note = (
                f"“{raw.strip()}” được hiểu là {figure(Decimal(sign + digits))} (dấu phẩy được coi là dấu phân cách "
                f"hàng nghìn vì chỉ tiêu này là số nguyên; theo cách viết Việt Nam, hàng nghìn dùng dấu chấm)"
            )
        elif len(frac) == 3:
            as_decimal, as_thousands = Decimal(sign + whole + "." + frac), Decimal(sign + whole + frac)
            raise Unreadable(
                "thousands-or-decimal",
                raw=raw.strip(),
                thousands=figure(as_thousands),
                decimal=figure(as_decimal),
                as_thousands=f"{sign}{whole}{frac}",
                as_decimal=f"{sign}{whole},{frac}0",
            )
        else:
            digits = whole + "." + frac
    elif commas > 1:
        if not _grouped(text, ","):
            raise Unreadable("not-a-number", raw=raw.strip())
        digits = text.replace(",", "")
        note = f"“{raw.strip()}” được đọc theo kiểu Anh là {figure(Decimal(sign + digits))}"
    elif dots and _grouped(text, "."):
        digits = text.replace(".", "")
    elif dots == 1:
        digits = text
        note = f"“{raw.strip()}” được đọc là {figure(Decimal(sign + digits))} (dấu chấm được coi là dấu thập phân)"
    elif dots:
        raise Unreadable("not-a-number", raw=raw.strip())
    else:
        digits = text
    try:
        return Decimal(sign + digits), note
    except InvalidOperation as e:  # pragma: no cover - the patterns above admit only digits
        raise Unreadable("not-a-number", raw=raw.strip()) from e


def _grouped(text: str, mark: str) -> bool:
    """'1.234.567' with mark '.' is a valid thousands grouping (first group 1–3 digits, then 3)."""
    return bool(re.fullmatch(rf"\d{{1,3}}(\{mark}\d{{3}})+", text)) if mark in text else text.isdigit()


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """An Excel date, an Excel serial number, or text "09/6/2026", "9-6-2026", "9.6.2026", "2026-06-09"."""
    _special(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000 and float(value).is_integer():
            day = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
            return day, f"số {int(value)} được hiểu là ngày {day:%d/%m/%Y} (số ngày của Excel)"
        raise Unreadable("not-a-date", value=value)
    text = _SPACES.sub("", str(value))
    error = excel_error(text)
    if error:
        raise Unreadable("excel-error", error=error)
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if not m:
            raise Unreadable("not-a-date", value=str(value).strip())
        year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day), ""
    except ValueError as e:
        raise Unreadable("no-such-date", value=str(value).strip()) from e


def parse_choice(choices: dict[int, str], value: Any) -> tuple[Decimal | None, str]:
    """A coded cell: the code (0, 1, 2), its words ("Kết hợp", "co", "1 - Phát phiếu"); blank → None."""
    _special(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, bool):
        return (Decimal(int(value)), "") if int(value) in choices else _bad_choice(choices, value)
    if isinstance(value, (int, float, Decimal)):
        if float(value).is_integer() and int(value) in choices:
            return Decimal(int(value)), ""
        return _bad_choice(choices, value)
    error = excel_error(value)
    if error:
        raise Unreadable("excel-error", error=error)
    key = fold(value)
    for code, label in choices.items():
        if key == fold(label):
            return Decimal(code), ""
    m = re.fullmatch(r"(\d+)(?:\s*[-=:.]\s*(.*))?", str(value).strip())
    if m and int(m.group(1)) in choices and (not m.group(2) or fold(m.group(2)) == fold(choices[int(m.group(1))])):
        return Decimal(int(m.group(1))), ""
    return _bad_choice(choices, value)


def _bad_choice(choices: dict[int, str], value: Any) -> tuple[Decimal | None, str]:
    allowed = "; ".join(f"{label} = {code}" for code, label in choices.items())
    raise Unreadable("not-a-choice", value=value, allowed=allowed)


def cell_text(value: Any) -> str:
    """Text of a cell with line breaks kept, control characters dropped and the ends trimmed."""
    if isinstance(value, SpecialCell):
        return value.text if value.kind == "formula" else ""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return unicodedata.normalize("NFC", text).strip()
