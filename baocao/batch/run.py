"""Many workbooks in one run: every commune's report, and per province and period the
consolidated report, tong_hop.xlsx and a zip of everything.

1. check: every workbook is prepared (pipeline.prepare, in isolated workers); the prepared report
   itself is spooled to a temporary folder (Prepared.dump) and only a small summary (batchmodel.Checked)
   comes back, so memory does not grow with the count;
2. decide (baocao.batch.decide): duplicates, other provinces and other periods are reported, never merged;
3. write: each spooled report is written by pipeline.write (same order and bytes as a serial run);
4. roll up: each group of the same province, form and period is summed from the spool.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from baocao.batch.citybatch import Expanded, expand, settle
from baocao.batch.consolidate import (
    Rollup,
    UnitLine,
    chart_data,
    consolidated_context,
    render_consolidated,
)
from baocao.batch.decide import decide
from baocao.batch.mapping import map_isolated, map_items
from baocao.batch.model import BatchOptions, BatchResult, Checked, Group
from baocao.batch.outputs import planned_outputs, rollup_names
from baocao.batch.previous import PREVIOUS_CODES, check_previous, pair_previous, rollup_prev
from baocao.batch.summary import summary_workbook
from baocao.errors import BaocaoError, BatchError, CodedError, about, as_data
from baocao.form import load_form
from baocao.isolate import Failure, IsolatedPool, WorkerLimits, read_failure, work_failure
from baocao.messages import phrase
from baocao.office.libreoffice import convert_pdfs, convert_to_pdf
from baocao.periods import parse_period_kind, period_text
from baocao.pipeline import GenerateOptions, load_prepared, prepare, problem_list_path, write, write_problem_list
from baocao.problems import FileName, Problem, unusable
from baocao.stages import Held, Hold, Progress, Stage, UnitStatus
from baocao.write import prepare_folder, refuse_overwriting, slugify, sync_folders, write_atomic, write_zip
from baocao.xmltext import xml_safe

__all__ = ["BatchOptions", "BatchResult", "Checked", "Group", "Progress", "map_items", "run_batch"]


# --- pass 1: check --------------------------------------------------------------------------


def check_one(path: Path, spool_dir: str, strict: bool, form_path: str, figures: bool = True) -> Checked:
    """Prepare one workbook (pipeline.prepare); spool it when it may be written. Runs in a worker.
    `figures`: keep the figures a comparison with another period needs (the parent holds them for
    every commune until the batch ends, so they are left out when nothing is compared)."""
    form = load_form(Path(form_path)) if form_path else None
    checked = Checked(source=path)
    try:
        prepared = prepare(path, GenerateOptions(strict=strict, form=form), with_context=False)
    except BaocaoError as e:
        why = about(e, path)
        checked.held = Held(Hold.UNREADABLE, why, FileName(path.name) if why is e else "")
        checked.problems = [unusable(FileName(path.name), why)]
        return checked
    report = prepared.report
    info = report.info
    checked.problems = prepared.problems
    checked.form_path = str(prepared.form_file)
    checked.form_level = report.form.level
    checked.province = info.get("province") or report.form.province
    checked.unit_type = info.get("unit_type") or ""
    checked.unit_name = info.get("unit_name") or ""
    if "unit_name" in report.cells:
        checked.name_cell = (*report.cells["unit_name"], report.label_of("unit_name"))
    try:
        checked.period = period_text(parse_period_kind(str(info.get("period"))), int(info.get("year") or 0))
    except (ValueError, TypeError):
        checked.period = ""
    if figures:
        with contextlib.suppress(ValueError, TypeError):  # an unreadable period: its error says so
            checked.figures = prepared.figures()
    if prepared.blocking(strict):
        return checked
    checked.spool = prepared.dump(spool_dir)
    return checked


# --- pass 3: write --------------------------------------------------------------------------


def write_one(checked: Checked, out_dir: Path) -> Checked:
    """Render and write one checked commune from its spool (pipeline.write). Runs in a worker."""
    prepared = load_prepared(checked.spool)
    prepared.previous = checked.previous
    prepared.problems += [p for p in checked.problems if p.code in PREVIOUS_CODES]
    try:
        checked.docx = write(prepared, out_dir, stem=checked.stem, sync=False).docx  # synced by run_batch
    except BaocaoError as e:
        checked.held = Held(Hold.NOT_WRITTEN, as_data(e))  # (no WorkbookError here: the workbook was read)
    except Exception as e:  # a bug must cost this commune its report, not the whole batch
        internal = BatchError("report-internal", name=checked.name, error=type(e).__name__)
        checked.held = Held(Hold.NOT_WRITTEN, internal)
    values = prepared.values
    rate_ids = prepared.report.form.consolidated.key_rates
    checked.rates = {r: values.get(r) if isinstance(values.get(r), Decimal) else None for r in rate_ids}
    return checked


# --- the run --------------------------------------------------------------------------------


def run_batch(
    paths: Iterable[Path],
    out_dir: Path,
    options: BatchOptions = BatchOptions(),
    progress: Progress | None = None,
) -> BatchResult:
    """Check every workbook, decide, write the reports, then roll up each group."""
    workbooks = sorted({Path(p) for p in paths}, key=lambda p: str(p))
    workers = options.workers or os.cpu_count() or 1
    out_dir = Path(out_dir)
    prepare_folder(out_dir)
    form_path = str(options.form.directory / "form.yaml") if options.form else ""
    limits = options.limits
    with tempfile.TemporaryDirectory(prefix="baocao-spool-") as spool_dir, IsolatedPool(workers, limits) as pool:

        def unsplit(path: Path, failure: Failure) -> Expanded:
            return Expanded(path, [], failed=[(path, "", read_failure(path, failure, limits))])

        split = partial(expand, work=spool_dir)
        expanded = list(map_isolated(pool, split, workbooks, None, "", unsplit))
        inputs = [item for e in expanded for item in e.items]
        compared = bool(options.previous)
        check = partial(check_one, spool_dir=spool_dir, strict=options.strict, form_path=form_path, figures=compared)
        crashed = partial(_crashed, limits=limits)
        checked = list(map_isolated(pool, check, [path for path, _ in inputs], progress, Stage.CHECK, crashed))
        cities = [city for e in expanded if (city := settle(e, checked, options.strict))]
        checked += [_unreadable(source, shown, why) for e in expanded for source, shown, why in e.failed]
        checked.sort(key=lambda c: c.sort_key)
        result = BatchResult(checked=checked, groups=decide(checked, options, out_dir), cities=cities)
        if options.previous:
            check = partial(check_one, spool_dir=spool_dir, strict=False, form_path=form_path)
            earlier = check_previous(pool, options.previous, check, crashed, spool_dir)
            pair_previous(result, earlier, single=len(workbooks) == len(options.previous) == 1)
        writable = [c for c in checked if c.spool and not c.is_held(Hold.EXCLUDED)]
        refuse_overwriting([*workbooks, *options.previous], planned_outputs(result.checked, result.groups, out_dir))
        for group in result.groups:
            group.out_dir.mkdir(parents=True, exist_ok=True)
        for city in cities:
            if city.problems:
                write_problem_list(city.source, city.problems, out_dir)
        write = partial(write_one, out_dir=out_dir)
        unwritten = partial(_unwritten, limits=limits)
        written_back = map_isolated(pool, write, writable, progress, Stage.WRITE, unwritten)
        for c, written in zip(writable, written_back, strict=True):  # taken in as they come: never a second set
            c.docx, c.rates, c.held = written.docx, written.rates, written.held
        for c in checked:
            if c.is_held(Hold.UNREADABLE, Hold.EXCLUDED) or c.errors:
                try:
                    write_problem_list(c.source, c.problems + _excluded_problem(c), out_dir)
                except BaocaoError as e:
                    result.notes.append(as_data(e))
        if options.pdf:
            if progress:
                progress(Stage.PDF, 0)
            _pdfs(result, workers)
        rolled = [g for g in result.groups if g.key[1] and (len(g.members) > 1 or g.missing)]  # not unreadable ones
        roll_up = partial(_roll_up, single=len(rolled) == 1, options=options)
        not_rolled = partial(_not_rolled, limits=limits)
        rolled_up = map_isolated(pool, roll_up, rolled, progress, Stage.ROLL_UP, not_rolled)
        for group, (outputs, note) in zip(rolled, rolled_up, strict=True):
            group.outputs = outputs
            if note:
                result.notes.append(note)
    sync_folders([out_dir, *(g.out_dir for g in result.groups)])  # one flush, not one per report
    return result


def _unreadable(source: Path, origin: FileName | str, why: CodedError) -> Checked:
    """A workbook (a city workbook, or one of its columns) that cannot be checked at all."""
    file = origin or FileName(source.name)
    return Checked(source=source, held=Held(Hold.UNREADABLE, why, file), origin=origin, problems=[unusable(file, why)])


def _crashed(path: Path, failure: Failure, limits: WorkerLimits) -> Checked:
    """A workbook whose reading crashed, ran out of memory or time: lỗi, with what to do."""
    return _unreadable(path, "", read_failure(path, failure, limits))


def _unwritten(checked: Checked, failure: Failure, limits: WorkerLimits) -> Checked:
    why = BatchError("unit-not-made", unit=checked.shown, error=work_failure(failure, limits))
    return replace(checked, docx=None, held=Held(Hold.NOT_WRITTEN, why))


def _not_rolled(group: Group, failure: Failure, limits: WorkerLimits) -> tuple[list[Path], BatchError | None]:
    _form, province, period = group.key
    return [], BatchError("roll-up-not-made", province=province, period=period, error=work_failure(failure, limits))


def _first_error(checked: Checked) -> str:
    return phrase(checked.errors[0]) if checked.errors else ""


def _excluded_problem(checked: Checked) -> list[Problem]:
    held = checked.held_for(Hold.EXCLUDED)
    return [unusable(FileName(checked.source.name), held.why)] if held else []


def _pdfs(result: BatchResult, workers: int) -> None:
    """All PDFs: a few through the warm LibreOffice, many with LibreOffice started once per worker."""
    docs = [c.docx for c in result.checked if c.written]
    try:
        pdfs = convert_pdfs(docs, workers=workers)
    except BaocaoError as e:
        result.notes.append(as_data(e))
        pdfs = getattr(e, "converted", {})  # the PDFs made before the failure are kept
    for c in result.checked:
        if c.written:
            c.pdf = pdfs.get(c.docx)


def _roll_up(group: Group, single: bool, options: BatchOptions) -> tuple[list[Path], BatchError | None]:
    """Consolidated report, tong_hop.xlsx and the zip of one group: (the files written, a note when
    something could not be written). Runs in a worker."""
    where = {"province": group.members[0].province, "period": group.key[2]}
    try:
        return _write_roll_up(group, single, options), None
    except BaocaoError as e:
        return group.outputs, BatchError("roll-up-failed", **where, error=as_data(e))
    except Exception as e:  # a bug in the roll-up must not cost the communes their reports
        return group.outputs, BatchError("roll-up-internal", **where, error=type(e).__name__)


def _write_roll_up(group: Group, single: bool, options: BatchOptions) -> list[Path]:
    included = sorted(group.included, key=lambda c: c.sort_key)
    form = load_form(Path(included[0].form_path), included[0].form_level or None) if included else None
    units = [
        UnitLine(
            name=c.commune.full if c.commune else xml_safe(c.name),  # official name once matched; XML-safe
            status=UnitStatus.DONE if c.written else UnitStatus.ERROR,
            errors=len(c.errors) + c.is_held(Hold.EXCLUDED),
            warnings=len(c.problems) - len(c.errors),
            rates=c.rates,
            source=xml_safe(c.source.name),
            note=xml_safe(held.reason if (held := c.held_for(Hold.EXCLUDED, Hold.NOT_WRITTEN)) else _first_error(c)),
        )
        for c in sorted(group.members, key=lambda c: c.sort_key)
    ] + [UnitLine(name=m.full, status=UnitStatus.MISSING, note="chưa gửi bảng tính") for m in group.missing]
    units.sort(key=lambda u: (slugify(u.name.split(" ", 1)[-1]), u.name))
    if form is None:
        return []
    province, period = included[0].province, included[0].period
    rollup = Rollup(form)
    first_info: dict[str, Any] = {}
    for c in included:
        report = load_prepared(c.spool).report
        rollup.add(report.values)
        first_info = first_info or report.info
    order = ["xã", "phường", "đặc khu"]
    types = {c.unit_type.lower() for c in group.members if c.unit_type} | {m.unit_type.lower() for m in group.missing}
    kinds = sorted(types, key=lambda k: (order.index(k) if k in order else len(order), k))
    kind_text = ", ".join(kinds) or "đơn vị"
    stem, summary_name = rollup_names(province, period, single)
    context = consolidated_context(form, rollup, first_info, province, units, kind_text, options.roll_up)
    context["prev"] = rollup_prev(form, rollup.values(), first_info, group.previous)
    docx = write_atomic(group.out_dir / f"{stem}.docx", render_consolidated(form, context, chart_data(form, units)))
    group.outputs = [docx]
    title = f"Tổng hợp báo cáo CCHC {period} — {province}"
    xlsx = write_atomic(group.out_dir / summary_name, summary_workbook(form, units, title, context["appendix"]))
    group.outputs = [docx, xlsx]
    if options.pdf:
        with contextlib.suppress(BaocaoError):
            group.outputs.append(convert_to_pdf(docx))
    if options.zip:
        group.outputs.append(_zip(group, stem))
    return group.outputs


def _zip(group: Group, stem: str) -> Path:
    """Everything of the group (reports, PDFs, problem lists, roll-up) in one zip, written atomically."""
    files = [*group.outputs]
    for c in group.members:
        files += [p for p in (c.docx, c.pdf) if p is not None]
        problems = problem_list_path(c.source, group.out_dir)
        if problems.is_file():
            files.append(problems)
    return write_zip(group.out_dir / f"{stem}.zip", files)
