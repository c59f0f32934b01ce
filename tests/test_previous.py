"""History and comparison (issue 14, point 6) through the CLI: `render X.xlsx --previous Y.xlsx` writes
the Hải Phòng template's comparison sentence, its figures recomputed here from the two workbooks; a
previous workbook of another commune or of a later period is refused with its reason; one with errors
is a warning and no comparison; a batch with `--previous FOLDER` compares each commune and the roll-up's
summed figures. The previous workbooks are samples with a few cells changed (openpyxl).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao import layout
from baocao.form import find_form
from baocao.history.figures import compare_row
from tests.conftest import ROOT, paragraphs, run_cli
from tests.conftest import typed_values as typed

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
# the form's compare: rows, by (sheet, STT): files resolved (2.1.1.), on time (2.1.2.), full-online files (1.3.x.)
RESOLVED, ON_TIME = ("Biểu mẫu 3", "2.1.1."), ("Biểu mẫu 3", "2.1.2.")
FULL_SERVICE, FULL_ONLINE = ("Biểu mẫu 7", "1.3.1."), ("Biểu mẫu 7", "1.3.2.")
SENTENCE = "- Số hồ sơ TTHC"


def edit(path: Path, out: Path, info: dict[str, object], values: dict[tuple[str, str], object]) -> Path:
    """A copy of `path` with Thông tin chung fields (by label) and figures (by sheet and STT) changed."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        column = layout.INFO_VALUE_COL if ws.title == layout.INFO_SHEET else layout.VALUE_COL
        for r in range(1, ws.max_row + 1):
            key = ws.cell(row=r, column=1).value
            if ws.title == layout.INFO_SHEET and key in info:
                ws.cell(row=r, column=column).value = info[key]
            elif (ws.title, str(key)) in values:
                ws.cell(row=r, column=column).value = values[(ws.title, str(key))]
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def last_year(path: Path, out: Path, values: dict[tuple[str, str], object]) -> Path:
    """The same commune's workbook one year earlier, with these figures."""
    info = typed(path)
    year = int(info[(layout.INFO_SHEET, "Năm báo cáo")]) - 1
    end = info.get((layout.INFO_SHEET, "Số liệu đến ngày"))
    fields = {"Năm báo cáo": year, "Ngày ký": dt.datetime(year, 6, 20)}
    if end:
        fields["Số liệu đến ngày"] = end.replace(year=year)
    return edit(path, out, fields, values)


def rate(values: dict, num: tuple[str, str], den: tuple[str, str]) -> Decimal:
    return (Decimal(values[num] or 0) * 100 / Decimal(values[den])).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percent(values: dict, num: tuple[str, str], den: tuple[str, str]) -> str:
    """A rate as the form prints it: "96,9%", "100%" when exactly whole (whole_rate_without_decimals)."""
    exact = Decimal(values[num] or 0) * 100 / Decimal(values[den])
    if exact == exact.to_integral_value():
        return f"{exact:.0f}%"
    return f"{rate(values, num, den):.1f}%".replace(".", ",")


def vn(value: Decimal) -> str:
    """1234.5 → '1.234,5' (trailing zeros dropped)."""
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if value != value.to_integral_value() else f"{value:,.0f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def change(delta: Decimal, unit: str, label: str) -> str:
    if delta == 0:
        return f"bằng {label}"
    return f"{'tăng' if delta > 0 else 'giảm'} {vn(abs(delta))} {unit} so với {label}"


def expected(now: dict, before: dict, label: str) -> str:
    """The template's sentence, from the two workbooks' typed figures."""
    files = Decimal(now[RESOLVED]) - Decimal(before[RESOLVED])
    on_time = rate(now, ON_TIME, RESOLVED) - rate(before, ON_TIME, RESOLVED)
    online = rate(now, FULL_ONLINE, FULL_SERVICE) - rate(before, FULL_ONLINE, FULL_SERVICE)
    previous = percent(before, ON_TIME, RESOLVED)
    return (
        f"{SENTENCE} đã giải quyết xong {change(files, 'hồ sơ', label)}; tỷ lệ hồ sơ giải quyết đúng hạn "
        f"{change(on_time, 'điểm phần trăm', label)} ({label}: {previous}); tỷ lệ hồ sơ nộp trực tuyến toàn trình "
        f"{change(online, 'điểm phần trăm', label)}."
    )


def sentences(docx_path: Path) -> list[str]:
    return [p for p in paragraphs(docx.Document(docx_path)) if p.startswith(SENTENCE)]


