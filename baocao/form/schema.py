"""The form file's schema, declared once: pydantic models of every mapping of form.yaml.

Every model forbids unknown keys. `load.py` validates the parsed YAML against `FormFile` and
turns pydantic's errors into FormIssues with the YAML line (never pydantic's English text);
`numbers`, `appendix`, `consolidated` and `compare` are used as they are, typed, by the Form.

    python -m baocao.form > docs/form.schema.json

writes the JSON Schema that an editor (VS Code's YAML extension) uses to complete and
underline form.yaml.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    WithJsonSchema,
)


def _to_text(value: Any) -> Any:
    """YAML reads `version: 2025` or `stt: 1` as a number: the form means the text as written."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | datetime.date):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_to_text), WithJsonSchema({"type": ["string", "number"]})]
Ids = Annotated[list[Text], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]


class Settings(BaseModel):
    """A mapping of the form file; unknown keys are errors. Read-only once loaded; read by attribute."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- settings the Form uses as they are ----------------------------------------------------------


Suffix = Literal["%", ""]


class Numbers(Settings):
    """How figures are printed."""

    model_config = ConfigDict(json_schema_extra={"description": "Cách in số và tỷ lệ."})

    rate_decimals: int = Field(1, ge=0, le=6, description="Số chữ số thập phân của tỷ lệ (mặc định 1).")
    whole_rate_without_decimals: bool = Field(
        False, description="true: in “100%” thay vì “100,0%” khi tỷ lệ là số nguyên."
    )
    no_value: Text = Field("-", description="Chữ in khi không tính được tỷ lệ (mẫu số bằng 0).")
    rate_suffix: Suffix = Field("%", description="Chữ in sau tỷ lệ: “%” (mặc định) hoặc “” (in số trần, ví dụ “60”).")
    pad: int = Field(0, ge=0, le=15, description="Số đếm in ít nhất bấy nhiêu chữ số, thêm 0 phía trước: 2 → “01”.")
    grouping: bool = Field(True, description="false: không in dấu chấm phân cách hàng nghìn (“2026” thay vì “2.026”).")

    def rate_places(self, decimals: int | None) -> int:
        """The decimals a rate prints with: its own (a row's, a grid column's), else the form's."""
        return self.rate_decimals if decimals is None else decimals


class FigureSettings(Settings):
    """How one row (or grid column) prints its figure, over the form's `numbers:` (checked by numstyle.py)."""

    suffix: Suffix | None = Field(None, description="Chữ in sau số: “%” hoặc “” (mặc định: “%” cho tỷ lệ, “” cho số).")
    no_value: Text | None = Field(None, description="Tỷ lệ: chữ in khi không tính được (mặc định theo numbers).")
    pad: StrictInt | None = Field(
        None, ge=0, le=15, description="In ít nhất bấy nhiêu chữ số, thêm 0 phía trước: 2 → “01”."
    )
    grouping: StrictBool | None = Field(None, description="false: không in dấu chấm phân cách hàng nghìn (năm, mã số).")


ColumnKey = Literal["stt", "label", "label_note", "group", "unit", "value", "remark"]

# Column headings of a Biểu mẫu when the form file does not name them (appendix.columns).
DEFAULT_COLUMNS: dict[str, str] = {
    "stt": "STT",
    "label": "Chỉ tiêu thống kê",
    "label_note": "",
    "group": "Kết quả thống kê",
    "unit": "Đơn vị tính",
    "value": "Số liệu",
    "remark": "Ghi chú",
}

Columns = Annotated[
    dict[ColumnKey, Text],
    Field(description="Tiêu đề các cột của Biểu mẫu: stt, label, label_note, group, unit, value, remark."),
]


class Appendix(Settings):
    """The Phụ lục: its title, heading, column headings, font size and table numbering."""

    model_config = ConfigDict(
        json_schema_extra={"description": "Phụ lục: tên, tiêu đề, tên các cột, cỡ chữ và cách đánh số Biểu mẫu."}
    )

    title: Text = Field("Phụ lục", description="Tên phụ lục, ví dụ “Phụ lục III”.")
    heading: Text = Field("", description="Tiêu đề in dưới tên phụ lục.")
    subheading: Text = Field("", description="Dòng in dưới tiêu đề, ví dụ “(Dành cho UBND các xã, phường)”.")
    columns: Annotated[Columns, AfterValidator(lambda v: {**DEFAULT_COLUMNS, **v})] = Field(
        default_factory=lambda: dict(DEFAULT_COLUMNS)
    )
    font_size: int = Field(12, ge=6, le=30, description="Cỡ chữ của bảng Phụ lục (pt).")
    numbering: Text = Field("", description="Số của mỗi Biểu mẫu: “Biểu mẫu {n}” hoặc “{roman}” (I, II, …).")


