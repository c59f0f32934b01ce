"""The form of a workbook that lost its mark sheet, recognised from its sheets and rows.

The blank-workbook writer stores the form id in the very hidden sheet `_baocao`. LibreOffice
shows that sheet after a re-save, and a clerk may delete it; a Hải Dương workbook would then be
read as the default Hải Phòng form with dozens of rows "missing". Instead, every installed form
is compared with the workbook: a form scores one point per indicator row whose label is found
in column B of the form's sheet. The unique best form is used, with a warning saying so; when
no form matches a row, or several match equally well, the workbook is refused with a message
naming the forms it could be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from baocao import layout
from baocao.errors import FormError, WorkbookError
from baocao.form import Form, find_form, installed_forms
from baocao.problems import WARNING, Problem


def _labels(wb: Any, sheet: str, normalize: Any) -> set[str]:
    """Normalized labels of column B of a sheet (its name matched leniently); empty if absent."""
    if sheet not in wb.sheetnames:
        sheet = next((s for s in wb.sheetnames if normalize(s) == normalize(sheet)), "")
        if not sheet:
            return set()
    try:
        rows = wb.rows(sheet, max_row=layout.MAX_ROWS_READ, max_col=layout.NOTE_COL)
    except WorkbookError:  # a sheet that cannot be read counts for no form
        return set()
    return {normalize(r[layout.LABEL_COL - 1]) for r in rows if len(r) >= layout.LABEL_COL and r[layout.LABEL_COL - 1]}


def score(wb: Any, form: Form) -> tuple[int, int]:
    """(rows of the form found in the workbook, rows of the form)."""
    from baocao.read import normalize_label  # read imports this module

    found = total = 0
    for table in form.tables:
        labels = _labels(wb, table.sheet, normalize_label)
        for row in table.rows:
            if row.kind == "header":
                continue
            total += 1
            wanted = {normalize_label(row.label), normalize_label(f"{row.label} {row.note}")}
            found += bool(labels & wanted)
    return found, total


def recognize_form(path: Path, wb: Any) -> tuple[Form, Problem]:
    """The best-matching installed form and a warning naming it; WorkbookError when unsure."""
    forms: list[tuple[int, int, Form]] = []
    for form_id in installed_forms():
        try:
            form = find_form(form_id)
        except FormError:
            continue
        forms.append((*score(wb, form), form))
    forms.sort(key=lambda f: -f[0])
    if len(forms) == 1 or (forms and forms[0][0] and forms[0][0] > forms[1][0]):
        found, total, form = forms[0]
        params = {"found": found, "total": total, "mark_sheet": layout.MARK_SHEET, "form_title": form.title}
        return form, Problem("form-recognized", WARNING, path.name, params={**params, "form_id": form.id})
    best = [f for f in forms if f[0] == forms[0][0]] if forms else []
    names = "; ".join(f"“{form.title}” ({form.id})" for _found, _total, form in best)
    raise WorkbookError(
        path,
        f"bảng tính không có dấu biểu mẫu (trang “{layout.MARK_SHEET}” bị xóa) và không nhận ra được biểu mẫu "
        f"theo các trang, các dòng chỉ tiêu: có thể là {names}. Chạy lại với --form và mã biểu mẫu đúng, "
        "hoặc chép số liệu sang bảng tính mẫu của biểu mẫu đó (python generate.py new-input --form …).",
    )
