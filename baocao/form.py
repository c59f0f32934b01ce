"""Load a form definition (templates/<form>/form.yaml) into plain dataclasses.

A form says which Biểu mẫu and rows the report has, which rows the clerk types and
which the generator computes, and which Word template renders it. Nothing about a
particular province or year lives in Python: the code reads any file of this format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from baocao.errors import FormError

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: ~10× faster
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_FORM_ID = "hai_phong_2025"
INFO_FIELDS_FILE = TEMPLATES_DIR / "common" / "info_fields.yaml"

INPUT_KINDS = frozenset({"number", "percent", "choice", "text"})
COMPUTED_KINDS = frozenset({"rate", "sum", "difference"})
ROW_KINDS = INPUT_KINDS | COMPUTED_KINDS | {"header"}
STYLES = frozenset({"normal", "italic", "bold"})


@dataclass(frozen=True)
class Row:
    """One indicator row of a Biểu mẫu (or a derived value used only by the narrative)."""

    id: str
    label: str
    kind: str
    stt: str = ""
    note: str = ""
    unit: str = ""
    remark: str = ""
    decimals: int | None = None  # None: the form's default (0 for numbers, rate_decimals for rates)
    style: str = "normal"
    optional: bool = False
    choices: dict[int, str] = field(default_factory=dict)
    num: str = ""
    den: str = ""
    terms: tuple[str, ...] = ()
    exceed: str = "error"  # rate rows: numerator above denominator is an error | warning | allowed

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS

    @property
    def is_computed(self) -> bool:
        return self.kind in COMPUTED_KINDS

    @property
    def sources(self) -> tuple[str, ...]:
        """Row ids this row is computed from."""
        if self.kind == "rate":
            return (self.num, self.den)
        return self.terms

    @property
    def unit_text(self) -> str:
        """Đơn vị tính as printed; coded rows list their codes ("Không = 0 Có = 1")."""
        if self.kind == "choice" and not self.unit:
            return "\n".join(f"{label} = {code}" for code, label in self.choices.items())
        return self.unit


@dataclass(frozen=True)
class Table:
    """One Biểu mẫu: a workbook sheet and a table of the Phụ lục."""

    sheet: str
    title: str
    rows: tuple[Row, ...]
    footnote: str = ""


@dataclass(frozen=True)
class InfoField:
    """One field of the sheet "Thông tin chung"."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    default: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class NarrativeSection:
    """One free-text section of the sheet "Nội dung"."""

    key: str
    label: str
    style: str = "bullets"
    help: str = ""


SEVERITIES = {"error": "lỗi", "warning": "cảnh báo"}
RELATIONS = frozenset({"<=", "="})


@dataclass(frozen=True)
class Check:
    """A rule between rows: the parts, added up, are at most (<=) or exactly (=) the whole."""

    parts: tuple[str, ...]
    whole: str
    relation: str = "<="
    severity: str = "error"


@dataclass(frozen=True)
class Form:
    id: str
    version: str
    title: str
    directory: Path
    template: str
    province: str
    superior: str
    numbers: dict[str, Any]
    appendix: dict[str, Any]
    tables: tuple[Table, ...]
    derived: tuple[Row, ...]
    narrative: tuple[NarrativeSection, ...]
    info_fields: tuple[InfoField, ...]
    checks: tuple[Check, ...] = ()
    consolidated: dict[str, Any] = field(default_factory=dict)

    @property
    def template_path(self) -> Path:
        return self.directory / self.template

    @property
    def rows(self) -> tuple[Row, ...]:
        """Every row of every table, then the derived rows."""
        return tuple(r for t in self.tables for r in t.rows) + self.derived

    def row(self, row_id: str) -> Row:
        return self._rows_by_id()[row_id]

    def _rows_by_id(self) -> dict[str, Row]:
        return {r.id: r for r in self.rows}


def _row_from_yaml(raw: dict[str, Any], where: str) -> Row:
    unknown = set(raw) - {
        "stt",
        "id",
        "label",
        "note",
        "unit",
        "remark",
        "kind",
        "decimals",
        "style",
        "optional",
        "choices",
        "num",
        "den",
        "terms",
        "exceed",
    }
    if unknown:
        raise FormError(f"{where}: khóa không hợp lệ {sorted(unknown)}.")
    for key in ("id", "label", "kind"):
        if not raw.get(key) and raw.get(key) != 0:
            raise FormError(f"{where}: thiếu khóa “{key}”.")
    choices = {int(k): str(v) for k, v in (raw.get("choices") or {}).items()}
    return Row(
        id=str(raw["id"]),
        label=str(raw["label"]),
        kind=str(raw["kind"]),
        stt=str(raw.get("stt") or ""),
        note=str(raw.get("note") or ""),
        unit=str(raw.get("unit") or ""),
        remark=str(raw.get("remark") or ""),
        decimals=int(raw["decimals"]) if raw.get("decimals") is not None else None,
        style=str(raw.get("style") or "normal"),
        optional=bool(raw.get("optional", False)),
        choices=choices,
        num=str(raw.get("num") or ""),
        den=str(raw.get("den") or ""),
        terms=tuple(str(t) for t in raw.get("terms") or ()),
        exceed=str(raw.get("exceed") or "error"),
    )


