"""The catalogue: every problem code and the Vietnamese sentence it is phrased with.

A problem (baocao.problems) is data; this module alone turns it into words, at the edge: the CLI
and the problem-list file say "(python generate.py new-input)", the web page names its button
instead (Audience.PAGE). Numbers are written the Vietnamese way, dates as 09/06/2026, and a rule
that involves several cells names each of them (relative to the problem's own sheet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

from baocao.problems import Cell, FileName, Names, Problem, Reason
from baocao.stages import Stage, UnitStatus
from baocao.vnformat import format_number
from baocao.xmltext import describe


class Audience(Enum):
    """Who reads the sentence: the CLI (and the problem-list file) or the web page."""

    CLI = "cli"
    PAGE = "page"


ADVICE = {
    Audience.CLI: {
        "new_input": "(python generate.py new-input)",
        "new_input_q": "“python generate.py new-input”",
        "rerun": "rồi chạy lại",
        "rerun_xlsx": "rồi chạy lại với tệp .xlsx",
    },
    Audience.PAGE: {
        "new_input": "(nút “Tải bảng tính trống” trên trang chính)",
        "new_input_q": "nút “Tải bảng tính trống” trên trang chính",
        "rerun": "rồi tải lên lại",
        "rerun_xlsx": "rồi tải tệp .xlsx lên lại",
    },
}


def _unusable(f: _Fields) -> str:
    return f.problem.params["why"].phrased(f.audience, f.names)  # a CodedError (baocao.errors), worded by its catalogue


# Why a cell cannot be read (baocao.parse raises them as Unreadable; a problem carries the Reason).
REASONS = {
    "true-false": "ô chứa giá trị đúng/sai (TRUE/FALSE), không phải số",
    "not-finite": "ô không chứa một số hữu hạn",
    "date-not-number": "ô chứa ngày tháng, không phải số",
    "excel-error": "ô chứa lỗi của Excel “{error}”",
    "formula-not-number": "ô nhập liệu chứa công thức “{formula}”; hãy gõ con số",
    "formula-in-input": "ô nhập liệu chứa công thức “{formula}”; hãy gõ con số hoặc nội dung",
    "not-unit-after-number": (
        "“{raw}” không phải là số: sau con số chỉ được ghi đơn vị tính “{unit}”, không ghi “{tail}”"
    ),
    "text-after-number": "“{raw}” không phải là số: sau con số không được ghi thêm “{tail}”",
    "not-a-number": "“{raw}” không phải là số",
    "misplaced-separators": "“{raw}” không phải là số (dấu chấm, dấu phẩy đặt sai chỗ)",
    "thousands-or-decimal": (
        "“{raw}” có thể là {thousands} (dấu phẩy phân cách hàng nghìn) hoặc {decimal} (dấu phẩy thập phân). "
        "Nếu là {thousands}, gõ {as_thousands}; nếu là số thập phân, gõ {as_decimal}"
    ),
    "not-a-date": "“{value}” không phải ngày tháng (ghi theo dạng ngày/tháng/năm, ví dụ 09/6/2026)",
    "no-such-date": "“{value}” không phải ngày có thật",
    "not-a-choice": "“{value}” không thuộc các giá trị được chọn ({allowed})",
    "not-a-year": "“{value}” không phải là năm",
}


def reason_text(reason: Reason) -> str:
    """The sentence of why a cell cannot be read."""
    return REASONS[reason.code].format_map(dict(reason.params))


def vn(value: Any, names: Names | None = None) -> str:
    """A parameter as the sentence shows it: 1.234,5 for a number, 09/06/2026 for a date, a file name
    as `names` shows it (FileName.shown)."""
    if isinstance(value, FileName):
        return value.shown(names)
    if isinstance(value, Reason):
        return reason_text(value)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_number(Decimal(value), 6, trim=True)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list | tuple):
        return ", ".join(vn(v, names) for v in value)
    return str(value)


def _plain(value: Any) -> bool:
    """A string shown as it is (a file name is shown as `names` shows it)."""
    return isinstance(value, str) and not isinstance(value, FileName)


class _Fields(dict):
    """str.format_map's view of a problem: its parameters written with vn() (a file name as `names`
    shows it), and the advice words."""

    def __init__(self, problem: Problem, audience: Audience, names: Names | None = None) -> None:
        super().__init__(ADVICE[audience])
        self.problem = problem
        self.audience = audience
        self.names = names
        self.update({k: v if _plain(v) else vn(v, names) for k, v in problem.params.items()})

    def ref(self, cell: Cell) -> str:
        """'D12' on the problem's own sheet, else 'Biểu mẫu 3!D5'."""
        return cell.cell if cell.sheet == self.problem.sheet else f"{cell.sheet}!{cell.cell}"

    def role(self, role: str) -> list[Cell]:
        return [c for c in self.problem.cells if c.role == role]


