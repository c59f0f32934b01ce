"""The form file's schema (baocao/form/schema.py): the committed JSON Schema is the generated one, every
shipped form validates against it, and an unknown key at any depth is an error with its line and a
did-you-mean, through `check-form` as a form author runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.form import inspect_form
from baocao.form.schema import FormFile, json_schema_text
from tests.conftest import DATA, ROOT
from tests.test_formcheck import BASE, GRID, check_form, write_form

SCHEMA_FILE = ROOT / "docs" / "form.schema.json"
FORMS = sorted([*(ROOT / "templates").glob("*/form.yaml"), *(DATA / "forms").glob("*/form.yaml")])


def test_the_committed_json_schema_is_the_generated_one() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "baocao.form"], cwd=ROOT, capture_output=True, text=True, check=True, encoding="utf-8"
    )
    assert done.stdout == json_schema_text()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == done.stdout, (
        "regenerate: python -m baocao.form > docs/form.schema.json"
    )


def test_the_json_schema_describes_the_main_keys_in_vietnamese() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["properties"]["tables"]["description"] == "Các Biểu mẫu của Phụ lục, theo thứ tự."
    assert schema["$defs"]["Consolidated"]["additionalProperties"] is False
    assert (
        schema["$defs"]["Consolidated"]["properties"]["issuer"]["description"] == "Cơ quan ban hành báo cáo tổng hợp."
    )
    assert schema["$defs"]["RowSpec"]["properties"]["kind"]["enum"] == [
        "number",
        "percent",
        "choice",
        "text",
        "rate",
        "sum",
        "difference",
        "header",
    ]


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.parent.name)
def test_every_shipped_form_validates_against_the_json_schema(form: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    # as an editor sees the file: YAML read as JSON (mapping keys become strings)
    data = json.loads(json.dumps(yaml.safe_load(form.read_text(encoding="utf-8")), default=str))
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("form", sorted((ROOT / "templates").glob("*/form.yaml")), ids=lambda p: p.parent.name)
def test_every_shipped_form_names_the_schema_for_editors(form: Path) -> None:
    lines = form.read_text(encoding="utf-8").splitlines()
    assert "# yaml-language-server: $schema=../../docs/form.schema.json" in lines
    assert (form.parent / "../../docs/form.schema.json").resolve() == SCHEMA_FILE


def test_the_json_schema_underlines_an_unknown_key_as_an_editor_would() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load(BASE + "consolidated:\n  isuer: Sở Nội vụ\n")
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(data))
    assert [list(e.path) for e in errors] == [["consolidated"]]
    assert "isuer" in errors[0].message


UNKNOWN_KEYS = [
    pytest.param(
        ("title: Biểu mẫu thử\n", "title: Biểu mẫu thử\ntitel: Thử\n"),
        "[LỖI] form.yaml, dòng 4: tệp biểu mẫu: khóa “titel” không hợp lệ (có phải “title”?).",
        id="top-level",
    ),
    pytest.param(
        ("label: Tổng số việc, unit: Việc,", "label: Tổng số việc, unit: Việc, optinal: true,"),
        "[LỖI] form.yaml, dòng 10: chỉ tiêu “total”: khóa “optinal” không hợp lệ (có phải “optional”?).",
        id="row",
    ),
    pytest.param(
        ("    title: Một\n", "    title: Một\n    footnot: Ghi chú\n"),
        "[LỖI] form.yaml, dòng 8: bảng thứ 1: khóa “footnot” không hợp lệ (có phải “footnote”?).",
        id="table",
    ),
    pytest.param(
        (
            "narrative:",
            GRID.replace("{id: on_time, heading: Đúng hạn}", "{id: on_time, heading: Đúng hạn, decimal: 1}")
            + "narrative:",
        ),
        "[LỖI] form.yaml, dòng 23: bảng “by_field”, cột “on_time”: khóa “decimal” không hợp lệ (có phải “decimals”?).",
        id="grid-column",
    ),
    pytest.param(
        (
            "narrative:",
            GRID.replace("    title: Theo lĩnh vực\n", "    title: Theo lĩnh vực\n    total_labl: Tổng\n")
            + "narrative:",
        ),
        "[LỖI] form.yaml, dòng 18: bảng “by_field”: khóa “total_labl” không hợp lệ (có phải “total_label”?).",
        id="grid",
    ),
    pytest.param(
        ("narrative:", "checks:\n  - {parts: [done], whole: total, severty: warning}\nnarrative:"),
        "[LỖI] form.yaml, dòng 15: checks, mục 1: khóa “severty” không hợp lệ (có phải “severity”?).",
        id="check",
    ),
    pytest.param(
        ("{key: summary, label: Tóm tắt}", "{key: summary, label: Tóm tắt, hepl: Ghi ngắn}"),
        "[LỖI] form.yaml, dòng 15: narrative, mục 1: khóa “hepl” không hợp lệ (có phải “help”?).",
        id="narrative",
    ),
    pytest.param(
        ("narrative:", "numbers:\n  rate_decimal: 2\nnarrative:"),
        "[LỖI] form.yaml, dòng 15: numbers: khóa “rate_decimal” không hợp lệ (có phải “rate_decimals”?).",
        id="numbers",
    ),
    pytest.param(
        ("narrative:", "appendix:\n  title: Phụ lục\n  headng: SỐ LIỆU\nnarrative:"),
        "[LỖI] form.yaml, dòng 16: appendix: khóa “headng” không hợp lệ (có phải “heading”?).",
        id="appendix",
    ),
    pytest.param(
        ("narrative:", "appendix:\n  columns:\n    remarks: Ghi chú\nnarrative:"),
        "[LỖI] form.yaml, dòng 16: appendix.columns: khóa “remarks” không hợp lệ (có phải “remark”?).",
        id="appendix-columns",
    ),
    pytest.param(
        ("narrative:", "consolidated:\n  issuer: Sở Nội vụ\n  isuer: Sở Nội vụ\nnarrative:"),
        "[LỖI] form.yaml, dòng 16: consolidated: khóa “isuer” không hợp lệ (có phải “issuer”?).",
        id="consolidated",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), UNKNOWN_KEYS)
def test_an_unknown_key_at_any_depth_is_an_error_with_its_line(
    tmp_path: Path, edits: tuple[str, str], expected: str
) -> None:
    old, new = edits
    assert old in BASE + GRID, old
    path = write_form(tmp_path / "thu", BASE.replace(old, new, 1))
    code, lines = check_form(path)
    assert code == 1
    assert lines == [expected]


SETTING_VALUES = [
    pytest.param(
        "numbers:\n  rate_decimals: một\n",
        "[LỖI] form.yaml, dòng 15: numbers: “rate_decimals” phải là số nguyên.",
        id="numbers-not-a-number",
    ),
    pytest.param(
        "numbers:\n  whole_rate_without_decimals: có\n",
        "[LỖI] form.yaml, dòng 15: numbers: “whole_rate_without_decimals” phải là true hoặc false.",
        id="numbers-not-a-yes-no",
    ),
    pytest.param(
        "consolidated:\n  low_rate: 150\n",
        "[LỖI] form.yaml, dòng 15: consolidated: “low_rate” không được lớn hơn 100.",
        id="consolidated-out-of-range",
    ),
    pytest.param(
        "consolidated:\n  recipients: Lưu VT\n",
        "[LỖI] form.yaml, dòng 15: consolidated: “recipients” phải là một danh sách (mỗi mục một dòng bắt đầu bằng “- ”).",
        id="consolidated-not-a-list",
    ),
    pytest.param(
        "appendix: Phụ lục\n",
        "[LỖI] form.yaml, dòng 14: tệp biểu mẫu: “appendix” phải là một mục dạng “khóa: giá trị”.",
        id="appendix-not-a-mapping",
    ),
]


@pytest.mark.parametrize(("section", "expected"), SETTING_VALUES)
def test_a_wrong_setting_is_an_error_in_vietnamese_with_its_line(tmp_path: Path, section: str, expected: str) -> None:
    path = write_form(tmp_path / "thu", BASE.replace("narrative:", section + "narrative:", 1))
    code, lines = check_form(path)
    assert code == 1
    assert lines == [expected]


def test_the_settings_are_typed_on_the_form(tmp_path: Path) -> None:
    text = BASE.replace(
        "narrative:",
        "numbers: {rate_decimals: 2}\nappendix: {columns: {value: Số lượng}}\n"
        "consolidated: {key_rates: [rate], low_rate: 80}\nnarrative:",
    )
    form, issues = inspect_form(write_form(tmp_path / "thu", text))
    assert issues == [] and form is not None
    assert (form.numbers.rate_decimals, form.numbers.no_value, form.numbers.whole_rate_without_decimals) == (
        2,
        "-",
        False,
    )
    assert form.appendix.columns["value"] == "Số lượng" and form.appendix.columns["stt"] == "STT"
    assert form.consolidated.short_labels == {"rate": "Tỷ lệ hoàn thành"}
    assert (form.consolidated.issuer, str(form.consolidated.low_rate)) == ("Sở Nội vụ", "80")


KEY = st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None)
@given(key=KEY, where=st.sampled_from(["", "numbers", "appendix", "consolidated"]))
def test_any_unknown_key_is_named_in_vietnamese_never_in_pydantic_english(
    tmp_path_factory, key: str, where: str
) -> None:
    known = FormFile.model_fields if not where else FormFile.model_fields[where].annotation.model_fields
    if key in known or yaml.safe_load(f"{key}: 1") != {key: 1}:
        return  # a known key, or one YAML reads as a number, a date, true/false or null
    section = f"{key}: 1\n" if not where else f"{where}:\n  {key}: 1\n"
    path = write_form(tmp_path_factory.mktemp("thu"), BASE + section)
    _, issues = inspect_form(path)
    (issue,) = issues
    assert f"khóa “{key}” không hợp lệ" in issue.message
    assert issue.line == (16 if not where else 17)
    assert "Input should" not in issue.message and "Extra inputs" not in issue.message
