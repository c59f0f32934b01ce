"""The catalogue of what a run could not make or use: every code of an OutputError, RenderError,
PdfError or BatchError (baocao.errors) and its sentence.

Like a WorkbookError (baocao.messages_workbook), these errors are data, a code and its parameters;
this module alone words them, for the CLI ("rồi chạy lại") or for the web page ("rồi tải lên lại",
Audience.PAGE). A parameter that is itself such an error, or a problem, is worded for the same
audience.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from baocao.messages import ADVICE, Audience, phrase, vn
from baocao.messages_workbook import memory_text, other_error
from baocao.problems import FileName, Names, Problem

KEPT = "tệp cũ (nếu có) được giữ nguyên. Hãy gửi bảng tính cho bộ phận công nghệ thông tin."


class _Fields(dict):
    """str.format_map's view of an error: its parameters (an error or a problem among them worded for
    the audience, a file name or a list of them as `names` shows it) and the advice words of the audience."""

    def __init__(self, params: Mapping[str, Any], audience: Audience, names: Names | None = None) -> None:
        super().__init__(ADVICE[audience])
        self.audience = audience
        self.names = names
        self["kept"] = KEPT
        self.update({k: _worded(v, audience, names) for k, v in params.items()})


def _worded(value: Any, audience: Audience, names: Names | None) -> Any:
    if isinstance(value, Problem):
        return phrase(value, audience, names)
    if isinstance(value, FileName) or (isinstance(value, list) and all(isinstance(v, FileName) for v in value)):
        return vn(value, names)  # a list: 'a.xlsx, b.xlsx'
    said = getattr(value, "said", None)  # a BaocaoError that is data (errors.CodedError)
    return said(audience, names) if callable(said) else value


def _city_shared(f: _Fields) -> str:
    kind = "lỗi" if f["errors"] else "cảnh báo"
    return (
        f"Thông tin chung của {f['city']} có {f['count']} {kind} (ghi một lần, chung cho mọi đơn vị của bảng "
        f"tính): chưa lập được báo cáo. Sửa Thông tin chung {f['rerun']}."
    )


def _report_failed(f: _Fields) -> str:
    reason = {
        "memory": f"cần hơn {memory_text(f['memory'])} bộ nhớ",
        "timeout": f"chạy quá {f['seconds']:g} giây",
        "crash": f"chương trình dừng đột ngột, {f['detail']}",
    }.get(f["kind"], f"lỗi không mong đợi: {f['detail']}")
    return (
        f"không lập được báo cáo ({reason}); có thể phần lời ở trang “Nội dung” quá dài. Rút gọn {f['rerun']}; "
        "nếu vẫn lỗi, hãy gửi bảng tính cho bộ phận công nghệ thông tin."
    )


Template = str | Callable[[_Fields], str]

OUTPUT_ERRORS: dict[str, Template] = {
    # writing a file (baocao.write): OutputError
    "no-space": (
        "Không đủ chỗ trống trên ổ đĩa để ghi {path}. Giải phóng bớt dung lượng hoặc chọn thư mục trên ổ "
        "khác (-o) {rerun}; tệp cũ (nếu có) được giữ nguyên."
    ),
    "no-write-permission": (
        "Không ghi được {path}: không có quyền ghi vào thư mục {folder}, hoặc tệp cũ đang mở (trong Word, "
        "Excel?). Đóng tệp, xin quyền ghi hoặc chọn thư mục khác (-o), {rerun}; tệp cũ được giữ nguyên."
    ),
    "name-too-long": "Tên tệp quá dài để ghi ({name}…). Đặt tên ngắn hơn {rerun}.",
    "file-in-the-way": (
        "Không ghi được {path}: {blocker} là một tệp, không phải thư mục. Chọn thư mục khác (-o) {rerun}."
    ),
    "folder-in-the-way": (
        "Không ghi đè được {path}: ở đó đã có một thư mục cùng tên. Đổi tên hoặc chuyển thư mục đó đi {rerun}. "
        "Tệp cũ được giữ nguyên."
    ),
    "file-open": (
        "Không ghi đè được {path} ({error}): tệp cũ đang mở (trong Word?) hoặc không có quyền ghi. Tệp cũ được "
        "giữ nguyên; đóng tệp {rerun}."
    ),
    "output-folder-is-file": (
        "Không tạo được thư mục kết quả {folder}: {blocker} là một tệp, không phải thư mục. Chọn thư mục khác "
        "(-o) {rerun}."
    ),
    "output-folder-no-permission": (
        "Không tạo được thư mục kết quả {folder}: không có quyền ghi vào {parent}. Chọn thư mục khác (-o) hoặc "
        "xin quyền ghi, {rerun}."
    ),
    "package-broken": "Lỗi nội bộ: {name} vừa tạo không mở được ({problem}) nên không được ghi; {kept}",
    "zip-broken": "Lỗi nội bộ: {name} vừa tạo bị hỏng ở {member} nên không được ghi; {kept}",
    "would-overwrite-input": (
        "Không chạy: kết quả {output} sẽ ghi đè lên bảng tính đầu vào {source}. Chưa ghi tệp nào. Chọn thư mục "
        "kết quả khác (-o), hoặc đổi tên hay chuyển bảng tính đó đi, {rerun}."
    ),
    # filling the Word template (baocao.render): RenderError
    "template-unreadable": "Không đọc được mẫu Word {path}: {error}.",
    "template-undefined": (
        "Mẫu Word {template} dùng một biến không có: {error}. Sửa thẻ trong mẫu Word (xem docs/template-context.md)."
    ),
    "template-syntax": "Mẫu Word {template} có thẻ Jinja sai: {error}.",
    # PDF (baocao.write, baocao.office, baocao.portal): PdfError
    "no-libreoffice": (
        "Chưa cài LibreOffice nên không tạo được PDF. Cài LibreOffice (https://www.libreoffice.org) "
        "hoặc chạy lại không có --pdf; tệp .docx vẫn được tạo."
    ),
    "pdf-failed": "LibreOffice không chuyển được sang PDF: {files}.",
    "pdf-not-made": "Không tạo được tệp PDF.",
    # a batch (baocao.batch): BatchError, why a workbook is left out or a report not made
    "other-province": "bảng tính của {province}, không thuộc {wanted}: không đưa vào tổng hợp.",
    "copies-saved-together": (
        "{name} có {count} bảng tính cùng kỳ ({files}), lưu cùng lúc: không lập báo cáo và không tổng hợp đơn "
        "vị này. Giữ lại một tệp {rerun}."
    ),
    "city-shared-errors": _city_shared,
    "column-unnamed": (
        "cột {letter} chưa ghi tên đơn vị ở {cell}: số liệu của cột này không được dùng. Ghi tên xã, phường vào "
        "ô đó, hoặc xoá cột nếu thừa."
    ),
    "column-not-split": (
        "cột {letter} ({unit}) của bảng tính chung không tách được thành bảng tính của đơn vị ({error}). "
        "Kiểm tra các ô của cột {letter}."
    ),
    "problem": "{problem}",  # a problem's own sentence (a copy replaced by a later one)
    "report-failed": _report_failed,
    "report-internal": "Lỗi nội bộ khi lập báo cáo của {name} ({error}); {kept}",
    "unit-not-made": "{unit}: {error}",
    "roll-up-failed": "Tổng hợp {province}, {period}: {error}",
    "roll-up-not-made": "Báo cáo tổng hợp {province} {period}: {error}",
    "roll-up-internal": "Lỗi nội bộ khi tổng hợp {province}, {period} ({error}); {kept}",
    # another error (worded for the same audience), or one of another kind in its own words (`text`: a
    # FormError's, an InvalidInputError's, or a sentence handed back by another process: LibreOffice's)
    "other-error": other_error,
}


def output_message(
    code: str, params: Mapping[str, Any], audience: Audience = Audience.CLI, names: Names | None = None
) -> str:
    """The sentence of an OutputError, RenderError, PdfError or BatchError, from its code (KeyError for
    a code the catalogue lacks or a parameter its sentence needs); file names as `names` shows them."""
    template = OUTPUT_ERRORS[code]
    fields = _Fields(params, audience, names)
    return template(fields) if callable(template) else template.format_map(fields)
