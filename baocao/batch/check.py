"""`check`: every input workbook read and checked with pipeline.prepare (nothing rendered), each in an
isolated worker process (baocao.isolate), so a file that crashes the reader fails alone with a
Vietnamese message instead of ending the command. A city workbook is split and each column checked
as its own workbook; its shared problems are given once. The CLI only prints the blocks this yields.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from baocao.batch.city import CityColumn
from baocao.batch.citybatch import CityShared, Expanded, expand, settle
from baocao.errors import BaocaoError, WorkbookError, about
from baocao.isolate import Failure, IsolatedPool, read_failure
from baocao.pipeline import GenerateOptions, prepare, write_problem_list
from baocao.problems import FileName, Problem
from baocao.stages import Held, Hold


@dataclass
class CheckBlock:
    """What `check` says about one workbook (or one column, or a city's shared fields): its problems,
    their count, where their list was written, and why it does not pass."""

    source: Path  # the input workbook the block belongs to
    shown: str
    problems: list[Problem] = field(default_factory=list)
    counted: bool = True  # the block ends with the count of errors and warnings
    listed: Path | None = None  # its problem list, with -o
    failure: str = ""  # the ✗ line
    failed: bool = False  # the input does not pass


@dataclass
class ColumnCheck:
    """`check` of one column of a city workbook (the fields settle() uses, as batch.Checked has them)."""

    source: Path
    column: CityColumn | None
    problems: list[Problem] = field(default_factory=list)
    held: Held | None = None
    spool: str = ""
    origin: FileName | str = ""
    city: Path | None = None
    name_cell: tuple[str, str, str] | None = None


def _problems(path: Path, options: GenerateOptions) -> list[Problem] | WorkbookError:
    """Runs in a worker: the workbook's problems, or why it cannot be checked (as data)."""
    try:
        return prepare(path, options, with_context=False).problems
    except BaocaoError as e:
        return about(e, path)


def _isolated(pool: IsolatedPool, fn: Any, path: Path) -> Any:
    (result,) = list(pool.map(fn, [path]))
    if isinstance(result, Failure):
        raise read_failure(path, result, pool.limits)
    return result


def expand_isolated(pool: IsolatedPool, workbook: Path, work: str) -> Expanded:
    """The workbooks to check for one input (a city workbook is split), in a worker."""
    return _isolated(pool, partial(expand, work=work), workbook)


def problems_isolated(pool: IsolatedPool, path: Path, options: GenerateOptions) -> list[Problem]:
    """Read and check one workbook in a worker; BaocaoError when it cannot be checked at all."""
    result = _isolated(pool, partial(_problems, options=options), path)
    if isinstance(result, WorkbookError):
        raise result
    return result


def check_city(expanded: Expanded, options: GenerateOptions) -> tuple[CityShared | None, list[ColumnCheck]]:
    """`check` of a city workbook: its shared problems once, and each column's own problems."""
    results = []
    for path, column in expanded.items:
        try:
            results.append(ColumnCheck(path, column, prepare(path, options, with_context=False).problems))
        except BaocaoError as e:
            why = about(e, path)
            held = Held(Hold.UNREADABLE, why, FileName(path.name) if why is e else "")
            results.append(ColumnCheck(path, column, held=held))
    results += [
        ColumnCheck(source, None, held=Held(Hold.UNREADABLE, why, shown or FileName(source.name)))
        for source, shown, why in expanded.failed
    ]
    return settle(expanded, results, options.strict), results


def check_workbooks(workbooks: Iterable[Path], options: GenerateOptions, out_dir: Path | None) -> Iterator[CheckBlock]:
    """Check every workbook, block by block, as they are done. With out_dir, each problem list is
    written there; a list that cannot be written ends the run (after its block) unless it is a
    city column's, which then fails alone."""
    with tempfile.TemporaryDirectory(prefix="baocao-check-") as work, IsolatedPool(1) as pool:
        for workbook in workbooks:
            try:
                expanded = expand_isolated(pool, workbook, work)
            except BaocaoError as e:
                yield CheckBlock(workbook, str(workbook), counted=False, failure=str(e), failed=True)
                continue
            if expanded.items == [(workbook, None)]:
                yield from _check_one(pool, workbook, options, out_dir)
            else:
                yield from _check_city(expanded, workbook, options, out_dir)


def _check_one(pool: IsolatedPool, path: Path, options: GenerateOptions, out_dir: Path | None) -> Iterator[CheckBlock]:
    """`check` of one ordinary workbook (read in an isolated worker)."""
    try:
        problems = problems_isolated(pool, path, options)
    except BaocaoError as e:
        yield CheckBlock(path, str(path), counted=False, failure=str(e), failed=True)
        return
    block = CheckBlock(path, str(path), problems, failed=any(p.is_error or options.strict for p in problems))
    yield from _listed(block, out_dir)


def _listed(block: CheckBlock, out_dir: Path | None, *, problems_only: bool = False) -> Iterator[CheckBlock]:
    """The block, with its problem list written first when asked; a list that cannot be written
    stops the run once the block is out."""
    if out_dir is None or (problems_only and not block.problems):
        yield block
        return
    try:
        block.listed = write_problem_list(block.source, block.problems, out_dir)
    except BaocaoError as e:
        yield block
        raise e
    yield block


def _check_city(
    expanded: Expanded, workbook: Path, options: GenerateOptions, out_dir: Path | None
) -> Iterator[CheckBlock]:
    shared, columns = check_city(expanded, options)
    if shared is not None:
        block = CheckBlock(
            workbook, f"{workbook} (Thông tin chung, chung cho {shared.columns} đơn vị)", shared.problems
        )
        yield from _listed(block, out_dir, problems_only=True)
    for r in columns:
        shown = f"{workbook}" + (f", cột {r.column.letter} ({r.column.unit})" if r.column else "")
        if r.held is not None:
            problems = [] if r.held.kind is Hold.UNREADABLE else r.problems
            yield CheckBlock(workbook, shown, problems, counted=False, failure=r.held.line, failed=True)
            continue
        block = CheckBlock(workbook, shown, r.problems, failed=any(p.is_error or options.strict for p in r.problems))
        if out_dir is not None:
            try:
                block.listed = write_problem_list(r.source, r.problems, out_dir)
            except BaocaoError as e:
                block.failure, block.failed = str(e), True
        yield block
