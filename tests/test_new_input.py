"""`new-input` writes a workbook a clerk can fill; filled and run, it produces a report."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import docx
import openpyxl

from baocao import layout
from baocao.communes import Commune
from baocao.form import find_form
from baocao.workbook.blank import blank_workbook, commune_workbooks
from tests.conftest import appendix_rows, paragraphs, run_cli


def new_input(tmp_path: Path) -> Path:
    path = tmp_path / "nhap_lieu.xlsx"
    done = run_cli("new-input", "-o", path)
    assert done.returncode == 0, done.stderr
    assert "Đã tạo" in done.stdout
    return path


def rows_by_stt(ws) -> dict[str, int]:
    return {
        str(ws.cell(row=r, column=1).value): r
        for r in range(layout.TABLE_FIRST_ROW, ws.max_row + 1)
        if ws.cell(row=r, column=1).value
    }


def test_blank_workbook_is_laid_out_like_the_form(tmp_path: Path) -> None:
    form = find_form()
    wb = openpyxl.load_workbook(new_input(tmp_path))
    assert wb.sheetnames[:1] == ["Thông tin chung"]
    assert [t.sheet for t in form.tables] == [f"Biểu mẫu {i}" for i in range(1, 8)]
    for table in form.tables:
        ws = wb[table.sheet]
        header = [ws.cell(row=layout.TABLE_HEADER_ROW, column=c).value for c in range(1, 6)]
        assert header == ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]
        assert ws.protection.sheet is True
        assert not ws.protection.password
        for i, row in enumerate(table.rows):
            r = layout.TABLE_FIRST_ROW + i
            assert (ws.cell(row=r, column=1).value or "") == row.stt
            assert str(ws.cell(row=r, column=2).value).startswith(row.label)
            value = ws.cell(row=r, column=4)
            if row.is_computed:
                assert str(value.value).startswith("="), row.id
                assert value.protection.locked
                assert value.fill.fgColor.rgb.endswith("D9D9D9")
            elif row.is_input:
                assert value.value is None
                assert not value.protection.locked
    assert wb["Nội dung"].protection.sheet is True
    assert wb[layout.MARK_SHEET].sheet_state == "veryHidden"
    assert wb[layout.MARK_SHEET]["B1"].value == form.id
    assert wb[layout.MARK_SHEET]["B2"].value == form.version


def test_rate_formulas_guard_against_zero_and_round_half_up(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(new_input(tmp_path))["Biểu mẫu 1"]
    rows = rows_by_stt(ws)
    formula = ws.cell(row=rows["2."], column=4).value
    assert formula == f'=IF(N(D{rows["2.1."]})=0,"-",ROUND(N(D{rows["2.2."]})/D{rows["2.1."]}*100,1))'


def test_input_cells_have_data_validation(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(new_input(tmp_path))
    ws = wb["Biểu mẫu 1"]
    rows = rows_by_stt(ws)
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    count = validations[f"D{rows['2.1.']}"]
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    coded = validations[f"D{rows['4.3.']}"]
    assert (coded.type, coded.formula1, coded.formula2) == ("whole", "0", "2")
    info = wb["Thông tin chung"]
    lists = [dv for dv in info.data_validations.dataValidation if dv.type == "list"]
    assert any("6 tháng" in dv.formula1 for dv in lists)


def test_filled_blank_workbook_produces_a_report_and_is_not_modified(tmp_path: Path) -> None:
    path = new_input(tmp_path)
    wb = openpyxl.load_workbook(path)
    info = wb["Thông tin chung"]
    typed = {
        "Tỉnh/thành phố": "Thành phố Hải Phòng",
        "Loại đơn vị": "Xã",
        "Tên đơn vị": "Nam Thanh Miện",
        "Kỳ báo cáo": "Năm",
        "Năm báo cáo": 2025,
        "Số văn bản": "5",
        "Ngày ký": dt.datetime(2025, 12, 16),
        "Văn bản căn cứ": "Công văn số 2237/UBND-NVKTGS ngày 27/8/2025 của UBND thành phố Hải Phòng",
        "Người ký": "Vũ Văn Nguyễn",
        "Nơi nhận": "- UBND Thành phố;\n- Lưu: VT, VHXH.",
    }
    for r in range(layout.INFO_FIRST_ROW, info.max_row + 1):
        label = info.cell(row=r, column=1).value
        if label in typed:
            info.cell(row=r, column=2).value = typed[label]
    ws = wb["Biểu mẫu 7"]
    rows = rows_by_stt(ws)
    ws.cell(row=rows["1.3.1."], column=4).value = 835
    ws.cell(row=rows["1.3.2."], column=4).value = "364"  # typed as text, as clerks do
    ws.cell(row=rows["1.3.1."], column=5).value = "11 tháng"
    wb["Nội dung"].cell(row=layout.TEXT_FIRST_ROW + 8, column=2).value = "Hạ tầng mạng còn yếu.\nThiếu máy quét."
    filled = tmp_path / "da_nhap.xlsx"
    wb.save(filled)
    before = hashlib.sha256(filled.read_bytes()).hexdigest()

    out = tmp_path / "out"
    done = run_cli(filled, "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1/1 báo cáo; 0 đơn vị lỗi" in done.stdout
    assert hashlib.sha256(filled.read_bytes()).hexdigest() == before
    report = out / "nam-thanh-mien_xa_bao-cao-cchc_nam-2025.docx"
    document = docx.Document(report)
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert "Số: 05/BC-UBND" in header[0]
    assert "Nam Thanh Miện, ngày 16 tháng 12 năm 2025" in header[1]
    rows7 = {r[0]: r for r in appendix_rows(document)["Biểu mẫu 7"]}
    assert rows7["1.3."][3] == "43,6%"
    assert rows7["1.3.2."][3] == "364"
    assert rows7["1.3.1."][4] == "11 tháng"
    body = paragraphs(document)
    assert "- Hạ tầng mạng còn yếu." in body
    assert "- Thiếu máy quét." in body


def test_new_input_refuses_to_overwrite(tmp_path: Path) -> None:
    path = new_input(tmp_path)
    done = run_cli("new-input", "-o", path)
    assert done.returncode != 0
    assert "đã có" in done.stderr


def _cells(data: bytes) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def _validations(data: bytes) -> list[tuple[str, str, str]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [(ws.title, str(v.sqref), v.formula1 or "") for ws in wb for v in ws.data_validations.dataValidation]


def test_commune_workbooks_equal_a_workbook_written_for_each_commune() -> None:
    """The per-commune workbooks come from one template with the names swapped in (bench_blank.py):
    every cell and every data validation is what writing each workbook would give, names with & and < too."""
    form = find_form()
    communes = (
        Commune(sort_key="a", code=1, unit_type="Xã", name="Bum Nưa", province="Lai Châu"),
        Commune(sort_key="b", code=2, unit_type="Phường", name="A & B <C> “D”", province="Tỉnh Thử & Nghiệm"),
    )
    made = dict(commune_workbooks(form, communes))
    assert list(made) == ["xa-bum-nua.xlsx", "phuong-a-b-c-d.xlsx"]
    for c, data in zip(communes, made.values(), strict=True):
        each = blank_workbook(form, {"info": {"province": c.province, "unit_type": c.unit_type, "unit_name": c.name}})
        assert _cells(data) == _cells(each)
        assert _validations(data) == _validations(each)
    info = openpyxl.load_workbook(io.BytesIO(made["phuong-a-b-c-d.xlsx"]))["Thông tin chung"]
    assert {"A & B <C> “D”", "Tỉnh Thử & Nghiệm", "Phường"} <= {c.value for row in info.iter_rows() for c in row}


def test_blank_workbook_text_is_utf8_and_reads_back_exactly(tmp_path: Path) -> None:
    """Blank workbooks keep Vietnamese letters as UTF-8 (not character references), while markup and
    whitespace stay escaped: any text typed into them reads back as it was (hypothesis)."""
    import zipfile

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from baocao.parse import cell_text
    from baocao.read import read_workbook
    from baocao.workbook.blank import write_blank_workbook
    from baocao.xmltext import NOT_XML

    form = find_form("hai_phong_2025")
    key = form.narrative[0].key
    # any text, less what no workbook can hold (removed on reading, with a warning: tests/test_write_safety.py)
    texts = st.text(min_size=1, max_size=60).map(lambda t: NOT_XML.sub("", t).strip())

    @settings(max_examples=25, deadline=None)
    @given(text=texts.filter(bool))
    def round_trip(text: str) -> None:
        path = write_blank_workbook(form, tmp_path / "a.xlsx", {"text": {key: f"Đánh giá <&>\"' {text}"}})
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert all(b"&#7" not in s for s in sheets)  # "ạ", "ố", …: written as UTF-8
        typed = f"Đánh giá <&>\"' {text}"
        assert read_workbook(path).text[key] == cell_text(typed.replace("\r\n", "\n").replace("\r", "\n"))

    round_trip()
