"""A whole province through the batch: every commune's report, the roll-up, tong_hop.xlsx, the zip.

Lai Châu (38 communes, the smallest province) is made with demo-data; one commune's workbook is
removed (missing), one gets a contradiction (error). The consolidated figures are recomputed here
by hand from the input workbooks.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from baocao import layout
from baocao.communes import communes_of
from tests.conftest import appendix_rows, paragraphs, run_cli

PROVINCE = "Lai Châu"
STEM = "tong-hop_tinh-lai-chau_6-thang-dau-nam-2026"


def set_value(path: Path, sheet: str, stt: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row = next(r for r in range(layout.TABLE_FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value == stt)
    ws.cell(row=row, column=layout.VALUE_COL).value = value
    wb.save(path)


def inputs_of(path: Path) -> dict[tuple[str, str], Decimal]:
    """(sheet, STT) → typed number, read straight from the workbook."""
    wb = openpyxl.load_workbook(path)
    found = {}
    for sheet in (f"Biểu mẫu {i}" for i in range(1, 8)):
        ws = wb[sheet]
        for r in range(layout.TABLE_FIRST_ROW, ws.max_row + 1):
            value = ws.cell(row=r, column=layout.VALUE_COL).value
            if isinstance(value, int | float):
                found[(sheet, ws.cell(row=r, column=1).value or "")] = Decimal(str(value))
    return found


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("batch")
    data = base / "lai_chau"
    done = run_cli("demo-data", "--communes", "38", "--province", PROVINCE, "-o", data)
    assert done.returncode == 0, done.stderr
    files = sorted(data.glob("*.xlsx"))
    assert len(files) == 38
    missing = files[5]
    missing.unlink()
    broken = files[10]
    set_value(broken, "Biểu mẫu 1", "4.1.2.", 999)  # more tasks done late than assigned
    runs = {}
    for workers in ("1", "2"):
        out = base / f"out{workers}"
        runs[workers] = (run_cli(data, "-o", out, "--province", PROVINCE, "--workers", workers), out)
    return {"data": data, "missing": missing, "broken": broken, "runs": runs}


def test_every_output_is_written_and_the_summary_says_so(province) -> None:
    done, out = province["runs"]["2"]
    assert done.returncode == 1  # one commune failed
    assert done.stdout.strip().splitlines()[-1] == "36/37 báo cáo; 1 đơn vị lỗi; 1 thiếu"
    reports = sorted(p.name for p in out.glob("*_bao-cao-cchc_*.docx"))
    assert len(reports) == 36
    assert reports == sorted(reports, key=lambda n: n.split("_")[0])  # names sort by commune name
    assert all(name.isascii() for name in reports)
    for name in (f"{STEM}.docx", "tong_hop.xlsx", f"{STEM}.zip", f"{province['broken'].stem}.kiem-tra.txt"):
        assert (out / name).is_file(), name
    missing = next(c for c in communes_of(PROVINCE) if c.file_stem == province["missing"].stem)
    assert f"Chưa gửi bảng tính (1): {missing.full}" in done.stdout
    assert "Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn)" in done.stdout


def test_consolidated_figures_are_sums_and_recomputed_rates(province) -> None:
    _, out = province["runs"]["2"]
    included = [p for p in sorted(province["data"].glob("*.xlsx")) if p != province["broken"]]
    assert len(included) == 36
    totals: dict[tuple[str, str], Decimal] = {}
    for path in included:
        for key, value in inputs_of(path).items():
            totals[key] = totals.get(key, Decimal(0)) + value

    def rate(sheet: str, num: str, den: str) -> str:
        value = (totals[(sheet, num)] * 100 / totals[(sheet, den)]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return f"{value}".replace(".", ",") + "%"

    def count(sheet: str, stt: str) -> str:
        return f"{int(totals[(sheet, stt)]):,}".replace(",", ".")

    document = docx.Document(out / f"{STEM}.docx")
    tables = appendix_rows(document)
    bm3 = {r[0]: r[3] for r in tables["Biểu mẫu 3"]}
    assert bm3["2.1.1."] == count("Biểu mẫu 3", "2.1.1.")
    assert bm3["2.1."] == rate("Biểu mẫu 3", "2.1.2.", "2.1.1.")
    bm7 = {r[0]: r[3] for r in tables["Biểu mẫu 7"]}
    assert bm7["1.3."] == rate("Biểu mẫu 7", "1.3.2.", "1.3.1.")
    assert bm7["1.5.1."] == count("Biểu mẫu 7", "1.5.1.")
    bm1 = {r[0]: r[3] for r in tables["Biểu mẫu 1"]}
    dialogues = sum(inputs_of(p)[("Biểu mẫu 1", "5.")] == 1 for p in included)
    assert bm1["5."] == f"{dialogues}/36 đơn vị"
    assert bm1["2."] == rate("Biểu mẫu 1", "2.2.", "2.1.")
    body = "\n".join(paragraphs(document))
    assert "của 36/38 xã, phường trên địa bàn tỉnh Lai Châu" in body
    assert f"đạt {bm3['2.1.']}" in body


def test_tong_hop_has_one_row_per_commune_with_status(province) -> None:
    _, out = province["runs"]["2"]
    ws = openpyxl.load_workbook(out / "tong_hop.xlsx")["Đơn vị"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(rows) == 38
    statuses = [r[2] for r in rows]
    assert statuses.count("đủ") == 36 and statuses.count("lỗi") == 1 and statuses.count("thiếu") == 1
    broken = next(r for r in rows if r[2] == "lỗi")
    assert broken[3] == 1 and broken[-2] == province["broken"].name
    assert "vượt Tổng số nhiệm vụ được giao" in broken[-1]
    ok = next(r for r in rows if r[2] == "đủ")
    assert all(isinstance(v, int | float) for v in ok[5:11]), ok
    assert ws.conditional_formatting  # low rates highlighted


def test_zip_holds_every_output(province) -> None:
    _, out = province["runs"]["2"]
    with zipfile.ZipFile(out / f"{STEM}.zip") as z:
        names = set(z.namelist())
    expected = {p.name for p in out.iterdir() if p.is_file() and not p.name.endswith(".zip")}
    assert names == expected


def test_parallel_and_serial_runs_give_the_same_documents(province) -> None:
    (serial, out1), (parallel, out2) = province["runs"]["1"], province["runs"]["2"]
    assert serial.stdout == parallel.stdout.replace(str(out2), str(out1))
    for report in sorted(out1.glob("*_bao-cao-cchc_*.docx")):
        assert report.read_bytes() == (out2 / report.name).read_bytes(), report.name

    def document_xml(path: Path) -> bytes:
        with zipfile.ZipFile(path) as z:
            return z.read("word/document.xml")

    assert document_xml(out1 / f"{STEM}.docx") == document_xml(out2 / f"{STEM}.docx")


def test_other_province_is_reported_and_a_copy_replaced_not_merged(province, tmp_path: Path) -> None:
    data = tmp_path / "in"
    shutil.copytree(province["data"], data)
    first = sorted(data.glob("*.xlsx"))[0]
    shutil.copy(first, data / "ban_sao.xlsx")
    done = run_cli(data / "ban_sao.xlsx", first, "-o", tmp_path / "out", "--province", "Hải Phòng")
    assert done.returncode == 1
    assert "bảng tính của Lai Châu, không thuộc Thành phố Hải Phòng: không đưa vào tổng hợp." in done.stderr
    os.utime(data / "ban_sao.xlsx", (2_000_000_000, 2_000_000_000))  # same saved time inside: the file's decides
    done = run_cli(data, "-o", tmp_path / "out2", "--province", PROVINCE)
    commune = next(c for c in communes_of(PROVINCE) if c.file_stem == first.stem)
    assert f"có 2 bảng tính của {commune.full} cùng kỳ (ban_sao.xlsx, {first.name}): dùng bảng tính này" in done.stdout
    assert f"không dùng bảng tính này: {commune.full} đã có bảng tính lưu sau (ban_sao.xlsx, " in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "36/37 báo cáo; 1 đơn vị lỗi; 1 thiếu"  # the copy is no unit


def test_consolidated_document_is_a_real_docx(province) -> None:
    _, out = province["runs"]["2"]
    data = (out / f"{STEM}.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    assert any(p.text.startswith("Biểu đồ 1: Tỷ lệ hồ sơ đúng hạn") for p in document.paragraphs)
    assert document.inline_shapes  # the chart (a native Word chart, tests/test_rollup.py)


def test_city_workbook_with_one_column_per_commune(tmp_path: Path) -> None:
    """The layout a city circulates: one workbook, one column of figures per commune."""
    city = tmp_path / "so_lieu_lai_chau.xlsx"
    done = run_cli("new-input", "--province", PROVINCE, "--city", "-o", city)
    assert done.returncode == 0, done.stderr
    assert "bảng tính chung của 38 đơn vị" in done.stdout
    import yaml

    from baocao.form import find_form
    from tests.conftest import ROOT

    sample = yaml.safe_load((ROOT / "tools" / "samples" / "nhi_chieu_2026_6thang.yaml").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(city)
    info = wb["Thông tin chung"]
    shared = {
        "Kỳ báo cáo": "6 tháng",
        "Năm báo cáo": 2026,
        "Văn bản căn cứ": "Công văn số 12/SNV-CCHC",
        "Nơi nhận": "Sở Nội vụ\nLưu: VT",
        "Người ký": "Chủ tịch UBND",
    }
    for r in range(layout.INFO_FIRST_ROW, info.max_row + 1):
        if info.cell(row=r, column=1).value in shared:
            info.cell(row=r, column=2).value = shared[info.cell(row=r, column=1).value]
    for table in find_form().tables:
        ws = wb[table.sheet]
        for i, row in enumerate(table.rows):
            if row.is_input:
                for k in range(38):
                    ws.cell(row=layout.TABLE_FIRST_ROW + i, column=4 + k).value = sample["values"].get(row.id)
    wb["Biểu mẫu 1"].cell(row=14, column=6).value = 99  # column F, the third commune: 4.1.2 too many
    wb.save(city)
    third = communes_of(PROVINCE)[2]
    done = run_cli(city, "-o", tmp_path / "out")
    assert done.returncode == 1
    assert done.stdout.strip().splitlines()[-1] == "37/38 báo cáo; 1 đơn vị lỗi; 0 thiếu"
    assert (
        f"    [LỖI] Biểu mẫu 1!F14 ({third.unit_type} {third.name}: 4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn): "
        "28 (F13) + 99 (F14) = 127 nhiệm vụ, vượt Tổng số nhiệm vụ được giao (38) ở F12. Kiểm tra lại số liệu."
    ) in done.stdout
    assert f"• so_lieu_lai_chau.xlsx, cột F ({third.unit_type} {third.name})" in done.stdout
    assert len(list((tmp_path / "out").glob("*_bao-cao-cchc_*.docx"))) == 37
    assert (tmp_path / "out" / f"{STEM}.docx").is_file()
    rows = {r[0]: r[3] for r in appendix_rows(docx.Document(tmp_path / "out" / f"{STEM}.docx"))["Biểu mẫu 3"]}
    assert rows["2.1.1."] == f"{9275 * 37:,}".replace(",", ".")  # 37 communes × 9.275 hồ sơ, summed


def test_a_roll_up_that_cannot_be_written_fails_the_run(tmp_path: Path) -> None:
    """Every commune's report is written, but tong_hop.xlsx cannot be (a folder has its name): the run
    says so with ✗ and exits 1, not 0 as when only the reports counted."""
    data = tmp_path / "in"
    assert run_cli("demo-data", "--communes", "3", "--province", PROVINCE, "-o", data).returncode == 0
    out = tmp_path / "out"
    (out / "tong_hop.xlsx").mkdir(parents=True)
    done = run_cli(data, "-o", out)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("✗ Tổng hợp ")]
    assert len(notes) == 1 and "tong_hop.xlsx" in notes[0], done.stderr
    assert done.stdout.splitlines()[-1] == "3/3 báo cáo; 0 đơn vị lỗi; 35 thiếu"  # 38 communes
    reports = sorted(out.glob("*_bao-cao-cchc_*.docx"))
    assert len(reports) == 3
    text = " ".join(paragraphs(docx.Document(reports[0])))
    assert "báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính 6 tháng đầu năm 2026" in text
    assert (out / "tong_hop.xlsx").is_dir()
    assert "tong_hop.xlsx" not in {p.name for p in out.iterdir() if p.is_file()}
