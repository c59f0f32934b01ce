"""The parsed form file checked against the schema (schema.py); pydantic's errors become FormIssues.

Each error is phrased in Vietnamese with the line of the YAML key it concerns and, for an
unknown key, the closest known key (“có phải …?”). Pydantic's own English text is never shown.

Unknown keys are reported everywhere. The values of rows, tables, grids, checks and narrative
sections are checked by rows.py, whose messages name the row (“chỉ tiêu “x”: loại … không hợp
lệ”); here only the values of the top-level keys and of `numbers`, `appendix`, `consolidated`, `compare`.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from baocao.form.issues import FormIssues, did_you_mean
from baocao.form.schema import Appendix, Compare, Consolidated, FormFile, InfoFieldSpec, Numbers, Settings
from baocao.form.yamllines import LineDict, unquoted_comma_hint

# The sections whose values this module checks (rows.py checks the values of the others).
VALUE_SECTIONS = frozenset({"id", "version", "title", "province", "superior", "template", "level", "info_fields"})
SETTINGS = {"numbers": Numbers, "appendix": Appendix, "consolidated": Consolidated, "compare": Compare}
OPTIONAL_HINT = " (trường được để trống: viết “required: false”)"  # rows say `optional: true`, fields do not


def check_schema(data: LineDict, issues: FormIssues) -> tuple[Numbers, Appendix, Consolidated, Compare]:
    """Report every schema error of the file; the typed settings (defaults where a section has errors)."""
    try:
        FormFile.model_validate(data)
    except ValidationError as e:
        for error in e.errors():
            _report(data, error, issues)
    return tuple(_settings(model, data.get(key)) for key, model in SETTINGS.items())  # type: ignore[return-value]


def _settings(model: type[Settings], raw: Any) -> Any:
    try:
        return model.model_validate(raw or {})
    except ValidationError:
        return model()  # its errors are reported by check_schema


# --- one error -----------------------------------------------------------------------------


def _report(data: LineDict, error: Any, issues: FormIssues) -> None:
    loc = tuple(error["loc"])
    kind = error["type"]
    key_error = bool(loc) and loc[-1] == "[key]"  # a key of a dict with fixed keys (appendix.columns)
    if key_error:
        loc = loc[:-1]
    parent, model, what = _walk(data, loc[:-1] if loc else ())
    key = loc[-1] if loc else ""
    if kind in ("extra_forbidden", "invalid_key") or key_error:
        known = type_keys(model) if not key_error else _expected(error)
        where = parent.line_of_key(key) if isinstance(parent, LineDict) else 0
        comma = unquoted_comma_hint(parent, key) if isinstance(parent, dict) and not key_error else None
        hint = did_you_mean(key, known) or (OPTIONAL_HINT if model is InfoFieldSpec and key == "optional" else "")
        message = comma or f"khóa “{key}” không hợp lệ{hint}"
        issues.error(where, f"{what}: {message}.")
        return
    if kind == "missing" and len(loc) == 1:
        issues.error(0, f"thiếu khóa “{key}”.")
        return
    if not loc or (loc[0] not in VALUE_SECTIONS and loc[0] not in SETTINGS):
        return  # rows.py says it, naming the row
    if kind == "missing":
        issues.error(getattr(parent, "line", 0), f"{what}: thiếu khóa “{key}”.")
        return
    line = parent.line_of_key(key) if isinstance(parent, LineDict) else 0
    issues.error(line, f"{what}: {value_message(str(key), kind, error)}.")


def value_message(key: str, kind: str, error: Any) -> str:
    ctx = error.get("ctx") or {}
    if kind.startswith("int_"):
        return f"“{key}” phải là số nguyên"
    if kind.startswith("bool_"):
        return f"“{key}” phải là true hoặc false"
    if kind.startswith(("float_", "decimal_")):
        return f"“{key}” phải là một số"
    if kind.startswith("string_"):
        return f"“{key}” phải là chữ"
    if kind == "list_type":
        return f"“{key}” phải là một danh sách (mỗi mục một dòng bắt đầu bằng “- ”)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"“{key}” phải là một mục dạng “khóa: giá trị”"
    if kind in ("greater_than_equal", "greater_than"):
        return f"“{key}” không được nhỏ hơn {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"“{key}” không được lớn hơn {ctx.get('le', ctx.get('lt'))}"
    if kind == "literal_error":
        return f"“{key}” phải là một trong: {', '.join(f'“{x}”' for x in _expected(error))}"
    return f"giá trị của “{key}” không hợp lệ"


def _expected(error: Any) -> list[str]:
    return re.findall(r"'([^']*)'", str((error.get("ctx") or {}).get("expected", "")))


# --- where an error is -------------------------------------------------------------------


def _walk(data: LineDict, loc: tuple[Any, ...]) -> tuple[Any, Any, str]:
    """The mapping at `loc`, the schema type there, and how a message names it."""
    here: Any = data
    model: Any = FormFile
    trail: list[Any] = []
    what = "tệp biểu mẫu"
    for step in loc:
        here = _step(here, step)
        model = _inner(model, step)
        trail.append(step)
        what = _name(tuple(trail), here, data, what)
    return here, model, what


def _step(value: Any, step: Any) -> Any:
    if isinstance(value, dict):
        return value.get(step)
    if isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
        return value[step]
    return None


def _inner(model: Any, step: Any) -> Any:
    """The type one step into `model` (a field of a model, an item of a list, a value of a dict)."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        field = model.model_fields.get(str(step))
        return _unwrap(field.annotation) if field else None
    origin = typing.get_origin(model)
    args = typing.get_args(model)
    if origin is list and args:
        return _unwrap(args[0])
    if origin is dict and len(args) == 2:
        return _unwrap(args[1])
    return None


