"""Time per report on the Nhị Chiểu sample, against plain docxtpl measured in the same run.

    python benchmarks/bench_render.py [--runs N]

Baseline: `DocxTemplate(path).render(context); save()` per report (the template is re-read and its
Jinja recompiled every time). Ours: baocao's whole pipeline (read workbook → … → write .docx).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from baocao.pipeline import generate, prepare  # noqa: E402
from baocao.render import jinja_environment, render_docx  # noqa: E402

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"


def timed(fn, runs: int) -> float:
    """Median seconds of fn() over runs calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    prepared = prepare(SAMPLE)
    template = prepared.report.form.template_path
    context = prepared.context

    def plain_docxtpl() -> None:
        doc = DocxTemplate(template)
        doc.render(context, jinja_env=jinja_environment(), autoescape=True)
        doc.save(io.BytesIO())

    with tempfile.TemporaryDirectory() as out:
        results = {
            "plain docxtpl render (baseline)": timed(plain_docxtpl, runs),
            "baocao render only": timed(lambda: render_docx(template, context), runs),
            "baocao read+validate+compute+format": timed(lambda: prepare(SAMPLE), runs),
            "baocao whole report (workbook → .docx on disk)": timed(lambda: generate(SAMPLE, out), runs),
        }
    baseline = results["plain docxtpl render (baseline)"]
    print(f"{'step':50} {'ms/report':>10} {'× baseline':>11} {'speed-up':>9}")
    for name, seconds in results.items():
        print(f"{name:50} {seconds * 1000:10.1f} {seconds / baseline:11.2f} {baseline / seconds:8.1f}×")
    ratio = baseline / results["baocao render only"]
    print(f"target: render ≥ 10× faster than plain docxtpl → {'met' if ratio >= 10 else 'NOT met'} ({ratio:.1f}×)")


if __name__ == "__main__":
    main()
