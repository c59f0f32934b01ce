"""The consolidated report of a Sở through the CLI: its own header and signer (`--roll-up-info`), the
draft when they are blank, Phụ lục I/II, the missing units named once, native Word charts, a
tong_hop.xlsx an officer can sort and print (the other workbooks: tests/test_print_setup.py).

44 Hải Phòng communes are made with demo-data: one workbook is removed (missing), one gets a
contradiction (error), one has no full-online files and no fee procedures (rates without value).
Expected rates are recomputed here from the input workbooks.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree

from baocao import layout
from baocao.communes import communes_of
from baocao.form import find_form
from baocao.write import convert_to_pdf
from tests.conftest import run_cli, typed_values
from tests.test_print_setup import assert_prints_well

PROVINCE = "Hải Phòng"
STEM = "tong-hop_thanh-pho-hai-phong_6-thang-dau-nam-2026"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
INFO = {
    "Số văn bản": "215",
    "Ngày ký": "18/6/2026",
    "Thẩm quyền ký": "KT.",
    "Chức vụ người ký": "Phó Giám đốc",
    "Người ký": "Trần Thị Bình",
    "Nơi nhận": "UBND thành phố (để báo cáo)\nBộ Nội vụ (Vụ Cải cách hành chính)\nLưu: VT, CCHC",
}


typed = cache(typed_values)  # the input workbooks, each read once


def set_values(path: Path, sheet: str, values: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for r in range(layout.TABLE_FIRST_ROW, ws.max_row + 1):
        stt = ws.cell(row=r, column=1).value
        if stt in values:
            ws.cell(row=r, column=layout.VALUE_COL).value = values[stt]
    wb.save(path)


def unit_name(path: Path) -> str:
    """'Xã An Hưng', from the workbook's Thông tin chung."""
    info = typed(path)
    return f"{info[(layout.INFO_SHEET, 'Loại đơn vị')]} {info[(layout.INFO_SHEET, 'Tên đơn vị')]}"


