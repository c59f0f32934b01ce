"""The one orchestration of one report, behind `render`, `check`, the batch and the web page.

`prepare`: read the workbook → compute → validate → format (context), nothing written;
`write`: render → write (atomically: the .docx, its problem list) → PDF when asked.
Everything is gathered and checked first; files are written only afterwards. A `Prepared` is
also what the batch spools between its passes (`dump` / `load_prepared`).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from baocao.compute import GridValues, compute_grids, compute_values, grid_totals
from baocao.errors import PdfError
from baocao.expected import Expected, mismatches
from baocao.form import Form, load_form
from baocao.format import build_context
from baocao.history.figures import Figures, figures_of, prev_context
from baocao.history.previous import PreviousMismatch, mismatch, previous_problem
from baocao.messages import problem_report
from baocao.office.libreoffice import convert_to_pdf
from baocao.problems import Problem
from baocao.read import RawReport, read_workbook
from baocao.render import render_docx
from baocao.validate import validate, validate_grids
from baocao.write import fit_slug, write_atomic

PROBLEM_LIST_SUFFIX = ".kiem-tra.txt"


@dataclass(frozen=True)
class GenerateOptions:
    """How to generate: also a PDF; treat warnings as errors; force a form instead of the workbook's mark;
    the commune, period and form the workbook must be (errors when it is not: intake.expected)."""

    pdf: bool = False
    strict: bool = False
    form: Form | None = None
    expected: Expected | None = None


@dataclass
class Prepared:
    """A workbook read, checked, computed and formatted: everything needed to write it."""

    report: RawReport
    problems: list[Problem]
    values: dict[str, Decimal | str | None] = field(default_factory=dict)
    grids: dict[str, GridValues] = field(default_factory=dict)  # the row-by-row tables, computed once
    context: dict[str, Any] = field(default_factory=dict)
    previous: Figures | None = None  # the earlier report it compares with (baocao.history: the template's `prev`)

    def blocking(self, strict: bool = False) -> list[Problem]:
        """Problems that stop this report (errors; warnings too when strict)."""
        return [p for p in self.problems if p.is_error or strict]

    def format(self) -> dict[str, Any]:
        """The format step (once): the template context, from the values and tables already computed."""
        if not self.context:
            self.context = build_context(self.report, self.values, self.grids)
            if self.previous is not None:
                self.context["prev"] = prev_context(self.report.form, self.figures(), self.previous)
        return self.context

    def figures(self) -> Figures:
        """This report as a later one compares with it (ValueError when its period cannot be read)."""
        errors = len([p for p in self.problems if p.is_error])
        return figures_of(self.report.form, self.report.info, self.values, self.report.path.name, errors)

    def compare_with(self, previous: Prepared) -> list[Problem]:
        """Make this report compare with `previous` (its template's `prev`), both prepared (pipeline.prepare).

        Raises PreviousMismatch (a Vietnamese sentence) when they are not the same commune and form, or
        `previous` is not an earlier period. When `previous` has errors its figures are not used: the
        warning returned says so (the caller adds it to the current report's problems). Call before
        `self.format()` (or `pipeline.write`).
        """
        now = self.figures()
        try:
            before = previous.figures()
        except (ValueError, TypeError):  # its period cannot be read: one of its errors
            before = None
        errors = len(previous.blocking())
        if before is not None:
            reason = mismatch(now, before)
            if reason:
                raise PreviousMismatch(reason)
        if before is None or errors:
            return [previous_problem(self.report.path.name, before, errors, previous.report.path.name)]
        self.previous = before
        self.context = {}  # formatted again, with `prev`
        return []

    @property
    def output_stem(self) -> str:
        return report_stem(self.context["unit"]["name"], self.context["unit"]["type"], self.context["period"]["text"])

    @property
    def form_file(self) -> Path:
        form = self.report.form
        return form.source or form.directory / "form.yaml"

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its form (the form file and level instead; load_form reads it once per process)
        and without its context (made again by format(), in the process that writes)."""
        state = dict(self.__dict__)
        state["report"] = replace(self.report, form=None)
        state["form"] = (str(self.form_file), self.report.form.level)
        state["context"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        form_file, level = state.pop("form")
        self.__dict__.update(state)
        self.report.form = load_form(Path(form_file), level or None)

    def dump(self, folder: str | Path) -> str:
        """Spool this report to a new file in folder (the batch's passes run in other processes); its path."""
        fd, spool = tempfile.mkstemp(dir=folder, suffix=".pickle")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        return spool


def load_prepared(spool: str | Path) -> Prepared:
    """A report spooled by Prepared.dump."""
    with open(spool, "rb") as f:
        return pickle.load(f)


@dataclass
class GenerateResult:
    source: Path
    docx: Path | None = None
    pdf: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    pdf_error: str = ""


def report_stem(unit_name: str, unit_type: str, period_text: str) -> str:
    """ASCII file name that sorts by commune name: 'nhi-chieu_phuong_bao-cao-cchc_6-thang-dau-nam-2026'."""
    return f"{fit_slug(unit_name)}_{fit_slug(unit_type, 20)}_bao-cao-cchc_{fit_slug(period_text, 40)}"


def compute_report(
    report: RawReport, *, check: bool = False
) -> tuple[dict[str, Decimal | str | None], dict[str, GridValues]]:
    """Every value of the report and its computed tables: the row-by-row tables (grids) first, then
    the Biểu mẫu rows, which may use the tables' totals. With check=True the tables' own checks add
    their problems."""
    grids = compute_grids(report.form, report.grids)
    if check:
        validate_grids(report, grids)
    return compute_values(report.form, {**report.values, **grid_totals(grids)}), grids


def prepare(
    workbook: Path | str, options: GenerateOptions = GenerateOptions(), *, with_context: bool = True
) -> Prepared:
    """Read → compute → validate (checks may involve computed rows) → format (unless with_context
    is False: `check`, and the batch, which formats in its write pass, Prepared.format).

    Raises WorkbookError only when the file cannot be read as a workbook at all.
    """
    report = read_workbook(Path(workbook), options.form)
    values, grids = compute_report(report, check=True)
    problems = validate(report, values)
    if options.expected is not None:
        problems = mismatches(report, options.expected) + problems
    prepared = Prepared(report=report, problems=problems, values=values, grids=grids)
    if with_context and not prepared.blocking(options.strict):
        prepared.format()
    return prepared


def write(
    prepared: Prepared,
    out_dir: Path | str,
    options: GenerateOptions = GenerateOptions(),
    *,
    stem: str = "",
    sync: bool = True,
) -> GenerateResult:
    """Render and write one prepared report: its .docx (named `stem`, else from the unit and period),
    its problem list when it has problems, and its PDF when asked. sync=False: the caller flushes
    the folder once (write.sync_folders)."""
    out_dir = Path(out_dir)
    result = GenerateResult(source=prepared.report.path, problems=prepared.problems)
    data = render_docx(prepared.report.form.template_path, prepared.format())
    result.docx = write_atomic(out_dir / f"{stem or prepared.output_stem}.docx", data, sync=sync)
    if prepared.problems:
        write_problem_list(prepared.report.path, prepared.problems, out_dir, sync=sync)
    if options.pdf:
        try:
            result.pdf = convert_to_pdf(result.docx)
        except PdfError as e:
            result.pdf_error = str(e)
    return result


def problem_list_path(workbook: Path, out_dir: Path | str) -> Path:
    """Where the readable problem list of a workbook goes: '<workbook name>.kiem-tra.txt' in out_dir."""
    return Path(out_dir) / f"{fit_slug(Path(workbook).stem, 120)}{PROBLEM_LIST_SUFFIX}"


def write_problem_list(workbook: Path, problems: list[Problem], out_dir: Path | str, *, sync: bool = True) -> Path:
    """The readable problem list of a workbook ('<workbook>.kiem-tra.txt'), written atomically."""
    when = datetime.now().strftime("%d/%m/%Y %H:%M")
    text = problem_report(Path(workbook).name, problems, when)
    data = text.encode("utf-8", "replace")  # a file name that is not UTF-8
    return write_atomic(problem_list_path(workbook, out_dir), data, sync=sync)
