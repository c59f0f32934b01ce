"""A batch's codes: its stages (the progress callback names a Stage) and each unit's status in the
roll-up; the edge phrases them (baocao.messages: the CLI's progress bar, the web page's progress
line, tong_hop.xlsx and the consolidated report)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


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
