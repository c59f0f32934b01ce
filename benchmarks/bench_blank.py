"""Blank workbooks for every commune of a province (`new-input --province`, the web page's zip):
one openpyxl workbook per commune vs one template with the names swapped in, measured in the same run.

    python benchmarks/bench_blank.py [--province "Hải Phòng"] [--runs 3]

Both give workbooks with the same cell values and data validation (tests/test_new_input.py checks it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao.communes import Commune, communes_of  # noqa: E402
from baocao.form import Form, find_form  # noqa: E402
from baocao.workbook.blank import blank_workbook, commune_workbooks  # noqa: E402


def one_workbook_each(form: Form, communes: tuple[Commune, ...]) -> float:
    start = time.perf_counter()
    for c in communes:
        blank_workbook(form, {"info": {"province": c.province, "unit_type": c.unit_type, "unit_name": c.name}})
    return time.perf_counter() - start


def from_one_template(form: Form, communes: tuple[Commune, ...]) -> float:
    start = time.perf_counter()
    for _ in commune_workbooks(form, communes):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="Hải Phòng")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    form, communes = find_form(), communes_of(args.province)
    base = min(one_workbook_each(form, communes) for _ in range(args.runs))
    ours = min(from_one_template(form, communes) for _ in range(args.runs))
    print(f"{len(communes)} communes of {args.province}, best of {args.runs} runs")
    print(f"  baseline, one openpyxl workbook per commune: {base:6.2f} s  (1.00)")
    print(f"  one template, names swapped in:              {ours:6.2f} s  ({base / ours:.1f}× faster)")


if __name__ == "__main__":
    main()