def _parts(f: _Fields, values: list) -> str:
    """A rule's parts as printed: one value alone, or their sum with each part's cell."""
    return vn(values[0]) if len(values) == 1 else _sum(f, values)


def _sum(f: _Fields, values: list[Any]) -> str:
    """'18 (D13) + 19 (D14) = 37': every part with its cell, then the total."""
    parts = f.role("part")
    shown = [f"{vn(v)} ({f.ref(c)})" for v, c in zip(values, parts, strict=True)]
    return " + ".join(shown) + f" = {vn(sum(values, Decimal(0)))}"


def _part_exceeds_total(f: _Fields) -> str:
    p = f.problem.params
    expr = _parts(f, list(p["parts"]))
    (total,) = f.role("total")
    return f"{expr} {p['unit']}, vượt {p['total_label']} ({vn(p['total'])}) ở {f.ref(total)}. Kiểm tra lại số liệu."


def _parts_differ(f: _Fields) -> str:
    p = f.problem.params
    expr = _sum(f, list(p["parts"]))
    return (
        f"{vn(p['total'])} {p['unit']}, khác tổng các dòng {', '.join(p['rows'])} ({expr} {p['unit']}). "
        "Kiểm tra lại số liệu."
    )


def _grid_part_exceeds_total(f: _Fields) -> str:
    p = f.problem.params
    expr = _parts(f, list(p["parts"]))
    (total,) = f.role("total")
    return (
        f"{expr}{p['unit']}, vượt “{p['total_label']}” ({vn(p['total'])}{p['unit']}) ở {f.ref(total)}. "
        "Kiểm tra lại số liệu."
    )


def _grid_parts_differ(f: _Fields) -> str:
    p = f.problem.params
    expr = _parts(f, list(p["parts"]))
    names = ", ".join(f"“{name}”" for name in p["columns"])
    return f"{vn(p['total'])}{p['unit']}, khác tổng các cột {names} ({expr}{p['unit']}). Kiểm tra lại số liệu."


def _unreadable_info(f: _Fields) -> str:
    hint = " Ghi năm bằng 4 chữ số, ví dụ 2026." if f.problem.params.get("year") else ""
    return f"{f['reason']}.{hint}"


def _too_many_decimals(f: _Fields) -> str:
    p = f.problem.params
    rounded = format_number(p["value"], p["decimals"], trim=True)
    return f"{vn(p['value'])} có quá {p['decimals']} chữ số thập phân; báo cáo làm tròn thành {rounded}."


def _characters_removed(f: _Fields) -> str:
    return f"đã bỏ {describe(list(f.problem.params['removed']))} khỏi nội dung ô. Kiểm tra lại nội dung ô này."


def _form_recognized(f: _Fields) -> str:
    p = f.problem.params
    how = (
        f"theo tên trang và các dòng chỉ tiêu ({p['found']}/{p['total']} dòng khớp)"
        if p["found"]
        else "vì chỉ có một biểu mẫu"
    )
    return (
        f"bảng tính không có dấu biểu mẫu (trang “{p['mark_sheet']}” bị xóa, hoặc bảng tính không tạo bằng "
        f"{f['new_input_q']}); {how}, bảng tính được đọc theo biểu mẫu “{p['form_title']}” "
        f"({p['form_id']}). Nếu không đúng, chạy lại với --form và mã biểu mẫu."
    )


def _rows_missing(f: _Fields) -> str:
    rows = list(f.problem.params["rows"])
    return (
        f"không tìm thấy {len(rows)} dòng chỉ tiêu: {'; '.join(rows)}. Dòng bị xóa hoặc "
        "sửa tên chỉ tiêu, hoặc bảng tính thuộc phiên bản biểu mẫu khác. Hãy chép số liệu sang bảng tính mẫu "
        f"{f['new_input']} và không xóa, sửa các dòng chỉ tiêu."
    )


def _commune_suggested(f: _Fields) -> str:
    names = list(f.problem.params["suggestions"])
    hint = f" Tên gần nhất: {', '.join(names)}." if names else ""
    return (
        f"“{f['typed']}” không có trong danh sách xã, phường, đặc khu của {f['province']}: "
        f"không tổng hợp đơn vị này.{hint} Hãy ghi đúng tên chính thức."
    )


Template = str | Callable[[_Fields], str]

