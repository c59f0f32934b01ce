"""The fields of the sheet "Thông tin chung": the common ones (templates/common/info_fields.yaml),
changed, added to or left out by a form's `info_fields:` (docs/huong-dan-bieu-mau.md §2.1).

A form that says nothing gets the common fields exactly. Its `info_fields:` maps a field key to what
changes: `label`, `choices`, `required`, `default`, `help`, `absent: true` (the field is not in the
workbook at all); a key that is not a common field adds a field (`label` and `kind` needed, placed
`after:` a field or at the end).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from baocao.errors import FormError
from baocao.form.issues import FormIssues, did_you_mean
from baocao.form.model import IDENTIFIER, InfoField
from baocao.form.schema import InfoFieldSpec
from baocao.form.yamllines import LineDict
from baocao.periods import parse_period_kind

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
INFO_FIELDS_FILE = TEMPLATES_DIR / "common" / "info_fields.yaml"

# The fields the generator itself needs, whatever the template: the report's period and the unit's
# name (file names, the period's dates, the roll-up). They cannot be absent nor optional.
CORE_FIELDS = frozenset({"unit_name", "period", "year"})


@cache
def load_info_fields(path: Path = INFO_FIELDS_FILE) -> tuple[InfoField, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise FormError(f"Không đọc được {path}: {e}") from e
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


def form_info_fields(data: LineDict, issues: FormIssues) -> tuple[InfoField, ...]:
    """The form's fields: the common ones with the form's `info_fields:` applied (its mistakes are issues)."""
    common = load_info_fields()
    raw = data.get("info_fields")
    if not isinstance(raw, LineDict) or not raw:
        return common  # absent, or not a mapping (the schema says so)
    fields = {f.key: f for f in common}
    left_out: set[str] = set()
    added: list[tuple[InfoField, str, int]] = []
    for key, entry in raw.items():
        if not isinstance(key, str) or not IDENTIFIER.match(key):
            continue  # the schema says the key is not valid
        line = raw.line_of_key(key)
        try:
            spec = InfoFieldSpec.model_validate(entry if entry is not None else {})
        except ValidationError:
            continue  # reported by the schema check, with its line
        where = f"info_fields.{key}"
        at = entry if isinstance(entry, LineDict) else raw
        if key in fields:
            changed = _changed(fields[key], spec, where, at, line, issues)
            fields[key] = changed
            if spec.absent:
                left_out.add(key)
        else:
            new = _added(str(key), spec, where, at, line, fields, issues)
            if new is not None and not spec.absent:
                added.append((new, spec.after, at.line_of_key("after")))
    result = [f for f in fields.values() if f.key not in left_out]
    for new, after, after_line in added:
        keys = [f.key for f in result]
        if after and after not in keys:
            issues.error(
                after_line,
                f"info_fields.{new.key}: “after” chỉ tới trường không có “{after}”{did_you_mean(after, keys)}.",
            )
        result.insert(keys.index(after) + 1 if after in keys else len(result), new)
    _check_labels(result, issues)
    return tuple(result)


def _changed(common: InfoField, spec: InfoFieldSpec, where: str, at: Any, line: int, issues: FormIssues) -> InfoField:
    """A common field as the form changes it."""
    if spec.kind is not None and spec.kind != common.kind:
        issues.error(
            at.line_of_key("kind"),
            f"{where}: không đổi được loại của trường chung “{common.key}” ({common.kind}); "
            "chỉ đổi được label, choices, required, default, help, absent.",
        )
    if spec.after:
        issues.error(at.line_of_key("after"), f"{where}: “after” chỉ dùng cho trường mới, không dời được trường chung.")
    if common.key in CORE_FIELDS and (spec.absent or spec.required is False):
        issues.error(
            at.line_of_key("absent" if spec.absent else "required"),
            f"{where}: trường “{common.label}” là trường máy cần để lập báo cáo (kỳ, năm báo cáo, tên đơn vị), "
            "không bỏ hay để tùy chọn được.",
        )
    choices = _choices(common.key, common.kind, spec, where, at, issues)
    return replace(
        common,
        label=spec.label if spec.label is not None else common.label,
        required=spec.required if spec.required is not None else common.required,
        default=spec.default if spec.default is not None else common.default,
        help=spec.help if spec.help is not None else common.help,
        choices=choices if choices is not None else common.choices,
        line=line,
    )


def _added(
    key: str, spec: InfoFieldSpec, where: str, at: Any, line: int, known: dict[str, InfoField], issues: FormIssues
) -> InfoField | None:
    """A field the form adds; it needs a label (a key close to a common one is probably a typo)."""
    if spec.label is None:
        issues.error(
            line,
            f"{where}: “{key}” không phải trường chung{did_you_mean(key, known)}; "
            "trường mới cần “label” (và “kind”, mặc định text).",
        )
        return None
    kind = spec.kind or "text"
    choices = _choices(key, kind, spec, where, at, issues)
    if kind == "choice" and not choices:
        issues.error(line, f"{where}: trường loại choice cần “choices” (danh sách các lựa chọn).")
    return InfoField(
        key=key,
        label=spec.label,
        kind=kind,
        required=bool(spec.required),
        default=spec.default or "",
        help=spec.help or "",
        choices=tuple(choices or ()),
        line=line,
    )


def _choices(
    key: str, kind: str, spec: InfoFieldSpec, where: str, at: Any, issues: FormIssues
) -> tuple[str, ...] | None:
    if spec.choices is None:
        return None
    line = at.line_of_key("choices")
    if kind != "choice":
        issues.error(line, f"{where}: “choices” chỉ dùng cho trường loại choice (trường này loại {kind}).")
        return None
    choices = tuple(c.strip() for c in spec.choices if c.strip())
    if not choices:
        issues.error(line, f"{where}: “choices” cần ít nhất một lựa chọn.")
    if any("," in c for c in choices):
        issues.error(line, f"{where}: một lựa chọn không được có dấu phẩy (Excel dùng dấu phẩy để tách các lựa chọn).")
    if key == "period":
        for choice in choices:
            try:
                parse_period_kind(choice)
            except ValueError:
                issues.error(line, f"{where}: “{choice}” không phải kỳ báo cáo máy hiểu được.")
    return choices


def _check_labels(fields: list[InfoField], issues: FormIssues) -> None:
    """The reader finds each field by its label: two fields may not share one."""
    seen: dict[str, InfoField] = {}
    for f in fields:
        folded = " ".join(f.label.split()).casefold()
        if not folded:
            issues.error(f.line, f"info_fields.{f.key}: “label” không được để trống.")
            continue
        if folded in seen:
            issues.error(f.line, f"info_fields.{f.key}: nhãn “{f.label}” trùng với trường “{seen[folded].key}”.")
        seen[folded] = f
