"""CPU per commune of each step of the batch, serial and in one process (no pool, no profiler).

    python benchmarks/bench_phases.py [--communes 40] [--data /tmp/baocao-bench] [--root DIR]

On the first --communes demo workbooks of the 114-commune set (made once, reused), each step a
batch worker does is timed in CPU time: read, compute (the values and the row-by-row tables, once),
validate, spool (the pipeline.Prepared pickled and read back, as between the batch's passes),
context, render, write (atomic, without the per-file fsync the batch leaves out). The template is
compiled before the loop. --root imports baocao from another checkout (e.g. the code before a
change: `git archive COMMIT | tar -x -C DIR`), to compare both step by step; a checkout from before
the spool was the Prepared itself is timed as it ran then (its spool a dict, and compute again in
the write pass).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=40)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "baocao-bench")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_batch import ensure_demo

    folder = ensure_demo(114, args.data)
    sys.path.insert(0, str(args.root.resolve()))
    from baocao import pipeline
    from baocao.format import build_context
    from baocao.pipeline import compute_report, prepare
    from baocao.read import read_workbook
    from baocao.render import render_docx
    from baocao.validate import validate
    from baocao.write import write_atomic

    books = sorted(folder.rglob("*.xlsx"))[: args.communes]
    warm = prepare(books[0])
    render_docx(warm.report.form.template_path, warm.context)  # compile the template once
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as out:
        for book in books:
            t = time.process_time()

            def tick(name: str) -> None:
                nonlocal t
                now = time.process_time()
                steps[name] = steps.get(name, 0.0) + now - t
                t = now

            report = read_workbook(book)
            tick("read")
            computed = compute_report(report, check=True)
            tick("compute")
            values = computed[0] if isinstance(computed, tuple) else computed
            problems = validate(report, values)
            tick("validate")
            if hasattr(pipeline, "load_prepared"):  # the spool is the Prepared, formatted in the write pass
                prepared = pipeline.Prepared(report=report, problems=problems, values=values, grids=computed[1])
                prepared = pickle.loads(pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL))
                tick("spool (dump + load)")
                context = prepared.format()
                tick("context")
            else:
                spooled = {"info": report.info, "values": report.values, "text": report.text, "grids": report.grids}
                pickle.loads(pickle.dumps(spooled))
                tick("spool (dump + load)")
                values = compute_report(report)
                tick("compute again (write pass)")
                context = build_context(report, values)
                tick("context")
            data = render_docx(report.form.template_path, context)
            tick("render")
            try:
                write_atomic(Path(out) / f"{book.stem}.docx", data, sync=False)
            except TypeError:  # a checkout from before write_atomic(sync=...)
                write_atomic(Path(out) / f"{book.stem}.docx", data)
            tick("write")
    n = len(books)
    print(f"{n} demo communes, baocao from {args.root}; CPU ms per commune")
    for name, seconds in steps.items():
        print(f"{name:28} {seconds / n * 1000:7.2f}")
    rest = sum(s for name, s in steps.items() if name != "read")
    print(f"{'all but reading':28} {rest / n * 1000:7.2f}")
    print(f"{'total':28} {sum(steps.values()) / n * 1000:7.2f}")


if __name__ == "__main__":
    main()
