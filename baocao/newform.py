"""`python generate.py new-form NAME --from FORM_ID`: a new form, copied from an installed one.

The copy keeps the form file's comments and layout; only its `id`, `version` and `title` lines
are rewritten, so that the new form never collides with the one it came from. The Word
template is copied unchanged: the author edits both (docs/huong-dan-bieu-mau.md).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from baocao.errors import FormError
from baocao.form import TEMPLATES_DIR, find_form, installed_forms, load_form

FORM_NAME = re.compile(r"^[a-z][a-z0-9_]{1,60}$")
DRAFT_VERSION = "0.1"


def new_form(name: str, source_id: str, *, parent: Path | None = None, title: str | None = None) -> Path:
    """Create <parent>/<name>/ with form.yaml and the template of `source_id`; returns the folder."""
    if not FORM_NAME.match(name):
        raise FormError(
            f"Tên biểu mẫu “{name}” không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới, "
            "bắt đầu bằng chữ, ví dụ: quang_ninh_2026."
        )
    parent = Path(parent) if parent else TEMPLATES_DIR
    folder = parent / name
    if folder.exists():
        raise FormError(f"Thư mục {folder} đã có. Chọn tên khác hoặc xóa thư mục đó.")
    if parent.resolve() == TEMPLATES_DIR.resolve() and name in installed_forms():
        raise FormError(f"Đã có biểu mẫu mã “{name}”. Chọn tên khác.")
    source = find_form(source_id)
    if source.source is None:  # pragma: no cover - every loaded form has its file
        raise FormError(f"Không tìm thấy tệp của biểu mẫu “{source_id}”.")
    text = source.source.read_text(encoding="utf-8")
    text = set_top_level(text, "id", name)
    text = set_top_level(text, "version", DRAFT_VERSION)
    text = set_top_level(text, "title", title or f"{source.title} (bản sao: {name})")
    folder.mkdir(parents=True)
    try:
        (folder / "form.yaml").write_text(text, encoding="utf-8")
        template = folder / source.template
        template.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source.template_path, template)
        load_form((folder / "form.yaml").resolve())
    except (OSError, FormError):
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def set_top_level(text: str, key: str, value: str) -> str:
    """Rewrite the line `key: …` at the top level of a YAML text (comments elsewhere kept)."""
    line = f"{key}: {json.dumps(value, ensure_ascii=False)}"
    pattern = re.compile(rf"^{re.escape(key)}:.*$", re.MULTILINE)
    if not pattern.search(text):
        raise FormError(f"Tệp biểu mẫu gốc không có dòng “{key}:” ở đầu dòng.")
    return pattern.sub(lambda _: line, text, count=1)
