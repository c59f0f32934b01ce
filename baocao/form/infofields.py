"""The fields of the sheet "Thông tin chung", common to every form (templates/common/info_fields.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from baocao.errors import FormError
from baocao.form.model import InfoField

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
INFO_FIELDS_FILE = TEMPLATES_DIR / "common" / "info_fields.yaml"


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
