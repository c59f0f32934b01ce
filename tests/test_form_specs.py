"""A form file's rows, grids, checks and sections are read as the schema's models (form/specs.py):
a value of the wrong type is said with its line, in the builders' words, and never crashes check-form."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.form import inspect_form
from tests.test_formcheck import BASE, GRID, check_form, write_form

MISTAKES = [
    pytest.param(
        ("unit: Việc, kind: number}\nderived", "unit: Việc, kind: choice, choices: Có}\nderived"),
        ["[LỖI] form.yaml, dòng 11: chỉ tiêu “done”: “choices” phải là một mục dạng “khóa: giá trị”."],
        id="choices-not-a-mapping",
    ),
    pytest.param(
        ("terms: [total, done]", "terms: 5"),
        [
            "[LỖI] form.yaml, dòng 13: chỉ tiêu “left”: “terms” phải là một danh sách (mỗi mục một dòng bắt đầu bằng “- ”)."
        ],
        id="terms-a-number",
    ),
    pytest.param(
        ('kind: number}\n      - {stt: "1.2."', 'kind: number, optional: maybe}\n      - {stt: "1.2."'),
        ["[LỖI] form.yaml, dòng 10: chỉ tiêu “total”: “optional” phải là true hoặc false."],
        id="optional-not-a-bool",
    ),
    pytest.param(
        ('{stt: "1.2.", id: done,', '{stt: "1.2.", bullet: "*", id: done,'),
        [
            "[LỖI] form.yaml, dòng 11: chỉ tiêu “done”: “bullet” phải là “-” hoặc “+”.",
            "[LỖI] form.yaml, dòng 11: chỉ tiêu “done”: hàng có “bullet” thì không có STT.",
        ],
        id="wrong-bullet-and-an-stt",
    ),
    pytest.param(
        ("narrative:", GRID.replace("Tiếp nhận}", "Tiếp nhận, pad: x}") + "    rows: 0\nnarrative:"),
        [
            "[LỖI] form.yaml, dòng 19: bảng “by_field”, cột “received”: “pad” phải là số nguyên từ 0 đến 15.",
            "[LỖI] form.yaml, dòng 24: bảng “by_field”: “rows” phải từ 1 đến 500.",
        ],
        id="grid-pad-and-rows",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), MISTAKES)
def test_wrong_types_are_said_at_their_line(tmp_path: Path, edits: tuple[str, ...], expected: list[str]) -> None:
    text = BASE
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new, 1)
    code, lines = check_form(write_form(tmp_path / "thu", text))
    assert code == 1
    for line in expected:
        assert line in lines, lines


FIELDS = ["id", "label", "kind", "stt", "decimals", "suffix", "pad", "grouping", "no_value", "style", "optional",
          "choices", "num", "den", "terms", "exceed", "bullet", "level"]  # fmt: skip
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 600), st.floats(allow_nan=False), st.text(max_size=5))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SCALARS, inner, max_size=3),
                      max_leaves=6)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), value=VALUES, where=st.sampled_from(["rate", "total", "left", "received"]))
def test_any_value_of_any_field_is_an_issue_never_a_crash(field: str, value: object, where: str) -> None:
    data = yaml.safe_load(BASE + GRID)
    rows = [*data["tables"][0]["rows"], *data["derived"], *data["grids"][0]["columns"]]
    row = next(r for r in rows if r.get("id") == where)
    row[field] = value
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "thu"
        folder.mkdir()
        shutil.copy(Path(__file__).parent.parent / "templates" / "_starter" / "bao_cao.docx", folder / "bao_cao.docx")
        (folder / "form.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        form, issues = inspect_form(folder / "form.yaml")
    errors = [i for i in issues if i.is_error]
    assert (form is None) == bool(errors)
    assert all(i.message and "Error" not in i.message for i in errors)
