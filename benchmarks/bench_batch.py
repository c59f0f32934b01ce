"""National scale: all communes' reports (docx only) in one run: wall time, CPU per commune, peak memory.

    python benchmarks/bench_batch.py [--sizes 114 1000 3321] [--runs 3] [--data /tmp/baocao-bench]
                                     [--baseline-root DIR] [--without-chart] [--workers N]

For each size N, demo workbooks are made once (python generate.py demo-data, cached in --data and
reused while the folder holds N workbooks), then `python generate.py DIR -o OUT` runs as a child
process, --runs times. Printed per N: wall seconds and CPU ms per commune (min and median of the
runs; CPU is user + system time of every process of the run, workers included), and the peak
resident memory of the largest process, so that its growth with N can be read off (the smallest N
is the baseline of that ratio).

--baseline-root runs another checkout's generate.py on the same workbooks (e.g. the code before a
change: `git archive COMMIT | tar -x -C DIR`), interleaved with ours, so both are measured under
the same machine load.
--without-chart also runs ours with the roll-up's matplotlib chart left out (batch.chart_png returning
nothing), to show what it cost; since the native Word charts (issue 12) there is no chart_png and
the option changes nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs generate.py of a checkout in this child and prints, on its last stderr line, the rusage of
# all its descendants (the batch's workers are waited for, so their time and peak memory count).
_RUNNER = """
import json, resource, runpy, sys, time
root, no_chart, args = sys.argv[1], sys.argv[2] == "1", sys.argv[3:]
sys.path.insert(0, root)
if no_chart:
    import baocao.batch.run as batch
    if hasattr(batch, "chart_png"):
        batch.chart_png = lambda *a, **k: None
sys.argv = [root + "/generate.py", *args]
start = time.perf_counter()
try:
    runpy.run_path(root + "/generate.py", run_name="__main__")
    code = 0
except SystemExit as e:
    code = e.code or 0
wall = time.perf_counter() - start
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
peak = max(own.ru_maxrss, kids.ru_maxrss) / 1024
print(json.dumps({"wall": wall, "cpu": cpu, "peak": peak, "code": code}), file=sys.stderr)
"""


@dataclass
class Variant:
    name: str
    root: Path
    no_chart: bool = False
    runs: dict[int, list[dict]] = field(default_factory=dict)


def ensure_demo(count: int, data: Path) -> Path:
    """The folder of `count` demo workbooks, made only when it does not hold them all yet (sets of
    several provinces are written in one sub-folder per province, hence the recursive count)."""
    folder = data / f"d{count}"
    if len(list(folder.rglob("*.xlsx"))) != count:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(ROOT / "generate.py"), "demo-data", "--communes", str(count), "-o", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder


def run_batch(root: Path, folder: Path, no_chart: bool = False, extra: tuple[str, ...] = ()) -> dict:
    """{wall, cpu, peak, summary} of one `generate.py folder -o OUT` run of the checkout at root."""
    with tempfile.TemporaryDirectory(prefix="baocao-bench-out-") as out:
        done = subprocess.run(
            [sys.executable, "-c", _RUNNER, str(root), "1" if no_chart else "0", str(folder), "-o", out, *extra],
            capture_output=True,
            text=True,
            check=False,
            cwd=root,
        )
        stats = json.loads(done.stderr.strip().splitlines()[-1])
        if stats["code"] != 0:
            raise SystemExit(done.stderr[-2000:])
        stats["summary"] = done.stdout.strip().splitlines()[-1]
        stats["outputs"] = sum(1 for _ in Path(out).rglob("*.docx"))
    return stats


def spread(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
    """'min / median' of values × scale."""
    return f"{min(values) * scale:.{digits}f} / {statistics.median(values) * scale:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[114, 1000, 3321])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "baocao-bench")
    parser.add_argument("--baseline-root", type=Path, help="another checkout to run on the same workbooks")
    parser.add_argument("--without-chart", action="store_true", help="also run ours without the roll-up's chart")
    parser.add_argument("--workers", type=int, default=0, help="passed to generate.py (0: one per core)")
    args = parser.parse_args()
    variants = [Variant("baocao", ROOT)]
    if args.without_chart:
        variants.append(Variant("baocao, roll-up without chart", ROOT, no_chart=True))
    if args.baseline_root:
        variants.append(Variant(f"baseline {args.baseline_root}", args.baseline_root.resolve()))
    extra = ("--workers", str(args.workers)) if args.workers else ()
    sizes = sorted(args.sizes)
    folders = {n: ensure_demo(n, args.data) for n in sizes}
    for n in sizes:
        for _ in range(args.runs):
            for v in variants:  # interleaved: the same load for every variant
                v.runs.setdefault(n, []).append(run_batch(v.root, folders[n], v.no_chart, extra))
    print(f"{args.runs} run(s) each, min / median")
    header = ("variant", "communes", "wall s", "CPU ms/commune", "peak MB", "× memory", "summary")
    print("{:32} {:>8} {:>13} {:>15} {:>13} {:>8}  {}".format(*header))
    for v in variants:
        base_peak = min(r["peak"] for r in v.runs[sizes[0]])
        for n in sizes:
            runs = v.runs[n]
            peak = min(r["peak"] for r in runs)
            print(
                f"{v.name[:32]:32} {n:8d} {spread([r['wall'] for r in runs]):>13} "
                f"{spread([r['cpu'] / n for r in runs], 1000):>15} {spread([r['peak'] for r in runs], digits=0):>13} "
                f"{peak / base_peak:8.2f}  {runs[0]['summary']}"
            )
    ours = variants[0].runs[sizes[-1]]
    n = sizes[-1]
    wall = statistics.median(r["wall"] for r in ours)
    cpu = statistics.median(r["cpu"] for r in ours) / n * 1000
    growth = min(r["peak"] for r in ours) / min(r["peak"] for r in variants[0].runs[sizes[0]])
    for v in variants[1:]:
        other = statistics.median(r["cpu"] for r in v.runs[n]) / n * 1000
        print(f"CPU per commune at {n}: {v.name} {other:.1f} ms → baocao {cpu:.1f} ms ({other / cpu:.2f}×)")
    print(
        f"target at {n} communes: ≤ 10 ms CPU per commune → {'met' if cpu <= 10 else 'NOT met'} ({cpu:.1f} ms); "
        f"≤ 20 s wall (2 cores, quiet machine) → {'met' if wall <= 20 else 'NOT met'} ({wall:.1f} s); "
        f"peak memory ≤ 1.2× that at {sizes[0]} → {'met' if growth <= 1.2 else 'NOT met'} ({growth:.2f}×)"
    )


if __name__ == "__main__":
    main()
