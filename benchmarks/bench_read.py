"""Time to read one workbook, against plain python-calamine and openpyxl measured in the same run.

    python benchmarks/bench_read.py [--runs 3] [--loops 200] [--demo N] [--root DIR]

Workbooks: the three samples of inputs/ (two Hải Phòng communes, one Hải Dương commune with its
by-lĩnh-vực grid), or with --demo N the first N demo workbooks of the national set that
bench_batch.py makes (what a batch reads). --root imports baocao from another checkout (e.g. the
code before a change: `git archive COMMIT | tar -x -C DIR`), to compare both against the same
calamine baseline. For each, per run, the mean CPU milliseconds of `loops` reads of:
- ours: `baocao.read.read_workbook` (file checks, the guard and special-cell scan, every value
  typed, rows found by STT and label);
- calamine: `CalamineWorkbook.from_path` + `to_python()` of every sheet (the values alone);
- openpyxl: `load_workbook(read_only=True, data_only=True)` + every row of every sheet.
CPU time (time.process_time) rather than wall time, so that other processes on a shared machine
count less. Printed: min and median over the runs, and ours as a ratio of calamine and openpyxl.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import openpyxl  # noqa: E402
import python_calamine  # noqa: E402

WORKBOOKS = sorted((ROOT / "inputs").glob("*.xlsx"))


def calamine_all(path: Path) -> None:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    book.close()


def openpyxl_all(path: Path) -> None:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            pass
    wb.close()


def per_workbook_ms(read: Callable[[Path], object], loops: int) -> float:
    """Mean CPU ms of one read, cycling through the workbooks."""
    start = time.process_time()
    for i in range(loops):
        read(WORKBOOKS[i % len(WORKBOOKS)])
    return (time.process_time() - start) / loops * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--loops", type=int, default=300)
    parser.add_argument("--demo", type=int, default=0)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "baocao-bench")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    if args.demo:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_batch import ensure_demo

        WORKBOOKS[:] = sorted(ensure_demo(3321, args.data).rglob("*.xlsx"))[: args.demo]
    sys.path.insert(0, str(args.root.resolve()))
    from baocao.read import read_workbook

    readers = {"baocao read_workbook": read_workbook, "calamine, all sheets": calamine_all, "openpyxl": openpyxl_all}
    results: dict[str, list[float]] = {name: [] for name in readers}
    for read in readers.values():
        read(WORKBOOKS[0])  # warm-up: imports, caches
    for _ in range(args.runs):  # interleaved, so a slow moment of the machine hits every reader
        for name, read in readers.items():
            loops = max(3, args.loops // 20) if read is openpyxl_all else args.loops
            results[name].append(per_workbook_ms(read, loops))
    names = ", ".join(p.name for p in WORKBOOKS[:3]) + (", …" if len(WORKBOOKS) > 3 else "")
    print(f"{len(WORKBOOKS)} workbooks ({names}), baocao from {args.root}, {args.runs} runs, CPU ms per workbook")
    ours = results["baocao read_workbook"]
    for name, times in results.items():
        ratio = f"  ours/this {min(ours) / min(times):.2f}×" if times is not ours else ""
        print(f"  {name:22s} min {min(times):7.3f}  median {statistics.median(times):7.3f}{ratio}")
    met = "met" if min(ours) <= 2.5 else "NOT met"
    print(f"target ≤ 2.5 ms per workbook (issue 15, measured on a quiet machine) → {met} ({min(ours):.2f} ms)")


if __name__ == "__main__":
    main()
