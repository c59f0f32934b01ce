"""Number formats per form and per row (suffix, no_value, pad, grouping, decimals): the formatter,
the form file's rules (check-form), and a form rendered through the CLI with each setting.

The test form tests/data/forms/dinh_dang_so prints its rows as the real reports in
/work/shared/seeds print them ("01", "2115", "87,66" under a "%" column); see its comments.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.form import load_form
from baocao.form.numstyle import figure_style
from baocao.vnformat import NumberStyle, format_figure, format_number, format_percent
from baocao.workbook.styles import excel_number_format
from tests.conftest import run_cli
from tests.test_form_features import filled, form_file, new_input, phu_luc, render

D = Decimal

# --- the formatter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (60, NumberStyle(suffix=""), "60"),
        (D("51.923"), NumberStyle(decimals=1, suffix="%"), "51,9%"),
        (D("87.6604"), NumberStyle(decimals=2), "87,66"),
        (1, NumberStyle(pad=2), "01"),
        (3, NumberStyle(pad=2, trim=True), "03"),
        (12, NumberStyle(pad=2), "12"),
        (0, NumberStyle(pad=2), "0"),  # a zero stays "0" (Nhị Chiểu 2026 prints "0" beside "01")
        (D("0.004"), NumberStyle(pad=3, decimals=2), "0,00"),
        (4481, NumberStyle(pad=2), "4.481"),
        (2026, NumberStyle(grouping=False), "2026"),
        (2115, NumberStyle(grouping=False, pad=2), "2115"),
        (D("1234567.891"), NumberStyle(decimals=2, grouping=False), "1234567,89"),
        (D("-7.5"), NumberStyle(pad=3, trim=True, decimals=2), "-007,5"),
        (D("12.345"), NumberStyle(pad=5, decimals=2), "00.012,35"),
        (None, NumberStyle(no_value="Không phát sinh"), "Không phát sinh"),
        (D("100"), NumberStyle(decimals=1, suffix="", whole_without_decimals=True), "100"),
        (D("99.95"), NumberStyle(decimals=1, suffix="%"), "100,0%"),
    ],
)
def test_format_figure_examples(value: Decimal | int | None, style: NumberStyle, expected: str) -> None:
    assert format_figure(value, style) == expected


def test_the_default_styles_print_as_format_number_and_format_percent() -> None:
    for value in (D(0), D("0.05"), D("12.345"), D("9275"), D("-1234.5"), D("99.95"), D("100")):
        assert format_figure(value, NumberStyle(decimals=3, trim=True)) == format_number(value, 3, trim=True)
        assert format_figure(value, NumberStyle(decimals=1, suffix="%")) == format_percent(value, 1)
        assert format_figure(value, NumberStyle(decimals=1, suffix="%", whole_without_decimals=True)) == (
            format_percent(value, 1, whole_without_decimals=True)
        )


def _read_back(text: str, style: NumberStyle) -> Decimal:
    assert text.endswith(style.suffix)
    body = text[: len(text) - len(style.suffix)] if style.suffix else text
    if not style.grouping:
        assert "." not in body
    return D(body.replace(".", "").replace(",", "."))


styles = st.builds(
    NumberStyle,
    decimals=st.integers(0, 6),
    trim=st.booleans(),
    suffix=st.sampled_from(["%", ""]),
    pad=st.integers(0, 15),
    grouping=st.booleans(),
    no_value=st.text(max_size=20),
    whole_without_decimals=st.booleans(),
)
values = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15),
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=8),
)


@settings(max_examples=400, deadline=None)
@given(value=values, style=styles)
def test_any_style_prints_any_value_rounded_half_up(value: Decimal | int | None, style: NumberStyle) -> None:
    text = format_figure(value, style)
    if value is None:
        assert text == style.no_value
        return
    number = D(value)
    decimals = 0 if style.whole_without_decimals and number == number.to_integral_value() else style.decimals
    expected = number.quantize(D(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert _read_back(text, style) == expected
    digits = re.sub(r"[^0-9,]", "", text).split(",")[0]
    if not expected.is_zero():
        assert len(digits) >= style.pad  # zero-padded to at least `pad` integer digits
    if style.grouping and abs(expected) >= 1000:
        assert "." in text
    assert not text.startswith("-0") or not expected.is_zero()  # never "-0"
    assert excel_number_format(style)  # the workbook's format for it is built too


def test_excel_number_formats_follow_the_style() -> None:
    assert excel_number_format(NumberStyle()) == "#,##0"
    assert excel_number_format(NumberStyle(decimals=1, suffix="%")) == '#,##0.0"%"'
    assert excel_number_format(NumberStyle(decimals=1, suffix="%"), suffix=False) == "#,##0.0"
    assert excel_number_format(NumberStyle(decimals=2, suffix="")) == "#,##0.00"
    assert excel_number_format(NumberStyle(pad=2)) == "#,#00;-#,#00;0"
    assert excel_number_format(NumberStyle(grouping=False)) == "0"
    assert excel_number_format(NumberStyle(decimals=3, trim=True)) == "#,##0.###"


# --- the form file's rules (check-form) ------------------------------------------------------

BASE = """\
id: t
version: "1"
title: Thử
template: bao_cao.docx
tables:
  - sheet: Biểu mẫu 1
    rows:
