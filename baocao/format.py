"""Step 4: turn read and computed values into the template context (docs/template-context.md).

Every figure is formatted here, once, so a value prints identically in the narrative
(`v.<id>`) and in the Phụ lục tables (`appendix.tables[*].rows[*].value`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Any

from markupsafe import Markup

from baocao.compute import GridValues, compute_grids
from baocao.form import Form, Grid, GridColumn, Row
from baocao.form.numstyle import figure_style
from baocao.layout import grid_header_cells
from baocao.periods import default_range, next_period_text, parse_period_kind, period_text
from baocao.read import RawReport
from baocao.vnformat import date_long, date_short, doc_reference, format_figure
from baocao.word.nd30 import NBSP
from baocao.word.runs import run_xml

_MARKER = re.compile(r"^([-–—•*+])\s*")


def build_context(
    report: RawReport, values: dict[str, Decimal | str | None], grids: dict[str, GridValues] | None = None
) -> dict[str, Any]:
    """The whole context for the Word template of report.form (`grids`: the tables already computed
    by the compute step; computed here only when not given)."""
    form, info = report.form, report.info
    grids = compute_grids(form, report.grids) if grids is None else grids
    unit = unit_context(info)
    period = period_context(info)
    doc = doc_context(info, unit, period)
    return {
        "unit": unit,
        "province": info.get("province") or form.province,
        "superior": form.superior,
        "period": period,
        "doc": doc,
        "signature": signature_context(info),
        "recipients": recipient_lines(info.get("recipients") or ""),
        "v": {
            **{r.id: "" for r in form.all_rows},
            **{r.id: narrative_value(form, r, values.get(r.id)) for r in form.rows},
        },
        "n": {**{r.id: None for r in form.all_rows}, **{r.id: condition_value(r, values.get(r.id)) for r in form.rows}},
        "text": {s.key: text_lines(report.text.get(s.key, ""), s.style) for s in form.narrative},
        "sections": [
            {"key": s.key, "label": s.label, "lines": text_lines(report.text.get(s.key, ""), s.style)}
            for s in form.narrative
        ],
        "grids": {gid: grid_context(form, g) for gid, g in grids.items()},
        "form": form_context(form),
        "appendix": appendix_context(form, values, report.remarks, doc, unit),
        "prev": None,  # the comparison with an earlier report, when there is one (baocao.history)
        "info": info_context(form, info),
    }


def info_context(form: Form, info: dict[str, Any]) -> dict[str, str]:
    """Every Thông tin chung field of the form as typed (a date as dd/mm/yyyy): a form's own fields reach the
    template as `info.<key>`."""
    return {
        f.key: date_short(v) if hasattr(v, "strftime") else str(v or "")
        for f in form.info_fields
        for v in [info.get(f.key)]
    }


def form_context(form: Form) -> dict[str, str]:
    """Which form and level made this report ("level" is "" for a form without levels)."""
    return {
        "id": form.id,
        "version": form.version,
        "title": form.title,
        "level": form.level,
        "level_label": form.levels.get(form.level, ""),
    }


def unit_context(info: dict[str, Any]) -> dict[str, str]:
    kind = (info.get("unit_type") or "Xã").strip()
    name = (info.get("unit_name") or "").strip()
    full = f"{kind.lower()} {name}"
    parent = info.get("parent_agency") or ""
    return {
        "type": kind.lower(),
        "type_title": kind[:1].upper() + kind[1:].lower(),
        "name": name,
        "full": full,
        "ubnd": f"UBND {full}",
        "ubnd_full": f"Ủy ban nhân dân {full}",
        "agency_upper": f"ỦY BAN NHÂN DÂN {full.upper()}",
        "parent_upper": parent.upper(),
    }


def period_context(info: dict[str, Any]) -> dict[str, str]:
    kind = parse_period_kind(str(info.get("period") or "Năm"))
    year = int(info.get("year") or 0)
    start, end = default_range(kind, year)
    start = info.get("date_from") or start
    end = info.get("date_to") or end
    return {
        "kind": kind.label,
        "text": period_text(kind, year),
        "next_text": next_period_text(kind, year),
        "year": str(year),
        "date_from": date_short(start),
        "date_to": date_short(end),
    }


def doc_context(info: dict[str, Any], unit: dict[str, str], period: dict[str, str]) -> dict[str, Any]:
    year = int(period["year"])
    sign_date = info.get("sign_date")
    sign_year = sign_date.year if sign_date else year
    ref = doc_reference(info.get("doc_number"), info.get("doc_symbol") or "BC-UBND")
    basis = [_strip_basis(line) for line in (info.get("basis") or "").split("\n") if line.strip()]
    subject = info.get("subject") or (
        f"Kết quả thực hiện công tác cải cách hành chính {period['text']}; phương hướng, nhiệm vụ {period['next_text']}"
    )
    place = info.get("place") or unit["name"]
    return {
        "number_line": f"Số: {ref}",
        "ref": ref,
        "place_date": f"{place}, {date_long(sign_date, sign_year)}",
        "date_long": date_long(sign_date, sign_year),
        "date_short": date_short(sign_date, sign_year),
        "subject": subject,
        "recipient": info.get("recipient") or "",
        "basis": basis,
        "basis_text": "; ".join(basis),
    }


def _strip_basis(line: str) -> str:
    line = _MARKER.sub("", line.strip()).rstrip(";. ")
    return re.sub(r"^thực hiện\s+", "", line, flags=re.IGNORECASE)


def signature_context(info: dict[str, Any]) -> dict[str, Any]:
    title = (info.get("signer_title") or "Chủ tịch").strip().upper()
    mode = (info.get("signing_mode") or "TM.").strip().upper().rstrip(".")
    lines = ["KT. CHỦ TỊCH", title] if mode == "KT" and title != "CHỦ TỊCH" else [title]
    return {"authority": "TM. ỦY BAN NHÂN DÂN", "title_lines": lines, "name": info.get("signer_name") or ""}


def recipient_lines(text: str) -> list[str]:
    """Nơi nhận, one per line: ';' after each, '.' after the last (the Lưu line)."""
    items = [_MARKER.sub("", line.strip()).rstrip(";.,") for line in text.split("\n")]
    items = [i for i in items if i]
    return [f"{item}{'.' if n == len(items) - 1 else ';'}" for n, item in enumerate(items)]


def text_lines(text: str, style: str) -> list[str]:
    """Free text → paragraphs; 'bullets' sections get '- ' (or keep '+ ' for sub-points)."""
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        m = _MARKER.match(line)
        body = line[m.end() :] if m else line
        if m and m.group(1) == "+":
            lines.append(f"+ {body}")
        elif m or style == "bullets":
            lines.append(f"- {body}")
        else:
            lines.append(line)
    return lines


def format_value(form: Form, row: Row, value: Decimal | str | None, *, for_table: bool) -> str:
    """A row's value as printed (in the row's number style, form/numstyle.py). Blank input: '' in the
    table, '0' in a sentence."""
    if row.kind == "header":
        return ""
    if row.kind == "choice":
        if value is None:
            return ""
        return str(int(value)) if for_table else row.choices.get(int(value), "")
    if row.kind == "text":
        return str(value or "")
    style = figure_style(form.numbers, row)
    if style is None:
        return ""
    if row.kind in ("rate", "percent"):
        if value is None and row.kind == "percent":
            return "" if for_table else style.no_value
        return format_figure(value, style)  # type: ignore[arg-type]
    if value is None and for_table:
        return ""
    return format_figure(value or Decimal(0), style)  # type: ignore[arg-type]


def narrative_value(form: Form, row: Row, value: Decimal | str | None) -> str:
    return format_value(form, row, value, for_table=False)


def condition_value(row: Row, value: Decimal | str | None) -> Decimal | str | None:
    """Raw value for template conditions: blank counts are 0, a rate without value is None."""
    if row.kind == "rate" or row.kind == "text":
        return value
    return value if value is not None else Decimal(0)


def appendix_context(
    form: Form,
    values: dict[str, Decimal | str | None],
    remarks: dict[str, str],
    doc: dict[str, Any],
    unit: dict[str, str],
) -> dict[str, Any]:
    appendix = form.appendix
    size = appendix.font_size * 2
    return {
        "title": appendix.title,
        "heading": appendix.heading,
        "subheading": appendix.subheading,
        "attached": f"(Kèm theo Báo cáo số {doc['ref']} ngày {doc['date_short']} của {unit['ubnd']})",
        "columns": appendix.columns,
        "tables": [
            {
                "sheet": table.sheet,
                "number": table.number,
                "title": table.title,
                "columns": {**appendix.columns, **table.columns},
                "footnote": table.footnote,
                "rows": group_rows(
                    [
                        table_row(form, row, values.get(row.id), remarks.get(row.id, row.remark), size)
                        for row in table.rows
                    ]
                ),
            }
            for table in form.tables
        ],
    }


def group_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark `keep_next` on group rows (a heading row, or a bold row over plain ones), never on a table's last row:
    the template keeps them on the page of the next row."""
    for row, after in pairwise(rows):
        row["keep_next"] = row["header"] or (row["bold"] and not (after["bold"] or after["header"]))
    if rows:
        rows[-1]["keep_next"] = False
    return rows


