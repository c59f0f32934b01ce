"""Vietnamese wording of numbers, percentages, dates and document numbers.

Every place that prints a number or a date in a report goes through this
module, so the conventions of docs/domain.md ("Numbers", "Dates") live in
one place:

* thousands separator ".", decimal separator ",", no space before "%";
* rounding is half-up (as people and Excel do), never half-to-even;
* dates follow Nghị định 30/2020/NĐ-CP: the day has a leading zero below
  10, the month only for January and February.
"""

from __future__ import annotations

import decimal
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol

__all__ = [
    "BLANK",
    "NumberStyle",
    "date_long",
    "date_short",
    "doc_reference",
    "format_figure",
    "format_number",
    "format_percent",
    "round_half_up",
    "to_decimal",
    "upper_vi",
]

LOCALE = "vi"

#: Space left for the clerk to fill in by hand (day, month, year, doc number).
BLANK = " " * 6

#: Space for the month in the short date form ("      /     /2026").
_SHORT_MONTH_BLANK = " " * 5

#: Months written with a leading zero under the ND30 rule.
_PADDED_MONTHS = frozenset({1, 2})


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------


def to_decimal(value: Decimal | float) -> Decimal:
    """Convert ``value`` to a finite ``Decimal`` (floats go through ``str``)."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number to format")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))
    else:
        raise TypeError(f"cannot format {type(value).__name__} as a number")
    if not result.is_finite():
        raise ValueError(f"cannot format non-finite number {value!r}")
    return result


def _number_pattern(decimals: int, trim: bool) -> str:
    """Return a CLDR pattern with grouping and ``decimals`` fraction digits."""
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    if decimals == 0:
        return "#,##0"
    return "#,##0." + ("#" if trim else "0") * decimals


def _half_up_context(value: Decimal, decimals: int) -> decimal.Context:
    """A context rounding half-up with enough precision for ``value``."""
    context = decimal.getcontext().copy()
    context.rounding = ROUND_HALF_UP
    # Precision must cover every integer digit plus the kept decimals,
    # otherwise quantize() raises InvalidOperation on huge numbers.
    integer_digits = max(value.adjusted() + 1, 1)
    context.prec = max(context.prec, integer_digits + decimals + 2)
    return context


def _round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round ``value`` half-up to ``decimals`` places; never returns -0."""
    quantum = Decimal(1).scaleb(-decimals)
    if max(value.adjusted() + 1, 1) + decimals + 2 <= decimal.getcontext().prec:
        # the current precision suffices, so _half_up_context would only change the rounding
        # (copying a context costs ~20x the quantize itself)
        rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    else:
        with decimal.localcontext(_half_up_context(value, decimals)):
            rounded = value.quantize(quantum)
    return abs(rounded) if rounded.is_zero() else rounded


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places, as every figure is printed; never -0."""
    return _round_half_up(to_decimal(value), decimals)


def format_number(
    value: Decimal | int | None,
    decimals: int = 0,
    *,
    trim: bool = False,
    blank: str = "",
) -> str:
    """Format a number the Vietnamese way, rounded half-up to ``decimals``.

    ``9275`` -> ``"9.275"``; ``Decimal("87.66"), 2`` -> ``"87,66"``.
    With ``trim=True`` trailing fractional zeros (and a bare comma) are
    dropped. ``None`` gives ``blank``. A float is accepted but converted
    through ``str`` first (``2.675`` -> ``Decimal("2.675")``).
    """
    if value is None:
        return blank
    if type(value) is Decimal and value.is_finite():
        return _format_decimal(value, decimals, trim)  # equal Decimals print alike: cached
    return _format_decimal.__wrapped__(to_decimal(value), decimals, trim)


@lru_cache(maxsize=4096)
def _format_decimal(value: Decimal, decimals: int, trim: bool) -> str:
    _number_pattern(decimals, trim)  # validates decimals
    rounded = _round_half_up(value, decimals)
    # The locale's symbols come from babel (CLDR); the digits from Python's own grouping, which is
    # ~30× faster than babel's pattern engine and exact since the value is already rounded.
    text = f"{rounded:,.{decimals}f}"
    if trim and decimals:
        text = text.rstrip("0").rstrip(".")
    group, point = _symbols()
    return text.replace(",", "\0").replace(".", point).replace("\0", group)


@lru_cache(maxsize=1)
def _symbols() -> tuple[str, str]:
    """(grouping, decimal) symbols of the Vietnamese locale: (".", ",")."""
    return get_group_symbol(LOCALE), get_decimal_symbol(LOCALE)


def format_percent(
    value: Decimal | int | None,
    decimals: int = 1,
    *,
    whole_without_decimals: bool = False,
    no_value: str = "-",
) -> str:
    """Format a value already in percent units: ``Decimal("51.923")`` -> "51,9%".

    With ``whole_without_decimals=True`` a value that is exactly whole
    (before rounding) prints without decimals ("100%"). ``None`` (e.g. a
    rate whose denominator is 0) gives ``no_value``.
    """
    if value is None:
        return no_value
    number = to_decimal(value)
    if whole_without_decimals and number == number.to_integral_value():
        decimals = 0
    return format_number(number, decimals) + "%"


@dataclass(frozen=True)
class NumberStyle:
    """How one row prints its figure (a form's `numbers:` and the row's own settings, resolved).

    ``decimals`` kept (half-up), ``trim`` drops trailing fractional zeros, ``suffix`` follows the
    figure ("%" or ""), ``pad`` is the least count of integer digits of a figure other than zero
    ("01" for 2; zero stays "0"), ``grouping``
    puts "." between thousands, ``no_value`` prints for no value (a rate whose denominator is 0),
    ``whole_without_decimals`` prints a whole value without decimals ("100%").
    """

    decimals: int = 0
    trim: bool = False
    suffix: str = ""
    pad: int = 0
    grouping: bool = True
    no_value: str = "-"
    whole_without_decimals: bool = False


def format_figure(value: Decimal | int | None, style: NumberStyle) -> str:
    """A figure printed in ``style``: ``60, NumberStyle(suffix="")`` -> "60"; ``1, pad=2`` -> "01";
    ``2026, grouping=False`` -> "2026"; ``None`` -> ``style.no_value``. Rounding is half-up."""
    if value is None:
        return style.no_value
    number = to_decimal(value)
    decimals = style.decimals
    if style.whole_without_decimals and number == number.to_integral_value():
        decimals = 0
    if style.pad <= 1 and style.grouping:
        return format_number(number, decimals, trim=style.trim) + style.suffix
    return _format_plain(number, decimals, style) + style.suffix


def _format_plain(number: Decimal, decimals: int, style: NumberStyle) -> str:
    """A figure zero-padded to ``style.pad`` integer digits, grouped or not (no suffix)."""
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    rounded = _round_half_up(number, decimals)
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if style.trim:
        fraction = fraction.rstrip("0")
    if not rounded.is_zero():  # a zero prints "0", never "00" (as the reports print it)
        whole = whole.zfill(style.pad)
    group, point = _symbols()
    if style.grouping:
        head = len(whole) % 3 or 3
        whole = group.join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])
    sign = "-" if rounded < 0 else ""
    return sign + whole + (point + fraction if fraction else "")


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


def _day(d: date) -> str:
    """Day of month, zero-padded below 10 (ND30)."""
    return f"{d.day:02d}"


def _month(d: date) -> str:
    """Month, zero-padded only for January and February (ND30)."""
    return f"{d.month:02d}" if d.month in _PADDED_MONTHS else str(d.month)


def _year_or_blank(year: int | None) -> str:
    """The year as text, or a blank for the clerk to fill in."""
    return BLANK if year is None else str(year)


def date_long(d: date | None, year: int | None = None) -> str:
    """Long date: "ngày 09 tháng 6 năm 2026" (ND30 padding rule).

    ``None`` leaves blanks for the clerk to write by hand, keeping ``year``
    when it is known: "ngày      tháng      năm 2026". ``year`` is ignored
    when ``d`` is given.
    """
    if d is None:
        year_text = BLANK if year is None else f" {year}"
        return f"ngày{BLANK}tháng{BLANK}năm{year_text}"
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def date_short(d: date | None, year: int | None = None) -> str:
    """Short date: "09/6/2026", "05/01/2026" (ND30 padding rule).

    ``None`` leaves blanks: "      /     /2026" (year blank too if unknown).
    ``year`` is ignored when ``d`` is given.
    """
    if d is None:
        return f"{BLANK}/{_SHORT_MONTH_BLANK}/{_year_or_blank(year)}"
    return f"{_day(d)}/{_month(d)}/{d.year}"


# --------------------------------------------------------------------------
# Document numbers and text
# --------------------------------------------------------------------------


def _pad_doc_number(number: str) -> str:
    """Give a one-digit document number a leading zero ("5" -> "05")."""
    return number.zfill(2) if number.isdigit() else number


def doc_reference(number: str | int | None, symbol: str = "BC-UBND") -> str:
    """Document reference "329/BC-UBND"; numbers below 10 get a leading 0.

    An empty number leaves a blank for the clerk ("      /BC-UBND"). If the
    clerk already typed the symbol ("329/BC-UBND") it is kept, not doubled.
    """
    if isinstance(number, bool):
        raise TypeError("a bool is not a document number")
    if isinstance(number, int) and number < 0:
        raise ValueError("a document number cannot be negative")
    text = "" if number is None else str(number).strip()
    head, sep, tail = text.partition("/")
    head, tail = head.strip(), tail.strip()
    if sep and tail:
        symbol = tail
    head = _pad_doc_number(head) if head else BLANK
    return f"{head}/{symbol.strip()}"


def upper_vi(text: str) -> str:
    """Uppercase Vietnamese text ("Ủy ban nhân dân" -> "ỦY BAN NHÂN DÂN").

    ``str.upper`` already maps every Vietnamese letter (including "đ" and
    letters carrying tone marks, precomposed or combining) correctly; the
    result is NFC-normalised so Word shows precomposed letters.
    """
    return unicodedata.normalize("NFC", text.upper())


def figure(value: Decimal) -> str:
    """A figure quoted in a message: 42809 → "42.809", 42.809 → "42,809" (at most 6 decimals, no trailing zeros)."""
    return format_number(value, 6, trim=True)
