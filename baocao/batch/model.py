"""What a batch gives back: the small picklable summary of each
workbook (`Checked`), the groups rolled up together and the result of the run."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from baocao.batch.citybatch import CityShared
from baocao.batch.rollup_info import RollupInfo
from baocao.communes import Commune, name_key, province_slug
from baocao.errors import CodedError
from baocao.form import Form
from baocao.history.figures import Figures
from baocao.isolate import GIB, WorkerLimits
from baocao.problems import FileName, Problem
from baocao.stages import Held, Hold
from baocao.write import slugify


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
    previous: tuple[Path, ...] = ()  # the previous period's workbooks to compare with (baocao.batch.previous)
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
    held: Held | None = None  # why it gives no report or its report is not used; None: its errors say
    spool: str = ""
    form_path: str = ""
    form_level: str = ""  # the form level the workbook was read at (forms with district/commune rows)
    province: str = ""
    unit_type: str = ""
    unit_name: str = ""
    period: str = ""
    commune: Commune | None = None
    docx: Path | None = None
    pdf: Path | None = None
    rates: dict[str, Decimal | None] = field(default_factory=dict)
    stem: str = ""  # output file name without suffix, unique within the run
    origin: FileName | str = ""  # for a column of a city workbook: FileName("thanh_pho.xlsx", ", cột F (Xã A)")
    city: Path | None = None  # for a column of a city workbook: the city workbook
    name_cell: tuple[str, str, str] | None = None  # (sheet, cell, label) where the unit's name is typed
    figures: Figures | None = None  # this report as a later one compares with it (baocao.history)
    previous: Figures | None = None  # the earlier report this one compares with

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickled in the parent, once per commune (thousands at national scale): the strings every
        workbook of a run shares (province, period, form, the rates' names, the name's cell) are kept once."""
        for key in ("form_path", "form_level", "province", "unit_type", "period"):
            state[key] = sys.intern(state[key])
        state["rates"] = {sys.intern(k): v for k, v in state["rates"].items()}
        if state["name_cell"]:
            state["name_cell"] = tuple(sys.intern(s) for s in state["name_cell"])
        self.__dict__.update(state)

    def held_for(self, *kinds: Hold) -> Held | None:
        """Its Held when it is held back for one of these reasons (for any, when none is named)."""
        return self.held if self.held is not None and (not kinds or self.held.kind in kinds) else None

    def is_held(self, *kinds: Hold) -> bool:
        return self.held_for(*kinds) is not None

    @property
    def identity(self) -> tuple:
        """The commune this workbook is (its official code, else its name), to count communes, not files."""
        if self.commune:
            return ("code", self.commune.code)
        return ("name", self.group, name_key(self.name)) if self.unit_name else ("file", str(self.source))

    @property
    def shown_file(self) -> FileName:
        return self.origin if isinstance(self.origin, FileName) else FileName(self.source.name)

    @property
    def shown(self) -> FileName:
        return self.origin if isinstance(self.origin, FileName) else FileName.path(self.source)

    @property
    def name(self) -> str:
        """'phường Nhị Chiểu' as typed, else the workbook's file name (a FileName)."""
        return f"{self.unit_type.lower()} {self.unit_name}".strip() or FileName(self.source.name)

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
        return self.docx is not None and not self.is_held(Hold.NOT_WRITTEN)


@dataclass
class Group:
    """Workbooks of one province, form and period, with their consolidated outputs."""

    key: tuple[str, str, str]
    members: list[Checked]
    out_dir: Path
    missing: list[Commune] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    previous: Any = None  # the previous period to compare the roll-up with (baocao.batch.previous.PreviousRollup)

    @property
    def included(self) -> list[Checked]:
        return [c for c in self.members if c.written]


@dataclass
class BatchResult:
    checked: list[Checked]
    groups: list[Group]
    notes: list[CodedError] = field(default_factory=list)  # what else could not be written, as data
    cities: list[CityShared] = field(default_factory=list)  # city workbooks' shared problems, once each

    @property
    def written(self) -> int:
        return sum(c.written for c in self.checked)

    @property
    def units(self) -> list[Checked]:
        """The workbooks that count (copies replaced by a later one do not)."""
        return [c for c in self.checked if not c.is_held(Hold.REPLACED)]

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