def test_render_with_previous_compares_with_the_same_period_last_year(tmp_path: Path) -> None:
    now = typed(SAMPLE)
    changed = {RESOLVED: int(now[RESOLVED]) + 12, ON_TIME: int(now[ON_TIME]) - 300, FULL_ONLINE: 700}
    previous = last_year(SAMPLE, tmp_path / "truoc" / "nhi_chieu_2025.xlsx", changed)
    done = run_cli("render", SAMPLE, "--previous", previous, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    [report] = (tmp_path / "out").glob("*.docx")
    label = f"cùng kỳ năm {int(now[(layout.INFO_SHEET, 'Năm báo cáo')]) - 1}"
    assert sentences(report) == [expected(now, typed(previous), label)]
    assert "giảm 12 hồ sơ so với cùng kỳ năm 2025" in sentences(report)[0]

    plain = run_cli("render", SAMPLE, "-o", tmp_path / "plain")  # without --previous: no sentence at all
    assert plain.returncode == 0, plain.stdout + plain.stderr
    [alone] = (tmp_path / "plain").glob("*.docx")
    assert sentences(alone) == []
    assert "so với" not in "\n".join(paragraphs(docx.Document(alone)))


def test_render_with_an_earlier_period_of_the_same_year(tmp_path: Path) -> None:
    now = typed(SAMPLE)
    year = int(now[(layout.INFO_SHEET, "Năm báo cáo")])
    fields = {"Kỳ báo cáo": "Quý I", "Số liệu đến ngày": None, "Ngày ký": dt.datetime(year, 3, 20)}
    same = {RESOLVED: now[RESOLVED], ON_TIME: now[ON_TIME], FULL_SERVICE: now[FULL_SERVICE], FULL_ONLINE: 700}
    previous = edit(SAMPLE, tmp_path / "quy1.xlsx", fields, same)
    done = run_cli("render", SAMPLE, "--previous", previous, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    [report] = (tmp_path / "out").glob("*.docx")
    label = f"quý I năm {year}"
    assert sentences(report) == [expected(now, typed(previous), label)]
    assert f"xong bằng {label};" in sentences(report)[0]  # same count: "bằng", never "tăng 0"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"Tên đơn vị": "Thủy Nguyên"}, "là bảng tính của phường Thủy Nguyên, không phải của phường Nhị Chiểu."),
        ({"Năm báo cáo": 2027, "Số liệu đến ngày": None, "Ngày ký": dt.datetime(2027, 6, 20)}, "là báo cáo 6 tháng"
         " đầu năm 2027 (số liệu đến 14/6/2027), không phải một kỳ trước 6 tháng đầu năm 2026 (số liệu đến 09/6/2026)"),
        ({}, "là báo cáo 6 tháng đầu năm 2026 (số liệu đến 09/6/2026), không phải một kỳ trước"),
    ],
)  # fmt: skip
def test_a_previous_workbook_of_another_commune_or_period_is_refused(tmp_path: Path, fields, reason) -> None:
    previous = edit(SAMPLE, tmp_path / "ky_truoc.xlsx", fields, {})
    done = run_cli("render", SAMPLE, "--previous", previous, "-o", tmp_path / "out")
    assert done.returncode == 1
    assert done.stderr.startswith(f"✗ Không so sánh được với kỳ trước: ky_truoc.xlsx {reason}"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert not list((tmp_path / "out").glob("*.docx"))


def test_a_previous_workbook_with_errors_is_a_warning_and_not_compared(tmp_path: Path) -> None:
    previous = last_year(SAMPLE, tmp_path / "loi.xlsx", {ON_TIME: 99999})  # more on time than resolved
    done = run_cli("render", SAMPLE, "--previous", previous, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[Cảnh báo] bảng tính kỳ trước loi.xlsx có 1 lỗi: không dùng số liệu của bảng tính đó" in done.stdout
    [report] = (tmp_path / "out").glob("*.docx")
    assert sentences(report) == []
    [listing] = (tmp_path / "out").glob("*.kiem-tra.txt")
    assert "bảng tính kỳ trước loi.xlsx có 1 lỗi" in listing.read_text(encoding="utf-8")


def test_a_missing_previous_workbook_is_one_line() -> None:
    done = run_cli("render", SAMPLE, "--previous", "khong_co.xlsx", "-o", "/tmp/khong-dung")
    assert done.returncode != 0
    assert done.stderr.strip() == "✗ Không tìm thấy bảng tính kỳ trước khong_co.xlsx (--previous)."


# --- a batch ------------------------------------------------------------------------------------


def test_a_batch_compares_each_commune_and_the_summed_roll_up(tmp_path: Path) -> None:
    now_dir, before_dir = tmp_path / "2026", tmp_path / "2025"
    done = run_cli("demo-data", "--communes", "4", "--province", "Hải Phòng", "-o", now_dir)
    assert done.returncode == 0, done.stderr
    files = sorted(now_dir.glob("*.xlsx"))
    for n, path in enumerate(files[:3]):  # the fourth commune has no previous workbook
        now = typed(path)
        last_year(path, before_dir / f"{n}.xlsx", {RESOLVED: int(now[RESOLVED]) + 10 * n, FULL_ONLINE: 0})
    run = run_cli(now_dir, "--previous", before_dir, "-o", tmp_path / "out", "--province", "Hải Phòng")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("[Cảnh báo] không có bảng tính kỳ trước của") == 1, run.stdout
    label = "cùng kỳ năm 2025"
    written = {p.name: p for p in (tmp_path / "out").glob("*_bao-cao-cchc_*.docx")}
    compared = [s for p in written.values() for s in sentences(p)]
    assert len(written) == 4 and len(compared) == 3
    for n, path in enumerate(files[:3]):
        now, before = typed(path), typed(before_dir / f"{n}.xlsx")
        assert expected(now, before, label) in compared

    def summed(paths: list[Path]) -> dict:
        rows = [typed(p) for p in paths]
        return {key: sum(int(r[key] or 0) for r in rows) for key in (RESOLVED, ON_TIME, FULL_SERVICE, FULL_ONLINE)}

    [consolidated] = (tmp_path / "out").glob("tong-hop_*.docx")
    want = expected(summed(files), summed(sorted(before_dir.glob("*.xlsx"))), label)
    want = want.replace(f"{SENTENCE} đã", f"{SENTENCE} các đơn vị đã")
    assert sentences(consolidated) == [want]


# --- the sentence for any two figures -----------------------------------------------------------

FORM = find_form()
WORDED = re.compile(
    r"^(?:(tăng|giảm) (\d{1,3}(?:\.\d{3})*(?:,\d+)?) (điểm phần trăm|hồ sơ) so với cùng kỳ năm 2025"
    r"|bằng cùng kỳ năm 2025|chưa so sánh được với cùng kỳ năm 2025)$"
)
figures = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, allow_nan=False, places=4))


