"""Workbooks for the portal's Sở-side tests: each commune's own deterministic demo workbook
(baocao.batch.demo, every figure passing the checks), or one with an error (a part above its total)."""

from __future__ import annotations

from pathlib import Path

from baocao.batch.demo import demo_inputs
from baocao.communes import Commune, communes_of
from baocao.form import find_form
from baocao.workbook.blank import write_blank_workbook

HAI_PHONG = communes_of("Hải Phòng")
BY_USERNAME = {c.file_stem: c for c in HAI_PHONG}


def demo_workbook(folder: Path, commune: Commune | str, period: str = "6 tháng", year: int = 2026,
                  error: bool = False) -> Path:  # fmt: skip
    """`folder/<username>.xlsx`: the commune's demo workbook for the period (with `error`: plan_done
    above plan_tasks, an error of the check)."""
    commune = BY_USERNAME[commune] if isinstance(commune, str) else commune
    data = demo_inputs(commune, period, year)
    if error:
        data["values"]["plan_done"] = data["values"]["plan_tasks"] + 5
    folder.mkdir(parents=True, exist_ok=True)
    return write_blank_workbook(find_form(), folder / f"{commune.file_stem}.xlsx", data)
