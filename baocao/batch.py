"""Many workbooks in one run: every commune's report, and per province and period the
consolidated report, tong_hop.xlsx and a zip of everything.

1. check: every workbook is read and checked (process pool); what was typed is spooled to a
   temporary folder and only a small summary comes back, so memory does not grow with the count;
2. decide: duplicates, other provinces and other periods are reported, never merged;
3. write: reports are rendered and written (process pool, same order and bytes as a serial run);
4. roll up: each group of the same province, form and period is summed from the spool.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from baocao.citybatch import CityShared, Expanded, expand, settle
from baocao.communes import Commune, communes_of, name_key, province_slug
from baocao.consolidate import (
    Rollup,
    UnitLine,
    chart_data,
    consolidated_context,
    render_consolidated,
)
from baocao.context import build_context
from baocao.decide import identify, keep_last_copy
from baocao.errors import BaocaoError, OutputError, WorkbookError
from baocao.form import Form, load_form
from baocao.isolate import GIB, Failure, IsolatedPool, WorkerLimits, read_failure, work_failure
from baocao.messages import phrase
from baocao.office import convert_pdfs, convert_to_pdf
from baocao.outputs import planned_outputs, rollup_names
from baocao.periods import parse_period_kind, period_text
from baocao.pipeline import GenerateOptions, compute_report, prepare, problem_list_path, report_stem, write_problem_list
from baocao.problems import Problem, unusable
from baocao.read import RawReport
from baocao.render import render_docx
from baocao.rollup_info import RollupInfo
from baocao.stages import Progress, Stage, UnitStatus
from baocao.summary_workbook import summary_workbook
from baocao.write import (
    atomic_path,
    prepare_folder,
    refuse_overwriting,
    slugify,
    sync_folders,
    write_atomic,
)
from baocao.xmltext import xml_safe

INTERNAL = "tệp cũ (nếu có) được giữ nguyên. Hãy gửi bảng tính cho bộ phận công nghệ thông tin."


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch: PDFs too, warnings as errors, only one province, worker processes."""

    pdf: bool = False
    strict: bool = False
    province: str | None = None
    workers: int = 0  # 0: one per CPU core
    form: Form | None = None
    zip: bool = True
    roll_up: RollupInfo | None = None  # the consolidated report's own số, date, signer, nơi nhận
    item_memory: int = 2 * GIB  # memory one workbook may use in its worker, above the worker's own size
    item_seconds: float = 300.0  # time one workbook (or one roll-up) may take before its worker is killed

    @property
    def limits(self) -> WorkerLimits:
        return WorkerLimits(memory_bytes=self.item_memory, seconds=self.item_seconds)


@dataclass
class Checked:
    """Pass-1 summary of one workbook (small and picklable)."""

    source: Path
    problems: list[Problem] = field(default_factory=list)
    fatal: str = ""
    spool: str = ""
    form_path: str = ""
    form_level: str = ""  # the form level the workbook was read at (forms with district/commune rows)
    province: str = ""
    unit_type: str = ""
    unit_name: str = ""
    period: str = ""
    excluded: str = ""
    commune: Commune | None = None
    docx: Path | None = None
    pdf: Path | None = None
    rates: dict[str, Decimal | None] = field(default_factory=dict)
    write_error: str = ""
    stem: str = ""  # output file name without suffix, unique within the run
    origin: str = ""  # for a column of a city workbook: "thanh_pho.xlsx, cột F (Xã A)"
    city: Path | None = None  # for a column of a city workbook: the city workbook
    name_cell: tuple[str, str, str] | None = None  # (sheet, cell, label) where the unit's name is typed
    replaced: str = ""  # another workbook of the same commune, saved later, is used instead: why

    @property
    def identity(self) -> tuple:
        """The commune this workbook is (its official code, else its name), to count communes, not files."""
        if self.commune:
            return ("code", self.commune.code)
        return ("name", self.group, name_key(self.name)) if self.unit_name else ("file", str(self.source))

    @property
    def shown_file(self) -> str:
        return self.origin or self.source.name

    @property
    def shown(self) -> str:
        return self.origin or str(self.source)

    @property
    def name(self) -> str:
        return f"{self.unit_type.lower()} {self.unit_name}".strip() or self.source.name

    @property
    def group(self) -> tuple[str, str, str]:
        return (self.form_path, province_slug(self.province), self.period)

    @property
    def sort_key(self) -> tuple[str, str]:
        return (slugify(self.unit_name), str(self.source))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def written(self) -> bool:
        return self.docx is not None and not self.write_error


