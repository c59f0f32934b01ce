"""The form of a workbook that lost its mark sheet, recognised from its sheets and rows.

The blank-workbook writer stores the form id in the very hidden sheet `_baocao`. LibreOffice
shows that sheet after a re-save, and a clerk may delete it; a Hải Dương workbook would then be
read as the default Hải Phòng form with dozens of rows "missing". Instead, every installed form
is compared with the workbook: a form scores one point per indicator row whose label is found
in column B of the form's sheet. The unique best form is used, with a warning saying so; when
no form matches a row, or several match equally well, the workbook is refused with a message
naming the forms it could be.

Also here: the mark itself (`read_form_mark`), and `workbook_form`, the form a workbook is read with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from baocao import layout
from baocao.errors import FormError, WorkbookError
from baocao.form import Form, find_form, installed_forms
from baocao.intake.guard import find_sheet
from baocao.parse import normalize_label
from baocao.problems import WARNING, Problem


def _labels(wb: Any, wanted: str) -> set[str]:
    """Normalized labels of column B of a sheet (its name matched leniently); empty if absent."""
    sheet = find_sheet(wb, wanted)
    if sheet is None:
        return set()
    try:
        rows = wb.rows(sheet, max_row=layout.MAX_ROWS_READ, max_col=layout.NOTE_COL)
    except WorkbookError:  # a sheet that cannot be read counts for no form
        return set()
    return {
        normalize_label(r[layout.LABEL_COL - 1]) for r in rows if len(r) >= layout.LABEL_COL and r[layout.LABEL_COL - 1]
    }


def score(wb: Any, form: Form) -> tuple[int, int]:
    """(rows of the form found in the workbook, rows of the form)."""
    found = total = 0
    for table in form.tables:
        labels = _labels(wb, table.sheet)
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
    forms_named = [(form.title, form.id) for _found, _total, form in best]
    raise WorkbookError(path, "form-unrecognized", mark_sheet=layout.MARK_SHEET, forms=forms_named)


def read_form_mark(wb: Any) -> tuple[str | None, str | None]:
    """(form id, form version) stored by the blank-workbook writer, or (None, None)."""
    if layout.MARK_SHEET not in wb.sheetnames:
        return None, None
    rows = wb.rows(layout.MARK_SHEET, max_row=10, max_col=2)
    marks = {row[0]: row[1] for row in rows if len(row) >= 2 and row[0]}
    return marks.get("form_id"), marks.get("form_version")


def read_form_level(wb: Any) -> str | None:
    """The level (district, commune…) the blank workbook was made for, or None."""
    if layout.MARK_SHEET not in wb.sheetnames:
        return None
    rows = wb.rows(layout.MARK_SHEET, max_row=10, max_col=2)
    return next((row[1] for row in rows if len(row) >= 2 and row[0] == "form_level"), None) or None


def workbook_form(path: Path, wb: Any, forced: Form | None) -> tuple[Form, list[Problem]]:
    """The form the workbook was made with (or the forced one), and warnings about the mark."""
    form_id, version = read_form_mark(wb)
    notes: list[Problem] = []
    if forced is not None:
        return forced.at_level(read_form_level(wb)), notes
    if form_id is None:  # the mark sheet deleted: recognise the form by its sheets and rows
        form, note = recognize_form(path, wb)
        return form, [note]
    if form_id not in installed_forms():
        raise WorkbookError(path, "form-not-installed", form_id=form_id, installed=list(installed_forms()))
    form = find_form(form_id, read_form_level(wb))
    if version and str(version) != form.version:
        notes.append(
            Problem(
                "form-version-differs", WARNING, path.name, params={"version": str(version), "current": form.version}
            )
        )
    return form, notes
