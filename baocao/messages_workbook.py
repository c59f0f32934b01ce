"""The catalogue of why a whole workbook cannot be used: every WorkbookError code and its sentence.

A WorkbookError (baocao.errors) is data, a code and its parameters, raised where the reader finds
the problem; this module alone words it, as baocao.messages words a problem: the CLI says
"(python generate.py new-input)", the web page names its button (Audience.PAGE).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from baocao.messages import ADVICE, Audience, phrase, vn
from baocao.problems import ERROR, FileName, Names, Problem

GIB = 1 << 30


class _Fields(dict):
    """str.format_map's view of an error: its parameters (a file name as `names` shows it) and the
    advice words of the audience."""

    def __init__(self, params: Mapping[str, Any], audience: Audience, names: Names | None = None) -> None:
        super().__init__(ADVICE[audience])
        self.audience = audience
        self.names = names
        self["save_as_xlsx"] = SAVE_AS_XLSX.format_map(self)
        self["fix_workbook"] = FIX_WORKBOOK.format_map(self)
        self.update({k: vn(v, names) if isinstance(v, FileName) else v for k, v in params.items()})


SAVE_AS_XLSX = "Mở tệp bằng Excel, chọn Tệp (File) → Lưu thành (Save As) → “Excel Workbook (*.xlsx)”, {rerun_xlsx}."
FIX_WORKBOOK = (
    "Mở tệp bằng Excel, xoá các hàng, cột thừa ở cuối trang tính (Ctrl+End cho biết ô cuối cùng) rồi lưu lại, "
    "hoặc lấy lại bảng tính trống {new_input} và nhập lại số liệu."
)


def memory_text(memory_bytes: int) -> str:
    """'2 GB', '1,5 GB', '64 MB'."""
    if memory_bytes >= GIB:
        return f"{memory_bytes / GIB:.3g} GB".replace(".", ",")
    return f"{max(1, round(memory_bytes / 1048576))} MB"


def _not_xlsx(f: _Fields) -> str:
    return f"không phải tệp .xlsx (đuôi “{f['suffix'] or 'không có'}”). Hãy dùng bảng tính mẫu {f['new_input']}."


def _too_big(f: _Fields) -> str:
    return (
        f"tệp quá lớn ({f['size'] / 1048576:.0f} MB; giới hạn {f['limit'] // 1048576} MB). "
        "Bảng tính báo cáo chỉ cần vài chục KB: hãy dùng bảng tính mẫu và không dán ảnh, dữ liệu khác vào."
    )


def _far_cell(f: _Fields) -> str:
    far = phrase(Problem("far-cell", ERROR, "", params={"far": f["cell"]}), f.audience)
    return f"trang tính “{f['sheet']}” {far}"


def _string_table(f: _Fields) -> str:
    claimed = f"{f['claimed']:,}".replace(",", ".")
    return (
        f"tệp bị hỏng: bảng chữ dùng chung của bảng tính (xl/sharedStrings.xml) khai báo {claimed} chuỗi chữ, "
        "nhiều hơn dung lượng của nó chứa được, nên không đọc được. Mở tệp bằng Excel, lưu lại thành tệp .xlsx "
        f"mới {f['rerun']}; hoặc chép số liệu sang bảng tính trống {f['new_input']}."
    )


def _unrecognized(f: _Fields) -> str:
    names = "; ".join(f"“{title}” ({form_id})" for title, form_id in f["forms"])
    return (
        f"bảng tính không có dấu biểu mẫu (trang “{f['mark_sheet']}” bị xóa) và không nhận ra được biểu mẫu "
        f"theo các trang, các dòng chỉ tiêu: có thể là {names}. Chạy lại với --form và mã biểu mẫu đúng, "
        "hoặc chép số liệu sang bảng tính mẫu của biểu mẫu đó (python generate.py new-input --form …)."
    )


def _not_installed(f: _Fields) -> str:
    form_id = f["form_id"]
    return (
        f"bảng tính thuộc biểu mẫu “{form_id}”, chưa được cài (các biểu mẫu đã cài: {', '.join(f['installed'])}). "
        f"Hãy cài biểu mẫu đó: chép thư mục của nó (form.yaml và mẫu Word) vào templates/{form_id}/, hoặc chỉ rõ "
        "tệp biểu mẫu: --form đường/dẫn/form.yaml."
    )


def _city_not_installed(f: _Fields) -> str:
    return (
        f"bảng tính chung thuộc biểu mẫu “{f['form_id']}”, chưa được cài. Các biểu mẫu đã cài: "
        f"{', '.join(f['installed'])}. Hãy dùng bảng tính chung của biểu mẫu đúng {f['new_input']}."
    )


def _city_sheets(f: _Fields) -> str:
    names = ", ".join(f"“{s}”" for s in f["sheets"])
    return (
        f"bảng tính chung không có trang {names} (bị xóa hoặc đổi tên): không tách được số liệu của đơn vị nào. "
        f"Hãy chép số liệu sang bảng tính chung mới {f['new_input']}."
    )


def _worker_memory(f: _Fields) -> str:
    return (
        f"tệp không đọc được: đọc tệp cần hơn {memory_text(f['memory'])} bộ nhớ (tệp bị hỏng hoặc có ô nằm quá xa "
        f"ngoài biểu mẫu). {f['fix_workbook']}"
    )


def other_error(f: Any) -> str:
    """Another error's sentence: the error itself (a CodedError, worded for the same audience and names),
    else `text`, a sentence of an error that is not data (a FormError's, a child process's)."""
    if "error" in f:
        return f["error"] if isinstance(f["error"], str) else f["error"].said(f.audience, f.names)
    return f["text"]


Template = str | Callable[[_Fields], str]

WORKBOOK_ERRORS: dict[str, Template] = {
    # the file, by its name (baocao.intake.guard.check_name)
    "lock-file": (
        "đây là tệp khóa tạm của Excel (tạo ra khi bảng tính đang mở), không phải bảng tính. Hãy chọn tệp {workbook}."
    ),
    "xls": "đây là bảng tính Excel kiểu cũ (.xls). {save_as_xlsx}",
    "xlsm": "đây là bảng tính có macro (.xlsm), không được nhận vì lý do an toàn. {save_as_xlsx}",
    "ods": (
        "đây là bảng tính OpenDocument (.ods). Mở bằng LibreOffice Calc hoặc Excel và lưu lại dưới dạng "
        "“Excel 2007-365 (.xlsx)”."
    ),
    "not-xlsx": _not_xlsx,
    # the file, by what it holds (check_content, open_workbook)
    "file-not-found": "không tìm thấy tệp.",
    "not-a-file": "không phải là tệp.",
    "empty-file": "tệp rỗng (0 byte). Có thể tệp bị lỗi khi sao chép; hãy lấy lại tệp gốc.",
    "file-too-big": _too_big,
    "password": (
        "bảng tính được đặt mật khẩu mở tệp nên không đọc được. Mở bằng Excel, chọn Tệp → Thông tin → Bảo vệ sổ "
        "làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu, lưu lại {rerun}."
    ),
    "xls-renamed": "đây là bảng tính Excel kiểu cũ (.xls) được đổi tên thành .xlsx. {save_as_xlsx}",
    "not-a-package": (
        "không phải bảng tính Excel: nội dung là văn bản hoặc định dạng khác (có thể là tệp CSV/HTML được đổi "
        "đuôi thành .xlsx). {save_as_xlsx}"
    ),
    "bad-zip": "tệp bị hỏng, không mở được. {save_as_xlsx}",
    "zip-bomb": "tệp nén chứa dữ liệu quá lớn so với một bảng tính báo cáo, không được mở.",
    "ods-renamed": (
        "đây là bảng tính OpenDocument (.ods) được đổi tên thành .xlsx. Mở bằng LibreOffice Calc và lưu lại dưới "
        "dạng “Excel 2007-365 (.xlsx)”."
    ),
    "docx-renamed": "không phải bảng tính Excel (là văn bản Word được đổi tên thành .xlsx).",
    "zip-renamed": "không phải bảng tính Excel (là tệp nén khác được đổi tên thành .xlsx).",
    "no-permission": ("không có quyền đọc tệp này. Chép tệp sang thư mục của mình (hoặc xin quyền đọc) {rerun}."),
    "os-error": "không đọc được tệp ({error}). Chép lại tệp gốc {rerun}.",
    "name-not-utf8": "tên tệp hoặc thư mục có ký tự không đọc được (không phải UTF-8). Đổi tên tệp {rerun}.",
    "damaged-package": "tệp bị hỏng, không mở được ({error}). {save_as_xlsx}",
    # the package's parts (baocao.intake.xlsx, baocao.read)
    "string-table-too-big": _string_table,
    "sheet-damaged": "trang “{sheet}” bị hỏng, không đọc được ({error}).",
    "far-cell": _far_cell,
    # which form (baocao.intake.recognize, baocao.read)
    "form-unrecognized": _unrecognized,
    "form-not-installed": _not_installed,
    "form-error": "{text}",  # the form itself is at fault: a FormError's own sentence
    # a city workbook (baocao.batch.city, baocao.batch.citybatch)
    "city-form-not-installed": _city_not_installed,
    "city-sheets-missing": _city_sheets,
    "city-damaged": "bảng tính chung bị hỏng, không đọc được ({error}).",
    "city-not-split": "bảng tính chung không tách được ({error}).",
    "city-no-units": (
        "bảng tính chung không có cột đơn vị nào (dòng 1 của trang “{sheet}”, từ cột D, ghi tên xã, phường)."
    ),
    # the isolated worker that read it (baocao.isolate.read_failure)
    "worker-memory": _worker_memory,
    "worker-timeout": (
        "tệp không đọc được: đọc và kiểm tra tệp quá {seconds:g} giây (tệp bị hỏng hoặc quá lớn so với một bảng "
        "tính báo cáo). {fix_workbook}"
    ),
    "worker-crash": (
        "tệp không đọc được: tệp bị hỏng hoặc có ô nằm quá xa ngoài biểu mẫu (chương trình đọc tệp dừng đột ngột, "
        "{detail}). {fix_workbook}"
    ),
    "worker-error": (
        "lỗi không mong đợi khi đọc tệp ({detail}). Hãy gửi bảng tính cho bộ phận công nghệ thông tin; các tệp "
        "khác vẫn được xử lý."
    ),
    # another error met while checking a workbook: itself (`error`), or one of another kind in its own
    # words (`text`: a FormError's, an InvalidInputError's)
    "other-error": other_error,
}


def workbook_message(
    code: str, params: Mapping[str, Any], audience: Audience = Audience.CLI, names: Names | None = None
) -> str:
    """The sentence of a WorkbookError (without the file's name), from its code (KeyError for a code
    the catalogue lacks or a parameter its sentence needs); file names as `names` shows them."""
    template = WORKBOOK_ERRORS[code]
    fields = _Fields(params, audience, names)
    return template(fields) if callable(template) else template.format_map(fields)
