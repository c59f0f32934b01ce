"""Per-form Thông tin chung (`info_fields:` of form.yaml) and what a clerk types reaching the report (issue 13).

The test form tests/data/forms/cap_huyen/ is a district form whose template is only a Phụ lục: its own unit
types, an optional Văn bản căn cứ, a field of its own, no Người ký. Everything goes through the CLI:
`new-input` writes the workbook (its cells and data validations read back), the clerk's typing is done with
openpyxl on that file, `check` and the render run on it, and the written .docx is read back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao import layout
from baocao.form import inspect_form
from tests.conftest import ROOT, all_text, plain, run_cli

FORM_DIR = ROOT / "tests" / "data" / "forms" / "cap_huyen"
FORM = FORM_DIR / "form.yaml"
INFO = {
    "Tỉnh/thành phố": "Tỉnh Hải Dương",
    "Loại đơn vị": "Thị xã",
    "Tên đơn vị": "Kinh Môn",
    "Kỳ báo cáo": "Năm",
    "Năm báo cáo": 2025,
    "Số văn bản": "12",
    "Quyết định giao chỉ tiêu": "Quyết định số 45/QĐ-UBND ngày 10/01/2025",
}
HEADER_REMARK = "Rà soát toàn bộ 212 thủ tục"


def info_rows(ws) -> dict[str, int]:
    return {
        ws.cell(row=r, column=layout.INFO_LABEL_COL).value: r
        for r in range(layout.INFO_FIRST_ROW, ws.max_row + 1)
        if ws.cell(row=r, column=layout.INFO_LABEL_COL).value
    }


def new_input(folder: Path, form: Path = FORM) -> Path:
    path = folder / "huyen.xlsx"
    done = run_cli("new-input", "--form", form, "-o", path)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def fill(path: Path, info: dict, remark: str = HEADER_REMARK) -> Path:
    """Type into the workbook as a clerk would: the Thông tin chung values, the figures, a header row's Ghi chú."""
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.INFO_SHEET]
    rows = info_rows(ws)
    for label, value in info.items():
        ws.cell(row=rows[label], column=layout.INFO_VALUE_COL, value=value)
    table = wb["Biểu mẫu 1"]
    by_label = {table.cell(row=r, column=layout.LABEL_COL).value: r for r in range(1, table.max_row + 1)}
    table.cell(row=by_label["Kiểm soát thủ tục hành chính"], column=layout.REMARK_COL, value=remark)
    table.cell(row=by_label["Hồ sơ tiếp nhận"], column=layout.VALUE_COL, value=400)
    table.cell(row=by_label["Hồ sơ giải quyết đúng hạn"], column=layout.VALUE_COL, value=396)
    wb.save(path)
    return path


