"""The one library call behind the CLI, the batch and the web page.

read the workbook → validate → compute → format (context) → render → write.
Everything is gathered and checked first; files are written only afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from baocao.compute import compute_grids, compute_values, grid_totals
from baocao.context import build_context
from baocao.errors import InvalidInputError, PdfError
from baocao.form import Form
from baocao.office import convert_to_pdf
from baocao.problems import Problem, problem_report
from baocao.read import RawReport, read_workbook
from baocao.render import render_docx
from baocao.validate import validate, validate_grids
from baocao.write import fit_slug, write_atomic

PROBLEM_LIST_SUFFIX = ".kiem-tra.txt"


@dataclass(frozen=True)
class GenerateOptions:
    """How to generate: also a PDF; treat warnings as errors; force a form instead of the workbook's mark."""

    pdf: bool = False
    strict: bool = False
    form: Form | None = None


@dataclass
class Prepared:
    """A workbook read, checked, computed and formatted: everything needed to write it."""

    report: RawReport
    problems: list[Problem]
    values: dict[str, Decimal | str | None] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)

    def blocking(self, strict: bool = False) -> list[Problem]:
        """Problems that stop this report (errors; warnings too when strict)."""
        return [p for p in self.problems if p.is_error or strict]

    @property
    def output_stem(self) -> str:
        return report_stem(self.context["unit"]["name"], self.context["unit"]["type"], self.context["period"]["text"])


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


def compute_report(report: RawReport, *, check: bool = False) -> dict[str, Decimal | str | None]:
    """Every value of the report: the row-by-row tables (grids) first, then the Biểu mẫu rows,
    which may use the tables' totals. With check=True the tables' own checks add their problems."""
    grids = compute_grids(report.form, report.grids)
    if check:
        validate_grids(report, grids)
    return compute_values(report.form, {**report.values, **grid_totals(grids)})


def prepare(
    workbook: Path | str, options: GenerateOptions = GenerateOptions(), *, with_context: bool = True
) -> Prepared:
    """Read → compute → validate (checks may involve computed rows) → format.

    Raises WorkbookError only when the file cannot be read as a workbook at all.
    """
    report = read_workbook(Path(workbook), options.form)
    values = compute_report(report, check=True)
    prepared = Prepared(report=report, problems=validate(report, values), values=values)
    if with_context and not prepared.blocking(options.strict):
        prepared.context = build_context(report, values)
    return prepared


def write_prepared(
    prepared: Prepared, out_dir: Path | str, options: GenerateOptions = GenerateOptions()
) -> GenerateResult:
    """Render and write one prepared report (and its PDF when asked)."""
    result = GenerateResult(source=prepared.report.path, problems=prepared.problems)
    data = render_docx(prepared.report.form.template_path, prepared.context)
    result.docx = write_atomic(Path(out_dir) / f"{prepared.output_stem}.docx", data)
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
    when = datetime.now().strftime("%d/%m/%Y %H:%M")
    text = problem_report(Path(workbook).name, problems, when)
    data = text.encode("utf-8", "replace")  # a file name that is not UTF-8
    return write_atomic(problem_list_path(workbook, out_dir), data, sync=sync)


def generate(workbook: Path | str, out_dir: Path | str, options: GenerateOptions = GenerateOptions()) -> GenerateResult:
    """One workbook → one report. Raises InvalidInputError when the workbook has errors.

    When there are problems, their readable list is written beside the report
    ('<workbook>.kiem-tra.txt'), whether or not the report could be written.
    """
    prepared = prepare(workbook, options)
    blocking = prepared.blocking(options.strict)
    if prepared.problems:
        write_problem_list(prepared.report.path, prepared.problems, out_dir)
    if blocking:
        raise InvalidInputError(prepared.report.path, blocking, prepared.problems)
    return write_prepared(prepared, out_dir, options)
