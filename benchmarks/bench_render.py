"""Time per report on the Nhị Chiểu sample, against plain docxtpl measured in the same run.

    python benchmarks/bench_render.py [--runs N]

Baseline: `DocxTemplate(path).render(context); save()` per report (the template is re-read and its
Jinja recompiled every time). Also timed: the compile-once renderer as it was before issue 15
(tests/previous_render.py: level-6 deflate, docxtpl's post-processing done literally), the floor
(joining the rendered XML, deflating it at the same level and writing the zip of the other parts,
i.e. everything but Jinja), and baocao's whole pipeline (read workbook → … → write .docx).
The steps are timed in interleaved rounds, so a busy machine slows them alike, in CPU time of this
process (on a shared machine wall time mostly measures the waits for a core; on a quiet one the
two agree, each step being single-threaded); min and median per step are printed, the ratios are
of the medians. --wall times wall-clock instead.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from baocao.pipeline import prepare, write  # noqa: E402
from baocao.render import compiled_template, jinja_environment, render_docx  # noqa: E402
from tests.previous_render import PreviousTemplate  # noqa: E402

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
BASELINE = "plain docxtpl render (baseline)"
OURS = "baocao render only"


def timed_rounds(
    steps: dict[str, Callable[[], object]], runs: int, clock: Callable[[], float] = time.process_time
) -> dict[str, list[float]]:
    """Seconds of each step over `runs` interleaved rounds (after one warm-up round)."""
    samples: dict[str, list[float]] = {name: [] for name in steps}
    for n in range(runs + 1):
        for name, fn in steps.items():
            start = clock()
            fn()
            if n:
                samples[name].append(clock() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    args = parser.parse_args()
    runs = args.runs
    prepared = prepare(SAMPLE)
    template = prepared.report.form.template_path
    context = prepared.context
    previous = PreviousTemplate(template)
    compiled = compiled_template(template)
    rendered = [(p.member, p.render(context)) for p in compiled.parts]

    def plain_docxtpl() -> None:
        doc = DocxTemplate(template)
        doc.render(context, jinja_env=jinja_environment(), autoescape=True)
        doc.save(io.BytesIO())

    with tempfile.TemporaryDirectory() as out:
        samples = timed_rounds(
            {
                BASELINE: plain_docxtpl,
                "previous compile-once render (before issue 15)": lambda: previous.render(context),
                OURS: lambda: render_docx(template, context),
                "floor: zip of the rendered XML (no Jinja)": lambda: compiled.zip.build(rendered),
                "baocao read+validate+compute+format": lambda: prepare(SAMPLE),
                "baocao whole report (workbook → .docx on disk)": lambda: write(prepare(SAMPLE), out),
            },
            runs,
            time.perf_counter if args.wall else time.process_time,
        )
    medians = {name: statistics.median(s) for name, s in samples.items()}
    baseline = medians[BASELINE]
    print(f"{runs} interleaved rounds, {'wall' if args.wall else 'CPU'} time; ratios of medians")
    print(f"{'step':50} {'min ms':>8} {'median ms':>10} {'speed-up':>9}")
    for name, s in samples.items():
        print(f"{name:50} {min(s) * 1000:8.2f} {medians[name] * 1000:10.2f} {baseline / medians[name]:8.1f}×")
    ours = medians[OURS]
    ratio = baseline / ours
    met = ours <= 0.002 and ratio >= 25
    print(
        f"target: render ≤ 2 ms and ≥ 25× plain docxtpl → {'met' if met else 'NOT met'} "
        f"({ours * 1000:.2f} ms, {ratio:.1f}×; {medians['previous compile-once render (before issue 15)'] / ours:.2f}× "
        "the previous render)"
    )


if __name__ == "__main__":
    main()