@settings(max_examples=300, deadline=None)
@given(row_id=st.sampled_from(["on_time_rate", "files_resolved", "full_online_files_rate"]), now=figures,
       before=figures)  # fmt: skip
def test_any_two_figures_give_a_well_formed_sentence(row_id: str, now, before) -> None:
    row = FORM.row(row_id)
    if row.kind == "number":
        now, before = (v if v is None else v.to_integral_value() for v in (now, before))
        now, before = now or Decimal(0), before or Decimal(0)
    result = compare_row(FORM, row, now, before, "cùng kỳ năm 2025")
    match = WORDED.match(result["text"])
    assert match, result["text"]
    assert "-0" not in result["text"] and "--" not in result["text"]
    if match.group(1):
        assert match.group(2).strip("0,.") != "", result["text"]  # "tăng 0" is "bằng"
        assert (result["delta"] > 0) == (match.group(1) == "tăng")
        assert (row.kind == "rate") == (match.group(3) == "điểm phần trăm")
    else:
        assert result["delta"] in (None, 0)


def test_the_guide_and_the_form_agree(tmp_path: Path) -> None:
    """A form naming a row it does not have, or a wording with an unknown {…}, fails check-form."""
    form_dir = tmp_path / "hp"
    shutil.copytree(ROOT / "templates" / "hai_phong_2025", form_dir)
    form = form_dir / "form.yaml"
    text = form.read_text(encoding="utf-8")
    text = text.replace("rows: [on_time_rate, files_resolved,", "rows: [on_time_rat, survey_method, files_resolved,")
    form.write_text(text.replace("  units: {files_resolved: hồ sơ}", "  units: {files_resolved: hồ sơ}\n  same_text: "
                                 "\"{same} {lable}\""), encoding="utf-8")  # fmt: skip
    done = run_cli("check-form", form)
    assert done.returncode != 0
    assert "compare.rows: không có chỉ tiêu “on_time_rat” trong tệp biểu mẫu (có phải “on_time_rate”?)." in done.stdout
    assert "compare.rows: chỉ tiêu “survey_method” (choice) không so sánh được" in done.stdout
    assert "compare.same_text: “{lable}” không dùng được ở đây" in done.stdout


def test_compare_with_two_prepared_reports_as_the_portal_calls_it(tmp_path: Path) -> None:
    """The library call for a caller holding two prepared reports (the portal): the same sentence as the CLI."""
    from baocao.history import PreviousMismatch
    from baocao.pipeline import prepare, write

    now = typed(SAMPLE)
    earlier = last_year(
        SAMPLE, tmp_path / "truoc.xlsx", {RESOLVED: int(now[RESOLVED]) - 5, ON_TIME: int(now[ON_TIME]) - 50}
    )
    current = prepare(SAMPLE)
    assert current.compare_with(prepare(earlier)) == []
    report = write(current, tmp_path / "out").docx
    assert sentences(report) == [expected(now, typed(earlier), "cùng kỳ năm 2025")]
    assert "tăng 5 hồ sơ so với cùng kỳ năm 2025" in sentences(report)[0]

    other = edit(SAMPLE, tmp_path / "khac.xlsx", {"Tên đơn vị": "Thủy Nguyên", "Năm báo cáo": 2025}, {})
    with pytest.raises(PreviousMismatch, match="là bảng tính của phường Thủy Nguyên, không phải của phường Nhị"):
        prepare(SAMPLE).compare_with(prepare(other))
    broken = last_year(SAMPLE, tmp_path / "loi.xlsx", {ON_TIME: 99999})
    fresh = prepare(SAMPLE)
    [warning] = fresh.compare_with(prepare(broken))
    assert warning.code == "previous-has-errors" and not warning.is_error
    assert fresh.previous is None and fresh.format()["prev"] is None
