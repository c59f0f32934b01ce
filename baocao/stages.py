"""A batch's codes: its stages (the progress callback names a Stage), each unit's status in the
roll-up and why a workbook is held back (Held); the edge phrases them (baocao.messages: the CLI's
progress bar, the web page's progress line, tong_hop.xlsx and the consolidated report)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from baocao.problems import FileName, Names


class Stage(StrEnum):
    """One stage of a batch (or of making demo data), in the order they run."""

    CHECK = "check"
    WRITE = "write"
    PDF = "pdf"
    ROLL_UP = "roll-up"
    DEMO = "demo"


Progress = Callable[[Stage | None, int], None]  # (stage, total) starts a stage, then (None, 1) per item


class UnitStatus(StrEnum):
    """A unit in the roll-up's list: its report made and summed, an error kept it out, or nothing sent."""

    DONE = "done"
    ERROR = "error"
    MISSING = "missing"


class Hold(StrEnum):
    """Why a workbook of a batch gives no report, or its report is not used (batch.model.Held)."""

    UNREADABLE = "unreadable"  # it could not be read or checked at all
    EXCLUDED = "excluded"  # read, but left out: another province, two copies saved at once, the city's errors
    NOT_WRITTEN = "not-written"  # its report could not be written
    REPLACED = "replaced"  # a copy of the same commune saved later is used instead


class Why(Protocol):
    """Why, as data: an error of baocao.errors (a CodedError), worded at the edge for either audience."""

    @property
    def message(self) -> str: ...  # the CLI's sentence

    def phrased(self, audience: Any, names: Names | None = None) -> str: ...  # for a baocao.messages.Audience


@dataclass(frozen=True)
class Held:
    """Why a workbook gives no report, or its report is not used: the kind, and why as data."""

    kind: Hold
    why: Why  # its sentence does not name the workbook when `file` is set
    file: FileName | str = ""  # the workbook an unreadable one's reason is about, or ""

    @property
    def reason(self) -> str:
        """The reason as the CLI words it (without the workbook's name when `file` is set)."""
        return self.why.message

    def phrased(self, audience: Any, names: Names | None = None) -> str:
        """The reason worded for a baocao.messages.Audience (without the workbook's name), file names as
        `names` shows them."""
        return self.why.phrased(audience, names)

    @property
    def line(self) -> str:
        """The reason as the CLI prints it, the workbook named."""
        return f"{self.file}: {self.reason}" if self.file else self.reason
