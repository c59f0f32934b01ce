"""The installed forms (templates/*/form.yaml) and the form a command names."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from baocao.errors import FormError
from baocao.form.infofields import TEMPLATES_DIR
from baocao.form.load import load_form
from baocao.form.model import Form

DEFAULT_FORM_ID = "hai_phong_2025"


@cache
def installed_forms(templates_dir: Path = TEMPLATES_DIR) -> dict[str, Path]:
    """Form id → form file, for every templates/*/form.yaml (the `id:` line only is read)."""
    found: dict[str, Path] = {}
    for path in sorted(templates_dir.glob("*/form.yaml")):
        if path.parent.name.startswith("_"):  # templates/_starter: what `new-form --blank` copies
            continue
        found[_form_id(path) or path.parent.name] = path
    return found


def _form_id(path: Path) -> str:
    """The top-level `id:` of a form file, without parsing the whole file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    match = re.search(r"^id:(.*)$", text, re.MULTILINE)
    try:
        value = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        return ""
    return str(value) if value else ""


def find_form(form_id: str | None = None, level: str | None = None) -> Form:
    """The installed form with this id (the default form when None), at `level` (None: its default)."""
    forms = installed_forms()
    wanted = form_id or DEFAULT_FORM_ID
    if wanted not in forms:
        raise FormError(f"Không có biểu mẫu “{wanted}”. Các biểu mẫu đã cài: {', '.join(forms) or 'không có'}.")
    return load_form(forms[wanted], level or None)


def form_from_argument(value: str | None, level: str | None = None) -> Form:
    """A form named on the command line: an installed form id, or the path of a form.yaml (or its folder)."""
    if value and (value.endswith((".yaml", ".yml")) or "/" in value or "\\" in value or Path(value).is_dir()):
        path = Path(value)
        if path.is_dir():
            path = path / "form.yaml"
        if not path.is_file():
            raise FormError(f"Không tìm thấy tệp biểu mẫu {path}.")
        return load_form(path.resolve(), level or None)
    return find_form(value, level)
