"""A form file read into a Form: YAML with line numbers → the schema's checks → the model, checked.

Every problem found in a form file is collected with the line it is on (FormIssue);
`load_form` raises FormError listing the errors, `inspect_form` returns them all (for
`python generate.py check-form`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import yaml

from baocao.errors import FormError
from baocao.form.checks import (
    check_grid_columns,
    check_ids,
    check_no_cycles,
    check_references,
    consolidated_settings,
    known_ids,
    levels_from_yaml,
    rate_checks,
    rows_at_level,
    shown_at,
)
from baocao.form.compare import compare_settings
from baocao.form.infofields import form_info_fields
from baocao.form.issues import FormIssue, FormIssues
from baocao.form.model import Form
from baocao.form.rows import checks_from_yaml, derived_from_yaml, grids_from_yaml, narrative_from_yaml, tables_from_yaml
from baocao.form.schemaissues import check_schema
from baocao.form.yamllines import LineDict, explain_yaml_error, load_yaml_with_lines


def read_form_yaml(path: Path, issues: FormIssues) -> LineDict | None:
    """The form file parsed with line numbers; YAML errors become issues."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise FormError(f"Không đọc được tệp biểu mẫu {path}: {e.strerror}.") from e
    except UnicodeDecodeError as e:
        raise FormError(f"Tệp biểu mẫu {path} không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8.") from e
    try:
        data, duplicates = load_yaml_with_lines(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        what = getattr(e, "problem", None) or str(e)
        column = f" (cột {mark.column + 1})" if mark else ""
        explained = explain_yaml_error(text, e)
        issues.error(mark.line + 1 if mark else 0, f"sai cú pháp YAML{column}: {explained or what}.")
        return None
    for dup in duplicates:
        issues.error(dup.line, f"khóa “{dup.key}” bị lặp trong cùng một mục; YAML chỉ giữ giá trị sau cùng.")
    if not isinstance(data, dict):
        issues.error(0, "tệp biểu mẫu không có nội dung (cần các khóa id, version, title, template, tables).")
        return None
    return data


def parse_form(path: Path, level: str | None, issues: FormIssues, *, require_template: bool = True) -> Form | None:
    """Build the Form at `level` (None: the form's default level), collecting every issue.

    `require_template=False` accepts a form whose Word template does not exist yet (the tool
    that builds templates needs that).
    """
    path = Path(path).resolve()
    data = read_form_yaml(path, issues)
    if data is None:
        return None
    numbers, appendix, consolidated, compare = check_schema(data, issues)
    tables = tables_from_yaml(data, appendix, issues)
    derived = derived_from_yaml(data, issues)
    grids = grids_from_yaml(data, issues)
    for grid in grids:
        check_grid_columns(grid, issues)
    all_rows = tuple(r for t in tables for r in t.rows) + derived
    check_ids(all_rows, grids, issues)
    sheets: dict[str, int] = {}
    for sheet, line in [(t.sheet, t.line) for t in tables] + [(g.sheet, g.line) for g in grids]:
        if sheet in sheets:
            issues.error(line, f"tên trang “{sheet}” bị trùng (đã dùng ở dòng {sheets[sheet]}).")
        sheets[sheet] = line
    levels, default_level = levels_from_yaml(data, all_rows, issues)
    check_references(all_rows, grids, levels, issues)
    check_no_cycles({r.id: r.sources for r in all_rows}, {r.id: r.line for r in all_rows}, issues)
    known = known_ids(all_rows, grids)
    checks = rate_checks(all_rows) + checks_from_yaml(data, known, issues)
    narrative = narrative_from_yaml(data, issues)
    info_fields = form_info_fields(data, issues)
    active = level or default_level
    if level and level not in levels:
        raise FormError(
            f"{path.name}: biểu mẫu không có cấp “{level}”. Các cấp: {', '.join(levels) or 'không phân cấp'}."
        )
    compare = compare_settings(compare, data, {r.id: r for r in all_rows}, issues)
    if issues.errors:
        return None
    shown = {r.id for r in all_rows if shown_at(r, active)} | {k for k in known if "." in k}
    form = Form(
        id=str(data["id"]),
        version=str(data["version"]),
        title=str(data["title"]),
        directory=path.parent,
        template=str(data["template"]),
        province=str(data.get("province") or ""),
        superior=str(data.get("superior") or "UBND tỉnh"),
        numbers=numbers,
        appendix=appendix,
        tables=tuple(
            replace(t, rows=rows_at_level(t.rows, active, shown))
            for t in tables
            if any(shown_at(r, active) for r in t.rows)
        ),
        derived=rows_at_level(derived, active, shown),
        narrative=narrative,
        info_fields=info_fields,
        checks=tuple(c for c in checks if all(k in shown for k in (*c.parts, c.whole))),
        grids=grids,
        level=active,
        levels=levels,
        all_rows=all_rows,
        source=path,
        consolidated=consolidated_settings(consolidated, {r.id: r for r in all_rows}, path),
        compare=compare,
        loader=load_form,
    )
    if require_template and not form.template_path.is_file():
        issues.error(
            data.line_of_key("template"), f"không tìm thấy mẫu Word “{form.template}” trong thư mục {path.parent}."
        )
        return None
    return form


def inspect_form(path: Path) -> tuple[Form | None, list[FormIssue]]:
    """The form (None when it has errors) and every issue of the form file itself."""
    issues = FormIssues(Path(path).name)
    form = parse_form(Path(path), None, issues)
    return form, issues.items


@cache
def load_form(path: Path, level: str | None = None) -> Form:
    """Read and check a form file; raises FormError listing every error with its line."""
    path = Path(path).resolve()
    issues = FormIssues(path.name)
    form = parse_form(path, level, issues)
    if form is None:
        errors = issues.errors
        more = f" (và {len(errors) - 1} lỗi khác; chạy python generate.py check-form {path} để xem hết)"
        raise FormError(f"{errors[0]}{more if len(errors) > 1 else ''}")
    return form
