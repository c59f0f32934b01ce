"""`check-form` catches each kind of mistake in a form file or its template, naming the line.

Each case edits a small valid form (BASE) or its template and asserts the exact message the
form author reads.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT, run_cli

BASE = """\
id: thu
version: "1"
title: Biểu mẫu thử
template: bao_cao.docx
tables:
  - sheet: Biểu mẫu 1
    title: Một
    rows:
      - {stt: "1.", id: rate, label: Tỷ lệ hoàn thành, unit: "%", kind: rate, num: done, den: total}
      - {stt: "1.1.", id: total, label: Tổng số việc, unit: Việc, kind: number}
      - {stt: "1.2.", id: done, label: Số việc đã xong, unit: Việc, kind: number}
derived:
  - {id: left, label: Số việc còn lại, unit: Việc, kind: difference, terms: [total, done]}
narrative:
  - {key: summary, label: Tóm tắt}
"""

GRID = """\
grids:
  - id: by_field
    sheet: Theo lĩnh vực
    title: Theo lĩnh vực
    columns:
      - {id: received, heading: Tiếp nhận}
      - heading: Đã giải quyết
        columns:
          - {id: resolved, heading: Tổng số, kind: sum, terms: [on_time]}
          - {id: on_time, heading: Đúng hạn}
