"""A commune's workbook in the portal: the upload's checks (the CLI's, with the page's commune, period
and form expected), its highlighted copy, and the pre-filled workbook of a period.

Every workbook is read in an isolated worker process (baocao.isolate), never in a web thread: a
workbook that crashes the reader fails alone, and the server goes on.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baocao.errors import BaocaoError, WorkbookError, about
from baocao.expected import MISMATCH_CODES, Expected
from baocao.form import find_form
from baocao.isolate import Failure, IsolatedPool, read_failure
from baocao.messages import Audience, problem_line
from baocao.pipeline import GenerateOptions, prepare
from baocao.portal.models import Period, Submission, Unit
from baocao.portal.periods import order
from baocao.portal.rates import Rates, key_rates
from baocao.portal.service import upload_path
from baocao.problems import Problem
from baocao.read import read_workbook
from baocao.workbook.annotate import annotated_copy
from baocao.workbook.blank import blank_workbook
from baocao.write import write_atomic

# Thông tin chung fields never carried from the last period: the commune and the period are this
# one's, and the dates (of the data, of signing) belong to a period.
NOT_CARRIED = {"province", "unit_type", "unit_name", "period", "year"}


class UploadRefused(BaocaoError):
    """The workbook is not the page's (another commune, period or form): not kept, not a version."""


def expected_of(period: Period, unit: Unit) -> Expected:
    return Expected(period.form_id, unit.unit_type, unit.name, period.period, period.year)


def run_apart(fn: Callable[[Any], Any], item: Any, path: Path) -> Any:
    """fn(item) in an isolated worker; WorkbookError (about `path`) when the worker failed."""
    with IsolatedPool(1) as pool:
        (result,) = list(pool.map(fn, [item]))
        if isinstance(result, Failure):
            raise read_failure(path, result, pool.limits)
    return result


@contextmanager
def stored_copy(data_dir: Path, sha: str) -> Iterator[Path]:
    """A stored upload (kept without a suffix) as a temporary '.xlsx' file the reader accepts."""
    with tempfile.TemporaryDirectory(prefix="portal-stored-", dir=data_dir) as work:
        path = Path(work) / "bang-tinh.xlsx"
        shutil.copyfile(upload_path(data_dir, sha), path)
        yield path


def marked_path(data_dir: Path, sha: str) -> Path:
    """Where the highlighted copy of the upload `sha` is kept (made once, from the stored original)."""
    return Path(data_dir) / "marked" / sha[:2] / f"{sha}.xlsx"


def _check_and_mark(path: Path, options: GenerateOptions, marked: Path) -> tuple[list[Problem], Rates] | WorkbookError:
    """In a worker: the CLI's checks of the workbook and its key rates; when it has problems (and is
    the page's workbook), its highlighted copy written to `marked`. Why, as data, when it cannot be read."""
    try:
        prepared = prepare(path, options, with_context=False)
        problems = prepared.problems
        if problems and not any(p.code in MISMATCH_CODES for p in problems):
            write_atomic(marked, annotated_copy(path, problems))
    except BaocaoError as e:
        return about(e, path)
    return problems, key_rates(prepared)


def check_upload(data_dir: Path, path: Path, sha: str, period: Period, unit: Unit) -> tuple[list[Problem], Rates]:
    """The problems and key rates of an uploaded workbook (its highlighted copy kept by its sha256 when it
    has problems); UploadRefused naming what differs when it is not the commune's, the period's or the form's."""
    marked = marked_path(data_dir, sha)
    marked.parent.mkdir(parents=True, exist_ok=True)
    options = GenerateOptions(expected=expected_of(period, unit))
    result = run_apart(partial(_check_and_mark, options=options, marked=marked), path, path)
    if isinstance(result, WorkbookError):
        raise result
    wrong = [p for p in result[0] if p.code in MISMATCH_CODES]
    if wrong:
        lines = " ".join(problem_line(p, Audience.PAGE) for p in wrong)
        raise UploadRefused(f"Không nhận bảng tính này: nó không phải bảng tính của trang này. {lines}")
    return result


def marked_copy(data_dir: Path, sha: str, period: Period, unit: Unit) -> Path:
    """The highlighted copy of a stored upload (made again from the original if it is not kept)."""
    marked = marked_path(data_dir, sha)
    if not marked.exists():
        with stored_copy(data_dir, sha) as path:
            check_upload(data_dir, path, sha, period, unit)
    return marked


# --- the pre-filled workbook ----------------------------------------------------------------


def last_submission(session: Session, period: Period, unit: Unit) -> Submission | None:
    """The commune's submission of its last period: the latest earlier period of the same form it sent."""
    earlier = [
        s
        for s in session.scalars(
            select(Submission).join(Period).where(Submission.unit_id == unit.id, Period.form_id == period.form_id)
        )
        if s.versions and order(s.period) < order(period)
    ]
    return max(earlier, key=lambda s: order(s.period), default=None)


def _carried(path: Path) -> dict[str, Any] | str:
    """In a worker: the Thông tin chung fields and narrative texts of a workbook, to be carried over."""
    try:
        report = read_workbook(path)
    except BaocaoError as e:
        return str(e)
    info = {k: v for k, v in report.info.items() if k not in NOT_CARRIED and v not in (None, "")}
    kinds = {f.key: f.kind for f in report.form.info_fields}
    info = {k: v for k, v in info.items() if kinds.get(k) != "date"}
    return {"info": info, "text": {k: v for k, v in report.text.items() if v}}


def prefilled(session: Session, data_dir: Path, period: Period, unit: Unit) -> bytes:
    """The period's workbook for the commune: its name and the period, and (where it sent its last
    period of the same form) that period's Thông tin chung fields and narrative texts."""
    data: dict[str, Any] = {"info": {}, "text": {}}
    previous = last_submission(session, period, unit)
    if previous is not None:
        with stored_copy(data_dir, previous.latest.sha256) as path:
            carried = run_apart(_carried, path, path)
        if isinstance(carried, dict):  # an old upload that no longer reads: only the names are filled
            data = carried
    data["info"].update(
        province=unit.province, unit_type=unit.unit_type, unit_name=unit.name, period=period.period, year=period.year
    )
    return blank_workbook(find_form(period.form_id), data)
