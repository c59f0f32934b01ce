"""baocao.word.chart: units cut into balanced charts of at most 40, sorted by the first rate."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.word.chart import split_for_charts


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.decimals(0, 100, places=1)), max_size=300))
def test_charts_are_balanced_sorted_and_hold_every_unit(rates: list[Decimal | None]) -> None:
    names = [f"Xã {i:03}" for i in range(len(rates))]
    charts = split_for_charts(names, [("Tỷ lệ", rates)], 40)
    assert sorted(n for c in charts for n in c.categories) == names
    assert all(len(c.categories) <= 40 for c in charts)
    if charts:
        sizes = [len(c.categories) for c in charts]
        assert max(sizes) - min(sizes) <= len(charts)  # balanced, not 40 + 40 + 1
        assert all(c.label_size >= 9 for c in charts)
    shown = [v for c in charts for v in c.series[0][1]]
    numbers = [v for v in shown if v is not None]
    assert numbers == sorted(numbers, reverse=True) and shown[len(numbers) :] == [None] * (len(shown) - len(numbers))
