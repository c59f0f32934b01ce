"""Problems are data (a code, a Severity, the cells involved, parameters) and baocao.messages phrases
them: every code of the catalogue is phrased from its parameters, every code the package raises on
the sample workbooks is in the catalogue, the web page and the CLI phrase the same data, and a city
workbook's problem names the city workbook's cells because its cells were moved, not its words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest

from baocao.batch.city import CityColumn, map_problem
from baocao.communes import match_commune
from baocao.errors import BaocaoError, WorkbookError
from baocao.messages import CATALOGUE, Audience, phrase, problem_line, vn
from baocao.pipeline import prepare
from baocao.problems import ERROR, WARNING, Cell, Problem, Severity
from tests.conftest import DATA, ROOT, run_cli
from tests.test_web import Limits, Site, serve

D = Decimal
BM1 = "Biểu mẫu 1"
SUM_CELLS = (Cell(BM1, "D13", "part"), Cell(BM1, "D14", "part"), Cell("Biểu mẫu 3", "D5", "total"))

# code → (parameters, other cells, what the sentence must say): one sample of each code of the catalogue
SAMPLES: dict[str, tuple[dict, tuple[Cell, ...], tuple[str, ...]]] = {
    "form-version-differs": ({"version": "1.0", "current": "1.1"}, (), ("phiên bản 1.0", "hiện tại là 1.1")),
    "form-recognized": (
        {"found": 40, "total": 41, "mark_sheet": "_baocao", "form_title": "Báo cáo CCHC", "form_id": "cchc"},
        (),
        ("(40/41 dòng khớp)", "“Báo cáo CCHC” (cchc)", "trang “_baocao”"),
    ),
    "file-open-in-excel": ({}, (), ("đóng Excel rồi chạy lại.",)),
    "sheet-missing": (
        {"sheet": "Biểu mẫu 9", "sheets": ["Biểu mẫu 1", "Biểu mẫu 2"], "form_title": "Báo cáo CCHC"},
        (),
        ("“Biểu mẫu 9” (các trang có: Biểu mẫu 1, Biểu mẫu 2)", "biểu mẫu “Báo cáo CCHC”"),
    ),
    "far-cell": ({"far": "XFD1048576"}, (), ("ở ô XFD1048576", "đến ô XFD1048576")),
    "info-row-missing": ({}, (), ("(python generate.py new-input).",)),
    "rows-missing": ({"rows": ["1.1. A", "1.2. B"]}, (), ("không tìm thấy 2 dòng chỉ tiêu: 1.1. A; 1.2. B.",)),
    "text-section-missing": ({}, (), ("để trống.",)),
    "unreadable-value": ({"reason": "“abc” không phải là số"}, (), ("“abc” không phải là số. Hãy nhập lại ô này.",)),
    "unreadable-info": ({"reason": "“x” không phải là năm", "year": True}, (), ("năm. Ghi năm bằng 4 chữ số",)),
    "info-note": ({"note": "ngày ghi dạng chữ"}, (), ("ngày ghi dạng chữ. Kiểm tra lại.",)),
    "value-note": ({"note": "dấu phẩy"}, (), ("dấu phẩy. Kiểm tra lại số liệu.",)),
    "characters-removed": ({"removed": ["\ufffe"]}, (), ("đã bỏ 1 ký tự không hợp lệ (U+FFFE)",)),
    "required-missing": ({}, (), ("chưa nhập.",)),
    "choice-invalid": ({"value": "7 tháng", "choices": ["6 tháng", "năm"]}, (), ("“7 tháng”", "6 tháng, năm.")),
    "year-invalid": ({"year": "1999"}, (), ("năm 1999 không hợp lệ",)),
    "date-outside-period": (
        {
            "date": dt.date(2025, 1, 2),
            "period": "6 tháng đầu năm 2026",
            "start": dt.date(2026, 1, 1),
            "end": dt.date(2026, 6, 30),
        },
        (),
        ("ngày 02/01/2025 không thuộc kỳ 6 tháng đầu năm 2026 (mặc định từ 01/01/2026 đến 30/06/2026)",),
    ),
    "dates-reversed": ({}, (Cell("Thông tin chung", "B9", "start"),), ("trước ngày bắt đầu",)),
    "sign-before-period": (
        {
            "sign": dt.date(2025, 12, 1),
            "period": "năm 2026",
            "start": dt.date(2026, 1, 1),
            "end": dt.date(2026, 12, 31),
        },
        (),
        ("ngày ký 01/12/2025 trước ngày bắt đầu kỳ năm 2026",),
    ),
    "sign-before-period-end": ({"sign": dt.date(2026, 6, 1), "end": dt.date(2026, 6, 30)}, (), ("(30/06/2026)",)),
    "sign-late": ({"sign": dt.date(2027, 1, 1), "end": dt.date(2026, 6, 30)}, (), ("ngày ký 01/01/2027",)),
    "negative": ({"value": D("-3")}, (), ("-3 là số âm",)),
    "not-whole": ({"value": D("2.5"), "unit": "văn bản"}, (), ("2,5 không phải số nguyên", "đếm văn bản")),
    "grid-not-whole": ({"value": D("2.5")}, (), ("2,5 không phải số nguyên.",)),
    "too-many-decimals": ({"value": D("1.2345"), "decimals": 2}, (), ("1,2345 có quá 2 chữ số", "thành 1,23.")),
    "percent-over-100": ({"value": D("120")}, (), ("tỷ lệ 120% vượt quá 100%",)),
    "value-blank": ({}, (), ("chưa nhập số liệu",)),
    "part-exceeds-total": (
        {"parts": [D(18), D(19)], "total": D(19), "total_label": "Tổng số nhiệm vụ", "unit": "nhiệm vụ"},
        SUM_CELLS,
        ("18 (D13) + 19 (D14) = 37 nhiệm vụ, vượt Tổng số nhiệm vụ (19) ở Biểu mẫu 3!D5.",),
    ),
    "parts-differ-from-total": (
        {"parts": [D(1), D(2)], "total": D(4), "rows": ["2.2", "2.3"], "unit": "đơn vị"},
        SUM_CELLS,
        ("4 đơn vị, khác tổng các dòng 2.2, 2.3 (1 (D13) + 2 (D14) = 3 đơn vị)",),
    ),
    "grid-sheet-missing": ({"sheet": "Biểu mẫu 7", "table": "Thủ tục"}, (), ("“Biểu mẫu 7” (bảng Thủ tục)",)),
    "grid-label-missing": ({"heading": "Tên thủ tục", "heading_lower": "tên thủ tục"}, (), ("chưa ghi tên thủ tục",)),
    "grid-label-repeated": ({"name": "Cấp phép"}, (), ("“Cấp phép” đã có ở một dòng trên",)),
    "grid-part-exceeds-total": (
        {"parts": [D(3), D(4)], "total": D(5), "total_label": "Tổng số", "unit": " hồ sơ"},
        SUM_CELLS,
        ("3 (D13) + 4 (D14) = 7 hồ sơ, vượt “Tổng số” (5 hồ sơ) ở Biểu mẫu 3!D5.",),
    ),
    "grid-parts-differ-from-total": (
        {"parts": [D(3), D(4)], "total": D(5), "columns": ["Đúng hạn", "Quá hạn"], "unit": ""},
        SUM_CELLS,
        ("5, khác tổng các cột “Đúng hạn”, “Quá hạn” (3 (D13) + 4 (D14) = 7)",),
    ),
    "commune-unaccented": (
        {"typed": "Phường nhi chieu", "official": "Phường Nhị Chiểu", "name": "Nhị Chiểu"},
        (),
        ("“Phường nhi chieu” được hiểu là Phường Nhị Chiểu", "“Nhị Chiểu”."),
    ),
    "commune-ambiguous": ({"typed": "Xã Cam Giang", "names": "Xã Cẩm Giang và Xã Cẩm Giàng"}, (), ("là Xã Cẩm",)),
    "commune-unknown": (
        {"typed": "Xã A", "province": "tỉnh Lai Châu", "suggestions": ["Xã B", "Xã C"]},
        (),
        ("đặc khu của tỉnh Lai Châu", "Tên gần nhất: Xã B, Xã C."),
    ),
    "newest-copy-used": (
        {
            "count": "2",
            "official": "Phường Nhị Chiểu",
            "workbooks": "a.xlsx, b.xlsx",
            "moment": "09:05:31 ngày 09/6/2026",
        },
        (),
        ("có 2 bảng tính của Phường Nhị Chiểu cùng kỳ (a.xlsx, b.xlsx)",),
    ),
    "copy-replaced": (
        {"official": "Phường Nhị Chiểu", "newest": "b.xlsx", "moment": "10:00:00", "own_moment": "09:00:00"},
        (),
        ("lưu sau (b.xlsx, 10:00:00)", "lưu lúc 09:00:00."),
    ),
    "previous-has-errors": (
        {"workbook": "ky_truoc.xlsx", "count": 2, "period": "6 tháng đầu năm 2025"},
        (),
        ("bảng tính kỳ trước ky_truoc.xlsx có 2 lỗi", "không so sánh với kỳ trước"),
    ),
    "previous-missing": (
        {"official": "phường Nhị Chiểu", "period": "6 tháng đầu năm 2026"},
        (),
        ("không có bảng tính kỳ trước của phường Nhị Chiểu (cùng biểu mẫu, kỳ trước 6 tháng đầu năm 2026)",),
    ),
    "wrong-form": (
        {"found": "hai_duong_2023", "found_title": "Hải Dương 2023", "expected": "hai_phong_2025"},
        (),
        ("“Hải Dương 2023” (hai_duong_2023), không phải biểu mẫu hai_phong_2025", "rồi chạy lại."),
    ),
    "wrong-unit": ({"found": "Phường Lê Chân", "expected": "Phường Nhị Chiểu"}, (), ("“Phường Lê Chân”, không phải",)),
    "wrong-period": ({"found": "6 tháng", "expected": "Quý I"}, (), ("kỳ báo cáo “6 tháng”, không phải “Quý I”",)),
    "wrong-year": ({"found": "2025", "expected": "2026"}, (), ("năm báo cáo 2025, không phải năm 2026",)),
    "workbook-unusable": (
        {"why": WorkbookError("x.xlsx", "bad-zip")},
        (),
        ("tệp bị hỏng, không mở được. Mở tệp bằng Excel",),
    ),
}


def test_every_code_of_the_catalogue_has_a_sample() -> None:
    assert set(SAMPLES) == set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_is_phrased_with_its_parameters(code: str) -> None:
    params, cells, said = SAMPLES[code]
    problem = Problem(code, ERROR, "x.xlsx", BM1, "D14", "4.1.2. Nhiệm vụ", params, cells)
    for audience in Audience:
        text = phrase(problem, audience)
        assert text and "{" not in text and "}" not in text
        assert text == text.strip() and text.endswith(".")
    cli = phrase(problem)
    for words in said:
        assert words in cli
    assert problem_line(problem) == f"[LỖI] Biểu mẫu 1!D14 (4.1.2. Nhiệm vụ): {cli}"
    page = phrase(problem, Audience.PAGE)
    assert "python generate.py" not in page and "chạy lại với tệp" not in page
    assert (page == cli) == ("python generate.py" not in cli and "rồi chạy lại" not in cli)


def _workbooks() -> list[Path]:
    return sorted(
        [*DATA.glob("*.xls*"), *DATA.glob("*.ods"), *(DATA / "guards").glob("*.xlsx"), *ROOT.glob("inputs/*.xlsx")]
    )


def test_every_code_raised_on_the_sample_workbooks_is_in_the_catalogue() -> None:
    """Each workbook of tests/data through check's library call; and the commune names the batch matches."""
    raised: dict[str, Problem] = {}
    for path in _workbooks():
        try:
            problems = prepare(path).problems
        except BaocaoError:
            continue  # not a workbook of ours: one error raised, no problem list
        for p in problems:
            assert isinstance(p.severity, Severity) and p.file == path.name
            raised.setdefault(p.code, p)
    for unit_type, name in [("Phường", "nhi chieu"), ("Xã", "Cam Giang"), ("Xã", "Không Có")]:
        match = match_commune("Hải Phòng", unit_type, name)
        assert match is not None and match.severity is not None
        raised.setdefault(match.code, Problem(match.code, match.severity, "x.xlsx", params=match.params))
    assert set(raised) <= set(CATALOGUE), set(raised) - set(CATALOGUE)
    assert len(raised) >= 20  # most rules are met by some sample
    for p in raised.values():
        assert phrase(p) and phrase(p, Audience.PAGE)


