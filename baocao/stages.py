"""The stages of a batch, as codes: the progress callback names a Stage, the edge phrases it
(baocao.messages: the CLI's progress bar, the web page's progress line)."""

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
