"""`python generate.py check-form`: a form file and its Word template, checked together.

The form file's own problems come from baocao.form.load (each with its line). Then the template:
its Jinja must parse; every top-level name it uses must exist (docxtpl's
`get_undeclared_template_variables`); every `v.X`, `n.X`, `text.X`, `grids.X…`, `unit.X`… must
name something the form gives the template (checked against a context built for the form,
the same builder the reports use); and every row, narrative section and grid should be shown
somewhere, or it is typed for nothing (a warning, with the form file's line); so should every Thông tin
chung field and the Ghi chú column (fielduse.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from baocao.form.fielduse import unprinted_columns, unused_fields, values_printed
from baocao.form.issues import FormIssue, FormIssues, did_you_mean
from baocao.form.load import inspect_form
from baocao.form.model import Form
from baocao.format import build_context
from baocao.history.figures import prev_context, sample_figures
from baocao.read import GridRow, RawReport
from baocao.render import jinja_environment

ANY = "*"  # a path step standing for "each element of this list"


@dataclass(frozen=True)
class TagUse:
    """One attribute path the template uses, e.g. ("grids", "files_by_field", "rows", "*", "v", "online")."""

    path: tuple[str, ...]
    written: str  # as written in the template: "r.v.online"


def check_form_file(path: Path | str) -> list[FormIssue]:
    """Every issue of the form file and, when the form loads, of its Word template."""
    form, issues = inspect_form(Path(path))
    issues = sorted(issues, key=lambda i: i.line)
    if form is not None:
        issues = issues + check_template(form)
    return issues


# --- the template's Jinja ------------------------------------------------------------------


def template_source(template: Path) -> str:
    """The Jinja source docxtpl renders: the body, headers and footers, tags cleaned as docxtpl does."""
    tpl = DocxTemplate(template)
    document = Document(template)
    xml = tpl.patch_xml(tpl.xml_to_string(document._element.body))
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in document.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                xml += tpl.patch_xml(tpl.xml_to_string(etree.fromstring(rel.target_part.blob)))
    return xml.replace("</w:p>", "</w:p>\n")  # one line per paragraph, so Jinja's line numbers point at one


def _dotted(node: nodes.Node) -> list[str] | None:
    """["r", "v", "online"] for r.v.online (or r["v"]["online"]); None for anything else."""
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return None if base is None else [*base, node.attr]
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _dotted(node.node)
        return None if base is None else [*base, node.arg.value]
    return None


def tag_uses(source: str) -> list[TagUse]:
    """Every attribute path of the template, loop variables resolved in their scope ("for r in grids.x.rows")."""
    uses: dict[tuple[str, ...], TagUse] = {}

    def visit(node: nodes.Node, scope: dict[str, tuple[str, ...]]) -> None:
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            inner = dict(scope)
            iterated = _dotted(node.iter)
            if isinstance(node.target, nodes.Name) and iterated:
                inner[node.target.name] = (*_resolve(iterated, scope), ANY)
            for child in (*node.body, *([node.test] if node.test else [])):
                visit(child, inner)
            for child in node.else_:
                visit(child, scope)
            return
        parts = _dotted(node) if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name) else None
        if parts:
            path = _resolve(parts, scope)
            uses.setdefault(path, TagUse(path, ".".join(parts)))
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(jinja_environment().parse(source), {})
    return list(uses.values())


def _resolve(parts: list[str], loops: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if parts[0] in loops:
        return (*loops[parts[0]], *parts[1:])
    return tuple(parts)


def remarks_printed(form: Form) -> bool:
    """Whether the form's template prints the Biểu mẫu rows' Ghi chú (`row.remark` in the Phụ lục loop), so that
    the blank workbook leaves those cells open; True when the template cannot be read (nothing is locked)."""
    try:
        stat = form.template_path.stat()
        paths = _template_paths(form.template_path, stat.st_mtime_ns, stat.st_size)
    except Exception:  # missing, damaged, bad Jinja: check-form says so; the workbook stays as it was
        return True
    return any(p[:6] == ("appendix", "tables", ANY, "rows", ANY, "remark") for p in paths)


@cache
def _template_paths(template: Path, _mtime: int, _size: int) -> frozenset[tuple[str, ...]]:
    return frozenset(u.path for u in tag_uses(template_source(template)))


# --- what the template may use -------------------------------------------------------------


def sample_context(form: Form) -> dict[str, Any]:
    """A context with every key a report of this form has (one made-up row per grid)."""
    report = RawReport(path=Path("mau.xlsx"), form=form, info={"year": 2000, "period": "Năm"})
    for grid in form.grids:
        report.grids[grid.id] = [GridRow(label="…", values={c.id: Decimal(1) for c in grid.leaves})]
    context = build_context(report, {})
    figures = sample_figures(form)
    context["prev"] = prev_context(form, figures, replace(figures, year=figures.year - 1))  # every compare: row
    return context


def _walk(context: Any, use: TagUse, form: Form, failed: set[tuple[str, ...]], issues: FormIssues) -> None:
    """Follow the path in the context; report the first step that names nothing (once per name)."""
    here: Any = context
    for depth, step in enumerate(use.path):
        if step == ANY:
            if isinstance(here, list) and here:
                here = here[0]
                continue
            return
        if not isinstance(here, dict):
            return  # a value (string, number, RichText): its own attributes are Jinja's business
        if step not in here:
            if use.path[: depth + 1] not in failed:
                failed.add(use.path[: depth + 1])
                issues.error(0, _unknown(use, depth, here, form))
            return
        here = here[step]


def _unknown(use: TagUse, depth: int, known: dict[str, Any], form: Form) -> str:
    path, step = use.path, use.path[depth]
    hint = did_you_mean(step, known)
    if depth == 0:
        return f"thẻ dùng “{use.written}”: mẫu Word không có biến “{step}” (xem docs/template-context.md){hint}."
    if depth == 1 and path[0] in ("v", "n"):
        return f"thẻ dùng “{use.written}”: không có chỉ tiêu “{step}” trong {_form_name(form)}{hint}."
    if depth == 1 and path[0] == "text":
        return f"thẻ dùng “{use.written}”: không có mục “{step}” trong “narrative” của {_form_name(form)}{hint}."
    if depth == 1 and path[0] == "grids":
        return f"thẻ dùng “{use.written}”: không có bảng “{step}” trong “grids” của {_form_name(form)}{hint}."
    if path[0] == "grids" and depth >= 4 and path[depth - 1] in ("v", "n"):
        return f"thẻ dùng “{use.written}”: bảng “{path[1]}” không có cột “{step}”{hint}."
    written = use.written.split(".")
    shift = len(path) - len(written)  # steps a loop variable stands for ("t" = appendix.tables.*)
    owner = ".".join(written[: depth - shift]) if depth - shift >= 1 else ".".join(path[:depth])
    return f"thẻ dùng “{use.written}”: “{owner}” không có “{step}”{hint}."


def _form_name(form: Form) -> str:
    return form.source.name if form.source else "tệp biểu mẫu"


# --- the whole template --------------------------------------------------------------------


def check_template(form: Form) -> list[FormIssue]:
    """The template's problems (file = the template) and the form's rows it never shows (file = form)."""
    template = form.template_path
    tissues = FormIssues(template.name)
    try:
        source = template_source(template)
    except Exception as e:  # python-docx / lxml raise many kinds on a damaged file
        tissues.error(0, f"không mở được mẫu Word ({type(e).__name__}: {e}). Hãy lưu lại bằng Word dạng .docx.")
        return tissues.items
    try:
        uses = tag_uses(source)
    except TemplateSyntaxError as e:
        near = _near(source, e.lineno) if "end of template" not in str(e.message) else ""
        tissues.error(0, f"thẻ Jinja sai: {e.message}" + (f" (ở đoạn “{near}”)." if near else ""))
        return tissues.items
    context = sample_context(form)
    undeclared = DocxTemplate(template).get_undeclared_template_variables(jinja_environment(), context)
    for name in sorted(undeclared):
        tissues.error(
            0,
            f"thẻ dùng biến “{name}”, không có trong dữ liệu của báo cáo (xem docs/template-context.md)"
            f"{did_you_mean(name, context)}.",
        )
    failed: set[tuple[str, ...]] = set()
    for use in uses:
        if use.path[0] in context:
            _walk(context, use, form, failed, tissues)
    paths = {u.path for u in uses}
    typed = unshown(form, uses) + unused_fields(form, paths) + unprinted_columns(form, paths)
    return tissues.items + sorted(typed, key=lambda i: i.line)


def _near(source: str, line: int | None) -> str:
    """The text of the paragraph on that line of the source (tags of Word's XML removed)."""
    lines = source.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[line - 1] if line and line <= len(lines) else "")
    return " ".join(text.split())[:100]