def _check_rows(rows: tuple[Row, ...], path: Path) -> None:
    """Reject duplicate ids, unknown kinds and formulas that name missing rows or loop."""
    seen: dict[str, Row] = {}
    for row in rows:
        where = f"{path.name}, chỉ tiêu “{row.id}”"
        if row.id in seen:
            raise FormError(f"{where}: mã chỉ tiêu bị trùng.")
        if row.kind not in ROW_KINDS:
            raise FormError(f"{where}: loại “{row.kind}” không hợp lệ ({', '.join(sorted(ROW_KINDS))}).")
        if row.style not in STYLES:
            raise FormError(f"{where}: kiểu chữ “{row.style}” không hợp lệ.")
        if row.kind == "choice" and not row.choices:
            raise FormError(f"{where}: chỉ tiêu mã hóa phải có “choices”.")
        if row.kind == "rate" and not (row.num and row.den):
            raise FormError(f"{where}: tỷ lệ phải có “num” và “den”.")
        if row.kind in ("sum", "difference") and not row.terms:
            raise FormError(f"{where}: phải có “terms”.")
        if row.exceed not in (*SEVERITIES, "allowed"):
            raise FormError(f"{where}: “exceed” phải là error, warning hoặc allowed.")
        seen[row.id] = row
    for row in rows:
        for source in row.sources:
            if source not in seen:
                raise FormError(f"{path.name}, chỉ tiêu “{row.id}”: tham chiếu tới chỉ tiêu không có “{source}”.")
            if seen[source].kind in ("header", "text", "choice"):
                raise FormError(
                    f"{path.name}, chỉ tiêu “{row.id}”: không tính được từ “{source}” ({seen[source].kind})."
                )
    _check_no_cycles(seen, path)


def _consolidated_settings(raw: dict[str, Any], rows: dict[str, Row], path: Path) -> dict[str, Any]:
    """The `consolidated:` section with defaults; rate ids must be rate or percent rows."""
    settings = {
        "template": "tong_hop.docx",
        "issuer": "Sở Nội vụ",
        "doc_symbol": "BC-SNV",
        "signer_title": "Giám đốc",
        "recipients": ["Lưu: VT"],
        "key_rates": [],
        "chart_rates": [],
        "low_rate": 90,
        **raw,
    }
    for key in ("key_rates", "chart_rates"):
        for row_id in settings[key]:
            if row_id not in rows or rows[row_id].kind not in ("rate", "percent"):
                raise FormError(f"{path.name}, consolidated.{key}: “{row_id}” không phải chỉ tiêu tỷ lệ.")
    short = dict(settings.get("short_labels") or {})
    rate_ids = (*settings["key_rates"], *settings["chart_rates"])
    settings["short_labels"] = {r: short.get(r) or rows[r].label for r in rate_ids}
    return settings


def _rate_checks(rows: tuple[Row, ...]) -> tuple[Check, ...]:
    """Every rate's numerator is at most its denominator, unless the row says `exceed: allowed`."""
    return tuple(
        Check(parts=(r.num,), whole=r.den, relation="<=", severity=r.exceed)
        for r in rows
        if r.kind == "rate" and r.exceed != "allowed"
    )


def _check_from_yaml(raw: dict[str, Any], where: str, rows: dict[str, Row]) -> Check:
    unknown = set(raw) - {"parts", "whole", "relation", "severity"}
    if unknown:
        raise FormError(f"{where}: khóa không hợp lệ {sorted(unknown)}.")
    parts = tuple(str(p) for p in raw.get("parts") or ())
    whole = str(raw.get("whole") or "")
    if not parts or not whole:
        raise FormError(f"{where}: phải có “parts” và “whole”.")
    for row_id in (*parts, whole):
        if row_id not in rows:
            raise FormError(f"{where}: tham chiếu tới chỉ tiêu không có “{row_id}”.")
        if rows[row_id].kind in ("header", "text", "choice"):
            raise FormError(f"{where}: “{row_id}” không phải chỉ tiêu số.")
    relation = str(raw.get("relation") or "<=")
    severity = str(raw.get("severity") or "error")
    if relation not in RELATIONS:
        raise FormError(f"{where}: “relation” phải là <= hoặc =.")
    if severity not in SEVERITIES:
        raise FormError(f"{where}: “severity” phải là error hoặc warning.")
    return Check(parts=parts, whole=whole, relation=relation, severity=severity)


