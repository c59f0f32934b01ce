"""Tests for baocao.vnformat (Vietnamese numbers, percentages, dates)."""

from __future__ import annotations

import decimal
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.vnformat import (
    date_long,
    date_short,
    doc_reference,
    format_number,
    format_percent,
    upper_vi,
)

D = Decimal


# --------------------------------------------------------------------------
# format_number
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (9275, 0, "9.275"),
        (42809, 0, "42.809"),
        (4481, 0, "4.481"),
        (D("87.66"), 2, "87,66"),
        (D("11750652112"), 0, "11.750.652.112"),
        (D("3523.681"), 3, "3.523,681"),
        (0, 0, "0"),
        (0, 2, "0,00"),
        (D("0"), 3, "0,000"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (-1234, 0, "-1.234"),
        (D("-1234.5"), 1, "-1.234,5"),
        (D("-1234567.891"), 2, "-1.234.567,89"),
        (7, 2, "7,00"),
        (D("1234.5"), 3, "1.234,500"),
    ],
)
def test_format_number_examples(value: Decimal | int, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        # exact halves round up (away from zero), not to even
        (D("12.5"), 0, "13"),
        (D("0.5"), 0, "1"),
        (D("1.5"), 0, "2"),
        (D("2.5"), 0, "3"),
        (D("-2.5"), 0, "-3"),
        (D("0.125"), 2, "0,13"),
        (D("2.675"), 2, "2,68"),
        (D("0.25"), 1, "0,3"),
        (D("0.35"), 1, "0,4"),
        (D("1.0005"), 3, "1,001"),
        (D("4.4445"), 3, "4,445"),
        (D("9999.5"), 0, "10.000"),
        (D("999999.995"), 2, "1.000.000,00"),
        # just below a half rounds down
        (D("12.4999"), 0, "12"),
        (D("0.1249"), 2, "0,12"),
    ],
)
def test_format_number_rounds_half_up(value: Decimal, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_leaves_global_context_alone() -> None:
    before = decimal.getcontext().rounding
    format_number(D("12.5"))
    assert decimal.getcontext().rounding == before


def test_format_number_half_up_even_under_half_even_context() -> None:
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_EVEN
        assert format_number(D("12.5")) == "13"
        assert format_number(D("0.125"), 2) == "0,13"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("42809.000"), 3, "42.809"),
        (D("3523.680"), 3, "3.523,68"),
        (D("3523.681"), 3, "3.523,681"),
        (D("1.10"), 2, "1,1"),
        (D("9.995"), 2, "10"),
        (D("0.0004"), 3, "0"),
        (D("0.0005"), 3, "0,001"),
        (D("-5.50"), 2, "-5,5"),
        (12, 2, "12"),
        (D("12.5"), 0, "13"),
    ],
)
def test_format_number_trim(value: Decimal | int, decimals: int, expected: str) -> None:
    assert format_number(value, decimals, trim=True) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("-0.4"), 0, "0"),
        (D("-0.004"), 2, "0,00"),
        (D("-0.0001"), 3, "0,000"),
    ],
)
def test_format_number_no_negative_zero(value: Decimal, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (10**30, 0, "1" + ".000" * 10),
        (
            D("12345678901234567890123456789.5"),
            0,
            "12.345.678.901.234.567.890.123.456.790",
        ),
        (
            D("123456789012345678901234567.125"),
            2,
            "123.456.789.012.345.678.901.234.567,13",
        ),
        (D("1E+30"), 0, "1" + ".000" * 10),
    ],
)
def test_format_number_huge(value: Decimal | int, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_none_gives_blank() -> None:
    assert format_number(None) == ""
    assert format_number(None, 2, blank="-") == "-"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.675, 2, "2,68"),  # float 2.675 is 2.67499..., str() keeps 2.675
        (12.5, 0, "13"),
        (0.1 + 0.2, 2, "0,30"),
    ],
)
def test_format_number_float_goes_through_str(value: float, decimals: int, expected: str) -> None:
    # floats are outside the type hint but tolerated at run time
    assert format_number(value, decimals) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_format_number_rejects_non_finite(value: Decimal) -> None:
    with pytest.raises(ValueError):
        format_number(value)


def test_format_number_rejects_bad_input() -> None:
    with pytest.raises(TypeError):
        format_number("12")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_number(True)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        format_number(1, -1)


# --------------------------------------------------------------------------
# format_percent
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("51.923"), 1, "51,9%"),
        (D("50.0023"), 1, "50,0%"),
        (D("12.5"), 0, "13%"),
        (D("99.669"), 1, "99,7%"),
        (D("99.7"), 1, "99,7%"),
        (D("100"), 1, "100,0%"),
        (D("0"), 1, "0,0%"),
        (D("99.99"), 1, "100,0%"),
        (D("0.05"), 1, "0,1%"),
        (D("0.25"), 1, "0,3%"),
        (D("33.335"), 2, "33,34%"),
        (D("66.6666"), 2, "66,67%"),
        (D("-12.35"), 1, "-12,4%"),
        (D("-0.04"), 1, "0,0%"),
        (D("1234.5"), 1, "1.234,5%"),
        (50, 1, "50,0%"),
    ],
)
def test_format_percent(value: Decimal | int, decimals: int, expected: str) -> None:
    assert format_percent(value, decimals) == expected


