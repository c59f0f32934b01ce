"""`check` with the batch's safety net: each workbook is split and checked in an isolated worker
process (baocao.isolate), so a file that crashes the reader fails alone with a Vietnamese message
instead of ending the command."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from baocao.citybatch import Expanded, expand
from baocao.errors import BaocaoError, WorkbookError
from baocao.isolate import Failure, IsolatedPool, read_failure
from baocao.pipeline import GenerateOptions, prepare
from baocao.problems import Problem


def _problems(path: Path, options: GenerateOptions) -> list[Problem] | str:
    """Runs in a worker: the workbook's problems, or the message of why it cannot be checked."""
    try:
        return prepare(path, options, with_context=False).problems
    except BaocaoError as e:
        return str(e)


def _isolated(pool: IsolatedPool, fn: Any, path: Path) -> Any:
    (result,) = list(pool.map(fn, [path]))
    if isinstance(result, Failure):
        raise WorkbookError(path, read_failure(result, pool.limits))
    return result


def expand_isolated(pool: IsolatedPool, workbook: Path, work: str) -> Expanded:
    """The workbooks to check for one input (a city workbook is split), in a worker."""
    return _isolated(pool, partial(expand, work=work), workbook)


def problems_isolated(pool: IsolatedPool, path: Path, options: GenerateOptions) -> list[Problem]:
    """Read and check one workbook in a worker; BaocaoError when it cannot be checked at all."""
    result = _isolated(pool, partial(_problems, options=options), path)
    if isinstance(result, str):
        raise WorkbookError(path, result.removeprefix(f"{path.name}: "))
    return result
