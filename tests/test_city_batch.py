"""City workbooks that go wrong, through the CLI: each commune column fails alone, the city file's
shared fields (Thông tin chung) are reported once, a city workbook that cannot be split at all is one
error for that file, and the other inputs still get their reports; inputs stay byte-identical."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao import layout
from baocao.communes import communes_of
from baocao.form import find_form
from baocao.stages import Hold
from tests.conftest import ROOT, appendix_rows, run_cli

PROVINCE = "Lai Châu"
STEM = "tong-hop_tinh-lai-chau_6-thang-dau-nam-2026"
SHARED = {
    "Kỳ báo cáo": "6 tháng",
    "Năm báo cáo": 2026,
    "Văn bản căn cứ": "Công văn số 12/SNV-CCHC",
    "Nơi nhận": "Sở Nội vụ\nLưu: VT",
    "Người ký": "Chủ tịch UBND@@FFFE@@",
}
BAD_CHAR = "\ufffe"


def filled_city(path: Path, shared: dict | None = None) -> Path:
    """A city workbook of Lai Châu, every column filled with the Nhị Chiểu sample's figures."""
    assert run_cli("new-input", "--province", PROVINCE, "--city", "-o", path).returncode == 0
    sample = yaml.safe_load((ROOT / "tools" / "samples" / "nhi_chieu_2026_6thang.yaml").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    info = wb["Thông tin chung"]
    fields = SHARED if shared is None else shared
    for r in range(layout.INFO_FIRST_ROW, info.max_row + 1):
        if info.cell(row=r, column=1).value in fields:
            info.cell(row=r, column=2).value = fields[info.cell(row=r, column=1).value]
    for table in find_form().tables:
        ws = wb[table.sheet]
        for i, row in enumerate(table.rows):
            if row.is_input:
                for k in range(38):
                    ws.cell(row=layout.TABLE_FIRST_ROW + i, column=4 + k).value = sample["values"].get(row.id)
    wb.save(path)
    return path


def with_bad_characters(path: Path) -> Path:
    """Put U+FFFE where the markers are (openpyxl refuses to write it; Excel files can hold it)."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            out.writestr(info, data.replace(b"@@FFFE@@", BAD_CHAR.encode("utf-8")))
    return path


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.xlsx"))}


@pytest.fixture(scope="module")
def bad_cities(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two Lai Châu demo workbooks beside a city workbook without Biểu mẫu 3 and one of an unknown form."""
    data = tmp_path_factory.mktemp("bad_cities")
    assert run_cli("demo-data", "--communes", "2", "--province", PROVINCE, "-o", data).returncode == 0
    base = filled_city(data / "base.xlsx")
    wb = openpyxl.load_workbook(base)
    del wb["Biểu mẫu 3"]
    wb.save(data / "thieu_trang.xlsx")
    wb = openpyxl.load_workbook(base)
    mark = wb[layout.MARK_SHEET]
    next(row for row in mark.iter_rows() if row[0].value == "form_id")[1].value = "khong_co"
    wb.save(data / "bieu_mau_la.xlsx")
    base.unlink()
    return data


MISSING_SHEET = (
    "thieu_trang.xlsx: bảng tính chung không có trang “Biểu mẫu 3” (bị xóa hoặc đổi tên): không tách được số liệu "
    "của đơn vị nào. Hãy chép số liệu sang bảng tính chung mới (python generate.py new-input)."
)
UNKNOWN_FORM = (
    "bieu_mau_la.xlsx: bảng tính chung thuộc biểu mẫu “khong_co”, chưa được cài. Các biểu mẫu đã cài: "
    "hai_duong_2023, hai_phong_2025. Hãy dùng bảng tính chung của biểu mẫu đúng (python generate.py new-input)."
)


def test_a_city_that_cannot_be_split_is_one_error_and_the_others_go_on(bad_cities: Path, tmp_path: Path) -> None:
    before = digests(bad_cities)
    out = tmp_path / "out"
    done = run_cli(bad_cities, "-o", out, "--province", PROVINCE)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = done.stderr.splitlines()
    assert f"  ✗ {MISSING_SHEET}" in errors and f"  ✗ {UNKNOWN_FORM}" in errors
    assert done.stdout.splitlines()[-1] == "2/4 báo cáo; 2 đơn vị lỗi; 36 thiếu"
    assert len(list(out.glob("*_bao-cao-cchc_*.docx"))) == 2
    assert (out / f"{STEM}.docx").is_file() and (out / "tong_hop.xlsx").is_file()
    assert digests(bad_cities) == before


def test_check_of_a_city_that_cannot_be_split(bad_cities: Path) -> None:
    done = run_cli("check", bad_cities / "thieu_trang.xlsx", bad_cities / "bieu_mau_la.xlsx")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"  ✗ {MISSING_SHEET}", f"  ✗ {UNKNOWN_FORM}"]
    assert done.stdout.splitlines()[-1] == "0/2 bảng tính đạt yêu cầu."