def test_a_sum_names_every_cell_it_involves() -> None:
    (problem,) = prepare(DATA / "bad_part_exceeds_total.xlsx").problems
    assert problem.code == "part-exceeds-total" and problem.severity is ERROR
    assert (problem.sheet, problem.cell) == (BM1, "D14")
    assert problem.cells == (Cell(BM1, "D13", "part"), Cell(BM1, "D14", "part"), Cell(BM1, "D12", "total"))
    assert problem.params["parts"] == [18, 19] and problem.params["total"] == 19


def test_a_city_workbooks_problem_moves_its_cells_not_its_words(tmp_path: Path) -> None:
    problem = prepare(DATA / "bad_part_exceeds_total.xlsx").problems[0]
    column = CityColumn(city=tmp_path / "thanh_pho.xlsx", letter="F", unit="Xã Bản Bo", workbook=tmp_path / "f.xlsx")
    moved = map_problem(problem, column)
    assert (moved.file, moved.sheet, moved.cell) == ("thanh_pho.xlsx", BM1, "F14")
    assert [c.cell for c in moved.cells] == ["F13", "F14", "F12"]
    assert moved.label == "Xã Bản Bo: 4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn"
    assert phrase(moved) == (
        "18 (F13) + 19 (F14) = 37 nhiệm vụ, vượt Tổng số nhiệm vụ được giao (19) ở F12. Kiểm tra lại số liệu."
    )
    assert moved.code == problem.code and moved.params == problem.params


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    yield from serve(Limits(max_files=6), tmp_path_factory.mktemp("web_problems"))