def unshown(form: Form, uses: list[TagUse]) -> list[FormIssue]:
    """Rows, narrative sections and grids of the form that the template never shows (warnings)."""
    issues = FormIssues(_form_name(form))
    paths = {u.path for u in uses}
    named = {p[1] for p in paths if len(p) > 1 and p[0] in ("v", "n")}
    looped = any(p[:4] == ("appendix", "tables", ANY, "rows") for p in paths)
    tables_shown = looped and values_printed(paths)
    table_rows = {r.id for r in form.all_rows} - {r.id for r in form.derived}
    template = form.template
    for row in form.all_rows:
        if row.kind == "header" or row.id in named or (tables_shown and row.id in table_rows):
            continue
        if row.id in table_rows and looped:
            issues.warning(
                row.line,
                f"chỉ tiêu “{row.id}” không được mẫu Word {template} in ra (vòng lặp appendix.tables không in"
                f" row.value, không có v.{row.id} hay n.{row.id}).",
            )
        elif row.id in table_rows:
            issues.warning(
                row.line,
                f"chỉ tiêu “{row.id}” không được mẫu Word {template} in ra (không có vòng lặp appendix.tables,"
                f" không có v.{row.id} hay n.{row.id}).",
            )
        else:
            issues.warning(row.line, f"chỉ tiêu phụ “{row.id}” không được mẫu Word {template} dùng (v.{row.id}).")
    texts = {p[1] for p in paths if len(p) > 1 and p[0] == "text"}
    all_sections = any(p[:2] == ("sections", ANY) for p in paths)
    for section in form.narrative:
        if section.key not in texts and not all_sections:
            issues.warning(
                section.line, f"mục “{section.key}” không được mẫu Word {template} in ra (text.{section.key})."
            )
    grids = {p[1] for p in paths if len(p) > 1 and p[0] == "grids"}
    for grid in form.grids:
        if grid.id not in grids:
            issues.warning(grid.line, f"bảng “{grid.id}” không được mẫu Word {template} in ra (grids.{grid.id}).")
    return issues.items
