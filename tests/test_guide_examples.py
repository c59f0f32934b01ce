"""The guide's examples (docs/huong-dan-bieu-mau.md §3.4–3.7), on the form tests/data/forms/lien_mach/:
a Phụ lục that is one continuous table, nested `{%tr for %}` loops, a column merged down its rows
(`{% vm %}`), a landscape section, and a computed sentence in the middle of a narrative section.

The form's workbook is filled by the blank-workbook writer and rendered through the CLI; the assertions read
the written .docx (its text, and the merges and page sizes of its XML).
"""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn

from baocao.form import load_form
from baocao.workbook.blank import write_blank_workbook
from tests.conftest import MINIMAL_INFO, ROOT, plain, run_cli

FORM = ROOT / "tests" / "data" / "forms" / "lien_mach" / "form.yaml"
VALUES = {"plan_tasks": 12, "plan_done": 9, "received": 1250, "online": 1093}
LINES = "Rà soát, đơn giản hóa 5 thủ tục.\nNiêm yết công khai đầy đủ các thủ tục."


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> docx.document.Document:
    tmp = tmp_path_factory.mktemp("lien_mach")
    data = {"info": MINIMAL_INFO, "values": VALUES, "text": {"procedures": LINES}, "remarks": {"online": "Cả 5 thôn"}}
    workbook = write_blank_workbook(load_form(FORM.resolve()), tmp / "lien_mach.xlsx", data)
    done = run_cli(workbook, "--form", FORM, "-o", tmp / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    return docx.Document(next((tmp / "out").glob("*.docx")))


def cells(table) -> list[list[str]]:
    return [[plain(c.text) for c in row.cells] for row in table.rows]


def test_the_phu_luc_is_one_continuous_table_with_bold_section_rows(report) -> None:
    (table,) = [t for t in report.tables if t.rows[0].cells[0].text == "Số TT"]
    assert cells(table) == [
        ["Số TT", "Nội dung", "ĐVT", "Kết quả", "Địa phương thực hiện"],
        ["I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH"] * 5,
        ["1.", "Số nhiệm vụ trong kế hoạch", "Nhiệm vụ", "12", ""],
        ["2.", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "9", ""],
        ["II. THỦ TỤC HÀNH CHÍNH"] * 5,
        ["1.", "Hồ sơ tiếp nhận", "Hồ sơ", "1.250", ""],
        ["2.", "Hồ sơ trực tuyến", "Hồ sơ", "1.093", "Cả 5 thôn"],
        ["3.", "Tỷ lệ hồ sơ trực tuyến", "%", "87,4%", ""],
    ]
    sections = [tr for tr in table._tbl.findall(qn("w:tr")) if len(tr.findall(qn("w:tc"))) == 1]
    assert len(sections) == 2
    for tr in sections:
        tc = tr.find(qn("w:tc"))
        assert tc.find(qn("w:tcPr")).find(qn("w:gridSpan")).get(qn("w:val")) == "5"
        assert all(r.find(qn("w:rPr")).find(qn("w:b")) is not None for r in tc.iter(qn("w:r")))
    assert table.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None


def test_the_merged_column_spans_each_bieu_mau_rows(report) -> None:
    (table,) = [t for t in report.tables if t.rows[0].cells[0].text == "Biểu mẫu"]
    assert cells(table)[1:] == [
        ["I. Công tác chỉ đạo điều hành", "1.", "Số nhiệm vụ trong kế hoạch", "12"],
        ["I. Công tác chỉ đạo điều hành", "2.", "Số nhiệm vụ đã hoàn thành", "9"],
        ["II. Thủ tục hành chính", "1.", "Hồ sơ tiếp nhận", "1.250"],
        ["II. Thủ tục hành chính", "2.", "Hồ sơ trực tuyến", "1.093"],
        ["II. Thủ tục hành chính", "3.", "Tỷ lệ hồ sơ trực tuyến", "87,4%"],
    ]
    merges = []
    for tr in table._tbl.findall(qn("w:tr"))[1:]:
        vmerge = tr.find(qn("w:tc")).find(qn("w:tcPr")).find(qn("w:vMerge"))
        merges.append(None if vmerge is None else vmerge.get(qn("w:val"), "continue"))
    assert merges == ["restart", "continue", "restart", "continue", "continue"]


def test_the_summary_table_is_in_a_landscape_section(report) -> None:
    body = report.element.body
    sizes = [s.find(qn("w:pgSz")) for s in body.iter(qn("w:sectPr"))]
    orientation = [(p.get(qn("w:orient")), int(p.get(qn("w:w"))) > int(p.get(qn("w:h")))) for p in sizes]
    assert orientation[-1] == ("landscape", True)  # the last section: the "Biểu mẫu" table
    assert all(not wide for _, wide in orientation[:-1])  # the report and the continuous table: portrait
    last_break = [s for s in body.iter(qn("w:sectPr"))][-2].getparent().getparent()
    order = list(body)
    summary = next(t for t in report.tables if t.rows[0].cells[0].text == "Biểu mẫu")._tbl
    continuous = next(t for t in report.tables if t.rows[0].cells[0].text == "Số TT")._tbl
    assert order.index(continuous) < order.index(last_break) < order.index(summary)


def test_the_computed_sentence_sits_between_the_clerks_lines(report) -> None:
    texts = [plain(p.text) for p in report.paragraphs]
    start = texts.index("1. Cải cách thủ tục hành chính")
    assert texts[start + 1 : start + 4] == [
        "- Rà soát, đơn giản hóa 5 thủ tục.",
        "- Trong kỳ, tiếp nhận 1.250 hồ sơ, trong đó 1.093 hồ sơ trực tuyến (đạt 87,4%).",
        "- Niêm yết công khai đầy đủ các thủ tục.",
    ]
