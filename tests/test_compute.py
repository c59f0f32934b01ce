"""Rates, sums and differences from their parts; rounding half-up; no value for a zero denominator."""

from decimal import Decimal

import pytest

from baocao.compute import compute_values, difference, rate, total
from baocao.form import find_form
from baocao.format import format_value


def test_rate_is_numerator_over_denominator_times_100() -> None:
    assert rate(Decimal(27), Decimal(52)) == Decimal(27) * 100 / Decimal(52)


@pytest.mark.parametrize("denominator", [None, Decimal(0)])
def test_rate_without_denominator_has_no_value(denominator) -> None:
    assert rate(Decimal(5), denominator) is None


def test_blank_numerator_counts_as_zero() -> None:
    assert rate(None, Decimal(4)) == 0


def test_total_and_difference_treat_blank_terms_as_zero() -> None:
    assert total([Decimal(1), None, Decimal(2)]) == 3
    assert total([None, None]) is None
    assert difference([Decimal(38), Decimal(28), None, Decimal(0)]) == 10
    assert difference([None, Decimal(1)]) is None


def test_form_rows_are_computed_from_inputs_including_derived_rows() -> None:
    form = find_form()
    values = compute_values(
        form,
        {
            "plan_tasks": Decimal(52),
            "plan_done": Decimal(27),
            "assigned_tasks": Decimal(38),
            "assigned_on_time": Decimal(28),
            "assigned_done_late": Decimal(0),
            "assigned_overdue": Decimal(0),
            "legal_docs_commune": Decimal(0),
            "psu_partial_70": Decimal(1),
            "psu_partial_30": None,
            "psu_partial_10": Decimal(2),
        },
    )
    assert values["assigned_in_progress"] == 10
    assert values["legal_docs_total"] == 0
    assert values["psu_self_partial"] == 3
    assert values["inspection_fix_rate"] is None


@pytest.mark.parametrize(
    ("num", "den", "row_id", "expected"),
    [
        (27, 52, "plan_rate", "51,9%"),
        (9275, 9275, "on_time_rate", "100%"),
        (21406, 42809, "investment_rate", "50,0%"),
        (2108, 2115, "on_time_rate", "99,7%"),
        (364, 835, "full_online_files_rate", "43,6%"),
        (0, 5, "plan_rate", "0%"),
        (5, 0, "plan_rate", "-"),
    ],
)
def test_rates_print_as_the_form_says(num, den, row_id, expected) -> None:
    form = find_form()
    row = form.row(row_id)
    value = rate(Decimal(num), Decimal(den))
    assert format_value(form, row, value, for_table=True) == expected
    assert format_value(form, row, value, for_table=False) == expected


def test_half_up_rounding_at_zero_decimals() -> None:
    """1/8 = 12,5% → 13% (banker's rounding would give 12%)."""
    form = find_form()
    row = form.row("plan_rate")
    zero_decimals = type(row)(**{**row.__dict__, "decimals": 0})
    assert format_value(form, zero_decimals, rate(Decimal(1), Decimal(8)), for_table=True) == "13%"
    assert format_value(form, zero_decimals, rate(Decimal(3), Decimal(8)), for_table=True) == "38%"
    # 1/16 = 6,25% → 6,3% at one decimal
    assert format_value(form, row, rate(Decimal(1), Decimal(16)), for_table=True) == "6,3%"


def test_blank_input_is_blank_in_the_table_and_zero_in_a_sentence() -> None:
    form = find_form()
    row = form.row("directive_docs")
    assert format_value(form, row, None, for_table=True) == ""
    assert format_value(form, row, None, for_table=False) == "0"
    assert format_value(form, row, Decimal(9275), for_table=True) == "9.275"


def test_money_keeps_its_decimals_and_drops_trailing_zeros() -> None:
    form = find_form()
    row = form.row("investment_plan")
    assert format_value(form, row, Decimal("42809"), for_table=True) == "42.809"
    assert format_value(form, row, Decimal("3523.681"), for_table=True) == "3.523,681"
    assert format_value(form, row, Decimal("87.660"), for_table=True) == "87,66"


def test_coded_rows_print_the_code_in_the_table_and_the_words_in_a_sentence() -> None:
    form = find_form()
    row = form.row("survey_method")
    assert format_value(form, row, Decimal(2), for_table=True) == "2"
    assert format_value(form, row, Decimal(2), for_table=False) == "Kết hợp"