def _unwrap(annotation: Any) -> Any:
    """The model inside Annotated[...] and `X | None`, else the annotation itself."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _unwrap(arg)
    return annotation


def type_keys(model: Any) -> list[str]:
    """The keys a mapping of this schema type may have."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _name(trail: tuple[Any, ...], here: Any, data: LineDict, before: str) -> str:
    """How the messages name the mapping at `trail` (the wording rows.py uses for the same thing)."""
    get = here.get if isinstance(here, dict) else (lambda _k, _d=None: None)
    top = trail[0]
    if len(trail) == 1:
        return str(top) if top in SETTINGS or top == "info_fields" else before
    if top == "info_fields" and len(trail) == 2:
        return f"info_fields.{trail[1]}"
    if top == "appendix" and trail[1:] == ("columns",):
        return "appendix.columns"
    if top in ("consolidated", "compare"):
        return f"{top}.{trail[1]}" if len(trail) == 2 else before
    if top == "tables" and len(trail) == 2:
        return f"bảng thứ {trail[1] + 1}"
    if top == "tables" and len(trail) == 4 and trail[2] == "rows":
        sheet = _step(_step(data.get("tables"), trail[1]), "sheet")
        return f"chỉ tiêu “{get('id')}”" if get("id") else f"{sheet}, hàng thứ {trail[3] + 1}"
    if top == "tables" and len(trail) == 3 and trail[2] == "columns":
        return f"{before}, columns"
    if top == "derived" and len(trail) == 2:
        return f"chỉ tiêu “{get('id')}”" if get("id") else f"derived, hàng thứ {trail[1] + 1}"
    if top == "grids":
        grid = _step(data.get("grids"), trail[1])
        grid_id = grid.get("id") if isinstance(grid, dict) else None
        if len(trail) == 2:
            return f"bảng “{grid_id or trail[1] + 1}”"
        if trail[2] == "columns" and isinstance(trail[-1], int):
            return f"bảng “{grid_id}”, cột “{get('id') or get('heading') or '?'}”"
        if trail[2] == "checks" and len(trail) == 4:
            return f"bảng “{grid_id or trail[1] + 1}”, mục kiểm tra"
    if top in ("checks", "narrative") and len(trail) == 2:
        return f"{top}, mục {trail[1] + 1}"
    return before
