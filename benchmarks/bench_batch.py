"""National scale: all communes' reports (docx only) in one run, with wall time and peak memory.

    python benchmarks/bench_batch.py [--sizes 114 1000 3321] [--data /tmp/baocao-bench]

For each size N, demo workbooks are made once (python generate.py demo-data, cached in --data),
then `python generate.py DIR -o OUT` runs as a child process. Printed per N: wall seconds, ms per
commune, and the peak resident memory of the largest process (main or worker), so the growth of
memory with N can be read off; the smallest N is the baseline of the ratios.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_demo(count: int, data: Path) -> Path:
    folder = data / f"d{count}"
    if len(list(folder.glob("*.xlsx"))) != count:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(ROOT / "generate.py"), "demo-data", "--communes", str(count), "-o", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder


def run_batch(folder: Path) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB of the largest process, summary line) of one batch run."""
    with tempfile.TemporaryDirectory(prefix="baocao-bench-out-") as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "generate.py"), str(folder), "-o", out],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        summary = done.stdout.strip().splitlines()[-1]
    return wall, max(peak, before) / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[114, 1000, 3321])
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "baocao-bench")
    args = parser.parse_args()
    rows = []
    for count in sorted(args.sizes):
        wall, peak, summary = run_batch(ensure_demo(count, args.data))
        rows.append((count, wall, peak, summary))
    base_count, base_wall, base_peak, _ = rows[0]
    header = ("communes", "seconds", "ms/commune", "peak MB", "× time/commune", "× memory")
    print("{:>9} {:>8} {:>11} {:>8} {:>15} {:>9}  summary".format(*header))
    for count, wall, peak, summary in rows:
        per = wall / count * 1000
        print(
            f"{count:9d} {wall:8.1f} {per:11.1f} {peak:8.0f} {per / (base_wall / base_count * 1000):15.2f} "
            f"{peak / base_peak:9.2f}  {summary}"
        )
    count, wall, *_ = rows[-1]
    print(f"target: {count} communes in under 60 s → {'met' if wall < 60 else 'NOT met'} ({wall:.1f} s)")


if __name__ == "__main__":
    main()