def _check_no_cycles(rows: dict[str, Row], path: Path) -> None:
    state: dict[str, int] = {}

    def visit(row_id: str, trail: list[str]) -> None:
        if state.get(row_id) == 2:
            return
        if state.get(row_id) == 1:
            cycle = " → ".join([*trail[trail.index(row_id) :], row_id])
            raise FormError(f"{path.name}: công thức vòng tròn: {cycle}.")
        state[row_id] = 1
        for source in rows[row_id].sources:
            visit(source, [*trail, row_id])
        state[row_id] = 2

    for row_id in rows:
        visit(row_id, [])


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except OSError as e:
        raise FormError(f"Không đọc được tệp biểu mẫu {path}: {e.strerror}.") from e
    except yaml.YAMLError as e:
        raise FormError(f"Tệp biểu mẫu {path} sai cú pháp YAML: {e}") from e
    if not isinstance(data, dict):
        raise FormError(f"Tệp biểu mẫu {path} không có nội dung.")
    return data


@cache
def load_info_fields(path: Path = INFO_FIELDS_FILE) -> tuple[InfoField, ...]:
    data = _load_yaml(path)
    return tuple(
        InfoField(
            key=f["key"],
            label=f["label"],
            kind=f.get("kind", "text"),
            required=bool(f.get("required", False)),
            default=str(f.get("default") or ""),
            help=str(f.get("help") or ""),
            choices=tuple(f.get("choices") or ()),
        )
        for f in data["fields"]
    )


@cache
def load_form(path: Path) -> Form:
    """Read and check a form file; raises FormError naming the file and the row."""
    path = Path(path).resolve()
    data = _load_yaml(path)
    for key in ("id", "version", "title", "template", "tables"):
        if key not in data:
            raise FormError(f"{path.name}: thiếu khóa “{key}”.")
    tables = tuple(
        Table(
            sheet=str(t["sheet"]),
            title=str(t.get("title") or ""),
            footnote=str(t.get("footnote") or ""),
            rows=tuple(_row_from_yaml(r, f"{path.name}, {t['sheet']}, hàng {i}") for i, r in enumerate(t["rows"], 1)),
        )
        for t in data["tables"]
    )
    derived = tuple(
        _row_from_yaml(r, f"{path.name}, derived, hàng {i}") for i, r in enumerate(data.get("derived") or [], 1)
    )
    _check_rows(tuple(r for t in tables for r in t.rows) + derived, path)
    all_rows = tuple(r for t in tables for r in t.rows) + derived
    checks = _rate_checks(all_rows) + tuple(
        _check_from_yaml(c, f"{path.name}, checks, mục {i}", {r.id: r for r in all_rows})
        for i, c in enumerate(data.get("checks") or [], 1)
    )
    narrative = tuple(
        NarrativeSection(key=s["key"], label=s["label"], style=s.get("style", "bullets"), help=s.get("help", ""))
        for s in data.get("narrative") or []
    )
    form = Form(
        id=str(data["id"]),
        version=str(data["version"]),
        title=str(data["title"]),
        directory=path.parent,
        template=str(data["template"]),
        province=str(data.get("province") or ""),
        superior=str(data.get("superior") or "UBND tỉnh"),
        numbers={
            "rate_decimals": 1,
            "whole_rate_without_decimals": False,
            "no_value": "-",
            **(data.get("numbers") or {}),
        },
        appendix=dict(data.get("appendix") or {}),
        tables=tables,
        derived=derived,
        narrative=narrative,
        info_fields=load_info_fields(),
        checks=checks,
        consolidated=_consolidated_settings(data.get("consolidated") or {}, {r.id: r for r in all_rows}, path),
    )
    if not form.template_path.is_file():
        raise FormError(f"{path.name}: không tìm thấy mẫu Word “{form.template}” trong {path.parent}.")
    return form


@cache
def installed_forms(templates_dir: Path = TEMPLATES_DIR) -> dict[str, Path]:
    """Form id → form file, for every templates/*/form.yaml."""
    found: dict[str, Path] = {}
    for path in sorted(templates_dir.glob("*/form.yaml")):
        found[_load_yaml(path).get("id", path.parent.name)] = path
    return found


def find_form(form_id: str | None = None) -> Form:
    """The installed form with this id (the default form when None)."""
    forms = installed_forms()
    wanted = form_id or DEFAULT_FORM_ID
    if wanted not in forms:
        raise FormError(f"Không có biểu mẫu “{wanted}”. Các biểu mẫu đã cài: {', '.join(forms) or 'không có'}.")
    return load_form(forms[wanted])
