"""Tests for baocao.periods (reporting periods)."""

from __future__ import annotations

import unicodedata
from datetime import date
from itertools import pairwise

import pytest

from baocao.periods import (
    PeriodKind,
    default_range,
    next_period_text,
    parse_period_kind,
    period_text,
)

K = PeriodKind


def test_labels_in_order() -> None:
    assert [kind.label for kind in PeriodKind] == [
        "Quý I",
        "Quý II",
        "6 tháng",
        "Quý III",
        "9 tháng",
        "Quý IV",
        "Năm",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý I", K.QUARTER_1),
        ("Quý II", K.QUARTER_2),
        ("6 tháng", K.HALF_YEAR),
        ("Quý III", K.QUARTER_3),
        ("9 tháng", K.NINE_MONTHS),
        ("Quý IV", K.QUARTER_4),
        ("Năm", K.YEAR),
        ("quý 1", K.QUARTER_1),
        ("Quý 2", K.QUARTER_2),
        ("Quý 3", K.QUARTER_3),
        ("QUÝ 4", K.QUARTER_4),
        ("quý i", K.QUARTER_1),
        ("QUÝ III", K.QUARTER_3),
        ("  Quý   IV  ", K.QUARTER_4),
        ("Quý\u00a0I", K.QUARTER_1),
        ("Quý\tII", K.QUARTER_2),
        ("6 tháng đầu năm", K.HALF_YEAR),
        ("6 THÁNG ĐẦU NĂM", K.HALF_YEAR),
        ("6  tháng", K.HALF_YEAR),
        ("9 tháng đầu năm", K.NINE_MONTHS),
        ("cả năm", K.YEAR),
        ("Cả Năm", K.YEAR),
        ("năm", K.YEAR),
        (" NĂM ", K.YEAR),
    ],
)
def test_parse_period_kind(text: str, expected: PeriodKind) -> None:
    assert parse_period_kind(text) is expected


def test_parse_period_kind_decomposed_unicode() -> None:
    assert parse_period_kind(unicodedata.normalize("NFD", "Quý III")) is K.QUARTER_3
    assert parse_period_kind(unicodedata.normalize("NFD", "cả năm")) is K.YEAR


@pytest.mark.parametrize("kind", list(PeriodKind))
def test_parse_period_kind_round_trips_label(kind: PeriodKind) -> None:
    assert parse_period_kind(kind.label) is kind


@pytest.mark.parametrize("text", ["Quý V", "quý 5", "tháng 6", "12 tháng", "", "   ", "nam", "Quý"])
def test_parse_period_kind_rejects(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_period_kind(text)
    message = str(error.value)
    assert "Kỳ báo cáo không hợp lệ" in message
    for kind in PeriodKind:
        assert f'"{kind.label}"' in message


def test_parse_period_kind_rejects_none() -> None:
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        parse_period_kind(None)


@pytest.mark.parametrize(
    ("kind", "year", "expected"),
    [
        (K.QUARTER_1, 2026, (date(2025, 12, 15), date(2026, 3, 14))),
        (K.QUARTER_2, 2026, (date(2026, 3, 15), date(2026, 6, 14))),
        (K.HALF_YEAR, 2026, (date(2025, 12, 15), date(2026, 6, 14))),
        (K.QUARTER_3, 2026, (date(2026, 6, 15), date(2026, 9, 14))),
        (K.NINE_MONTHS, 2026, (date(2025, 12, 15), date(2026, 9, 14))),
        (K.QUARTER_4, 2026, (date(2026, 9, 15), date(2026, 12, 14))),
        (K.YEAR, 2025, (date(2024, 12, 15), date(2025, 12, 14))),
        (K.YEAR, 2026, (date(2025, 12, 15), date(2026, 12, 14))),
    ],
)
def test_default_range(kind: PeriodKind, year: int, expected: tuple[date, date]) -> None:
    assert default_range(kind, year) == expected


def test_quarters_tile_the_year() -> None:
    quarters = [K.QUARTER_1, K.QUARTER_2, K.QUARTER_3, K.QUARTER_4]
    ranges = [default_range(kind, 2026) for kind in quarters]
    for (_, end), (start, _) in pairwise(ranges):
        assert (start - end).days == 1
    assert ranges[0][0] == default_range(K.YEAR, 2026)[0]
    assert ranges[-1][1] == default_range(K.YEAR, 2026)[1]


@pytest.mark.parametrize(
    ("kind", "year", "expected"),
    [
        (K.QUARTER_1, 2026, "quý I năm 2026"),
        (K.QUARTER_2, 2026, "quý II năm 2026"),
        (K.HALF_YEAR, 2026, "6 tháng đầu năm 2026"),
        (K.QUARTER_3, 2026, "quý III năm 2026"),
        (K.NINE_MONTHS, 2026, "9 tháng năm 2026"),
        (K.QUARTER_4, 2026, "quý IV năm 2026"),
        (K.YEAR, 2025, "năm 2025"),
    ],
)
def test_period_text(kind: PeriodKind, year: int, expected: str) -> None:
    assert period_text(kind, year) == expected


@pytest.mark.parametrize(
    ("kind", "year", "expected"),
    [
        (K.QUARTER_1, 2026, "quý II năm 2026"),
        (K.QUARTER_2, 2026, "quý III năm 2026"),
        (K.HALF_YEAR, 2026, "quý III năm 2026"),
        (K.QUARTER_3, 2026, "quý IV năm 2026"),
        (K.NINE_MONTHS, 2026, "quý IV năm 2026"),
        (K.QUARTER_4, 2026, "năm 2027"),
        (K.YEAR, 2025, "năm 2026"),
    ],
)
def test_next_period_text(kind: PeriodKind, year: int, expected: str) -> None:
    assert next_period_text(kind, year) == expected
