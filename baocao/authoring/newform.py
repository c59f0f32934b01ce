"""`python generate.py new-form NAME`: a new form, from an installed one, the starter, or a form document.

* `--from FORM_ID` copies an installed form; the copy keeps the form file's comments and layout,
  only its `id`, `version` and `title` lines are rewritten, and the Word template is copied
  unchanged. `copied_tags` lists the template's tags that name the old form's rows, sections and
  grids: the ones the author must replace when the rows change.
* `--blank` copies `templates/_starter/` (a tiny form marked as the starter, and a Word template
  whose sentences name no row).
* `--from-document FILE` reads the form's table(s) from a .docx or .xlsx (baocao.authoring.read),
  guesses the rows (baocao.authoring.guess) and writes form.yaml beside the starter's template.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from baocao.authoring.guess import form_yaml_from_document
from baocao.authoring.templatecheck import tag_uses, template_source
from baocao.errors import FormError
from baocao.form import TEMPLATES_DIR, Form, find_form, installed_forms, load_form

FORM_NAME = re.compile(r"^[a-z][a-z0-9_]{1,60}$")
DRAFT_VERSION = "0.1"
STARTER_DIR = TEMPLATES_DIR / "_starter"


def new_form(name: str, source_id: str, *, parent: Path | None = None, title: str | None = None) -> Path:
    """Create <parent>/<name>/ with form.yaml and the template of `source_id`; returns the folder."""
    folder = _target(name, parent)
    source = find_form(source_id)
    if source.source is None:  # pragma: no cover - every loaded form has its file
        raise FormError(f"Không tìm thấy tệp của biểu mẫu “{source_id}”.")
    text = _renamed(source.source.read_text(encoding="utf-8"), name, title or f"{source.title} (bản sao: {name})")
    return _write(folder, text, source.template, source.template_path)


def new_blank_form(name: str, *, parent: Path | None = None, title: str | None = None) -> Path:
    """Create <parent>/<name>/ from templates/_starter/ (zero check-form errors); returns the folder."""
    folder = _target(name, parent)
    text = (STARTER_DIR / "form.yaml").read_text(encoding="utf-8")
    text = _renamed(text, name, title or f"Biểu mẫu {name} (mới, từ biểu mẫu khởi đầu)")
    return _write(folder, text, "bao_cao.docx", STARTER_DIR / "bao_cao.docx")


def new_form_from_document(
    name: str, document: Path, *, parent: Path | None = None, title: str | None = None
) -> tuple[Path, dict[str, int]]:
    """Create <parent>/<name>/ from a form document; returns the folder and counts of what was guessed."""
    folder = _target(name, parent)
    text, counts = form_yaml_from_document(Path(document), name, title)
    return _write(folder, text, "bao_cao.docx", STARTER_DIR / "bao_cao.docx"), counts


def _target(name: str, parent: Path | None) -> Path:
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
    return folder


def _renamed(text: str, name: str, title: str) -> str:
    text = set_top_level(text, "id", name)
    text = set_top_level(text, "version", DRAFT_VERSION)
    return set_top_level(text, "title", title)


def _write(folder: Path, text: str, template_name: str, template_source: Path) -> Path:
    """form.yaml and the template into a new folder, which is removed again if the form does not load."""
    folder.mkdir(parents=True)
    try:
        (folder / "form.yaml").write_text(text, encoding="utf-8")
        template = folder / template_name
        template.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template_source, template)
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


# --- the copied template's tags that name the old form --------------------------------------

TAG_GROUPS: tuple[tuple[str, str, Callable[[Form], list[str]]], ...] = (
    ("chỉ tiêu", "v./n.", lambda f: [r.id for r in f.all_rows]),
    ("mục phần lời", "text.", lambda f: [s.key for s in f.narrative]),
    ("bảng nhập theo dòng", "grids.", lambda f: [g.id for g in f.grids]),
)


def copied_tags(form: Form) -> list[tuple[str, str, list[str]]]:
    """(what, prefix, names) for the rows, sections and grids of `form` that its Word template names."""
    paths = {u.path for u in tag_uses(template_source(form.template_path))}
    named = {
        "v./n.": {p[1] for p in paths if len(p) > 1 and p[0] in ("v", "n")},
        "text.": {p[1] for p in paths if len(p) > 1 and p[0] == "text"},
        "grids.": {p[1] for p in paths if len(p) > 1 and p[0] == "grids"},
    }
    found = []
    for what, prefix, known in TAG_GROUPS:
        names = list(dict.fromkeys(n for n in known(form) if n in named[prefix]))
        if names:
            found.append((what, prefix, names))
    return found
