"""What a clerk really gets wrong, through the real CLI: one workbook per failure kind.

The workbooks are in tests/data/ (rebuild them with `python tests/data/build_test_workbooks.py`);
each is the Nhị Chiểu sample (no problem at all) with one thing changed as a clerk would.
For every workbook, `check` must print exactly the expected problem lines, `render` must write
a report only when there is no error, and the input file must be left byte for byte as it was.
Files that must be large and Excel lock files (ignored by git) are built in tmp_path.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from tests.conftest import DATA, all_text, appendix_rows, run_cli
from tests.data import build_test_workbooks as builder

SAVE_AS_XLSX = (
    "Mở tệp bằng Excel, chọn Tệp (File) → Lưu thành (Save As) → “Excel Workbook (*.xlsx)”, rồi chạy lại với tệp .xlsx."
)
BM3_11 = "Biểu mẫu 3!D3 (1.1. Tỷ lệ TTHC thực hiện việc tiếp nhận, trả kết quả tại Trung tâm Phục vụ hành chính công)"
READ_9500 = (
    "“9,500” được hiểu là 9.500 (dấu phẩy được coi là dấu phân cách hàng nghìn vì chỉ tiêu này là số nguyên; "
    "theo cách viết Việt Nam, hàng nghìn dùng dấu chấm). Kiểm tra lại số liệu."
)


@dataclass(frozen=True)
class Case:
    """A workbook of tests/data and what the checker must say about it.

    lines: the problem lines exactly as printed (without the indent), in order;
    unreadable: the one message for a file that cannot be read as a workbook at all.
    """

    name: str
    lines: tuple[str, ...] = ()
    unreadable: str = ""
    ordered: bool = True

    @property
    def errors(self) -> int:
        return sum(line.startswith("[LỖI]") for line in self.lines)

    @property
    def warnings(self) -> int:
        return sum(line.startswith("[Cảnh báo]") for line in self.lines)

    @property
    def fails(self) -> bool:
        return bool(self.unreadable or self.errors)

    @property
    def path(self) -> Path:
        return DATA / self.name


def error(where: str, message: str) -> str:
    return f"[LỖI] {where}: {message}"


def warning(where: str, message: str) -> str:
    return f"[Cảnh báo] {where}: {message}" if where else f"[Cảnh báo] {message}"


CASES: list[Case] = [
    # --- numbers that contradict each other
    Case(
        "bad_part_exceeds_total.xlsx",
        (
            error(
                "Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn)",
                "18 (D13) + 19 (D14) = 37 nhiệm vụ, vượt Tổng số nhiệm vụ được giao (19) ở D12. Kiểm tra lại số liệu.",
            ),
        ),
    ),
    Case(
        "bad_rate_part_exceeds_whole.xlsx",
        (
            error(
                "Biểu mẫu 1!D5 (2.2. Số nhiệm vụ đã hoàn thành)",
                "60 nhiệm vụ, vượt Số nhiệm vụ đề ra trong kế hoạch (52) ở D4. Kiểm tra lại số liệu.",
            ),
        ),
    ),
    # --- number text
    Case(
        "bad_money_comma_ambiguous.xlsx",
        (
            error(
                "Biểu mẫu 6!D3 (1.1. Kế hoạch được giao)",
                "“42,809” có thể là 42.809 (dấu phẩy phân cách hàng nghìn) hoặc 42,809 (dấu phẩy thập phân). "
                "Nếu là 42.809, gõ 42809; nếu là số thập phân, gõ 42,8090. Hãy nhập lại ô này.",
            ),
        ),
    ),
    Case("warn_comma_thousands_in_count.xlsx", (warning("Biểu mẫu 1!D16 (4.2. Số lượng phiếu khảo sát)", READ_9500),)),
    Case(
        "warn_money_decimal_point.xlsx",
        (
            warning(
                "Biểu mẫu 6!D4 (1.2. Đã thực hiện)",
                "“1.5” được đọc là 1,5 (dấu chấm được coi là dấu thập phân). Kiểm tra lại số liệu.",
            ),
        ),
    ),
    Case(
        "bad_count_decimal_point.xlsx",
        (
            error(
                "Biểu mẫu 1!D2 (1. Số văn bản chỉ đạo CCHC đã ban hành)",
                "1,5 không phải số nguyên. Chỉ tiêu này đếm văn bản, phải là số nguyên.",
            ),
        ),
    ),
    Case("ok_vietnamese_number_text.xlsx"),
    Case(
        "bad_excel_error_values.xlsx",
        (
            error(
                "Biểu mẫu 1!D4 (2.1. Số nhiệm vụ đề ra trong kế hoạch)",
                "ô chứa lỗi của Excel “#DIV/0!”. Hãy nhập lại ô này.",
            ),
            error("Biểu mẫu 1!D17 (4.3. Hình thức khảo sát)", "ô chứa lỗi của Excel “#VALUE!”. Hãy nhập lại ô này."),
            error(BM3_11, "ô chứa lỗi của Excel “#REF!”. Hãy nhập lại ô này."),
        ),
    ),
    Case(
        "bad_formula_in_input.xlsx",
        (
            error(
                "Biểu mẫu 1!D2 (1. Số văn bản chỉ đạo CCHC đã ban hành)",
                "ô nhập liệu chứa công thức “=12+3”; hãy gõ con số hoặc nội dung. Hãy nhập lại ô này.",
            ),
        ),
    ),
    Case(
        "bad_text_not_number.xlsx",
        (
            error(
                "Biểu mẫu 1!D2 (1. Số văn bản chỉ đạo CCHC đã ban hành)",
                "“mười hai” không phải là số. Hãy nhập lại ô này.",
            ),
            error(
                "Biểu mẫu 3!D7 (2.1.1. Tổng số hồ sơ TTHC đã giải quyết xong)",
                "“a/0” không phải là số. Hãy nhập lại ô này.",
            ),
        ),
    ),
    Case(
        "bad_negative_number.xlsx",
        (
            error(
                "Biểu mẫu 5!D8 (2.2. Số viên chức được tuyển dụng (thi tuyển, xét tuyển).)",
                "-10 là số âm. Số liệu không được âm.",
            ),
        ),
    ),
    Case(
        "bad_count_not_whole.xlsx",
        (
            error(
                "Biểu mẫu 4!D5 (1.3. Số hợp đồng lao động làm việc tại các cơ quan, tổ chức hành chính)",
                "12,5 không phải số nguyên. Chỉ tiêu này đếm người, phải là số nguyên.",
            ),
        ),
    ),
    Case(
        "bad_percent_over_100.xlsx",
        (error(BM3_11, "tỷ lệ 120% vượt quá 100%. Nhập tỷ lệ từ 0 đến 100."),),
    ),
    # --- coded rows
    Case("ok_choice_words.xlsx"),
    Case("ok_choice_code_and_words.xlsx"),
    Case(
        "bad_choice_value.xlsx",
        (
            error(
                "Biểu mẫu 1!D17 (4.3. Hình thức khảo sát)",
                "“5” không thuộc các giá trị được chọn (Trực tuyến = 0; Phát phiếu = 1; Kết hợp = 2). "
                "Hãy nhập lại ô này.",
            ),
            error(
                "Biểu mẫu 1!D18 (5. Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp)",
                "“Có lẽ” không thuộc các giá trị được chọn (Không = 0; Có = 1). Hãy nhập lại ô này.",
            ),
        ),
    ),
    # --- Thông tin chung
    Case(
        "bad_info_required_blank.xlsx",
        (error("Thông tin chung!B21 (Người ký)", "chưa nhập. Đây là thông tin bắt buộc của báo cáo."),),
    ),
    Case(
        "bad_info_period.xlsx",
        (
            error(
                "Thông tin chung!B8 (Kỳ báo cáo)",
                "“Quý 5” không hợp lệ. Chọn một trong: Quý I, Quý II, 6 tháng, Quý III, 9 tháng, Quý IV, Năm.",
            ),
        ),
    ),
    Case(
        "bad_info_year.xlsx",
        (error("Thông tin chung!B9 (Năm báo cáo)", "năm 20266 không hợp lệ. Ghi năm bằng 4 chữ số, ví dụ 2026."),),
    ),
    Case(
        "bad_info_date_to_wrong_year.xlsx",
        (
            error(
                "Thông tin chung!B11 (Số liệu đến ngày)",
                "ngày 14/06/2025 không thuộc kỳ 6 tháng đầu năm 2026 (mặc định từ 15/12/2025 đến 14/06/2026). "
                "Kiểm tra năm báo cáo và ngày này.",
            ),
            # judged against the default end (the rejected date is not used): the same warning
            # the clerk gets once the year is corrected to 14/06/2026
            warning(
                "Thông tin chung!B14 (Ngày ký)",
                "ngày ký 09/06/2026 trước ngày cuối kỳ số liệu (14/06/2026): số liệu chưa đủ kỳ. Nếu tỉnh chốt "
                "số liệu sớm hơn, ghi ngày chốt vào dòng “Số liệu đến ngày”.",
            ),
        ),
    ),
    Case(
        "warn_sign_date_before_period_end.xlsx",
        (
            warning(
                "Thông tin chung!B14 (Ngày ký)",
                "ngày ký 09/06/2026 trước ngày cuối kỳ số liệu (14/06/2026): số liệu chưa đủ kỳ. Nếu tỉnh chốt "
                "số liệu sớm hơn, ghi ngày chốt vào dòng “Số liệu đến ngày”.",
            ),
        ),
    ),
    Case(
        "bad_sign_date_before_period_start.xlsx",
        (
            error(
                "Thông tin chung!B14 (Ngày ký)",
                "ngày ký 09/06/2025 trước ngày bắt đầu kỳ 6 tháng đầu năm 2026 (mặc định từ 15/12/2025 đến "
                "14/06/2026). Kiểm tra năm của ngày ký.",
            ),
        ),
    ),
    Case("ok_text_dates.xlsx"),
    # --- the workbook's structure and form mark
    Case(
        "bad_other_form.xlsx",
        unreadable="bảng tính thuộc biểu mẫu “ha_noi_2024”, chưa được cài (các biểu mẫu đã cài: hai_duong_2023, hai_phong_2025). "
        "Hãy cài biểu mẫu đó: chép thư mục của nó (form.yaml và mẫu Word) vào templates/ha_noi_2024/, hoặc chỉ rõ tệp "
        "biểu mẫu: --form đường/dẫn/form.yaml.",
    ),
    Case(
        "warn_old_template_version.xlsx",
        (
            warning(
                "",
                "bảng tính tạo từ phiên bản HP-2024.1 của biểu mẫu, phiên bản hiện tại là HP-2025.1. Các dòng được "
                "tìm theo STT và tên chỉ tiêu; nếu có dòng bị báo thiếu, hãy chép số liệu sang bảng tính mới "
                "(python generate.py new-input).",
            ),
        ),
    ),
    Case(
        "bad_sheet_deleted.xlsx",
        (
            error(
                "Biểu mẫu 4",
                "không có trang “Biểu mẫu 4” (các trang có: Thông tin chung, Biểu mẫu 1, Biểu mẫu 2, Biểu mẫu 3, "
                "Biểu mẫu 5, Biểu mẫu 6, Biểu mẫu 7, Nội dung). Trang bị xóa hoặc đổi tên, hoặc bảng tính thuộc "
                "biểu mẫu khác. Hãy dùng bảng tính mẫu của biểu mẫu “Hải Phòng 2025 — Báo cáo CCHC định kỳ của "
                "UBND xã, phường, đặc khu (Phụ lục III)”.",
            ),
        ),
    ),
    Case(
        "bad_row_deleted.xlsx",
        (
            error(
                "Biểu mẫu 1",
                "không tìm thấy 1 dòng chỉ tiêu: 2.2. Số nhiệm vụ đã hoàn thành. Dòng bị xóa hoặc sửa tên chỉ "
                "tiêu, hoặc bảng tính thuộc phiên bản biểu mẫu khác. Hãy chép số liệu sang bảng tính mẫu "
                "(python generate.py new-input) và không xóa, sửa các dòng chỉ tiêu.",
            ),
        ),
    ),
    Case("warn_row_inserted.xlsx", (warning("Biểu mẫu 1!D17 (4.2. Số lượng phiếu khảo sát)", READ_9500),)),
    Case(
        "bad_row_inserted_part_exceeds_total.xlsx",
        (
            error(
                "Biểu mẫu 1!D15 (4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn)",
                "28 (D14) + 19 (D15) = 47 nhiệm vụ, vượt Tổng số nhiệm vụ được giao (38) ở D13. Kiểm tra lại số liệu.",
            ),
        ),
    ),
    Case(
        "bad_several_problems.xlsx",
        (
            error("Thông tin chung!B21 (Người ký)", "chưa nhập. Đây là thông tin bắt buộc của báo cáo."),
            error(
                "Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn)",
                "28 (D13) + 19 (D14) = 47 nhiệm vụ, vượt Tổng số nhiệm vụ được giao (38) ở D12. Kiểm tra lại số liệu.",
            ),
            warning("Biểu mẫu 1!D16 (4.2. Số lượng phiếu khảo sát)", READ_9500),
            error(BM3_11, "tỷ lệ 120% vượt quá 100%. Nhập tỷ lệ từ 0 đến 100."),
            warning(
                "Biểu mẫu 6!D6 (2.1. Tổng số ĐVSN công lập tại địa phương)",
                "20 đơn vị, khác tổng các dòng 2.2, 2.3, 2.4, 2.5 (0 (D7) + 0 (D8) + 0 (D9) + 19 (D13) = 19 đơn vị). Kiểm tra lại số liệu.",
            ),
        ),
        ordered=False,
    ),
    # --- files that are not our .xlsx
    Case("bad_format_old.xls", unreadable=f"đây là bảng tính Excel kiểu cũ (.xls). {SAVE_AS_XLSX}"),
    Case(
        "bad_format_xls_renamed.xlsx",
        unreadable=f"đây là bảng tính Excel kiểu cũ (.xls) được đổi tên thành .xlsx. {SAVE_AS_XLSX}",
    ),
    Case(
        "bad_format_macro.xlsm",
        unreadable=f"đây là bảng tính có macro (.xlsm), không được nhận vì lý do an toàn. {SAVE_AS_XLSX}",
    ),
    Case(
        "bad_format_opendocument.ods",
        unreadable="đây là bảng tính OpenDocument (.ods). Mở bằng LibreOffice Calc hoặc Excel và lưu lại dưới dạng "
        "“Excel 2007-365 (.xlsx)”.",
    ),
    Case(
        "bad_format_ods_renamed.xlsx",
        unreadable="đây là bảng tính OpenDocument (.ods) được đổi tên thành .xlsx. Mở bằng LibreOffice Calc và lưu "
        "lại dưới dạng “Excel 2007-365 (.xlsx)”.",
    ),
    Case(
        "bad_format_csv_renamed.xlsx",
        unreadable="không phải bảng tính Excel: nội dung là văn bản hoặc định dạng khác (có thể là tệp CSV/HTML được "
        f"đổi đuôi thành .xlsx). {SAVE_AS_XLSX}",
    ),
    Case(
        "bad_format_docx_renamed.xlsx",
        unreadable="không phải bảng tính Excel (là văn bản Word được đổi tên thành .xlsx).",
    ),
    Case("bad_file_truncated.xlsx", unreadable=f"tệp bị hỏng, không mở được. {SAVE_AS_XLSX}"),
    Case(
        "bad_file_empty.xlsx",
        unreadable="tệp rỗng (0 byte). Có thể tệp bị lỗi khi sao chép; hãy lấy lại tệp gốc.",
    ),
    Case(
        "bad_file_password.xlsx",
        unreadable="bảng tính được đặt mật khẩu mở tệp nên không đọc được. Mở bằng Excel, chọn Tệp → Thông tin → "
        "Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu, lưu lại rồi chạy lại.",
    ),
]


def the_report(out: Path) -> Path:
    """The one .docx written into `out` (its name is the pipeline's business, not this test's)."""
    (report,) = out.glob("*.docx")
    return report


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problem_lines(stdout: str) -> list[str]:
    """The problem lines the CLI printed ('    [LỖI] …' / '    [Cảnh báo] …'), without the indent."""
    return [line[4:] for line in stdout.splitlines() if line.startswith(("    [LỖI] ", "    [Cảnh báo] "))]


def render(path: Path, out: Path, *options: str):
    done = run_cli(path, "-o", out, *options)
    assert "Traceback" not in done.stdout + done.stderr
    return done


def appendix_value(document, sheet: str, stt: str) -> str:
    """The Số liệu cell of the Phụ lục row with this STT."""
    (value,) = [row[3] for row in appendix_rows(document)[sheet] if row[0] == stt]
    return value


# --- every workbook: the problems, the verdict, the input untouched ---------------------------------


def test_every_built_workbook_has_a_case() -> None:
    names = {case.name for case in CASES}
    assert names == set(builder.BUILDERS)
    missing = sorted(n for n in names if not (DATA / n).is_file())
    assert not missing, f"run: python tests/data/build_test_workbooks.py (missing {missing})"
    assert {p.name for p in DATA.iterdir() if p.is_file() and p.suffix != ".py"} == names
    assert all((DATA / n).stat().st_size < 100_000 for n in names), "test workbooks must stay small"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_check_prints_exactly_the_problems(case: Case) -> None:
    before = digest(case.path)
    done = run_cli("check", case.path)
    assert "Traceback" not in done.stdout + done.stderr
    assert digest(case.path) == before
    assert done.returncode == (1 if case.fails else 0), done.stdout + done.stderr
    printed = problem_lines(done.stdout)
    if case.unreadable:
        assert printed == []
        assert f"  ✗ {case.name}: {case.unreadable}" in done.stderr.splitlines()
        return
    assert (printed if case.ordered else sorted(printed)) == (list(case.lines) if case.ordered else sorted(case.lines))
    assert f"  {case.errors} lỗi, {case.warnings} cảnh báo." in done.stdout.splitlines()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_render_writes_a_report_only_without_errors(case: Case, tmp_path: Path) -> None:
    before = digest(case.path)
    out = tmp_path / "out"
    done = render(case.path, out)
    assert digest(case.path) == before
    docx_files = sorted(out.glob("*.docx")) if out.exists() else []
    problem_list = out / f"{Path(case.name).stem.replace('_', '-')}.kiem-tra.txt"
    if case.fails:
        assert done.returncode == 1
        assert docx_files == []
        if case.unreadable:
            assert f"  ✗ {case.name}: {case.unreadable}" in done.stderr.splitlines()
        else:
            refusal = f"  ✗ {case.name}: có {case.errors} lỗi, chưa lập được báo cáo."
            assert any(line.startswith(refusal) for line in done.stderr.splitlines()), done.stderr
            assert problem_list.is_file()
    else:
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(docx_files) == 1
        assert f"  ✓ {docx_files[0]}" in done.stdout.splitlines()
        assert problem_list.exists() == bool(case.lines)  # a list only when there is something to list
    shown = problem_lines(done.stdout)  # errors and warnings, as `check` prints them
    assert (shown if case.ordered else sorted(shown)) == (list(case.lines) if case.ordered else sorted(case.lines))
    if problem_list.exists() and not case.unreadable:
        listed = problem_list.read_text(encoding="utf-8").splitlines()
        assert [line for line in listed if line.startswith(("[LỖI] ", "[Cảnh báo] "))] == shown


# --- what lands in the report -------------------------------------------------------------------------


def rendered(name: str | Path, out: Path):
    """The report of a workbook of tests/data (or any path), opened with python-docx."""
    done = render(DATA / name, out)
    assert done.returncode == 0, done.stdout + done.stderr
    return docx.Document(str(the_report(out)))


def test_seed_000_contradiction_is_reported_at_the_late_tasks_cell() -> None:
    done = run_cli("check", DATA / "bad_part_exceeds_total.xlsx")
    assert done.returncode == 1
    assert (
        "    [LỖI] Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn): 18 (D13) + 19 (D14) = 37 nhiệm vụ, "
        "vượt Tổng số nhiệm vụ được giao (19) ở D12. Kiểm tra lại số liệu." in done.stdout.splitlines()
    )


def test_vietnamese_number_text_is_read_into_the_report(tmp_path: Path) -> None:
    document = rendered("ok_vietnamese_number_text.xlsx", tmp_path)
    expected = {
        ("Biểu mẫu 3", "2.1.1."): "9.275",  # " 9\u00a0275 "
        ("Biểu mẫu 3", "2.1.2."): "4.481",  # "4.481"
        ("Biểu mẫu 3", "2.1."): "48,3%",  # 4.481 / 9.275
        ("Biểu mẫu 7", "1.3.2."): "12",  # "12 hồ sơ"
        ("Biểu mẫu 7", "1.3."): "1,6%",  # 12 / 752
        ("Biểu mẫu 6", "1.2."): "1.234,5",  # "1.234,5" (money keeps its decimals)
        ("Biểu mẫu 6", "1."): "2,9%",  # 1.234,5 / 42.809
        ("Biểu mẫu 1", "3.1."): "",  # "-" in an optional row: none
        ("Biểu mẫu 4", "2.4."): "",  # "-" in an optional percent row (the sample had 0)
    }
    assert {key: appendix_value(document, *key) for key in expected} == expected


@pytest.mark.parametrize(
    ("name", "survey_method", "dialogue"),
    [("ok_choice_words.xlsx", "2", "1"), ("ok_choice_code_and_words.xlsx", "1", "1")],
)
def test_choice_words_print_their_code(name: str, survey_method: str, dialogue: str, tmp_path: Path) -> None:
    document = rendered(name, tmp_path)
    assert appendix_value(document, "Biểu mẫu 1", "4.3.") == survey_method
    assert appendix_value(document, "Biểu mẫu 1", "5.") == dialogue


def test_text_dates_are_read(tmp_path: Path) -> None:
    text = all_text(rendered("ok_text_dates.xlsx", tmp_path))
    assert "(số liệu từ ngày 16/12/2025 đến ngày 08/6/2026)" in text
    assert "ngày 10 tháng 6 năm 2026" in text
    assert "(Kèm theo Báo cáo số 329/BC-UBND ngày 10/6/2026 của UBND phường Nhị Chiểu)" in text


@pytest.mark.parametrize(
    ("name", "sheet", "stt", "value"),
    [
        ("warn_comma_thousands_in_count.xlsx", "Biểu mẫu 1", "4.2.", "9.500"),
        ("warn_money_decimal_point.xlsx", "Biểu mẫu 6", "1.2.", "1,5"),
    ],
)
def test_warned_value_is_reported_as_read(name: str, sheet: str, stt: str, value: str, tmp_path: Path) -> None:
    assert appendix_value(rendered(name, tmp_path), sheet, stt) == value


def test_inserted_row_does_not_shift_the_figures(tmp_path: Path) -> None:
    sample = tmp_path / "sample.xlsx"
    sample.write_bytes(builder.sample_bytes())
    expected = appendix_rows(rendered(sample, tmp_path / "sample"))
    assert appendix_rows(rendered("warn_row_inserted.xlsx", tmp_path / "inserted")) == expected


def test_deleted_row_is_not_replaced_by_a_row_with_a_longer_label(tmp_path: Path) -> None:
    """Row 2.2 “Số nhiệm vụ đã hoàn thành” deleted: 4.1.1 “… đã hoàn thành đúng hạn” must not stand in for it
    (it once did: the report printed 28 as 2.2 and 53,8%). Same for Biểu mẫu 6 2.3 / 2.2."""
    out = tmp_path / "out"
    assert render(DATA / "bad_row_deleted.xlsx", out).returncode == 1
    assert not list(out.glob("*.docx"))
    wb = builder.sample_workbook()
    wb["Biểu mẫu 6"].delete_rows(builder.row_of(wb, "Biểu mẫu 6", "2.3."))
    path = tmp_path / "bm6_row_deleted.xlsx"
    path.write_bytes(builder.saved(wb))
    done = run_cli("check", path)
    assert done.returncode == 1
    assert problem_lines(done.stdout) == [
        error(
            "Biểu mẫu 6",
            "không tìm thấy 1 dòng chỉ tiêu: 2.3. Số ĐVSN tự bảo đảm chi thường xuyên. Dòng bị xóa hoặc sửa tên "
            "chỉ tiêu, hoặc bảng tính thuộc phiên bản biểu mẫu khác. Hãy chép số liệu sang bảng tính mẫu "
            "(python generate.py new-input) và không xóa, sửa các dòng chỉ tiêu.",
        )
    ]


def test_ambiguous_comma_suggestions_differ_from_the_input() -> None:
    """Each reading gets something to type that is not what the clerk already typed."""
    done = run_cli("check", DATA / "bad_money_comma_ambiguous.xlsx")
    (line,) = problem_lines(done.stdout)
    assert "42.809" in line and "42,809" in line  # both readings, written the Vietnamese way
    suggestions = re.findall(r"gõ (\S+?)[;.]?(?:\s|$)", line)
    assert len(suggestions) == 2
    assert "42,809" not in suggestions


# --- strict mode and the problem list -------------------------------------------------------------------


def test_strict_makes_warnings_fail(tmp_path: Path) -> None:
    path = DATA / "warn_comma_thousands_in_count.xlsx"
    before = digest(path)
    assert run_cli("check", path).returncode == 0
    strict = run_cli("check", "--strict", path)
    assert strict.returncode == 1
    done = render(path, tmp_path / "strict", "--strict")
    assert done.returncode == 1
    assert not list((tmp_path / "strict").glob("*.docx"))
    done = render(path, tmp_path / "lenient")
    assert done.returncode == 0
    assert the_report(tmp_path / "lenient").is_file()
    assert digest(path) == before


@pytest.mark.parametrize("name", ["bad_several_problems.xlsx", "warn_comma_thousands_in_count.xlsx"])
def test_problem_list_file_holds_the_lines_of_the_terminal(name: str, tmp_path: Path) -> None:
    done = render(DATA / name, tmp_path)
    listed = tmp_path / f"{Path(name).stem.replace('_', '-')}.kiem-tra.txt"
    assert listed.is_file()
    lines = listed.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"KẾT QUẢ KIỂM TRA SỐ LIỆU: {name}"
    in_file = [line for line in lines if line.startswith(("[LỖI] ", "[Cảnh báo] "))]
    assert in_file == problem_lines(run_cli("check", DATA / name).stdout)
    errors = sum(line.startswith("[LỖI]") for line in in_file)
    assert f"{errors} lỗi, {len(in_file) - errors} cảnh báo." in lines
    assert len(list(tmp_path.glob("*.docx"))) == (0 if errors else 1)
    assert problem_lines(done.stdout) == in_file


def test_check_with_output_writes_the_same_list(tmp_path: Path) -> None:
    done = run_cli("check", DATA / "bad_several_problems.xlsx", "-o", tmp_path)
    listed = tmp_path / "bad-several-problems.kiem-tra.txt"
    assert f"  → {listed}" in done.stdout.splitlines()
    in_file = [line for line in listed.read_text(encoding="utf-8").splitlines() if line.startswith("[")]
    assert in_file == problem_lines(done.stdout)
    assert not list(tmp_path.glob("*.docx"))


# --- files built here: too large, zip bomb, Excel lock files ----------------------------------------------


def assert_unreadable(path: Path, message: str, tmp_path: Path) -> None:
    before = digest(path)
    for done in (run_cli("check", path), render(path, tmp_path / "out")):
        assert done.returncode == 1
        assert f"  ✗ {path.name}: {message}" in done.stderr.splitlines()
        assert "Traceback" not in done.stderr
    assert not list((tmp_path / "out").glob("*.docx"))
    assert digest(path) == before


def test_huge_file_is_refused(tmp_path: Path) -> None:
    path = builder.write_huge_file(tmp_path / "so_lieu_lon.xlsx")
    assert path.stat().st_size > 20 * 1024 * 1024
    assert_unreadable(
        path,
        "tệp quá lớn (21 MB; giới hạn 20 MB). Bảng tính báo cáo chỉ cần vài chục KB: hãy dùng bảng tính mẫu và "
        "không dán ảnh, dữ liệu khác vào.",
        tmp_path,
    )


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = builder.write_zip_bomb(tmp_path / "bom.xlsx")
    with zipfile.ZipFile(path) as z:
        assert sum(i.file_size for i in z.infolist()) > 200 * 1024 * 1024
    assert path.stat().st_size < 1024 * 1024
    assert_unreadable(path, "tệp nén chứa dữ liệu quá lớn so với một bảng tính báo cáo, không được mở.", tmp_path)


def test_lock_file_given_directly_is_refused(tmp_path: Path) -> None:
    workbook = tmp_path / "x.xlsx"
    workbook.write_bytes(builder.sample_bytes())
    lock = builder.write_lock_file(workbook)
    assert_unreadable(
        lock,
        "đây là tệp khóa tạm của Excel (tạo ra khi bảng tính đang mở), không phải bảng tính. Hãy chọn tệp x.xlsx.",
        tmp_path,
    )


def test_lock_file_beside_the_workbook_is_a_warning(tmp_path: Path) -> None:
    workbook = tmp_path / "x.xlsx"
    workbook.write_bytes(builder.sample_bytes())
    lock = builder.write_lock_file(workbook)
    before, lock_before = digest(workbook), digest(lock)
    expected = [
        warning(
            "",
            "tệp đang mở trong Excel: số liệu chưa lưu sẽ không có trong báo cáo. Hãy lưu và đóng Excel rồi chạy lại.",
        )
    ]
    checked = run_cli("check", workbook)
    assert checked.returncode == 0
    assert problem_lines(checked.stdout) == expected
    assert run_cli("check", "--strict", workbook).returncode == 1
    done = render(workbook, tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    assert problem_lines(done.stdout) == expected
    assert the_report(tmp_path / "out").is_file()
    assert (digest(workbook), digest(lock)) == (before, lock_before)


def test_folder_with_a_lock_file_renders_the_workbook_only(tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    workbook = folder / "x.xlsx"
    workbook.write_bytes(builder.sample_bytes())
    builder.write_lock_file(workbook)
    done = render(folder, tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    assert the_report(tmp_path / "out").is_file()
    assert [line for line in done.stdout.splitlines() if line.startswith("• ")] == [f"• {workbook}"]
