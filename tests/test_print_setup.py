"""Every workbook we write prints well (A4, one page wide, header rows repeated, the sheet's title in
the page header, "Trang N/M" in the footer), and the roll-up's own header and signer typed in the
info workbook, a YAML file or the web page's fields, or refused with the field named.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao import layout
from baocao.batch.rollup_info import RollupInfoError, rollup_info_from_fields
from baocao.form import find_form
from tests.conftest import run_cli

STEM = "tong-hop_thanh-pho-hai-phong_6-thang-dau-nam-2026"
INFO_LABELS = ["Số văn bản", "Ngày ký", "Thẩm quyền ký", "Chức vụ người ký", "Người ký", "Nơi nhận"]


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("three")
    assert run_cli("demo-data", "--communes", "3", "--province", "Hải Phòng", "-o", folder).returncode == 0
    return sorted(folder.glob("*.xlsx"))


def signature_table(document: docx.document.Document) -> docx.table.Table:
    return next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))


def assert_prints_well(ws, title: str, rows: str, landscape: bool | None = None) -> None:
    setup = ws.page_setup
    assert int(setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), ws.title
    assert ws.print_title_rows == rows, ws.title
    assert ws.oddHeader.center.text == title
    assert ws.oddFooter.center.text == "Trang &P/&N"
    if landscape is not None:
        assert setup.orientation == ("landscape" if landscape else "portrait")


# --- every workbook prints well ------------------------------------------------------------------


def test_blank_workbook_prints_each_sheet_one_page_wide_with_its_title(tmp_path: Path) -> None:
    path = tmp_path / "trong.xlsx"
    assert run_cli("new-input", "-o", path).returncode == 0
    wb = openpyxl.load_workbook(path)
    form = find_form()
    assert_prints_well(wb[layout.INFO_SHEET], f"{layout.INFO_SHEET}: {form.title}", "$3:$3")
    assert_prints_well(wb[layout.TEXT_SHEET], f"{layout.TEXT_SHEET}: {form.title}", "$3:$3")
    for table in form.tables:
        ws = wb[table.sheet]
        assert_prints_well(ws, f"{table.sheet}: {table.title}", "$1:$1", landscape=True)
        assert ws.print_area == (f"'{table.sheet}'!$A$1:$F${layout.TABLE_FIRST_ROW + len(table.rows) - 1}")


def test_a_typed_table_prints_with_its_multi_level_header(tmp_path: Path) -> None:
    path = tmp_path / "hai_duong.xlsx"
    assert run_cli("new-input", "--form", "hai_duong_2023", "-o", path).returncode == 0
    ws = openpyxl.load_workbook(path)["Hồ sơ theo lĩnh vực"]
    assert_prints_well(ws, "Kết quả tiếp nhận, giải quyết hồ sơ TTHC theo lĩnh vực", "$1:$3", landscape=True)


def test_city_workbook_repeats_the_row_labels_on_each_page(tmp_path: Path) -> None:
    path = tmp_path / "thanh_pho.xlsx"
    assert run_cli("new-input", "--province", "Lai Châu", "--city", "-o", path).returncode == 0
    ws = openpyxl.load_workbook(path)["Biểu mẫu 3"]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.orientation == "landscape"
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (7, 0)  # 38 communes, 6 a page
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$C"
    assert ws.oddHeader.center.text.startswith("Biểu mẫu 3: ")


def test_info_workbook_is_printable_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "tt.xlsx"
    done = run_cli("new-input", "--roll-up-info", "-o", path)
    assert done.returncode == 0 and "--roll-up-info" in done.stdout
    ws = openpyxl.load_workbook(path).active
    assert [ws.cell(row=r, column=1).value for r in range(3, 9)] == INFO_LABELS
    assert_prints_well(ws, "Thông tin báo cáo tổng hợp", "$2:$2")
    assert run_cli("new-input", "--roll-up-info", "-o", path).returncode == 1  # no overwrite without --force


def test_bad_info_is_refused_with_the_field_named(tmp_path: Path, three: list[Path]) -> None:
    info = tmp_path / "info.yaml"
    info.write_text("Ngày ký: 31/2/2026\n", encoding="utf-8")
    done = run_cli(three[0], "-o", tmp_path / "out", "--roll-up-info", info)
    assert done.returncode == 1
    assert "info.yaml: Ngày ký: “31/2/2026” không phải ngày có thật." in done.stderr
    info.write_text("Người kí: A\n", encoding="utf-8")
    done = run_cli(three[0], "-o", tmp_path / "out", "--roll-up-info", info)
    assert "“Người kí” không phải mục của thông tin báo cáo tổng hợp" in done.stderr
    assert not (tmp_path / "out").exists()  # checked before anything is written


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["Ngày ký", "Thẩm quyền ký", "Người ký", "x"]), st.text(max_size=20)))
def test_any_typed_info_is_read_or_refused_in_vietnamese(fields: dict[str, str]) -> None:
    try:
        info = rollup_info_from_fields(fields)
    except RollupInfoError as e:
        assert str(e).split(":")[0] in ("Ngày ký", "Thẩm quyền ký") or "không phải mục" in str(e)
    else:
        assert info.signing_mode in ("", "KT.", "TM.")


# --- the web page ---------------------------------------------------------------------------------


def test_web_page_fields_give_the_same_header(three: list[Path], tmp_path: Path) -> None:
    import io

    from baocao.web.jobs import Limits
    from tests.test_web import fetch, serve

    files = [(p.name, p.read_bytes()) for p in three]
    fields = {
        "so_van_ban": "7",
        "ngay_ky": "05/01/2027",
        "tham_quyen_ky": "",
        "chuc_vu": "",
        "nguoi_ky": "Lê Văn Cường",
        "noi_nhan": "UBND thành phố\r\nLưu: VT",
    }
    for site in serve(Limits(max_files=6), tmp_path):
        refused = site.upload(files, **{**fields, "ngay_ky": "32/1/2027"})
        assert refused.status == 400
        assert "Thông tin của báo cáo tổng hợp: Ngày ký: “32/1/2027” không phải ngày có thật." in refused.text
        _, page = site.run(files, **fields)
        document = docx.Document(io.BytesIO(fetch(site.links(page)[f"{STEM}.docx"]).body))
    number, date = document.tables[0].rows[1].cells
    assert (number.text, date.text) == ("Số: 07/BC-SNV", "Hải Phòng, ngày 05 tháng 01 năm 2027")
    left, right = signature_table(document).rows[0].cells
    assert [p.text for p in right.paragraphs if p.text.strip()] == ["GIÁM ĐỐC", "Lê Văn Cường"]
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- UBND thành phố;", "- Lưu: VT."]