"""


def _check_form(tmp_path: Path, rows: str, top: str = "") -> str:
    folder = tmp_path / "form"
    folder.mkdir(exist_ok=True)
    (folder / "bao_cao.docx").write_bytes((form_file("dinh_dang_so").parent / "bao_cao.docx").read_bytes())
    (folder / "form.yaml").write_text(BASE.replace("tables:", top + "tables:") + rows, encoding="utf-8")
    done = run_cli("check-form", folder / "form.yaml")
    return done.stdout + done.stderr


ROWS = """\
      - {id: a, label: A, kind: number}
      - {id: b, label: B, kind: number}
"""


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            '      - {id: t1, label: Ghi chú, kind: text, suffix: "%"}\n',
            "dòng 10: chỉ tiêu “t1”: “suffix” chỉ dùng cho chỉ tiêu số",
        ),
        (
            "      - {id: h1, label: Mục, kind: header, pad: 2}\n",
            "dòng 10: chỉ tiêu “h1”: “pad” chỉ dùng cho chỉ tiêu số",
        ),
        (
            "      - {id: c1, label: Có, kind: choice, choices: {0: Không, 1: Có}, grouping: false}\n",
            "“grouping” chỉ dùng cho chỉ tiêu số",
        ),
        (
            "      - {id: n1, label: Số, kind: number, pad: -1}\n",
            "dòng 10: chỉ tiêu “n1”: “pad” phải là số nguyên từ 0 đến 15",
        ),
        ("      - {id: n1, label: Số, kind: number, decimals: -2}\n", "“decimals” phải là số nguyên từ 0 đến 6"),
        ("      - {id: n1, label: Số, kind: number, grouping: có}\n", "“grouping” phải là true hoặc false"),
        (
            "      - {id: n1, label: Số, kind: number, suffix: người}\n",
            "“suffix” phải là “%” hoặc “” (in số trần), không phải “người”",
        ),
        ("      - {id: n1, label: Số, kind: number, no_value: x}\n", "“no_value” chỉ dùng cho tỷ lệ (rate, percent)"),
        ("      - {id: n1, label: Số, kind: number, padd: 2}\n", "khóa “padd” không hợp lệ (có phải “pad”?)"),
    ],
)
def test_check_form_reports_a_wrong_number_setting_with_its_line(tmp_path: Path, row: str, message: str) -> None:
    out = _check_form(tmp_path, ROWS + row)
    assert message in out, out


def test_check_form_reports_wrong_form_wide_settings_with_their_lines(tmp_path: Path) -> None:
    top = 'numbers:\n  pad: -1\n  rate_suffix: "%%"\n  grouping: 3\n  groupin: true\n'
    out = _check_form(tmp_path, ROWS, top)
    assert "dòng 6: numbers: “pad” không được nhỏ hơn 0." in out, out
    assert "dòng 7: numbers: “rate_suffix” phải là một trong: “%”, “”." in out, out
    assert "dòng 8: numbers: “grouping” phải là true hoặc false." in out, out
    assert "dòng 9: numbers: khóa “groupin” không hợp lệ (có phải “grouping”?)." in out, out


def test_a_grid_column_setting_is_checked_too(tmp_path: Path) -> None:
    grid = (
        "grids:\n  - id: g\n    sheet: Bảng\n    columns:\n      - {id: x, heading: X, no_value: y}\n"
        "      - {id: r, heading: R, kind: rate, num: x, den: x, pad: 20}\n"
    )
    out = _check_form(tmp_path, ROWS + grid)
    assert "dòng 14: bảng “g”, cột “x”: “no_value” chỉ dùng cho tỷ lệ (rate)." in out, out
    assert "dòng 15: bảng “g”, cột “r”: “pad” phải là số nguyên từ 0 đến 15." in out, out


def test_the_styles_resolve_row_settings_over_the_form_settings() -> None:
    form = load_form(form_file("dinh_dang_so").resolve())
    style = {r.id: figure_style(form.numbers, r) for r in form.rows}
    assert style["contracts"] == NumberStyle(trim=True, pad=2)  # numbers.pad
    assert style["base_year"] == NumberStyle(trim=True, grouping=False)
    assert style["plan_rate"] == NumberStyle(decimals=1, suffix="", whole_without_decimals=True)
    assert style["fix_rate"].no_value == "Không phát sinh" and style["fix_rate"].suffix == "%"
    assert style["fix_rate"].pad == 0  # the form's pad is for counts, not rates
    assert style["files_left"].pad == 3  # a derived row


# --- a form rendered through the CLI ---------------------------------------------------------

VALUES = {
    "contracts": 1,
    "reduced": 0,
    "files_done": 2115,
    "files_received": 4481,
    "base_year": 2026,
    "tasks": 50,
    "tasks_done": 30,
    "found": 0,
    "fixed": 0,
    "invest_plan": 78763,
    "invest_done": 69044,
}
GRID = [
    {"label": "Hộ tịch", "online": 1200, "in_person": 300, "on_time": 2, "late": 1},
    {"label": "Chứng thực", "online": 5, "in_person": 0},
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[docx.document.Document, Path]:
    tmp_path = tmp_path_factory.mktemp("dinh_dang_so")
    workbook = filled(tmp_path, "dinh_dang_so", {"values": VALUES, "grids": {"by_field": GRID}})
    return render(tmp_path, workbook, "dinh_dang_so"), workbook


def test_each_row_prints_in_its_own_format(rendered) -> None:
    document, _ = rendered
    first, second = phu_luc(document)
    assert [(r[0], r[3]) for r in first] == [
        ("1.", "01"),  # numbers.pad: 2
        ("2.", "0"),  # a zero is not padded
        ("3.", "2115"),  # grouping: false
        ("4.", "4.481"),
        ("5.", "2026"),  # a year: grouping: false, pad: 0
        ("6.", "60"),  # suffix: "" under a "%" column
        ("6.1.", "50"),
        ("6.2.", "30"),
        ("7.", "Không phát sinh"),  # no_value of this row
        ("7.1.", "0"),
        ("7.2.", "0"),
    ]
    assert [(r[0], r[3]) for r in second] == [
        ("1.", "87,66"),  # decimals: 2, suffix: ""
        ("1.1.", "78.763"),
        ("1.2.", "69.044"),
        ("2.", "80,1%"),  # the form's defaults: 1 decimal and "%" (1.205 of 1.505 grid files)
    ]


def test_the_narrative_prints_the_same_figures(rendered) -> None:
    document, _ = rendered
    text = next(p.text for p in document.paragraphs if p.text.startswith("Trong kỳ"))
    assert text == (
        "Trong kỳ, đơn vị có 01 hợp đồng lao động; đã giải quyết 2115 hồ sơ, còn 2.366 hồ sơ; tỷ lệ hoàn thành"
        " kế hoạch đạt 60%; tỷ lệ xử lý vấn đề: Không phát sinh; năm gốc 2026."
    )


def test_grid_columns_print_in_their_own_format(rendered) -> None:
    document, _ = rendered
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "TT")
    assert [[c.text for c in row.cells] for row in grid.rows[2:]] == [
        ["1", "Hộ tịch", "1500", "1.200", "300", "03", "02", "01", "66,67", "1.497"],
        ["2", "Chứng thực", "05", "05", "0", "", "", "", "Chưa có hồ sơ", "5"],
        ["", "Cộng", "1505", "1.205", "300", "03", "02", "01", "66,67", "1.502"],
    ]


def test_the_workbook_shows_computed_figures_as_the_report_prints_them(rendered) -> None:
    _, workbook = rendered
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Biểu mẫu 1"]
    formats = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=4).number_format for r in range(2, 13)}
    assert formats["1."] == "#,#00;-#,#00;0"  # typed, padded
    assert formats["5."] == "0"  # typed, no grouping
    assert formats["6."] == "#,##0.0"  # a rate without "%" shows as a bare number
    assert formats["7."] == '#,##0.0"%"'
    assert ws["D10"].value == '=IF(N(D11)=0,"Không phát sinh",ROUND(N(D12)/D11*100,1))'
    assert wb["Biểu mẫu 2"]["D2"].number_format == "#,##0.00"
    grid = wb["Theo lĩnh vực"]
    assert grid["C3"].number_format == "00;-00;0" and grid["I3"].number_format == "#,##0.00"
    assert grid["I3"].value == '=IF(N(F3)=0,"Chưa có hồ sơ",ROUND(N(G3)/F3*100,2))'


def test_a_blank_workbook_of_the_form_is_written(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(new_input(tmp_path, "dinh_dang_so"))
    assert wb["Biểu mẫu 2"]["D3"].number_format == "#,##0.###"