def test_format_percent_default_is_one_decimal() -> None:
    assert format_percent(D("51.923")) == "51,9%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("100"), "100%"),
        (D("100.000"), "100%"),
        (D("0"), "0%"),
        (0, "0%"),
        (D("50.0023"), "50,0%"),
        (D("99.99"), "100,0%"),
        (D("99.669"), "99,7%"),
        (D("-25"), "-25%"),
    ],
)
def test_format_percent_whole_without_decimals(value: Decimal | int, expected: str) -> None:
    assert format_percent(value, whole_without_decimals=True) == expected


def test_format_percent_none() -> None:
    assert format_percent(None) == "-"
    assert format_percent(None, no_value="x") == "x"
    assert format_percent(None, whole_without_decimals=True) == "-"


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 6, 9), "ngày 09 tháng 6 năm 2026"),
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2025, 12, 14), "ngày 14 tháng 12 năm 2025"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 1), "ngày 01 tháng 3 năm 2026"),
        (date(2026, 10, 10), "ngày 10 tháng 10 năm 2026"),
        (date(2026, 11, 30), "ngày 30 tháng 11 năm 2026"),
    ],
)
def test_date_long(value: date, expected: str) -> None:
    assert date_long(value) == expected


def test_date_long_ignores_year_when_date_given() -> None:
    assert date_long(date(2026, 6, 9), 2030) == "ngày 09 tháng 6 năm 2026"


def test_date_long_blank() -> None:
    assert date_long(None, 2026) == "ngày      tháng      năm 2026"
    assert date_long(None) == "ngày      tháng      năm      "


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 6, 9), "09/6/2026"),
        (date(2025, 12, 15), "15/12/2025"),
        (date(2026, 1, 5), "05/01/2026"),
        (date(2026, 2, 14), "14/02/2026"),
        (date(2026, 6, 14), "14/6/2026"),
        (date(2026, 9, 1), "01/9/2026"),
    ],
)
def test_date_short(value: date, expected: str) -> None:
    assert date_short(value) == expected


def test_date_short_blank() -> None:
    assert date_short(None, 2026) == "      /     /2026"
    assert date_short(None).startswith("      /     /")
    assert date_short(None).strip() == "/     /"


# --------------------------------------------------------------------------
# doc_reference, upper_vi
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("329", "329/BC-UBND"),
        (329, "329/BC-UBND"),
        ("5", "05/BC-UBND"),
        (5, "05/BC-UBND"),
        ("05", "05/BC-UBND"),
        (10, "10/BC-UBND"),
        ("  329 ", "329/BC-UBND"),
        (None, "      /BC-UBND"),
        ("", "      /BC-UBND"),
        ("   ", "      /BC-UBND"),
        ("329/BC-UBND", "329/BC-UBND"),
        (" 329 / BC-UBND ", "329/BC-UBND"),
        ("5/BC-UBND", "05/BC-UBND"),
        ("329/", "329/BC-UBND"),
        ("12a", "12a/BC-UBND"),
    ],
)
def test_doc_reference(number: str | int | None, expected: str) -> None:
    assert doc_reference(number) == expected


def test_doc_reference_other_symbol() -> None:
    assert doc_reference(7, "BC-HĐND") == "07/BC-HĐND"
    assert doc_reference(None, "TB-UBND") == "      /TB-UBND"
    # the symbol the clerk typed wins over the default
    assert doc_reference("12/BC-VP") == "12/BC-VP"


def test_doc_reference_rejects_negative() -> None:
    with pytest.raises(ValueError):
        doc_reference(-1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ủy ban nhân dân phường Nhị Chiểu", "ỦY BAN NHÂN DÂN PHƯỜNG NHỊ CHIỂU"),
        ("xã Nam Thanh Miện", "XÃ NAM THANH MIỆN"),
        ("đặc khu", "ĐẶC KHU"),
        ("cộng hòa xã hội chủ nghĩa việt nam", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("ơ ư ă â ê ô ỹ ỵ", "Ơ Ư Ă Â Ê Ô Ỹ Ỵ"),
        ("", ""),
    ],
)
def test_upper_vi(text: str, expected: str) -> None:
    assert upper_vi(text) == expected


def test_upper_vi_decomposed_input_gives_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "xã Nam Thanh Miện")
    assert upper_vi(decomposed) == "XÃ NAM THANH MIỆN"


# --- issue 15: the fast rounding path and the cache give what the context copy gave -------------


def _reference_format_number(value: Decimal, decimals: int, trim: bool) -> str:
    """format_number as it was: a half-up context copied for every value."""
    context = decimal.getcontext().copy()
    context.rounding = decimal.ROUND_HALF_UP
    context.prec = max(context.prec, max(value.adjusted() + 1, 1) + decimals + 2)
    with decimal.localcontext(context):
        rounded = value.quantize(Decimal(1).scaleb(-decimals))
    rounded = abs(rounded) if rounded.is_zero() else rounded
    text = f"{rounded:,.{decimals}f}"
    if trim and decimals:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**40), max_value=10**40, places=None)
    | st.integers(-(10**40), 10**40).map(Decimal),
    decimals=st.integers(0, 6),
    trim=st.booleans(),
)
def test_format_number_equals_the_context_copy_way(value: Decimal, decimals: int, trim: bool) -> None:
    expected = _reference_format_number(value, decimals, trim)
    assert format_number(value, decimals, trim=trim) == expected
    assert format_number(value, decimals, trim=trim) == expected  # again, from the cache
    scaled = value.scaleb(-1) * 10  # an equal Decimal of another exponent, when the precision allows
    if scaled == value:
        assert format_number(scaled, decimals, trim=trim) == expected