def unit_lines(row: Row) -> str:
    """Đơn vị tính of the Phụ lục; a coded row's options one per line, each kept whole ("Phát phiếu = 1")."""
    if row.kind != "choice":
        return row.unit_text
    options = [o.strip() for o in re.split(r"\s*;\s*|\n", row.unit_text) if o.strip()]
    return "\n".join(o.replace(" ", NBSP) for o in options)


def table_row(form: Form, row: Row, value: Decimal | str | None, remark: str, size: int) -> dict[str, Any]:
    """One Phụ lục row; each cell its runs (Markup) carrying the row's bold/italic."""
    bold, italic = row.bold, row.italic
    text = format_value(form, row, value, for_table=True)
    return {
        "id": row.id,
        "stt": _rich(row.stt, bold, italic, size),
        "label": _rich(row.display_label, bold, italic, size, row.note),
        "unit": _rich(unit_lines(row), bold, italic, size),
        "value": _rich(text, bold, italic, size),
        "value_text": text,
        "remark": _rich(remark, bold, italic, size),
        "bold": bold,
        "italic": italic,
        "header": row.kind == "header",
        "level": row.level,
    }


def rich_cell(text: str, bold: bool, italic: bool, size: int) -> Markup:
    """One Phụ lục cell's runs, in the schema's property order (also the roll-up's summed values)."""
    return _rich(text, bold, italic, size)