@pytest.fixture(scope="module")
def bad_columns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A filled city workbook where column E has U+FFFE in a figure, column F names no commune, column
    G has no name, and the shared Người ký has U+FFFE."""
    data = tmp_path_factory.mktemp("bad_columns")
    city = filled_city(data / "thanh_pho.xlsx")
    wb = openpyxl.load_workbook(city)
    wb["Biểu mẫu 1"]["E2"].value = "1@@FFFE@@2"
    wb["Biểu mẫu 1"]["F1"].value = "Xã Không Tồn Tại"
    wb["Biểu mẫu 1"]["G1"].value = None  # a name deleted: the columns after it still count
    wb.save(city)
    with_bad_characters(city)
    return data


def test_each_column_fails_alone_and_shared_fields_are_reported_once(bad_columns: Path, tmp_path: Path) -> None:
    before = digests(bad_columns)
    out = tmp_path / "out"
    done = run_cli(bad_columns, "-o", out)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    shared = (
        "    [Cảnh báo] Thông tin chung!B21 (Người ký): đã bỏ 1 ký tự không hợp lệ (U+FFFE) khỏi nội dung ô. "
        "Kiểm tra lại nội dung ô này."
    )
    assert lines[:2] == ["• thanh_pho.xlsx (Thông tin chung, chung cho 38 đơn vị)", shared]
    assert done.stdout.count("Thông tin chung!B21") == 1  # once, not once per commune
    second = communes_of(PROVINCE)[1]
    assert (
        f"    [Cảnh báo] Biểu mẫu 1!E2 ({second.unit_type} {second.name}: 1. Số văn bản chỉ đạo CCHC đã ban hành): "
        "đã bỏ 1 ký tự không hợp lệ (U+FFFE) khỏi nội dung ô. Kiểm tra lại nội dung ô này."
    ) in lines
    assert (
        "    [LỖI] Biểu mẫu 1!F1 (Xã Không Tồn Tại: Tên đơn vị): “Xã Không Tồn Tại” không có trong danh sách xã, "
        "phường, đặc khu của tỉnh Lai Châu: không tổng hợp đơn vị này. Hãy ghi đúng tên chính thức."
    ) in lines
    assert "  ✗ thanh_pho.xlsx, cột F (Xã Không Tồn Tại): có 1 lỗi, chưa lập được báo cáo." in done.stderr.splitlines()
    assert (
        "  ✗ thanh_pho.xlsx, cột G: cột G chưa ghi tên đơn vị ở Biểu mẫu 1!G1: số liệu của cột này không được dùng. "
        "Ghi tên xã, phường vào ô đó, hoặc xoá cột nếu thừa."
    ) in done.stderr.splitlines()
    assert lines[-1] == "36/38 báo cáo; 2 đơn vị lỗi; 2 thiếu"
    reports = sorted(out.glob("*_bao-cao-cchc_*.docx"))
    assert len(reports) == 36
    for report in reports:
        with zipfile.ZipFile(report) as z:
            assert BAD_CHAR.encode("utf-8") not in z.read("word/document.xml")
    rows = {r[0]: r[3] for r in appendix_rows(docx.Document(out / f"{STEM}.docx"))["Biểu mẫu 3"]}
    assert rows["2.1.1."] == f"{9275 * 36:,}".replace(",", ".")  # the unknown and the unnamed are not summed
    assert "ký tự không hợp lệ (U+FFFE)" in (out / "thanh-pho.kiem-tra.txt").read_text(encoding="utf-8")
    assert digests(bad_columns) == before


def test_a_half_filled_city_repeats_no_shared_error(tmp_path: Path) -> None:
    city = tmp_path / "thanh_pho.xlsx"
    assert run_cli("new-input", "--province", PROVINCE, "--city", "-o", city).returncode == 0
    for command in (("check", city), (city, "-o", tmp_path / "out")):
        done = run_cli(*command)
        assert done.returncode == 1
        assert done.stdout.count("Thông tin chung!B8 (Kỳ báo cáo): chưa nhập.") == 1
        first = communes_of(PROVINCE)[0]
        assert (
            "  ✗ Thông tin chung của thanh_pho.xlsx có 4 lỗi (ghi một lần, chung cho mọi đơn vị của bảng tính): chưa "
            "lập được báo cáo. Sửa Thông tin chung rồi chạy lại."
        ) in done.stderr.splitlines()
        assert f", cột D ({first.unit_type} {first.name})" in done.stdout
    assert done.stdout.splitlines()[-1] == "0/38 báo cáo; 38 đơn vị lỗi; 0 thiếu"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.text(max_size=30),
    figure=st.one_of(st.text(max_size=20), st.integers(-(10**12), 10**12), st.none()),
    signer=st.text(max_size=30),
)
def test_any_text_in_a_city_workbook_is_answered_never_a_crash(
    tmp_path_factory: pytest.TempPathFactory, header: str, figure: object, signer: str
) -> None:
    """Any Unicode (noncharacters, controls, lone surrogates written as they are) in a column's header,
    one of its figures and a shared field: every column is answered, or the city as one error; the batch
    never raises; the input is unchanged; the written reports open."""
    from baocao.batch.city import city_workbook
    from baocao.batch.run import BatchOptions, run_batch

    work = tmp_path_factory.mktemp("any")
    communes = communes_of(PROVINCE)[:3]
    path = work / "thanh_pho.xlsx"
    path.write_bytes(city_workbook(find_form(), communes))
    markers = {"@@H@@": header, "@@F@@": figure, "@@S@@": signer}
    wb = openpyxl.load_workbook(path)
    wb["Biểu mẫu 1"]["E1"].value = "@@H@@"
    wb["Biểu mẫu 1"]["E2"].value = "@@F@@" if isinstance(figure, str) else figure
    info = wb["Thông tin chung"]
    for r in range(layout.INFO_FIRST_ROW, info.max_row + 1):
        if info.cell(row=r, column=1).value == "Người ký":
            info.cell(row=r, column=2).value = "@@S@@"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for i, data in entries:
            for marker, text in markers.items():
                if isinstance(text, str):
                    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    data = data.replace(marker.encode(), escaped.encode("utf-8", "surrogatepass"))
            out.writestr(i, data)
    before = path.read_bytes()
    result = run_batch([path], work / "out", BatchOptions(workers=1))
    assert path.read_bytes() == before
    whole = [c for c in result.checked if c.source == path]
    columns = sorted(re.search(r", cột ([A-Z]+)", c.origin).group(1) for c in result.checked if c.origin)
    assert (len(whole) == 1 and whole[0].is_held(Hold.UNREADABLE) and not columns) or (
        not whole and columns == ["D", "E", "F"]
    )
    assert result.written == sum(c.written for c in result.checked)
    for c in result.checked:
        if c.written:
            docx.Document(str(c.docx))


def test_the_quick_city_test_never_misses_a_city(tmp_path: Path) -> None:
    """is_city_workbook first looks at the raw mark sheet and shared strings: a commune workbook is
    answered from them, a city workbook still is one, also when its mark's text is written as
    character references (which the raw bytes do not show)."""
    from baocao.batch.city import is_city_workbook

    city = tmp_path / "city.xlsx"
    assert run_cli("new-input", "--province", PROVINCE, "--city", "-o", city).returncode == 0
    commune = tmp_path / "commune.xlsx"
    assert run_cli("new-input", "-o", commune).returncode == 0
    assert is_city_workbook(city) and not is_city_workbook(commune)
    spelled = tmp_path / "spelled.xlsx"
    with zipfile.ZipFile(city) as source, zipfile.ZipFile(spelled, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml",)) and b">city<" in data:
                data = data.replace(b">city<", b">&#99;ity<")
            target.writestr(info, data)
    with zipfile.ZipFile(spelled) as z:
        assert not any(b">city<" in z.read(n) for n in z.namelist())
    assert is_city_workbook(spelled)