@dataclass
class Group:
    """Workbooks of one province, form and period, with their consolidated outputs."""

    key: tuple[str, str, str]
    members: list[Checked]
    out_dir: Path
    missing: list[Commune] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    @property
    def included(self) -> list[Checked]:
        return [c for c in self.members if c.written]


@dataclass
class BatchResult:
    checked: list[Checked]
    groups: list[Group]
    notes: list[str] = field(default_factory=list)
    cities: list[CityShared] = field(default_factory=list)  # city workbooks' shared problems, once each

    @property
    def written(self) -> int:
        return sum(c.written for c in self.checked)

    @property
    def units(self) -> list[Checked]:
        """The workbooks that count (copies replaced by a later one do not)."""
        return [c for c in self.checked if not c.replaced]

    @property
    def failed(self) -> list[Checked]:
        return [c for c in self.units if not c.written]

    @property
    def missing(self) -> int:
        return sum(len(g.missing) for g in self.groups)

    def summary(self) -> str:
        """'112/114 báo cáo; 2 đơn vị lỗi; 0 thiếu'."""
        line = f"{self.written}/{len(self.units)} báo cáo; {len({c.identity for c in self.failed})} đơn vị lỗi"
        if any(g.missing or len(g.members) > 1 for g in self.groups):
            line += f"; {self.missing} thiếu"
        return line