@pytest.mark.parametrize("name", ["bad_several_problems.xlsx", "warn_old_template_version.xlsx"])
def test_the_page_and_the_cli_phrase_the_same_problems(site: Site, name: str) -> None:
    path = DATA / name
    problems = prepare(path).problems
    assert problems
    cli = [line.strip() for line in run_cli("check", path).stdout.splitlines() if line.startswith("    [")]
    assert cli == [problem_line(p) for p in problems]  # the CLI: the data, phrased for the terminal
    _, page = site.run([(name, path.read_bytes())])
    html = unescape(page.text)
    for p in problems:
        css = "loi" if p.is_error else "canh-bao"
        assert f'<li class="{css}">{problem_line(p, Audience.PAGE)}</li>' in html
        assert f"{p.sheet}!{p.cell}" in html if p.cell else True
    if name.startswith("warn_old"):  # the advice differs; the data is the same
        (p,) = [p for p in problems if p.code == "form-version-differs"]
        assert "(python generate.py new-input)" in problem_line(p)
        assert "(nút “Tải bảng tính trống” trên trang chính)" in problem_line(p, Audience.PAGE)
        assert "python generate.py" not in html


def test_severity_is_data_and_the_words_are_the_catalogues() -> None:
    assert {ERROR, WARNING} == set(Severity) and ERROR.value == "error"
    p = Problem("negative", WARNING, "x.xlsx", BM1, "D5", "", {"value": D("-1.5")})
    assert problem_line(p) == "[Cảnh báo] Biểu mẫu 1!D5: -1,5 là số âm. Số liệu không được âm."
    assert vn(D("1234.5")) == "1.234,5" and vn(dt.date(2026, 6, 9)) == "09/06/2026"