def test_the_district_workbook_has_the_forms_fields_and_unit_types(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(new_input(tmp_path))[layout.INFO_SHEET]
    rows = info_rows(ws)
    labels = list(rows)
    assert labels == [
        "Tỉnh/thành phố",
        "Cơ quan chủ quản (nếu có)",
        "Loại đơn vị",
        "Tên đơn vị",
        "Kỳ báo cáo",
        "Năm báo cáo",
        "Số liệu từ ngày",
        "Số liệu đến ngày",
        "Số văn bản",
        "Ký hiệu văn bản",
        "Ngày ký",
        "Văn bản căn cứ",
        "Quyết định giao chỉ tiêu",  # added, `after: basis`
    ]  # no Người ký, Nơi nhận, Trích yếu … (absent)
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    unit_type = validations[f"B{rows['Loại đơn vị']}"]
    assert (unit_type.type, unit_type.formula1) == ("list", '"Huyện,Thị xã,Thành phố,Quận"')
    assert unit_type.error == "Chọn một trong: Huyện, Thị xã, Thành phố, Quận."
    basis = rows["Văn bản căn cứ"]
    assert validations[f"B{basis}"].allow_blank  # optional here, required in the common file
    assert not ws.cell(row=basis, column=layout.INFO_LABEL_COL).font.b
    assert "(bắt buộc)" not in ws.cell(row=basis, column=layout.INFO_HELP_COL).value
    assert ws.cell(row=rows["Tên đơn vị"], column=layout.INFO_HELP_COL).value == (
        "Chỉ ghi tên riêng, ví dụ: Kinh Môn (không ghi “huyện”, “thị xã”). (bắt buộc)"
    )


def test_the_district_report_renders_without_the_absent_fields(tmp_path: Path) -> None:
    path = fill(new_input(tmp_path), INFO)
    checked = run_cli("check", path, "--form", FORM)
    assert checked.returncode == 0, checked.stdout
    assert "[LỖI]" not in checked.stdout and "[Cảnh báo]" not in checked.stdout, checked.stdout
    assert "Người ký" not in checked.stdout and "Văn bản căn cứ" not in checked.stdout
    done = run_cli(path, "--form", FORM, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    (report,) = (tmp_path / "out").glob("*.docx")
    text = plain(all_text(docx.Document(report)))
    assert "ỦY BAN NHÂN DÂN THỊ XÃ KINH MÔN" in text
    assert "Chỉ tiêu giao theo Quyết định số 45/QĐ-UBND ngày 10/01/2025" in text  # info.decision
    assert "Căn cứ:" not in text  # the optional basis left blank
    table = docx.Document(report).tables[0]
    cells = [[plain(c.text) for c in row.cells] for row in table.rows]
    assert ["I.", "Kiểm soát thủ tục hành chính", "", "", HEADER_REMARK] in cells  # a header row's Ghi chú
    assert ["3.", "Tỷ lệ hồ sơ đúng hạn", "%", "99,0%", ""] in cells


def test_a_district_unit_type_is_checked_against_the_forms_choices(tmp_path: Path) -> None:
    path = fill(new_input(tmp_path), {**INFO, "Loại đơn vị": "Phường"})
    checked = run_cli("check", path, "--form", FORM)
    assert checked.returncode == 1
    assert "Huyện, Thị xã, Thành phố, Quận" in checked.stdout, checked.stdout


def test_a_header_rows_remark_reaches_the_shipped_forms_report(tmp_path: Path) -> None:
    form = ROOT / "templates" / "hai_duong_2023" / "form.yaml"
    path = new_input(tmp_path, form)
    wb = openpyxl.load_workbook(path)
    info = wb[layout.INFO_SHEET]
    rows = info_rows(info)
    typed = {
        "Tỉnh/thành phố": "Tỉnh Hải Dương",
        "Loại đơn vị": "Xã",
        "Tên đơn vị": "Thử Nghiệm",
        "Kỳ báo cáo": "Năm",
        "Năm báo cáo": 2025,
        "Văn bản căn cứ": "Công văn số 1/SNV",
        "Người ký": "Nguyễn Văn A",
        "Nơi nhận": "Sở Nội vụ\nLưu: VT",
    }
    for label, value in typed.items():
        info.cell(row=rows[label], column=layout.INFO_VALUE_COL, value=value)
    sheet = next(ws for ws in wb.worksheets if any(c.value == "Kiểm tra CCHC" for c in ws["B"]))
    (heading,) = [c.row for c in sheet["B"] if c.value == "Kiểm tra CCHC"]
    assert sheet.cell(row=heading, column=layout.REMARK_COL).protection.locked is False  # a white cell
    sheet.cell(row=heading, column=layout.REMARK_COL, value="Kiểm tra đột xuất 2 lần")
    wb.save(path)
    done = run_cli(path, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    (report,) = (tmp_path / "out").glob("*.docx")
    rows_text = [[plain(c.text) for c in row.cells] for t in docx.Document(report).tables for row in t.rows]
    assert any(r[:2] == ["3.", "Kiểm tra CCHC"] and r[-1] == "Kiểm tra đột xuất 2 lần" for r in rows_text), rows_text


# --- check-form ---------------------------------------------------------------------------


def copy_form(tmp_path: Path, old: str = "", new: str = "") -> Path:
    folder = tmp_path / "cap_huyen"
    shutil.copytree(FORM_DIR, folder)
    text = FORM.read_text(encoding="utf-8")
    assert old in text
    (folder / "form.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder / "form.yaml"


def check_form(path: Path) -> tuple[int, list[str]]:
    done = run_cli("check-form", path)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("[")]


def test_the_district_form_passes_check_form() -> None:
    assert check_form(FORM) == (0, [])


def test_a_field_the_template_never_uses_is_a_warning_saying_how_to_leave_it_out(tmp_path: Path) -> None:
    code, lines = check_form(copy_form(tmp_path, "  signer_name: {absent: true}\n"))
    assert code == 0
    assert lines == [
        "[Cảnh báo] form.yaml: trường “signer_name” (Người ký) của trang Thông tin chung không được mẫu Word "
        "bao_cao.docx dùng (signature.name, info.signer_name): công chức nhập mà không in ra. Nếu không cần, "
        "bỏ khỏi bảng tính bằng “info_fields: {signer_name: {absent: true}}”."
    ]


def test_a_changed_field_the_template_never_uses_is_warned_at_its_line(tmp_path: Path) -> None:
    code, lines = check_form(copy_form(tmp_path, "  place: {absent: true}", "  place: {label: Nơi ban hành}"))
    assert code == 0
    assert lines == [
        "[Cảnh báo] form.yaml, dòng 20: trường “place” (Nơi ban hành) của trang Thông tin chung không được mẫu "
        "Word bao_cao.docx dùng (doc.place_date, info.place): công chức nhập mà không in ra. Nếu không cần, "
        "bỏ khỏi bảng tính bằng “info_fields: {place: {absent: true}}”."
    ]


FIELD_MISTAKES = [
    pytest.param(
        ("  place: {absent: true}", "  place: {absnt: true}"),
        "[LỖI] form.yaml, dòng 20: info_fields.place: khóa “absnt” không hợp lệ (có phải “absent”?).",
        id="unknown-key",
    ),
    pytest.param(
        ("  signer_name: {absent: true}", "  signer_nam: {absent: true}"),
        "[LỖI] form.yaml, dòng 25: info_fields.signer_nam: “signer_nam” không phải trường chung "
        "(có phải “signer_name”?); trường mới cần “label” (và “kind”, mặc định text).",
        id="unknown-field",
    ),
    pytest.param(
        ("    required: false", "    optional: true"),
        "[LỖI] form.yaml, dòng 15: info_fields.basis: khóa “optional” không hợp lệ "
        "(trường được để trống: viết “required: false”).",
        id="optional-is-required-false",
    ),
    pytest.param(
        ("    required: false", "    required: khong"),
        "[LỖI] form.yaml, dòng 15: info_fields.basis: “required” phải là true hoặc false.",
        id="not-a-bool",
    ),
    pytest.param(
        ("    after: basis", "    after: basic"),
        "[LỖI] form.yaml, dòng 19: info_fields.decision: “after” chỉ tới trường không có “basic” (có phải “basis”?).",
        id="after-unknown",
    ),
    pytest.param(
        ("  place: {absent: true}", "  period: {absent: true}"),
        "[LỖI] form.yaml, dòng 20: info_fields.period: trường “Kỳ báo cáo” là trường máy cần để lập báo cáo "
        "(kỳ, năm báo cáo, tên đơn vị), không bỏ hay để tùy chọn được.",
        id="core-field-absent",
    ),
    pytest.param(
        ("    label: Quyết định giao chỉ tiêu", "    label: Quyết định giao chỉ tiêu\n    kind: choise"),
        "[LỖI] form.yaml, dòng 18: info_fields.decision: “kind” phải là một trong: “text”, “multiline”, “date”, "
        "“year”, “choice”.",
        id="kind-unknown",
    ),
    pytest.param(
        ("    required: false", "    choices: [Có, Không]"),
        "[LỖI] form.yaml, dòng 15: info_fields.basis: “choices” chỉ dùng cho trường loại choice "
        "(trường này loại multiline).",
        id="choices-not-a-choice",
    ),
    pytest.param(
        ("    label: Quyết định giao chỉ tiêu", "    label: Số văn bản"),
        "[LỖI] form.yaml, dòng 16: info_fields.decision: nhãn “Số văn bản” trùng với trường “doc_number”.",
        id="label-repeated",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), FIELD_MISTAKES)
def test_a_mistake_in_info_fields_is_an_error_with_its_line(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    code, lines = check_form(copy_form(tmp_path, *edit))
    assert code == 1
    assert expected in lines, lines


def test_columns_the_phu_luc_never_prints_are_warnings_naming_the_rows(tmp_path: Path) -> None:
    path = copy_form(tmp_path)
    document = docx.Document()
    for text in (
        "{{ unit.parent_upper }} {{ unit.agency_upper }} {{ appendix.attached }} {{ period.date_from }}",
        "{{ period.date_to }} {{ doc.basis_text }} {{ info.decision }}",
        "{%p for t in appendix.tables %}",
        "{%p for row in t.rows %}",
        "{{ row.stt }} {{ row.label }} {{ row.unit }}",  # neither the Số liệu nor the Ghi chú
        "{%p endfor %}",
        "{%p endfor %}",
    ):
        document.add_paragraph(text)
    document.save(path.parent / "bao_cao.docx")
    code, lines = check_form(path)
    assert code == 0
    assert lines == [
        "[Cảnh báo] form.yaml: cột “Ghi chú” của các Biểu mẫu không được mẫu Word bao_cao.docx in ra (row.remark "
        "trong vòng lặp appendix.tables): ghi chú công chức nhập sẽ không có trong báo cáo.",
        *(
            f"[Cảnh báo] form.yaml, dòng {line}: chỉ tiêu “{row}” không được mẫu Word bao_cao.docx in ra (vòng lặp "
            f"appendix.tables không in row.value, không có v.{row} hay n.{row})."
            for line, row in ((37, "received"), (38, "on_time"), (39, "on_time_rate"))
        ),
    ]
    sheet = openpyxl.load_workbook(new_input(tmp_path, path))["Biểu mẫu 1"]  # so its cells are locked, grey
    remarks = [sheet.cell(row=r, column=layout.REMARK_COL) for r in range(layout.TABLE_FIRST_ROW, sheet.max_row + 1)]
    assert len(remarks) == 4
    assert all(c.protection.locked and c.fill.fgColor.rgb.endswith("D9D9D9") for c in remarks)


KEYS = st.sampled_from(["unit_type", "basis", "signer_name", "period", "year", "decision", "Người ký", "x"])
SPEC_KEYS = st.sampled_from(["label", "kind", "choices", "required", "default", "help", "absent", "after", "absnt"])
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(alphabet="aHuyệnQ, :-", max_size=8),
    st.lists(st.text(alphabet="aHuyện, ", max_size=6), max_size=3),
    st.sampled_from(["text", "choice", "date", "basis", "signer_name"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(KEYS, st.one_of(VALUES, st.dictionaries(SPEC_KEYS, VALUES, max_size=4)), max_size=4))
def test_any_info_fields_section_is_read_or_explained_never_a_crash(tmp_path: Path, section: dict) -> None:
    """Whatever a form author writes under `info_fields:`, the form loads or every problem is an issue with a line."""
    folder = tmp_path / "f"
    folder.mkdir(exist_ok=True)
    shutil.copy(FORM_DIR / "bao_cao.docx", folder / "bao_cao.docx")
    text = FORM.read_text(encoding="utf-8").split("info_fields:")[0]
    tail = FORM.read_text(encoding="utf-8").split("\nappendix:")[1]
    body = yaml.safe_dump({"info_fields": section}, allow_unicode=True)
    (folder / "form.yaml").write_text(f"{text}{body}\nappendix:{tail}", encoding="utf-8")
    form, issues = inspect_form(folder / "form.yaml")
    assert (form is None) == any(i.is_error for i in issues)
    assert all(i.message and "Traceback" not in i.message and "pydantic" not in i.message for i in issues)
    if form is not None:
        keys = [f.key for f in form.info_fields]
        assert len(keys) == len(set(keys))
        assert {"unit_name", "period", "year"} <= set(keys)
        assert all(f.kind != "choice" or f.choices for f in form.info_fields)
        assert all(f.label.strip() for f in form.info_fields)