def rate(path: Path, sheet: str, num: str, den: str) -> Decimal | None:
    values = typed(path)
    if not values[(sheet, den)]:
        return None
    return (Decimal(values[(sheet, num)]) * 100 / Decimal(values[(sheet, den)])).quantize(Decimal("0.1"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("rollup")
    data = base / "data"
    done = run_cli("demo-data", "--communes", "44", "--province", PROVINCE, "-o", data)
    assert done.returncode == 0, done.stderr
    files = sorted(data.glob("*.xlsx"))
    missing, broken, empty = files[3], files[7], files[12]
    missing.unlink()
    set_values(broken, "Biểu mẫu 1", {"4.1.2.": 999})
    set_values(empty, "Biểu mẫu 7", {"1.3.1.": 0, "1.3.2.": 0, "1.5.1.": 0, "1.5.2.": 0})
    info = base / "thong_tin_tong_hop.xlsx"
    made = run_cli("new-input", "--roll-up-info", "-o", info)
    assert made.returncode == 0, made.stderr
    wb = openpyxl.load_workbook(info)
    ws = wb.active
    for r in range(1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value in INFO:
            ws.cell(row=r, column=2).value = INFO[ws.cell(row=r, column=1).value]
    wb.save(info)
    out = base / "out"
    run = run_cli(data, "-o", out, "--province", PROVINCE, "--roll-up-info", info)
    assert run.stdout.strip().splitlines()[-1] == "42/43 báo cáo; 1 đơn vị lỗi; 71 thiếu", run.stdout + run.stderr
    included = [p for p in sorted(data.glob("*.xlsx")) if p != broken]
    return {
        "data": data,
        "out": out,
        "missing": missing,
        "broken": broken,
        "empty": empty,
        "included": included,
        "document": docx.Document(out / f"{STEM}.docx"),
    }


@pytest.fixture(scope="module")
def draft(city, tmp_path_factory) -> docx.document.Document:
    """Three communes, no --roll-up-info: the Sở's fields are left for the văn thư."""
    data = tmp_path_factory.mktemp("draft")
    for path in city["included"][:3]:
        shutil.copy(path, data)
    out = data / "out"
    assert run_cli(data, "-o", out).returncode == 0
    return docx.Document(out / f"{STEM}.docx")


def body_before_annexes(document: docx.document.Document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    return texts[: texts.index("Phụ lục I")]


# --- header and signature ------------------------------------------------------------------------


def test_header_has_the_sos_number_and_date_on_one_line(city) -> None:
    letterhead = city["document"].tables[0]
    assert "SỞ NỘI VỤ" in letterhead.rows[0].cells[0].text and "Số:" not in letterhead.rows[0].cells[0].text
    number, date = letterhead.rows[1].cells  # same table row: "Số" and the date line stand level
    assert number.text == "Số: 215/BC-SNV"
    assert date.text == "Hải Phòng, ngày 18 tháng 6 năm 2026"
    assert date.paragraphs[0].runs[0].italic


def signature_table(document: docx.document.Document) -> docx.table.Table:
    return next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))


def test_signer_and_recipients_come_from_the_info_workbook(city) -> None:
    left, right = signature_table(city["document"]).rows[0].cells
    assert [p.text for p in right.paragraphs if p.text.strip()] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Bình"]
    assert [p.text for p in left.paragraphs] == [
        "Nơi nhận:",
        "- UBND thành phố (để báo cáo);",
        "- Bộ Nội vụ (Vụ Cải cách hành chính);",
        "- Lưu: VT, CCHC.",
    ]


def test_blank_fields_give_the_draft_for_the_van_thu(draft) -> None:
    number, date = draft.tables[0].rows[1].cells
    assert re.fullmatch(r"Số:\s+/BC-SNV", number.text), number.text
    assert re.fullmatch(r"Hải Phòng, ngày\s+tháng\s+năm 2026", date.text), date.text
    left, right = signature_table(draft).rows[0].cells
    assert [p.text for p in right.paragraphs if p.text.strip()] == ["GIÁM ĐỐC"]
    assert left.paragraphs[-1].text == "- Lưu: VT, CCHC."  # the form's nơi nhận
    attached = [p.text for p in draft.paragraphs if p.text.startswith("(Kèm theo Báo cáo số")]
    assert len(attached) == 2 and all(
        re.match(r"\(Kèm theo Báo cáo số\s+/BC-SNV ngày\s+/\s*/2026 ", t) for t in attached
    )


# --- annexes and the missing units ----------------------------------------------------------------


def test_annexes_are_numbered_with_titles(city) -> None:
    texts = [p.text for p in city["document"].paragraphs]
    first, second = texts.index("Phụ lục I"), texts.index("Phụ lục II")
    assert first < second
    assert texts[first + 1] == find_form().appendix.heading
    assert texts[second + 1] == "DANH SÁCH ĐƠN VỊ VÀ MỘT SỐ TỶ LỆ CHỦ YẾU"
    attached = "(Kèm theo Báo cáo số 215/BC-SNV ngày 18/6/2026 của Sở Nội vụ thành phố Hải Phòng)"
    assert texts[second + 2] == attached and attached in texts[first:second]
    assert "PHỤ LỤC TỔNG HỢP" not in texts


def test_missing_units_are_counted_on_page_one_and_named_once_in_their_annex(city) -> None:
    document = city["document"]
    body = "\n".join(body_before_annexes(document))
    assert "- Số đơn vị chưa gửi báo cáo: 71 đơn vị." in body
    assert "- Số đơn vị gửi báo cáo còn lỗi, chưa được tổng hợp: 1 đơn vị." in body
    assert "Tình trạng báo cáo của từng đơn vị tại Phụ lục II kèm theo Báo cáo này." in body
    sent = {unit_name(p).lower() for p in city["data"].glob("*.xlsx")}
    missing = [c.full for c in communes_of(PROVINCE) if c.full.lower() not in sent]
    assert len(missing) == 71
    units = next(t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị")
    names = [row.cells[1].text for row in units.rows[1:]]
    statuses = dict(zip(names, (row.cells[2].text for row in units.rows[1:]), strict=True))
    for name in missing:
        assert names.count(name) == 1 and statuses[name] == "thiếu", name
        assert name not in body
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert not any(name in paragraphs for name in missing)


# --- the native chart -----------------------------------------------------------------------------


def chart_parts(path: Path) -> list[tuple[str, etree._Element]]:
    with zipfile.ZipFile(path) as z:
        names = sorted(
            (n for n in z.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n)),
            key=lambda n: int(re.findall(r"\d+", n)[0]),
        )
        return [(n, etree.fromstring(z.read(n))) for n in names]


def expected_chart(city) -> list[tuple[str, Decimal | None, Decimal | None]]:
    """(name, on-time rate, full-online rate) of the rolled-up communes, highest on-time rate first."""
    rows = [
        (
            unit_name(p),
            rate(p, "Biểu mẫu 3", "2.1.2.", "2.1.1."),
            rate(p, "Biểu mẫu 7", "1.3.2.", "1.3.1."),
        )
        for p in city["included"]
    ]
    return sorted(rows, key=lambda r: (r[1] is None, -(r[1] or 0), r[0]))


def series_values(chart: etree._Element, index: int) -> list[Decimal | None]:
    ser = chart.findall(f".//{C}ser")[index]
    count = int(ser.find(f"{C}val//{C}ptCount").get("val"))
    points = {int(p.get("idx")): Decimal(p.findtext(f"{C}v")) for p in ser.findall(f"{C}val//{C}pt")}
    return [points.get(i) for i in range(count)]


def test_chart_parts_hold_the_communes_and_their_rates(city) -> None:
    path = city["out"] / f"{STEM}.docx"
    charts = chart_parts(path)
    assert len(charts) == 2  # 42 communes, at most 40 a chart: two charts of 21
    expected = expected_chart(city)
    categories, on_time, online = [], [], []
    for _, chart in charts:
        assert chart.find(f".//{C}barDir").get("val") == "bar"
        ser = chart.findall(f".//{C}ser")
        assert [s.findtext(f"{C}tx//{C}v") for s in ser] == ["Hồ sơ đúng hạn", "Hồ sơ trực tuyến toàn trình"]
        names = [v.text for v in ser[0].iterfind(f"{C}cat//{C}pt/{C}v")]
        assert len(names) <= 40
        categories += names
        on_time += series_values(chart, 0)
        online += series_values(chart, 1)
        cat_axis = chart.find(f".//{C}catAx")
        assert cat_axis.find(f"{C}scaling/{C}orientation").get("val") == "maxMin"  # first unit on top
        assert cat_axis.find(f"{C}tickLblSkip").get("val") == "1"  # every label shown
        assert int(cat_axis.find(f".//{A}defRPr").get("sz")) >= 900
        fonts = {e.get("typeface") for e in chart.iter(f"{A}latin")}
        assert fonts == {"Times New Roman"}
    assert categories == [name for name, _, _ in expected]
    assert on_time == [r for _, r, _ in expected]
    assert online == [r for _, _, r in expected]
    assert None in online  # the commune without full-online files has no bar, not a 0
    assert unit_name(city["broken"]) not in categories


def test_chart_is_a_real_part_with_its_embedded_workbook(city) -> None:
    path = city["out"] / f"{STEM}.docx"
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        chart_rels = z.read("word/charts/_rels/chart1.xml.rels").decode()
        target = re.search(r'Target="\.\./(embeddings/[^"]+\.xlsx)"', chart_rels).group(1)
        book = z.read(f"word/{target}")
    assert 'PartName="/word/charts/chart1.xml"' in types and "drawingml.chart+xml" in types
    assert 'Target="charts/chart1.xml"' in rels and "relationships/chart" in rels
    assert "relationships/package" in chart_rels
    import io

    ws = openpyxl.load_workbook(io.BytesIO(book)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    first = expected_chart(city)[:21]
    assert rows[0] == ["Đơn vị", "Hồ sơ đúng hạn", "Hồ sơ trực tuyến toàn trình"]
    assert [r[0] for r in rows[1:]] == [name for name, _, _ in first]
    assert [r[1] for r in rows[1:]] == [float(r) if r is not None else None for _, r, _ in first]
    document = city["document"]
    assert len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs if p.text.startswith("Biểu đồ ")]
    assert captions == [
        "Biểu đồ 1: Tỷ lệ hồ sơ đúng hạn và hồ sơ trực tuyến toàn trình theo đơn vị (%), đơn vị thứ 1–21/42 "
        "theo hồ sơ đúng hạn",
        "Biểu đồ 2: Tỷ lệ hồ sơ đúng hạn và hồ sơ trực tuyến toàn trình theo đơn vị (%), đơn vị thứ 22–42/42 "
        "theo hồ sơ đúng hạn",
    ]


def test_chart_parts_are_schema_valid(city) -> None:
    """openxml-audit (the Open XML SDK validator's rules) finds nothing in the chart parts."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator(max_errors=0).validate(str(city["out"] / f"{STEM}.docx"))
    in_charts = [f"{e.part_uri}: {e.description}" for e in result.errors if "/charts/" in str(e.part_uri)]
    assert in_charts == []
    assert not [e for e in result.errors if "Content_Types" in str(e.part_uri) or ".rels" in str(e.part_uri)]


@pytest.mark.pdf
def test_libreoffice_draws_every_label_of_the_chart(city, tmp_path: Path) -> None:
    source = tmp_path / f"{STEM}.docx"
    shutil.copy(city["out"] / f"{STEM}.docx", source)
    pdf = convert_to_pdf(source)
    pages = int(
        re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout)[1]
    )
    texts = [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True).stdout
        for n in range(1, pages + 1)
    ]
    expected = [name for name, _, _ in expected_chart(city)]
    for number, names in ((1, expected[:21]), (2, expected[21:])):
        [page] = [t for t in texts if f"Biểu đồ {number}:" in t]
        lines = {line.strip() for line in page.splitlines()}
        assert [n for n in names if n not in lines] == [], f"chart {number}: labels not drawn"


# --- tong_hop.xlsx -------------------------------------------------------------------------------


def cells_of(ranges: str) -> set[str]:
    found = set()
    for part in ranges.split():
        first, _, last = part.partition(":")
        last = last or first
        col, r1, r2 = first[0], int(first[1:]), int(last[1:])
        assert last[0] == col
        found |= {f"{col}{r}" for r in range(r1, r2 + 1)}
    return found


def test_tong_hop_stores_numbers_with_formats(city) -> None:
    wb = openpyxl.load_workbook(city["out"] / "tong_hop.xlsx")
    ws = wb["Đơn vị"]
    assert [c.value for c in ws[3]][:6] == ["STT", "Đơn vị", "Tình trạng", "Số lỗi", "Số cảnh báo", "Hồ sơ đúng hạn"]
    rows = {row[1].value.lower(): row for row in ws.iter_rows(min_row=4)}
    assert len(rows) == 114
    for path in city["included"]:
        row = rows[unit_name(path).lower()]
        expected = rate(path, "Biểu mẫu 3", "2.1.2.", "2.1.1.")
        assert row[5].value == pytest.approx(float(expected / 100)) and row[5].number_format == "0.0%"
        assert isinstance(row[0].value, int) and row[0].number_format == "#,##0"
    empty = rows[unit_name(city["empty"]).lower()]
    assert empty[6].value == "-" and empty[8].value == "-"  # full-online files, online payment: no value
    broken = rows[unit_name(city["broken"]).lower()]
    assert broken[2].value == "lỗi" and broken[3].value == 1 and all(c.value is None for c in broken[5:11])
    assert ws.freeze_panes == "C4"
    assert ws.auto_filter.ref == f"A3:M{ws.max_row}"
    # the low-rate format covers exactly the cells holding a rate: not "-", not the blanks of units
    # that sent nothing or had errors
    [low] = [cf for cf in ws.conditional_formatting if cf.rules[0].type == "cellIs"]
    numbers = {c.coordinate for row in ws.iter_rows(min_row=4, min_col=6, max_col=11) for c in row}
    numbers = {a for a in numbers if isinstance(ws[a].value, int | float)}  # 100% reads back as 1
    assert cells_of(str(low.sqref)) == numbers
    assert low.rules[0].formula == ["0.9"]


def test_tong_hop_figures_are_the_consolidated_reports(city) -> None:
    ws = openpyxl.load_workbook(city["out"] / "tong_hop.xlsx")["Số liệu tổng hợp"]
    from tests.conftest import appendix_rows

    printed = appendix_rows(city["document"])
    rows = list(ws.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == [sheet for sheet, table in printed.items() for _ in table]
    cells = iter(r[4] for r in rows)
    for sheet, table in printed.items():
        for stt, _label, _unit, text, _remark in table:
            cell = next(cells)
            if text == "-":
                assert cell.value == "-"
            elif re.fullmatch(r"[\d.]+,\d%", text):
                value = Decimal(text[:-1].replace(".", "").replace(",", "."))
                assert cell.value == pytest.approx(float(value / 100)) and cell.number_format == "0.0%", (sheet, stt)
            elif re.fullmatch(r"[\d.]+,\d+", text):
                assert cell.value == pytest.approx(float(text.replace(".", "").replace(",", "."))), (sheet, stt)
            elif re.fullmatch(r"[\d.]+", text):
                assert cell.value == int(text.replace(".", "")) and cell.number_format == "#,##0", (sheet, stt)
            else:
                assert cell.value == (text or None), (sheet, stt)
    total = sum(int(typed(p)[("Biểu mẫu 3", "2.1.1.")] or 0) for p in city["included"])
    [files] = [r[4] for r in rows if (r[0].value, r[1].value) == ("Biểu mẫu 3", "2.1.1.")]
    assert files.value == total


def test_tong_hop_prints_on_a4_one_page_wide(city) -> None:
    wb = openpyxl.load_workbook(city["out"] / "tong_hop.xlsx")
    title = "Tổng hợp báo cáo CCHC 6 tháng đầu năm 2026 — Thành phố Hải Phòng"
    assert_prints_well(wb["Đơn vị"], title, "$3:$3", landscape=True)
    assert wb["Đơn vị"].print_title_cols == "$A:$B"
    assert_prints_well(wb["Số liệu tổng hợp"], f"Số liệu tổng hợp — {title}", "$1:$1")


def test_compiled_consolidated_report_equals_docxtpl(city, monkeypatch) -> None:
    """The consolidated report rendered once-compiled (charts added by baocao.word.chartparts) has
    the document, chart parts, relationships and content types that docxtpl and python-docx give."""
    import io

    import baocao.batch.consolidate as consolidate
    from baocao.pipeline import prepare
    from baocao.stages import UnitStatus

    form = find_form("hai_phong_2025")
    rollup, units, info = consolidate.Rollup(form), [], {}
    for path in sorted(city["data"].glob("*.xlsx"))[:30]:
        prepared = prepare(path)
        if prepared.blocking(False):
            continue
        rollup.add(prepared.values)
        info = info or prepared.report.info
        rates = {r: prepared.values.get(r) for r in form.consolidated.key_rates}
        units.append(consolidate.UnitLine(name=unit_name(path), status=UnitStatus.DONE, rates=rates))
    context = consolidate.consolidated_context(form, rollup, info, PROVINCE, units, "xã, phường")
    context["prev"] = None
    charts = consolidate.chart_data(form, units)
    assert charts
    compiled = consolidate.render_consolidated(form, dict(context), charts)
    monkeypatch.setattr(consolidate, "compiled_template", lambda *a, **k: type("Off", (), {"supported": False})())
    plain = consolidate.render_consolidated(form, dict(context), charts)

    def parts(data: bytes) -> dict[str, object]:
        out: dict[str, object] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                raw = z.read(name)
                if name.endswith(".rels") or name == "[Content_Types].xml":
                    out[name] = sorted(tuple(sorted(e.attrib.items())) for e in etree.fromstring(raw))
                elif name.endswith(".xlsx"):
                    out[name] = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(raw)).active.rows]
                elif name != "docProps/core.xml":  # python-docx rewrites it; the compiled path keeps the template's
                    out[name] = etree.tostring(etree.fromstring(raw), method="c14n")
        return out

    fast, slow = parts(compiled), parts(plain)
    assert sorted(fast) == sorted(slow)
    assert [name for name in fast if fast[name] != slow[name]] == []
    assert "word/charts/chart1.xml" in fast