class Consolidated(Settings):
    """The Sở's consolidated report of a batch."""

    model_config = ConfigDict(json_schema_extra={"description": "Báo cáo tổng hợp của Sở từ báo cáo của các đơn vị."})

    template: Text = Field("tong_hop.docx", description="Mẫu Word của báo cáo tổng hợp.")
    issuer: Text = Field("Sở Nội vụ", description="Cơ quan ban hành báo cáo tổng hợp.")
    doc_symbol: Text = Field("BC-SNV", description="Ký hiệu văn bản, ví dụ “BC-SNV”.")
    signer_title: Text = Field("Giám đốc", description="Chức vụ người ký.")
    recipients: list[Text] = Field(default_factory=lambda: ["Lưu: VT"], description="Nơi nhận, mỗi mục một dòng.")
    key_rates: Ids = Field(default_factory=list, description="Các chỉ tiêu tỷ lệ in trong bảng tổng hợp.")
    chart_rates: Ids = Field(default_factory=list, description="Các chỉ tiêu tỷ lệ vẽ biểu đồ.")
    short_labels: dict[str, Text] = Field(
        default_factory=dict, description="Tên ngắn của chỉ tiêu tỷ lệ, cho tiêu đề bảng và chú thích biểu đồ."
    )
    low_rate: Decimal = Field(Decimal(90), ge=0, le=100, description="Tỷ lệ (%) dưới mức này được tô màu.")
    chart_units: int = Field(40, ge=1, description="Số đơn vị tối đa trên một biểu đồ.")


class Compare(Settings):
    """Comparison with an earlier report (`--previous`): which rows, and the words (docs/template-context.md)."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": "So sánh với kỳ trước (--previous): các chỉ tiêu được so sánh và cách viết câu so sánh."
        }
    )

    rows: Ids = Field(default_factory=list, description="Các chỉ tiêu so sánh (mẫu Word: prev.rows.MÃ).")
    units: dict[str, Text] = Field(
        default_factory=dict, description="Đơn vị viết trong câu so sánh, nếu khác cột Đơn vị tính (“hồ sơ”)."
    )
    points: Text = Field("điểm phần trăm", description="Đơn vị của chênh lệch giữa hai tỷ lệ.")
    up: Text = Field("tăng", description="Từ chỉ tăng.")
    down: Text = Field("giảm", description="Từ chỉ giảm.")
    same: Text = Field("bằng", description="Từ chỉ không đổi.")
    change: Text = Field("{direction} {amount} {unit}", description="prev.rows.MÃ.change khi tăng hoặc giảm.")
    text: Text = Field("{change} so với {label}", description="prev.rows.MÃ.text khi tăng hoặc giảm.")
    same_text: Text = Field("{same} {label}", description="prev.rows.MÃ.text khi không đổi: “bằng cùng kỳ năm 2025”.")
    unavailable: Text = Field(
        "chưa so sánh được với {label}", description="prev.rows.MÃ.text khi một trong hai kỳ không có số liệu."
    )
    same_period: Text = Field("cùng kỳ năm {year}", description="prev.label khi kỳ trước là cùng kỳ năm trước.")
    previous_period: Text = Field("{period}", description="prev.label cho kỳ trước khác: “6 tháng đầu năm 2026”.")


# --- the rest of the file (built into model.py's dataclasses by load.py) ------------------------

RowKind = Literal["number", "percent", "choice", "text", "rate", "sum", "difference", "header"]
Severity = Literal["error", "warning"]


class RowSpec(FigureSettings):
    """One row of a Biểu mẫu (or of `derived`)."""

    model_config = ConfigDict(
        json_schema_extra={"description": "Một hàng (chỉ tiêu) của Biểu mẫu, hoặc một chỉ tiêu phụ (derived)."}
    )

    id: Text = Field(description="Mã chỉ tiêu: chữ cái không dấu, chữ số, “_”.", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: Text = Field(description="Tên chỉ tiêu như trên biểu mẫu giấy.")
    kind: RowKind = Field(
        description="Loại: number, percent, choice, text (nhập); rate, sum, difference (tính); header."
    )
    stt: Text = Field("", description="Số thứ tự, ví dụ “1.” hoặc “2.1.”.")
    note: Text = Field("", description="Ghi chú in dưới tên chỉ tiêu.")
    unit: Text = Field("", description="Đơn vị tính.")
    remark: Text = Field("", description="Nội dung cột Ghi chú.")
    decimals: StrictInt | None = Field(
        None, ge=0, le=6, description="Số chữ số thập phân (mặc định: 0, tỷ lệ theo numbers.rate_decimals)."
    )
    style: Literal["", "normal", "italic", "bold", "bold_italic"] = Field("", description="Kiểu chữ của hàng.")
    optional: bool = Field(False, description="true: được để trống.")
    choices: dict[int, Text] = Field(default_factory=dict, description="Mã và nghĩa của chỉ tiêu mã hóa.")
    num: Text = Field("", description="Tỷ lệ: mã chỉ tiêu tử số.")
    den: Text = Field("", description="Tỷ lệ: mã chỉ tiêu mẫu số.")
    terms: Ids = Field(default_factory=list, description="Tổng/hiệu: các chỉ tiêu thành phần.")
    exceed: Literal["error", "warning", "allowed"] = Field(
        "error", description="Tử số lớn hơn mẫu số là lỗi, cảnh báo hay được phép."
    )
    bullet: Literal["", "-", "+"] = Field("", description="Dấu in trước tên của hàng không có STT.")
    level: Text = Field("", description="Chỉ có trong báo cáo của cấp này (xem levels).")


class TableSpec(Settings):
    """One Biểu mẫu: a sheet of the workbook and a table of the Phụ lục."""

    model_config = ConfigDict(
        json_schema_extra={"description": "Một Biểu mẫu: một trang của bảng tính và một bảng của Phụ lục."}
    )

    sheet: Text = Field(description="Tên trang trong bảng tính (tối đa 31 ký tự).")
    title: Text = Field("", description="Tên Biểu mẫu.")
    footnote: Text = Field("", description="Chú thích in dưới bảng.")
    number: Text | None = Field(None, description="Số in của Biểu mẫu (mặc định theo appendix.numbering).")
    columns: Columns = Field(default_factory=dict)
    rows: list[RowSpec] = Field(description="Các hàng của Biểu mẫu.")


class CheckSpec(Settings):
    """A rule: the parts, added up, are at most (<=) or exactly (=) the whole."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": "Một kiểm tra: tổng các phần (parts) không vượt quá (<=) hoặc bằng (=) tổng (whole)."
        }
    )

    parts: Ids = Field(description="Các phần (mã chỉ tiêu, hoặc mã cột trong một bảng nhập theo dòng).")
    whole: Text = Field(description="Tổng.")
    relation: Literal["<=", "="] = Field("<=", description="<= (không vượt quá) hoặc = (bằng).")
    severity: Severity = Field("error", description="error (lỗi) hoặc warning (cảnh báo).")