CATALOGUE: dict[str, Template] = {
    # reading the workbook
    "form-version-differs": (
        "bảng tính tạo từ phiên bản {version} của biểu mẫu, phiên bản hiện tại là {current}. Các dòng được tìm "
        "theo STT và tên chỉ tiêu; nếu có dòng bị báo thiếu, hãy chép số liệu sang bảng tính mới {new_input}."
    ),
    "form-recognized": _form_recognized,
    "file-open-in-excel": (
        "tệp đang mở trong Excel: số liệu chưa lưu sẽ không có trong báo cáo. Hãy lưu và đóng Excel {rerun}."
    ),
    "sheet-missing": (
        "không có trang “{sheet}” (các trang có: {sheets}). Trang bị xóa hoặc đổi tên, hoặc bảng tính thuộc "
        "biểu mẫu khác. Hãy dùng bảng tính mẫu của biểu mẫu “{form_title}”."
    ),
    "far-cell": (
        "có dữ liệu ở ô {far}, rất xa ngoài biểu mẫu, nên trang này không được đọc. Xóa các hàng, cột thừa "
        "(chọn từ hàng, cột ngay sau bảng đến ô {far}, nhấn chuột phải → Xóa), lưu lại {rerun}; hoặc chép "
        "số liệu sang bảng tính trống {new_input}."
    ),
    "info-row-missing": "không tìm thấy dòng này (bị xóa hoặc sửa tên). Hãy dùng bảng tính mẫu {new_input}.",
    "rows-missing": _rows_missing,
    "text-section-missing": "không tìm thấy mục này; phần tương ứng của báo cáo sẽ để trống.",
    "unreadable-value": "{reason}. Hãy nhập lại ô này.",
    "unreadable-info": _unreadable_info,
    "info-note": "{note}. Kiểm tra lại.",
    "value-note": "{note}. Kiểm tra lại số liệu.",
    "characters-removed": _characters_removed,
    # the rules every form has
    "required-missing": "chưa nhập. Đây là thông tin bắt buộc của báo cáo.",
    "choice-invalid": "“{value}” không hợp lệ. Chọn một trong: {choices}.",
    "year-invalid": "năm {year} không hợp lệ. Ghi năm bằng 4 chữ số, ví dụ 2026.",
    "date-outside-period": (
        "ngày {date} không thuộc kỳ {period} (mặc định từ {start} đến {end}). Kiểm tra năm báo cáo và ngày này."
    ),
    "dates-reversed": "ngày kết thúc kỳ số liệu trước ngày bắt đầu. Kiểm tra lại hai ngày này.",
    "sign-before-period": (
        "ngày ký {sign} trước ngày bắt đầu kỳ {period} (mặc định từ {start} đến {end}). Kiểm tra năm của ngày ký."
    ),
    "sign-before-period-end": (
        "ngày ký {sign} trước ngày cuối kỳ số liệu ({end}): số liệu chưa đủ kỳ. Nếu tỉnh chốt số liệu sớm hơn, "
        "ghi ngày chốt vào dòng “Số liệu đến ngày”."
    ),
    "sign-late": "ngày ký {sign} cách ngày cuối kỳ ({end}) hơn 4 tháng. Kiểm tra năm của ngày ký.",
    "negative": "{value} là số âm. Số liệu không được âm.",
    "not-whole": "{value} không phải số nguyên. Chỉ tiêu này đếm {unit}, phải là số nguyên.",
    "grid-not-whole": "{value} không phải số nguyên.",
    "too-many-decimals": _too_many_decimals,
    "percent-over-100": "tỷ lệ {value}% vượt quá 100%. Nhập tỷ lệ từ 0 đến 100.",
    "value-blank": (
        "chưa nhập số liệu; Phụ lục để trống ô này và phần lời coi như bằng 0. Nếu đúng là không có, nhập 0."
    ),
    # the form's own rules (checks:)
    "part-exceeds-total": _part_exceeds_total,
    "parts-differ-from-total": _parts_differ,
    # grids
    "grid-sheet-missing": (
        "không có trang “{sheet}” (bảng {table}). Trang bị xóa hoặc đổi tên; hãy dùng bảng tính mẫu {new_input}."
    ),
    "grid-label-missing": (
        "dòng có số liệu nhưng chưa ghi {heading_lower}. Ghi tên vào cột “{heading}” hoặc xóa số liệu của dòng này."
    ),
    "grid-label-repeated": "“{name}” đã có ở một dòng trên; hai dòng được giữ riêng. Nếu là một, hãy gộp lại.",
    "grid-part-exceeds-total": _grid_part_exceeds_total,
    "grid-parts-differ-from-total": _grid_parts_differ,
    # the batch: which workbook is whose
    "commune-unaccented": (
        "“{typed}” được hiểu là {official} (tên viết không dấu). Hãy ghi đúng tên chính thức “{name}”."
    ),
    "commune-ambiguous": (
        "“{typed}” viết không dấu nên không biết là {names}: không tổng hợp đơn vị này. "
        "Hãy ghi tên có dấu đúng như tên chính thức."
    ),
    "commune-unknown": _commune_suggested,
    "newest-copy-used": (
        "có {count} bảng tính của {official} cùng kỳ ({workbooks}): dùng bảng tính này, lưu sau cùng ({moment})."
    ),
    "copy-replaced": (
        "không dùng bảng tính này: {official} đã có bảng tính lưu sau ({newest}, {moment}); "
        "bảng tính này lưu lúc {own_moment}."
    ),
    # the comparison with an earlier period (--previous, baocao.history)
    "previous-has-errors": (
        "bảng tính kỳ trước {workbook} có {count} lỗi: không dùng số liệu của bảng tính đó, báo cáo "
        "không so sánh với kỳ trước. Sửa bảng tính kỳ trước {rerun}."
    ),
    "previous-missing": (
        "không có bảng tính kỳ trước của {official} (cùng biểu mẫu, kỳ trước {period}) trong các bảng tính kỳ "
        "trước đã chọn: báo cáo không so sánh với kỳ trước."
    ),
    # the workbook is not the one expected (the portal's page, `check --expect-…`): baocao.expected
    "wrong-form": (
        "bảng tính thuộc biểu mẫu “{found_title}” ({found}), không phải biểu mẫu {expected} của kỳ báo cáo. "
        "Hãy nhập số liệu vào bảng tính mẫu của biểu mẫu {expected} {rerun}."
    ),
    "wrong-unit": "bảng tính ghi đơn vị “{found}”, không phải “{expected}”. Hãy nộp bảng tính của chính đơn vị mình.",
    "wrong-period": "bảng tính ghi kỳ báo cáo “{found}”, không phải “{expected}”. Hãy nộp bảng tính của đúng kỳ này.",
    "wrong-year": "bảng tính ghi năm báo cáo {found}, không phải năm {expected}. Hãy nộp bảng tính của đúng kỳ này.",
    "workbook-unusable": _unusable,  # the whole workbook: a WorkbookError's own sentence, or why it was left out
}


