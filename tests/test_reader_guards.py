"""The guarded reader, through the real CLI: far cells, Excel cell types, Strict Open XML, a lost mark.

The workbooks are in tests/data/guards/ (rebuilt by `python tests/data/build_test_workbooks.py`,
GUARD_BUILDERS); each is a sample workbook with one thing changed as Excel, LibreOffice or a clerk
would. A hypothesis test then mutates the sheet XML itself (cells anywhere on the sheet, dimension
variants, Strict namespaces, random style ids) and checks that the CLI always ends with 0 or 1,
never a traceback or an abort, and leaves every input as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA, appendix_rows, run_cli
from tests.data import build_test_workbooks as builder
from tests.test_bad_inputs import BM3_11, digest, error, problem_lines, warning

GUARDS = DATA / "guards"


def far(cell: str) -> str:
    return (
        f"có dữ liệu ở ô {cell}, rất xa ngoài biểu mẫu, nên trang này không được đọc. Xóa các hàng, cột thừa "
        f"(chọn từ hàng, cột ngay sau bảng đến ô {cell}, nhấn chuột phải → Xóa), lưu lại rồi chạy lại; hoặc chép "
        "số liệu sang bảng tính trống (python generate.py new-input)."
    )


HAI_DUONG = "Hải Dương 2023 — Báo cáo kết quả công tác CCHC của UBND cấp xã (Biểu mẫu 1–7)"
HAI_PHONG = "Hải Phòng 2025 — Báo cáo CCHC định kỳ của UBND xã, phường, đặc khu (Phụ lục III)"
CASES: dict[str, tuple[tuple[str, ...], str]] = {  # name → (problem lines, unreadable message)
    "bad_far_cell_xfd1048576.xlsx": ((error("Biểu mẫu 1!XFD1048576", far("XFD1048576")),), ""),
    "ok_far_cell_formatted_only.xlsx": ((), ""),
    "ok_percent_cells.xlsx": ((), ""),
    "bad_percent_cell_over_100.xlsx": ((error(BM3_11, "tỷ lệ 150% vượt quá 100%. Nhập tỷ lệ từ 0 đến 100."),), ""),
    "bad_text_after_number.xlsx": (
        (
            error(
                "Thông tin chung!B9 (Năm báo cáo)",
                "“2026a” không phải là số: sau con số không được ghi thêm “a”. Ghi năm bằng 4 chữ số, ví dụ 2026.",
            ),
            error(
                "Biểu mẫu 1!D4 (2.1. Số nhiệm vụ đề ra trong kế hoạch)",
                "“52abc” không phải là số: sau con số chỉ được ghi đơn vị tính “Nhiệm vụ”, không ghi “abc”. "
                "Hãy nhập lại ô này.",
            ),
        ),
        "",
    ),
    "ok_strict_open_xml.xlsx": ((), ""),
    "bad_strict_formula_and_error.xlsx": (
        (
            error(
                "Biểu mẫu 1!D2 (1. Số văn bản chỉ đạo CCHC đã ban hành)",
                "ô nhập liệu chứa công thức “=12+3”; hãy gõ con số hoặc nội dung. Hãy nhập lại ô này.",
            ),
            error(
                "Biểu mẫu 1!D4 (2.1. Số nhiệm vụ đề ra trong kế hoạch)",
                "ô chứa lỗi của Excel “#DIV/0!”. Hãy nhập lại ô này.",
            ),
        ),
        "",
    ),
    "warn_mark_sheet_deleted_hai_duong.xlsx": (
        (
            warning(
                "",
                "bảng tính không có dấu biểu mẫu (trang “_baocao” bị xóa, hoặc bảng tính không tạo bằng “python "
                "generate.py new-input”); theo tên trang và các dòng chỉ tiêu (99/99 dòng khớp), bảng tính được đọc "
                f"theo biểu mẫu “{HAI_DUONG}” (hai_duong_2023). Nếu không đúng, chạy lại với --form và mã biểu mẫu.",
            ),
        ),
        "",
    ),
    "bad_mark_sheet_deleted_no_tables.xlsx": (
        (),
        "bảng tính không có dấu biểu mẫu (trang “_baocao” bị xóa) và không nhận ra được biểu mẫu theo các trang, "
        f"các dòng chỉ tiêu: có thể là “{HAI_DUONG}” (hai_duong_2023); “{HAI_PHONG}” (hai_phong_2025). Chạy lại "
        "với --form và mã biểu mẫu đúng, hoặc chép số liệu sang bảng tính mẫu của biểu mẫu đó (python generate.py "
        "new-input --form …).",
    ),
}


def test_every_guard_workbook_has_a_case_and_is_built() -> None:
    assert set(CASES) == set(builder.GUARD_BUILDERS)
    assert {p.name for p in GUARDS.glob("*.xlsx")} == set(CASES), "run: python tests/data/build_test_workbooks.py"
    assert all((GUARDS / n).stat().st_size < 100_000 for n in CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_and_render(name: str, tmp_path: Path) -> None:
    lines, unreadable = CASES[name]
    path = GUARDS / name
    before = digest(path)
    fails = bool(unreadable) or any(line.startswith("[LỖI]") for line in lines)
    checked = run_cli("check", path)
    out = tmp_path / "out"
    rendered = run_cli(path, "-o", out)
    for done in (checked, rendered):
        assert "Traceback" not in done.stdout + done.stderr
        assert done.returncode == (1 if fails else 0), done.stdout + done.stderr
        assert problem_lines(done.stdout) == list(lines)
        if unreadable:
            assert f"  ✗ {name}: {unreadable}" in done.stderr.splitlines()
    assert len(list(out.glob("*.docx"))) == (0 if fails else 1)
    assert digest(path) == before


def report_rows(path: Path, out: Path) -> dict[str, list[list[str]]]:
    done = run_cli(path, "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    (report,) = out.glob("*.docx")
    return appendix_rows(docx.Document(str(report)))


def value_of(rows: dict[str, list[list[str]]], sheet: str, stt: str) -> str:
    (value,) = [row[3] for row in rows[sheet] if row[0] == stt]
    return value


def test_percentage_cells_are_read_as_the_percentage_they_show(tmp_path: Path) -> None:
    rows = report_rows(GUARDS / "ok_percent_cells.xlsx", tmp_path / "pct")
    assert value_of(rows, "Biểu mẫu 3", "1.1.") == "50%"  # 0.5 shown as 50%
    assert value_of(rows, "Biểu mẫu 4", "2.4.") == "87,5%"  # 0.875 shown as 87.5%


def test_strict_workbook_gives_the_same_report_as_the_transitional_one(tmp_path: Path) -> None:
    sample = tmp_path / "sample.xlsx"
    sample.write_bytes(builder.deterministic(builder.sample_bytes()))
    strict = report_rows(GUARDS / "ok_strict_open_xml.xlsx", tmp_path / "strict")
    assert strict == report_rows(sample, tmp_path / "transitional")
    assert value_of(strict, "Biểu mẫu 3", "2.1.1.") != ""


def test_unit_of_the_row_after_a_number_is_accepted(tmp_path: Path) -> None:
    """In bad_text_after_number.xlsx "12 hồ sơ" (the row's unit) is not among the problems; read alone it is 12."""
    wb = builder.sample_workbook()
    builder.type_value(wb, "Biểu mẫu 7", "1.3.2.", "12 Hồ sơ")
    path = tmp_path / "unit.xlsx"
    path.write_bytes(builder.saved(wb))
    assert value_of(report_rows(path, tmp_path / "out"), "Biểu mẫu 7", "1.3.2.") == "12"


def test_far_cell_in_the_mark_sheet_refuses_the_workbook(tmp_path: Path) -> None:
    """A far cell in a sheet read before the form is known: one message for the file, nothing read."""
    cell = b'<row r="2000000"><c r="A2000000" t="inlineStr"><is><t></t></is></c></row>'
    data = builder.edit_sheet(
        builder.deterministic(builder.sample_bytes()), "_baocao", lambda x: builder.add_cells(x, cell)
    )
    path = tmp_path / "mark.xlsx"
    path.write_bytes(data)
    done = run_cli("check", path)
    assert done.returncode == 1
    message = f"✗ mark.xlsx: trang tính “_baocao” {far('A2000000')}"
    assert message in [line.strip() for line in done.stderr.splitlines()], done.stderr


# --- hypothesis: the sheet XML itself, mutated --------------------------------------------------------

SHEETS = ["Thông tin chung", "Biểu mẫu 1", "Biểu mẫu 3", "Nội dung", "_baocao"]
ROWS = st.one_of(st.integers(1, 60), st.integers(1, 1_048_576), st.sampled_from([999, 1000, 3000, 3001, 1_048_576]))
COLUMNS = st.one_of(st.integers(1, 12), st.integers(1, 16_384), st.sampled_from([26, 27, 702, 703, 16_384]))
VALUES = st.sampled_from(
    [
        b'<c r="{ref}" t="inlineStr"><is><t>a</t></is></c>',
        b'<c r="{ref}" t="inlineStr"><is><t></t></is></c>',
        b'<c r="{ref}" s="{style}"><v>0.5</v></c>',
        b'<c r="{ref}" s="{style}"/>',
        b'<c r="{ref}"><v></v></c>',
        b'<c r="{ref}"><f>1+1</f><v>2</v></c>',
        b'<c r="{ref}" t="e"><v>#DIV/0!</v></c>',
        b'<c r="{ref}" t="str"><v></v></c>',
        b"<c><v>7</v></c>",
        b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="{ref}"><x:v>1</x:v></x:c>',
    ]
)
CELL = st.tuples(ROWS, COLUMNS, VALUES, st.integers(0, 40), st.booleans())
MUTATION = st.fixed_dictionaries(
    {
        "sheet": st.sampled_from(SHEETS),
        "cells": st.lists(CELL, max_size=4),
        "dimension": st.one_of(st.none(), st.sampled_from([b"A1", b"A1:XFD1048576", b"B2:A1", b"ZZZ9", b""])),
        "strict": st.booleans(),
        "drop_refs": st.booleans(),
    }
)


def mutated(m: dict) -> bytes:
    """The sample workbook with its sheet XML changed as `m` says."""

    def edit(xml: bytes) -> bytes:
        if m["dimension"] is not None:
            xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + m["dimension"] + b'"/>', xml)
        cells = b""
        for row, col, template, style, row_ref in m["cells"]:
            ref = f"{builder_column(col)}{row}".encode()
            cell = template.replace(b"{ref}", ref).replace(b"{style}", str(style).encode())
            cells += (b'<row r="%d">' % row if row_ref else b"<row>") + cell + b"</row>"
        xml = builder.add_cells(xml, cells)
        if m["drop_refs"]:  # the first cells lose their r="…" (calamine then places them itself)
            xml = re.sub(rb'<c r="[A-Z]+[0-9]+"', b"<c", xml, count=3)
        return xml

    data = builder.edit_sheet(builder.deterministic(builder.sample_bytes()), m["sheet"], edit)
    return builder.to_strict(data) if m["strict"] else data


def builder_column(index: int) -> str:
    name = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


@settings(
    max_examples=6,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # no shrinking: each example runs the CLI
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=5))
def test_mutated_sheet_xml_never_crashes(tmp_path_factory: pytest.TempPathFactory, mutations: list[dict]) -> None:
    folder = tmp_path_factory.mktemp("mutated")
    paths = []
    for i, m in enumerate(mutations):
        path = folder / f"wb{i}.xlsx"
        path.write_bytes(mutated(m))
        paths.append(path)
    before = {p: digest(p) for p in paths}
    done = run_cli("check", folder)
    assert done.returncode in (0, 1), done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    assert "panicked" not in done.stderr and "memory allocation" not in done.stderr
    assert {p: digest(p) for p in paths} == before
    for path in paths:  # every workbook is reported: read, or refused with its name
        assert path.name in done.stdout + done.stderr