"""

# Every Thông tin chung field, as a BÁO CÁO prints them (check-form warns about a field no tag uses).
INFO_TAGS = (
    "{{ unit.parent_upper }} {{ doc.number_line }} {{ doc.place_date }} {{ doc.subject }} {{ doc.recipient }}"
    " {{ doc.basis_text }} {{ period.date_from }} {{ period.date_to }} {{ signature.title_lines }}"
    " {{ signature.name }} {{ recipients }}"
)

# A template that shows every row (Phụ lục loop, with its Ghi chú), every section, the derived row and every field.
TEMPLATE = [
    INFO_TAGS,
    "{{ unit.ubnd }} còn {{ v.left }} việc",
    "{%p for t in appendix.tables %}",
    "{{ t.number }} {{ t.title }}",
    "{%p for row in t.rows %}",
    "{{ row.value_text }} {{ row.remark }}",
    "{%p endfor %}",
    "{%p endfor %}",
    "{%p for s in sections %}",
    "{{ s.label }}",
    "{%p endfor %}",
]


def write_template(path: Path, paragraphs: list[str]) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)


def write_form(folder: Path, text: str = BASE, template: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "form.yaml").write_text(text, encoding="utf-8")
    write_template(folder / "bao_cao.docx", TEMPLATE if template is None else template)
    return folder / "form.yaml"


def check_form(path: Path) -> tuple[int, list[str]]:
    done = run_cli("check-form", path)
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("[")]
    return done.returncode, lines


def test_the_base_form_and_the_shipped_forms_pass(tmp_path: Path) -> None:
    for path in (
        write_form(tmp_path / "thu"),
        ROOT / "templates" / "hai_phong_2025" / "form.yaml",
        ROOT / "templates" / "hai_duong_2023" / "form.yaml",
    ):
        done = run_cli("check-form", path)
        assert done.returncode == 0, done.stdout
        assert "0 lỗi, 0 cảnh báo." in done.stdout
        assert "✓ Biểu mẫu dùng được." in done.stdout


FORM_MISTAKES = [
    pytest.param(
        ("num: done, den: total}", "num: don, den: total}"),
        "[LỖI] form.yaml, dòng 9: chỉ tiêu “rate”: tham chiếu tới chỉ tiêu không có “don” (có phải “done”?).",
        id="unknown-row-reference",
    ),
    pytest.param(
        (
            'unit: Việc, kind: number}\n      - {stt: "1.2."',
            'unit: Việc, kind: sum, terms: [left]}\n      - {stt: "1.2."',
        ),
        "[LỖI] form.yaml, dòng 10: công thức vòng tròn: total → left → total.",
        id="cycle",
    ),
    pytest.param(
        ("id: done, label", "id: total, label"),
        "[LỖI] form.yaml, dòng 11: mã chỉ tiêu “total” bị trùng (đã dùng ở dòng 10).",
        id="duplicate-id",
    ),
    pytest.param(
        ("label: Số việc đã xong, unit: Việc, kind: number", "label: Số việc đã xong, unit: Việc, kind: numbr"),
        "[LỖI] form.yaml, dòng 11: chỉ tiêu “done”: loại “numbr” không hợp lệ "
        "(choice, difference, header, number, percent, rate, sum, text).",
        id="bad-kind",
    ),
    pytest.param(
        ("label: Tổng số việc, unit: Việc,", "label: Tổng số việc, unti: Việc,"),
        "[LỖI] form.yaml, dòng 10: chỉ tiêu “total”: khóa “unti” không hợp lệ (có phải “unit”?).",
        id="unknown-key",
    ),
    pytest.param(
        ("label: Tổng số việc, unit: Việc,", "label: Tổng số việc, unit: Việc, style: dam,"),
        "[LỖI] form.yaml, dòng 10: chỉ tiêu “total”: kiểu chữ “dam” không hợp lệ (bold, bold_italic, italic, normal).",
        id="bad-style",
    ),
    pytest.param(
        ("id: total, label", "id: tổng_số, label"),
        "[LỖI] form.yaml, dòng 10: mã chỉ tiêu “tổng_số” chỉ được gồm chữ cái không dấu, chữ số và dấu gạch dưới “_”.",
        id="id-with-accents",
    ),
    pytest.param(
        ("title: Một\n", "title: Một\n    title: Hai\n"),
        "[LỖI] form.yaml, dòng 8: khóa “title” bị lặp trong cùng một mục; YAML chỉ giữ giá trị sau cùng.",
        id="duplicate-yaml-key",
    ),
    pytest.param(
        ("    title: Một\n", "    title: Một: hai\n"),
        "[LỖI] form.yaml, dòng 7: sai cú pháp YAML (cột 15): dấu hai chấm “:” trong chữ của “title” chưa đặt trong ngoặc kép "
        '(YAML hiểu “: ” là dấu tách khóa và giá trị). Đặt cả chữ trong ngoặc kép: title: "Một: hai".',
        id="yaml-syntax",
    ),
    pytest.param(
        ("template: bao_cao.docx", "template: mau.docx"),
        "[LỖI] form.yaml, dòng 4: không tìm thấy mẫu Word “mau.docx” trong thư mục {folder}.",
        id="missing-template",
    ),
    pytest.param(
        ("narrative:", "checks:\n  - {parts: [done], whole: totl}\nnarrative:"),
        "[LỖI] form.yaml, dòng 15: checks, mục 1: tham chiếu tới chỉ tiêu không có “totl” (có phải “total”?).",
        id="check-unknown-row",
    ),
    pytest.param(
        ("narrative:", "levels: {district: Cấp huyện, commune: Cấp xã}\nlevel: xa\nnarrative:"),
        "[LỖI] form.yaml, dòng 15: cấp “xa” không có trong “levels” (district, commune).",
        id="unknown-level",
    ),
    pytest.param(
        (
            'kind: number}\n      - {stt: "1.2."',
            'kind: number, level: district}\n      - {stt: "1.2."',
        ),
        "[LỖI] form.yaml, dòng 10: chỉ tiêu “total”: cấp “district” không có trong “levels” (chưa khai báo).",
        id="level-without-levels",
    ),
    pytest.param(
        (
            "narrative:",
            "levels: {district: Cấp huyện, commune: Cấp xã}\nlevel: commune\nnarrative:",
            'kind: number}\n      - {stt: "1.2."',
            'kind: number, level: district}\n      - {stt: "1.2."',
        ),
        "[LỖI] form.yaml, dòng 9: chỉ tiêu “rate” có trong báo cáo cấp xã nhưng “total” thì không (level: district).",
        id="rate-of-a-row-missing-at-a-level",
    ),
    pytest.param(
        ("narrative:", GRID + "checks:\n  - {parts: [by_field.resolvd], whole: done}\nnarrative:"),
        "[LỖI] form.yaml, dòng 25: checks, mục 1: tham chiếu tới chỉ tiêu không có “by_field.resolvd” "
        "(có phải “by_field.resolved”?).",
        id="check-unknown-grid-total",
    ),
    pytest.param(
        ("narrative:", GRID.replace("terms: [on_time]", "terms: [ontime]") + "narrative:"),
        "[LỖI] form.yaml, dòng 22: bảng “by_field”, cột “resolved”: tham chiếu tới cột không có “ontime” "
        "(có phải “on_time”?).",
        id="grid-unknown-column",
    ),
    pytest.param(
        ("narrative:", GRID.replace("kind: sum, terms: [on_time]", "kind: total") + "narrative:"),
        "[LỖI] form.yaml, dòng 22: bảng “by_field”, cột “resolved”: loại “total” không hợp lệ "
        "(difference, number, rate, sum).",
        id="grid-bad-kind",
    ),
    pytest.param(
        ("narrative:", GRID.replace("{id: on_time,", "{id: received,") + "narrative:"),
        "[LỖI] form.yaml, dòng 23: bảng “by_field”: mã cột “received” bị trùng (đã dùng ở dòng 19).",
        id="grid-duplicate-column",
    ),
    pytest.param(
        ("sheet: Biểu mẫu 1", "sheet: Biểu mẫu 1 về công tác chỉ đạo điều hành"),
        "[LỖI] form.yaml, dòng 6: tên trang “Biểu mẫu 1 về công tác chỉ đạo điều hành” dài 40 ký tự; "
        "Excel chỉ cho phép tối đa 31 ký tự.",
        id="sheet-name-too-long",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), FORM_MISTAKES)
def test_form_file_mistakes(tmp_path: Path, edits: tuple[str, ...], expected: str) -> None:
    text = BASE
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = write_form(tmp_path / "thu", text)
    code, lines = check_form(path)
    assert code == 1
    assert expected.format(folder=path.parent.resolve()) in lines, lines


TEMPLATE_MISTAKES = [
    pytest.param(
        ["{{ v.don }}"],
        "[LỖI] bao_cao.docx: thẻ dùng “v.don”: không có chỉ tiêu “don” trong form.yaml (có phải “done”?).",
        id="unknown-row",
    ),
    pytest.param(
        ["{%p if n.totl > 0 %}", "x", "{%p endif %}"],
        "[LỖI] bao_cao.docx: thẻ dùng “n.totl”: không có chỉ tiêu “totl” trong form.yaml (có phải “total”?).",
        id="unknown-row-in-condition",
    ),
    pytest.param(
        ["{%p for line in text.sumary %}", "{{ line }}", "{%p endfor %}"],
        "[LỖI] bao_cao.docx: thẻ dùng “text.sumary”: không có mục “sumary” trong “narrative” của form.yaml "
        "(có phải “summary”?).",
        id="unknown-narrative-section",
    ),
    pytest.param(
        ["{{ unitt.name }}"],
        "[LỖI] bao_cao.docx: thẻ dùng biến “unitt”, không có trong dữ liệu của báo cáo (xem docs/template-context.md) "
        "(có phải “unit”?).",
        id="unknown-variable",
    ),
    pytest.param(
        ["{{ unit.nmae }}"],
        "[LỖI] bao_cao.docx: thẻ dùng “unit.nmae”: “unit” không có “nmae” (có phải “name”?).",
        id="unknown-attribute",
    ),
    pytest.param(
        ["{%p for t in appendix.tables %}", "{{ t.nubmer }}", "{%p endfor %}"],
        "[LỖI] bao_cao.docx: thẻ dùng “t.nubmer”: “t” không có “nubmer” (có phải “number”?).",
        id="unknown-attribute-of-a-loop-variable",
    ),
    pytest.param(
        ["{{ grids.by_feld.title }}"],
        "[LỖI] bao_cao.docx: thẻ dùng “grids.by_feld.title”: không có bảng “by_feld” trong “grids” của form.yaml "
        "(có phải “by_field”?).",
        id="unknown-grid",
    ),
    pytest.param(
        ["{{ grids.by_field.total.v.resolvd }}"],
        "[LỖI] bao_cao.docx: thẻ dùng “grids.by_field.total.v.resolvd”: bảng “by_field” không có cột “resolvd” "
        "(có phải “resolved”?).",
        id="unknown-grid-column",
    ),
    pytest.param(
        ["{%p for r in grids.by_field.rows %}", "{{ r.v.ontime }}", "{%p endfor %}"],
        "[LỖI] bao_cao.docx: thẻ dùng “r.v.ontime”: bảng “by_field” không có cột “ontime” (có phải “on_time”?).",
        id="unknown-grid-column-in-a-row-loop",
    ),
    pytest.param(
        ["{%p if v.done %}", "x"],
        "[LỖI] bao_cao.docx: thẻ Jinja sai: Unexpected end of template. Jinja was looking for the following tags: "
        "'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
        id="jinja-syntax-end",
    ),
    pytest.param(
        ["Tỷ lệ: {{ v.rate + }}"],
        "[LỖI] bao_cao.docx: thẻ Jinja sai: unexpected 'end of print statement' "
        "(ở đoạn “{% endfor %}Tỷ lệ: {{ v.rate + }}”).",
        id="jinja-syntax",
    ),
]


@pytest.mark.parametrize(("paragraphs", "expected"), TEMPLATE_MISTAKES)
def test_template_mistakes(tmp_path: Path, paragraphs: list[str], expected: str) -> None:
    path = write_form(tmp_path / "thu", BASE.replace("narrative:", GRID + "narrative:"), [*TEMPLATE, *paragraphs])
    code, lines = check_form(path)
    assert code == 1
    assert expected in lines, lines


def test_rows_sections_and_grids_the_template_never_shows_are_warned_with_their_line(tmp_path: Path) -> None:
    path = write_form(tmp_path / "thu", BASE.replace("narrative:", GRID + "narrative:"), ["{{ v.rate }}", INFO_TAGS])
    code, lines = check_form(path)
    assert code == 0  # warnings only: the form still works
    assert lines == [
        "[Cảnh báo] form.yaml, dòng 10: chỉ tiêu “total” không được mẫu Word bao_cao.docx in ra "
        "(không có vòng lặp appendix.tables, không có v.total hay n.total).",
        "[Cảnh báo] form.yaml, dòng 11: chỉ tiêu “done” không được mẫu Word bao_cao.docx in ra "
        "(không có vòng lặp appendix.tables, không có v.done hay n.done).",
        "[Cảnh báo] form.yaml, dòng 13: chỉ tiêu phụ “left” không được mẫu Word bao_cao.docx dùng (v.left).",
        "[Cảnh báo] form.yaml, dòng 15: bảng “by_field” không được mẫu Word bao_cao.docx in ra (grids.by_field).",
        "[Cảnh báo] form.yaml, dòng 25: mục “summary” không được mẫu Word bao_cao.docx in ra (text.summary).",
    ]


def test_every_error_is_listed_at_once_and_a_broken_form_cannot_be_used(tmp_path: Path) -> None:
    text = BASE.replace("num: done", "num: don").replace("kind: number}", "kind: numbr}", 1)
    path = write_form(tmp_path / "thu", text)
    code, lines = check_form(path)
    assert code == 1
    assert len(lines) == 2
    assert [line.split(":")[0] for line in lines] == ["[LỖI] form.yaml, dòng 9", "[LỖI] form.yaml, dòng 10"]
    done = run_cli("new-input", "--form", path, "-o", tmp_path / "x.xlsx")
    assert done.returncode == 1
    assert "(và 1 lỗi khác; chạy python generate.py check-form" in done.stderr