def phrase(problem: Problem, audience: Audience = Audience.CLI, names: Names | None = None) -> str:
    """The sentence of a problem, from its code (KeyError for a code the catalogue lacks); its file
    names as `names` shows them (the page: the names the clerk uploaded)."""
    template = CATALOGUE[problem.code]
    fields = _Fields(problem, audience, names)
    return template(fields) if callable(template) else template.format_map(fields)


def problem_text(problem: Problem, audience: Audience = Audience.CLI, names: Names | None = None) -> str:
    """'Biểu mẫu 1!D14 (…): <sentence>'."""
    message = phrase(problem, audience, names)
    return f"{problem.where}: {message}" if problem.where else message


def severity_tag(problem: Problem) -> str:
    return "LỖI" if problem.is_error else "Cảnh báo"


def problem_line(problem: Problem, audience: Audience = Audience.CLI, names: Names | None = None) -> str:
    """'[LỖI] Biểu mẫu 1!D14 (…): …' — the same data on the terminal, in the list file and on the web page."""
    return f"[{severity_tag(problem)}] {problem_text(problem, audience, names)}"


def summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    return f"{errors} lỗi, {len(problems) - errors} cảnh báo."


def problem_report(source: str, problems: list[Problem], when: str) -> str:
    """The readable list written beside the outputs (UTF-8 text)."""
    lines = [f"KẾT QUẢ KIỂM TRA SỐ LIỆU: {source}", f"Thời điểm kiểm tra: {when}", summary(problems), ""]
    lines += [problem_line(p) for p in problems] or ["Không phát hiện lỗi hay cảnh báo nào."]
    lines += ["", "LỖI: phải sửa thì mới lập được báo cáo. Cảnh báo: báo cáo vẫn được lập, nhưng hãy kiểm tra lại."]
    return "\n".join(lines) + "\n"


# The stages of a batch: the CLI's progress bar, the web page's progress line.
STAGE_LABELS = {
    Stage.CHECK: "Kiểm tra",
    Stage.WRITE: "Lập báo cáo",
    Stage.PDF: "Tạo PDF",
    Stage.ROLL_UP: "Tổng hợp",
    Stage.DEMO: "Tạo dữ liệu mẫu",
}
STAGE_PAGE_TEXT = {
    Stage.CHECK: "Đang kiểm tra số liệu",
    Stage.WRITE: "Đang lập báo cáo",
    Stage.PDF: "Đang tạo PDF",
    Stage.ROLL_UP: "Đang lập báo cáo tổng hợp",
    Stage.DEMO: "Đang tạo dữ liệu mẫu",
}

# A unit's status, as tong_hop.xlsx and the consolidated report's list of units write it.
UNIT_STATUS_TEXT = {UnitStatus.DONE: "đủ", UnitStatus.ERROR: "lỗi", UnitStatus.MISSING: "thiếu"}
