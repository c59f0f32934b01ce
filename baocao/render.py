"""Step 5: fill a form's Word template with the context (docxtpl + Jinja, autoescaped)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError

from baocao.errors import RenderError


@cache
def jinja_environment() -> Environment:
    """One Jinja environment for every template: unknown names are errors, values are escaped."""
    return Environment(undefined=StrictUndefined, autoescape=True)


@cache
def _template_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise RenderError(f"Không đọc được mẫu Word {path}: {e.strerror}.") from e


def render_docx(template_path: Path, context: dict[str, Any]) -> bytes:
    """The filled .docx as bytes; RenderError names the template and the faulty tag."""
    template = DocxTemplate(io.BytesIO(_template_bytes(Path(template_path))))
    try:
        template.render(context, jinja_env=jinja_environment(), autoescape=True)
    except UndefinedError as e:
        raise RenderError(
            f"Mẫu Word {Path(template_path).name} dùng một biến không có: {e.message}. "
            "Sửa thẻ trong mẫu Word (xem docs/template-context.md)."
        ) from e
    except TemplateError as e:
        raise RenderError(f"Mẫu Word {Path(template_path).name} có thẻ Jinja sai: {e}.") from e
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