def map_items(
    fn: Callable[[Any], Any], items: list[Any], workers: int, progress: Progress | None, label: Stage
) -> Iterator[Any]:
    """fn over items in order, in a process pool when it pays; progress ticks per item."""
    if progress:
        progress(label, len(items))
    if workers <= 1 or len(items) < 4:
        for item in items:
            yield fn(item)
            if progress:
                progress(None, 1)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_ctrl_c) as pool:
        try:
            for result in pool.map(fn, items, chunksize=max(1, min(32, len(items) // (workers * 4)))):
                if progress:
                    progress(None, 1)
                yield result
        except BaseException:  # Ctrl+C: the files being written are finished (atomically), the rest never start
            pool.shutdown(cancel_futures=True)
            raise


def _ignore_ctrl_c() -> None:
    """Workers leave Ctrl+C to the main process, which stops the pool and prints one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def map_isolated(
    pool: IsolatedPool,
    fn: Callable[[Any], Any],
    items: list[Any],
    progress: Progress | None,
    label: Stage,
    failed: Callable[[Any, Failure], Any],
) -> Iterator[Any]:
    """fn over items in order, each in a worker process (see baocao.isolate); an item whose worker
    crashed, overran its time or raised gives failed(item, failure); progress ticks per item."""
    if progress:
        progress(label, len(items))
    for item, result in zip(items, pool.map(fn, items), strict=True):
        if progress:
            progress(None, 1)
        yield failed(item, result) if isinstance(result, Failure) else result


# --- pass 1: check --------------------------------------------------------------------------


def check_one(path: Path, spool_dir: str, strict: bool, form_path: str) -> Checked:
    """Read and check one workbook; spool its inputs when it may be written. Runs in a worker."""
    form = load_form(Path(form_path)) if form_path else None
    checked = Checked(source=path)
    try:
        prepared = prepare(path, GenerateOptions(strict=strict, form=form), with_context=False)
    except BaocaoError as e:
        checked.fatal = str(e)
        own = isinstance(e, WorkbookError) and e.path.name == path.name
        checked.problems = [unusable(path.name, e.message if own else str(e))]
        return checked
    report = prepared.report
    info = report.info
    checked.problems = prepared.problems
    checked.form_path = str(report.form.source or report.form.directory / "form.yaml")
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
    if prepared.blocking(strict):
        return checked
    fd, spool = tempfile.mkstemp(dir=spool_dir, suffix=".pickle")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(
            {
                "path": str(path),
                "info": info,
                "values": report.values,
                "remarks": report.remarks,
                "text": report.text,
                "cells": report.cells,
                "problems": report.problems,
                "grids": report.grids,
            },
            f,
        )
    checked.spool = spool
    return checked


def load_spool(spool: str, form_path: str, level: str = "") -> RawReport:
    with open(spool, "rb") as f:
        data = pickle.load(f)
    return RawReport(
        path=Path(data["path"]),
        form=load_form(Path(form_path), level or None),
        info=data["info"],
        values=data["values"],
        remarks=data["remarks"],
        text=data["text"],
        cells=data["cells"],
        problems=data["problems"],
        grids=data["grids"],
    )


# --- pass 3: write --------------------------------------------------------------------------


def write_one(checked: Checked, out_dir: Path) -> Checked:
    """Render and write one checked commune from its spool. Runs in a worker."""
    report = load_spool(checked.spool, checked.form_path, checked.form_level)
    values = compute_report(report)
    context = build_context(report, values)
    stem = checked.stem or report_stem(context["unit"]["name"], context["unit"]["type"], context["period"]["text"])
    try:
        data = render_docx(report.form.template_path, context)
        checked.docx = write_atomic(out_dir / f"{stem}.docx", data, sync=False)
        if report.problems:
            write_problem_list(report.path, report.problems, out_dir, sync=False)  # synced by run_batch
    except BaocaoError as e:
        checked.write_error = str(e)
    except Exception as e:  # a bug must cost this commune its report, not the whole batch
        checked.write_error = f"Lỗi nội bộ khi lập báo cáo của {checked.name} ({type(e).__name__}); {INTERNAL}"
    rate_ids = report.form.consolidated.key_rates
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
            return Expanded(path, [], failed=[(path, "", read_failure(failure, limits))])

        split = partial(expand, work=spool_dir)
        expanded = list(map_isolated(pool, split, workbooks, None, "", unsplit))
        inputs = [item for e in expanded for item in e.items]
        check = partial(check_one, spool_dir=spool_dir, strict=options.strict, form_path=form_path)
        crashed = partial(_crashed, limits=limits)
        checked = list(map_isolated(pool, check, [path for path, _ in inputs], progress, Stage.CHECK, crashed))
        cities = [city for e in expanded if (city := settle(e, checked, options.strict))]
        checked += [_unreadable(source, shown, message) for e in expanded for source, shown, message in e.failed]
        checked.sort(key=lambda c: c.sort_key)
        result = BatchResult(checked=checked, groups=_decide(checked, options, out_dir), cities=cities)
        writable = [c for c in checked if c.spool and not c.excluded]
        refuse_overwriting(workbooks, planned_outputs(result.checked, result.groups, out_dir))
        for group in result.groups:
            group.out_dir.mkdir(parents=True, exist_ok=True)
        for city in cities:
            if city.problems:
                write_problem_list(city.source, city.problems, out_dir)
        write = partial(write_one, out_dir=out_dir)
        unwritten = partial(_unwritten, limits=limits)
        done = {c.source: c for c in map_isolated(pool, write, writable, progress, Stage.WRITE, unwritten)}
        for c in checked:
            if c.source in done:
                written = done[c.source]
                c.docx, c.rates, c.write_error = written.docx, written.rates, written.write_error
            if c.fatal or c.errors or c.excluded:
                try:
                    write_problem_list(c.source, c.problems + _excluded_problem(c), out_dir)
                except BaocaoError as e:
                    result.notes.append(str(e))
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


def _unreadable(source: Path, origin: str, message: str) -> Checked:
    """A workbook (a city workbook, or one of its columns) that cannot be checked at all."""
    file = origin or source.name
    return Checked(source=source, fatal=f"{file}: {message}", origin=origin,
                   problems=[unusable(file, message)])  # fmt: skip


def _crashed(path: Path, failure: Failure, limits: WorkerLimits) -> Checked:
    """A workbook whose reading crashed, ran out of memory or time: lỗi, with what to do."""
    return _unreadable(path, "", read_failure(failure, limits))


def _unwritten(checked: Checked, failure: Failure, limits: WorkerLimits) -> Checked:
    return replace(checked, docx=None, write_error=f"{checked.shown}: {work_failure(failure, limits)}")


def _not_rolled(group: Group, failure: Failure, limits: WorkerLimits) -> tuple[list[Path], str]:
    _form, province, period = group.key
    return [], f"Báo cáo tổng hợp {province} {period}: {work_failure(failure, limits)}"


def _excluded_problem(checked: Checked) -> list[Problem]:
    return [unusable(checked.source.name, checked.excluded)] if checked.excluded else []


def _decide(checked: list[Checked], options: BatchOptions, out_dir: Path) -> list[Group]:
    """Group by form, province and period; in a roll-up, match each commune against the official
    list (baocao.decide); of two copies of a commune keep the one saved last; flag other provinces."""
    wanted = province_slug(options.province) if options.province else None
    for c in checked:
        if c.fatal or not c.province or c.excluded:
            continue
        if wanted and province_slug(c.province) != wanted:
            c.excluded = f"bảng tính của {c.province}, không thuộc {options.province}: không đưa vào tổng hợp."
    keys: dict[tuple, list[Checked]] = {}
    for c in checked:
        keys.setdefault(c.group if c.period else ("", "", ""), []).append(c)
    for key, members in keys.items():
        identify(members, rolled_up=bool(key[1]) and (len(members) > 1 or bool(wanted)))
    keep_last_copy(checked)
    _unique_stems([c for c in checked if c.spool and not c.excluded])
    groups = []
    for key, members in sorted(keys.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        group = Group(key=key, members=[c for c in members if not c.replaced], out_dir=out_dir)
        if key[1] and (len(members) > 1 or wanted):
            sent = {c.commune.code for c in members if c.commune and not c.fatal}
            try:
                group.missing = [m for m in communes_of(members[0].province) if m.code not in sent]
            except BaocaoError:
                group.missing = []
        groups.append(group)
    return groups


def _unique_stems(writable: list[Checked]) -> None:
    """Output names are ASCII; two communes whose names differ only by accents ('Cẩm Giang',
    'Cẩm Giàng') get their official code (or the workbook name) added to keep them apart."""
    stems: dict[str, list[Checked]] = {}
    for c in writable:
        stems.setdefault(report_stem(c.unit_name, c.unit_type, c.period), []).append(c)
    for stem, same in stems.items():
        for c in same:
            if len(same) == 1:
                c.stem = stem
            else:
                tag = str(c.commune.code) if c.commune else slugify(c.source.stem)
                c.stem = report_stem(f"{c.unit_name} {tag}", c.unit_type, c.period)


def _pdfs(result: BatchResult, workers: int) -> None:
    """All PDFs: a few through the warm LibreOffice, many with LibreOffice started once per worker."""
    docs = [c.docx for c in result.checked if c.written]
    try:
        pdfs = convert_pdfs(docs, workers=workers)
    except BaocaoError as e:
        result.notes.append(str(e))
        return
    for c in result.checked:
        if c.written:
            c.pdf = pdfs.get(c.docx)


def _roll_up(group: Group, single: bool, options: BatchOptions) -> tuple[list[Path], str]:
    """Consolidated report, tong_hop.xlsx and the zip of one group: (the files written, a note when
    something could not be written). Runs in a worker."""
    try:
        return _write_roll_up(group, single, options), ""
    except BaocaoError as e:
        return group.outputs, f"Tổng hợp {group.members[0].province}, {group.key[2]}: {e}"
    except Exception as e:  # a bug in the roll-up must not cost the communes their reports
        where = f"{group.members[0].province}, {group.key[2]}"
        return group.outputs, f"Lỗi nội bộ khi tổng hợp {where} ({type(e).__name__}); {INTERNAL}"


def _write_roll_up(group: Group, single: bool, options: BatchOptions) -> list[Path]:
    included = sorted(group.included, key=lambda c: c.sort_key)
    form = load_form(Path(included[0].form_path), included[0].form_level or None) if included else None
    units = [
        UnitLine(
            name=c.commune.full if c.commune else xml_safe(c.name),  # official name once matched; XML-safe
            status=UnitStatus.DONE if c.written else UnitStatus.ERROR,
            errors=len(c.errors) + bool(c.excluded),
            warnings=len(c.problems) - len(c.errors),
            rates=c.rates,
            source=xml_safe(c.source.name),
            note=xml_safe(c.excluded or c.write_error or (phrase(c.errors[0]) if c.errors else "")),
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
        report = load_spool(c.spool, c.form_path, c.form_level)
        rollup.add(report.values)
        first_info = first_info or report.info
    order = ["xã", "phường", "đặc khu"]
    types = {c.unit_type.lower() for c in group.members if c.unit_type} | {m.unit_type.lower() for m in group.missing}
    kinds = sorted(types, key=lambda k: (order.index(k) if k in order else len(order), k))
    kind_text = ", ".join(kinds) or "đơn vị"
    stem, summary_name = rollup_names(province, period, single)
    context = consolidated_context(form, rollup, first_info, province, units, kind_text, options.roll_up)
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
    target = group.out_dir / f"{stem}.zip"
    files = [*group.outputs]
    for c in group.members:
        files += [p for p in (c.docx, c.pdf) if p is not None]
        problems = problem_list_path(c.source, group.out_dir)
        if problems.is_file():
            files.append(problems)
    with atomic_path(target) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(set(files), key=lambda p: p.name):
                packed = path.suffix.lower() in (".docx", ".xlsx", ".pdf", ".zip")  # already compressed: store
                z.write(path, path.name, compress_type=zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED)
        with zipfile.ZipFile(tmp) as z:
            broken = z.testzip()
        if broken is not None:
            raise OutputError(f"Lỗi nội bộ: {target.name} vừa tạo bị hỏng ở {broken} nên không được ghi; {INTERNAL}")
    return target