@lru_cache(maxsize=2048)  # a report's ~400 recurring cells stay; its ~10 one-off figures pass through
def _rich(text: str, bold: bool, italic: bool, size: int, note: str = "") -> Markup:
    """The runs of text (and an italic note after it), in the schema's property order
    (baocao/word/runs.py; docxtpl's RichText writes w:sz before w:b). Markup, which Jinja inserts
    as it is, exactly as it inserts a RichText's `xml`; immutable, so built once per process."""
    xml = run_xml(text, bold=bold, italic=italic, size=size)
    return Markup(xml + run_xml(f" {note}", bold=bold, italic=True, size=size) if note else xml)


# --- grids ---------------------------------------------------------------------------------


def grid_context(form: Form, values: GridValues) -> dict[str, Any]:
    grid = values.grid
    rows = [
        {"number": str(i), "label": row.label, **_grid_row_context(form, grid, cells)}
        for i, (row, cells) in enumerate(values.rows, 1)
    ]
    header: list[list[dict[str, Any]]] = [[] for _ in range(grid.depth)]
    for cell in grid_header_cells(grid):
        header[cell.row].append({"text": cell.text, "rowspan": cell.rowspan, "colspan": cell.colspan})
    return {
        "id": grid.id,
        "title": grid.title,
        "sheet": grid.sheet,
        "number_heading": grid.number_heading,
        "label_heading": grid.label_heading,
        "columns": [{"id": c.id, "heading": c.heading, "path": grid.heading_path(c.id)} for c in grid.leaves],
        "header_rows": header,
        "rows": rows,
        "total": {"label": grid.total_label, **_grid_row_context(form, grid, values.total)},
        "empty": not rows,
    }


def grid_cell_text(form: Form, column: GridColumn, value: Decimal | str | None) -> str:
    """A grid cell as printed: "2.645", "97,6%", "" for blank, "-" for a rate without denominator."""
    style = figure_style(form.numbers, column)
    if style is None:
        return ""
    if column.kind == "rate":
        return format_figure(value if isinstance(value, Decimal) else None, style)
    if not isinstance(value, Decimal):
        return ""
    return format_figure(value, style)


def _grid_row_context(form: Form, grid: Grid, values: dict[str, Decimal | str | None]) -> dict[str, Any]:
    cells = [grid_cell_text(form, c, values.get(c.id)) for c in grid.leaves]
    return {
        "v": {c.id: text for c, text in zip(grid.leaves, cells, strict=True)},
        "n": {c.id: _grid_condition(c, values.get(c.id)) for c in grid.leaves},
        "cells": cells,
    }


def _grid_condition(column: GridColumn, value: Decimal | str | None) -> Decimal | str | None:
    return value if column.kind == "rate" else (value if value is not None else Decimal(0))