class GridColumnSpec(FigureSettings):
    """A column of a grid; a group column has `columns` and no id."""

    model_config = ConfigDict(
        json_schema_extra={"description": "Một cột của bảng nhập theo dòng; cột nhóm có “columns” và không có id."}
    )

    heading: Text = Field(description="Tiêu đề cột.")
    id: Text = Field("", description="Mã cột.", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$")
    kind: Literal["number", "sum", "difference", "rate"] = Field("number", description="number (nhập) hoặc cột tính.")
    terms: Ids = Field(default_factory=list, description="Tổng/hiệu: các cột thành phần.")
    num: Text = Field("", description="Tỷ lệ: cột tử số.")
    den: Text = Field("", description="Tỷ lệ: cột mẫu số.")
    decimals: StrictInt | None = Field(None, ge=0, le=6, description="Số chữ số thập phân.")
    columns: list[GridColumnSpec] = Field(default_factory=list, description="Các cột con của cột nhóm.")


class GridSpec(Settings):
    """A table whose rows the clerk types (one per lĩnh vực), with a computed total row."""

    model_config = ConfigDict(
        json_schema_extra={"description": "Một bảng nhập theo dòng (mỗi lĩnh vực một dòng), có dòng tổng do máy tính."}
    )

    id: Text = Field(description="Mã bảng.", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    sheet: Text = Field(description="Tên trang trong bảng tính.")
    title: Text = Field("", description="Tên bảng.")
    columns: list[GridColumnSpec] = Field(description="Các cột (có thể lồng nhau).")
    number_heading: Text = Field("STT", description="Tiêu đề cột số thứ tự.")
    label_heading: Text = Field("Nội dung", description="Tiêu đề cột tên dòng.")
    label_help: Text = Field("", description="Hướng dẫn nhập tên dòng.")
    total_label: Text = Field("Cộng", description="Tên dòng tổng.")
    rows: StrictInt = Field(20, ge=1, le=500, description="Số dòng tối đa (1–500).")
    unit: Text = Field("", description="Đơn vị tính của các cột.")
    checks: list[CheckSpec] = Field(default_factory=list, description="Kiểm tra giữa các cột, trên mỗi dòng.")


class NarrativeSpec(Settings):
    """One free-text section of the sheet "Nội dung"."""

    model_config = ConfigDict(json_schema_extra={"description": "Một mục phần lời của trang “Nội dung”."})

    key: Text = Field(description="Mã mục (dùng trong mẫu Word: text.MÃ).", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: Text = Field(description="Tên mục.")
    style: Literal["bullets", "paragraphs"] = Field("bullets", description="bullets (gạch đầu dòng) hoặc paragraphs.")
    help: Text = Field("", description="Hướng dẫn nhập.")


InfoKind = Literal["text", "multiline", "date", "year", "choice"]


class InfoFieldSpec(Settings):
    """A field of the sheet "Thông tin chung" as this form changes it, or a field it adds (infofields.py)."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": "Một trường của trang Thông tin chung: đổi so với templates/common/info_fields.yaml,"
            " hoặc một trường mới của biểu mẫu này."
        }
    )

    label: Text | None = Field(None, description="Tên trường trong bảng tính (bắt buộc với trường mới).")
    kind: InfoKind | None = Field(None, description="Trường mới: text, multiline, date, year hoặc choice.")
    choices: list[Text] | None = Field(None, description="Các lựa chọn của trường choice, ví dụ loại đơn vị.")
    required: bool | None = Field(None, description="true: bắt buộc nhập; false: được để trống (tùy chọn).")
    default: Text | None = Field(None, description="Giá trị điền sẵn trong bảng tính trống.")
    help: Text | None = Field(None, description="Hướng dẫn in bên cạnh ô nhập.")
    absent: bool = Field(False, description="true: bỏ trường này khỏi bảng tính (mẫu Word không dùng).")
    after: Text = Field("", description="Trường mới: đặt sau trường có mã này (mặc định: cuối trang).")


class FormFile(Settings):
    """A form file (templates/<form>/form.yaml): docs/huong-dan-bieu-mau.md."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Tệp biểu mẫu baocao (form.yaml)",
        json_schema_extra={
            "$schema": "http://json-schema.org/draft-07/schema#",
            "description": "Biểu mẫu báo cáo: các Biểu mẫu, chỉ tiêu, bảng nhập theo dòng, phần lời và mẫu Word"
            " (docs/huong-dan-bieu-mau.md).",
        },
    )

    id: Text = Field(description="Mã biểu mẫu, ví dụ “hai_phong_2025”.")
    version: Text = Field(description="Phiên bản của biểu mẫu; ghi vào bảng tính.")
    title: Text = Field(description="Tên biểu mẫu.")
    province: Text = Field("", description="Tỉnh/thành phố dùng biểu mẫu.")
    superior: Text = Field("UBND tỉnh", description="Cơ quan nhận báo cáo, ví dụ “UBND thành phố”.")
    template: Text = Field(description="Mẫu Word của báo cáo, trong cùng thư mục.")
    numbers: Numbers = Field(default_factory=Numbers, description="Cách in số và tỷ lệ.")
    appendix: Appendix = Field(default_factory=Appendix, description="Phụ lục: tiêu đề, tên cột, đánh số.")
    tables: list[TableSpec] = Field(description="Các Biểu mẫu của Phụ lục, theo thứ tự.")
    grids: list[GridSpec] = Field(default_factory=list, description="Các bảng nhập theo dòng (mỗi lĩnh vực một dòng).")
    checks: list[CheckSpec] = Field(default_factory=list, description="Kiểm tra giữa các chỉ tiêu.")
    derived: list[RowSpec] = Field(default_factory=list, description="Chỉ tiêu phụ, chỉ dùng trong phần lời.")
    narrative: list[NarrativeSpec] = Field(default_factory=list, description="Các mục của trang Nội dung.")
    level: Text = Field("", description="Cấp mặc định (một khóa của levels).")
    levels: dict[str, Text] = Field(
        default_factory=dict, description="Các cấp báo cáo: {district: Cấp huyện, commune: Cấp xã}."
    )
    consolidated: Consolidated = Field(default_factory=Consolidated, description="Báo cáo tổng hợp của Sở.")
    compare: Compare = Field(default_factory=Compare, description="So sánh với kỳ trước (--previous).")
    info_fields: dict[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")], InfoFieldSpec] = Field(
        default_factory=dict,
        description="Trang Thông tin chung của biểu mẫu này: mã trường → thay đổi (nhãn, lựa chọn, bắt buộc,"
        " absent) so với templates/common/info_fields.yaml, hoặc trường mới.",
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of form.yaml (docs/form.schema.json)."""
    return FormFile.model_json_schema()


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
