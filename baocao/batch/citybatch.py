"""City workbooks in a batch (and in `check`): each commune column is checked as its own workbook
and fails alone; the city file's shared fields (its Thông tin chung) are reported once for the file;
a city workbook that cannot be split at all is one error for that file, and the other inputs go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baocao.batch.city import CityColumn, is_city_workbook, is_shared, map_problem, split_city_workbook
from baocao.errors import BatchError, CodedError, WorkbookError
from baocao.problems import FileName, Problem
from baocao.stages import Held, Hold


@dataclass
class Expanded:
    """One input of a batch: the workbooks to check (itself, or a city's commune workbooks), what
    cannot be checked at all (source, origin, why: a WorkbookError, or a BatchError for a column), and
    what splitting found in the city's cells."""

    source: Path
    items: list[tuple[Path, CityColumn | None]]
    failed: list[tuple[Path, FileName | str, CodedError]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CityShared:
    """A city workbook's own problems (its Thông tin chung), shown once for all its communes."""

    source: Path
    problems: list[Problem]
    columns: int

    @property
    def shown(self) -> FileName:
        return FileName(self.source.name, f" (Thông tin chung, chung cho {self.columns} đơn vị)")


def origin(column: CityColumn) -> FileName:
    """'thanh_pho.xlsx, cột F (Xã A)': the city workbook's name and the place in it."""
    return FileName(column.city.name, f", cột {column.letter}" + (f" ({column.unit})" if column.unit else ""))


def expand(path: Path, work: str) -> Expanded:
    """The workbooks to check for one input: itself, or one per commune for a city workbook."""
    if path.suffix.lower() != ".xlsx" or not is_city_workbook(path):
        return Expanded(path, [(path, None)])
    try:
        split = split_city_workbook(path, Path(work))
    except WorkbookError as e:
        return Expanded(path, [], failed=[(path, "", e)])
    except Exception as e:  # never a traceback: the other inputs go on
        return Expanded(path, [], failed=[(path, "", WorkbookError(path, "city-not-split", error=type(e).__name__))])
    return Expanded(
        path,
        [(c.workbook, c) for c in split.columns],
        failed=[(c.workbook, origin(c), why) for c, why in split.failed],
        problems=split.problems,
    )


def settle(expanded: Expanded, checked: Iterable[Any], strict: bool) -> CityShared | None:
    """Map each checked column's problems to the city workbook's cells; keep the shared ones once
    (for the city) and, when they stop the reports, say so on every column. None for a workbook
    that is not a city. `checked` are batch.Checked (or anything with the same fields)."""
    columns = {path: column for path, column in expanded.items if column is not None}
    if not columns:  # not a city, a city that cannot be split (one error), or every column failed
        whole = any(source == expanded.source for source, _, _ in expanded.failed)
        shared = [p for p in expanded.problems if is_shared(p)]
        return CityShared(expanded.source, shared, len(expanded.failed)) if expanded.failed and not whole else None
    shared = [p for p in expanded.problems if is_shared(p)]
    mine = [c for c in checked if c.source in columns]
    for c in mine:
        column = columns[c.source]
        mapped = [map_problem(p, column) for p in c.problems]
        shared += [p for p in mapped if is_shared(p) and p not in shared]
        at_column = re.compile(rf"{column.letter}\d+")
        found = [p for p in expanded.problems if not is_shared(p) and at_column.fullmatch(p.cell or "")]
        c.problems = found + [p for p in mapped if not is_shared(p)]
        c.origin, c.city = origin(column), column.city
        c.name_cell = (column.header_sheet, f"{column.letter}1", f"{column.unit}: Tên đơn vị")
    blocking = [p for p in shared if p.is_error or strict]
    if blocking:
        for c in mine:
            if c.held is None:
                c.spool = ""
                errors = any(p.is_error for p in blocking)
                why = BatchError(
                    "city-shared-errors", city=FileName(expanded.source.name), count=len(blocking), errors=errors
                )
                c.held = Held(Hold.EXCLUDED, why)
    return CityShared(expanded.source, shared, len(columns) + len(expanded.failed))
