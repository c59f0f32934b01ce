"""The names of the files a batch writes, known before anything is written (so that none replaces an input)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from baocao.batch.consolidate import province_in_text
from baocao.pipeline import problem_list_path
from baocao.stages import Hold
from baocao.write import slugify


def rollup_names(province: str, period: str, single: bool) -> tuple[str, str]:
    """(stem of the consolidated report and zip, name of the summary workbook) of a group."""
    stem = f"tong-hop_{slugify(province_in_text(province))}_{slugify(period)}"
    return stem, "tong_hop.xlsx" if single else f"tong_hop_{stem.removeprefix('tong-hop_')}.xlsx"


def planned_outputs(checked: Sequence[Any], groups: Sequence[Any], out_dir: Path) -> list[Path]:
    """Every file the batch may write: problem lists, reports (and PDFs), each roll-up's files."""
    planned = [problem_list_path(c.source, out_dir) for c in checked]
    for c in checked:
        if c.spool and not c.is_held(Hold.EXCLUDED) and c.stem:
            planned += [out_dir / f"{c.stem}.docx", out_dir / f"{c.stem}.pdf"]
    rolled = [g for g in groups if len(g.members) > 1 or g.missing]
    for group in rolled:
        for c in group.members:
            stem, summary = rollup_names(c.province, c.period, single=len(rolled) == 1)
            planned += [group.out_dir / name for name in (f"{stem}.docx", f"{stem}.pdf", f"{stem}.zip", summary)]
    return planned
