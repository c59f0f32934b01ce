"""PDF at national scale: `generate.py --pdf` per file, against LibreOffice set-ups measured in the same run.

    python benchmarks/bench_pdf.py [--files 100] [--workers 2] [--per-file 8] [--data /tmp/baocao-bench]
                                   [--single-runs 5] [--shares N ...] [--without-one-for-all]

On --files demo workbooks (made once, reused), measured in one run:
- the batch with --pdf and without it: the difference is what the PDFs cost per file;
- on the same .docx, the LibreOffice set-ups one machine allows: one soffice for all the files;
  N soffice processes, each converting its share (N = 1 … 2 × --workers; baocao's
  convert_many_to_pdf with workers=N); and one soffice call per file (the usual script, on
  --per-file files only, it is slow);
- the national figure (3,321 communes) extrapolated from the ms per file, and labelled so; with
  --files 3321 it is measured (then --shares 2 --without-one-for-all keep the run to the set-up that is
  best on 2 cores, about a quarter of an hour on a quiet machine);
- one file through the warm LibreOffice (baocao.office.libreoffice, what `serve` and the roll-ups use) against a cold
  `soffice --convert-to pdf` with a fresh profile (--single-runs of each, alternating; medians).
Each figure is given in wall time and in CPU time (user + system of every process it started):
on a shared machine the wall time mostly measures the waits for a core.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_batch import ensure_demo  # noqa: E402

from baocao.office.libreoffice import WarmOffice  # noqa: E402
from baocao.write import convert_many_to_pdf, find_soffice, soffice_pdf_command  # noqa: E402

NATIONAL = 3321


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(fn, *args) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the processes it started and waited for) of fn(*args)."""
    cpu, start = children_cpu(), time.perf_counter()
    fn(*args)
    return time.perf_counter() - start, children_cpu() - cpu


def batch(folder: Path, out: Path, pdf: bool, workers: int) -> None:
    """`generate.py folder -o out [--pdf]`."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, str(ROOT / "generate.py"), str(folder), "-o", str(out), "--workers", str(workers)]
    done = subprocess.run([*cmd, "--pdf"] if pdf else cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stdout[-1000:] + done.stderr[-1000:])


def one_soffice_for_all(docs: list[Path], work: Path) -> None:
    out = work / "all"
    out.mkdir()
    cmd = soffice_pdf_command(find_soffice(), work / "profile-all", out, docs)
    subprocess.run(cmd, check=True, capture_output=True)
    assert len(list(out.glob("*.pdf"))) == len(docs)


def one_call_per_file(docs: list[Path], work: Path) -> None:
    out = work / "each"
    out.mkdir()
    for n, doc in enumerate(docs):
        subprocess.run(soffice_pdf_command(find_soffice(), work / f"p{n}", out, [doc]), check=True, capture_output=True)


def shares(copies: list[Path], processes: int) -> None:
    """N soffice processes, each over its share (baocao's own converter)."""
    assert len(convert_many_to_pdf(copies, workers=processes)) == len(copies)


def copies_of(docs: list[Path], folder: Path) -> list[Path]:
    folder.mkdir()
    return [Path(shutil.copy(d, folder / d.name)) for d in docs]


def one_file(doc: Path, work: Path, runs: int) -> tuple[float, float, float]:
    """(cold, warm, first warm start) seconds for one file: medians of `runs`, cold and warm alternating."""
    soffice = find_soffice()
    office = WarmOffice()
    cold, warm = [], []
    try:
        start = time.perf_counter()
        office.convert(doc)  # starts LibreOffice: the first PDF of a server's life, not counted as warm
        first = time.perf_counter() - start
        for n in range(runs):
            out = work / f"cold{n}"
            start = time.perf_counter()
            subprocess.run(soffice_pdf_command(soffice, out / "profile", out, [doc]), check=True, capture_output=True)
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            office.convert(doc)
            warm.append(time.perf_counter() - start)
    finally:
        office.close()
    return statistics.median(cold), statistics.median(warm), first


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="the batch's workers (cores)")
    parser.add_argument("--per-file", type=int, default=8, help="files for the one-call-per-file set-up")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "baocao-bench")
    parser.add_argument("--single-runs", type=int, default=5, help="runs of one file, warm and cold")
    parser.add_argument(
        "--shares", type=int, nargs="+", help="the N-soffice set-ups to run (default: 1 … 2 × --workers)"
    )
    parser.add_argument(
        "--without-one-for-all", action="store_true", help="leave out the one-soffice-for-all set-up (slow at scale)"
    )
    args = parser.parse_args()
    if find_soffice() is None:
        raise SystemExit("LibreOffice (soffice) is not installed.")
    folder = ensure_demo(args.files, args.data)
    n = args.files
    rows: list[tuple[str, tuple[float, float], int]] = []
    with tempfile.TemporaryDirectory(prefix="baocao-bench-pdf-") as tmp:
        work = Path(tmp)
        docx_only = measured(batch, folder, work / "docx", False, args.workers)
        with_pdf = measured(batch, folder, work / "pdf", True, args.workers)
        docs = sorted((work / "docx").glob("*_bao-cao-cchc_*.docx"))
        assert len(docs) == n, f"{len(docs)} reports for {n} workbooks"
        if not args.without_one_for_all:
            rows.append(("one soffice for all files", measured(one_soffice_for_all, docs, work), n))
        for processes in args.shares or range(1, 2 * args.workers + 1):
            copies = copies_of(docs, work / f"shares{processes}")
            rows.append((f"{processes} soffice, each over its share", measured(shares, copies, processes), n))
        sample = docs[: args.per_file]
        rows.append(
            (f"one soffice call per file ({len(sample)} files)", measured(one_call_per_file, sample, work), len(sample))
        )
        cold, warm, first = one_file(docs[0], work, args.single_runs)
    pdf_part = [(a - b) / n for a, b in zip(with_pdf, docx_only, strict=True)]
    print(f"{n} demo reports, batch with --workers {args.workers}; ms per file, wall and CPU")
    print(f"{'':45} {'wall':>8} {'CPU':>8}")
    print(f"{'batch docx only':45} {docx_only[0] / n * 1000:8.0f} {docx_only[1] / n * 1000:8.0f}")
    print(
        f"{'batch docx + pdf (generate.py --pdf)':45} {with_pdf[0] / n * 1000:8.0f} {with_pdf[1] / n * 1000:8.0f}"
        f"   PDF part {pdf_part[0] * 1000:.0f} wall, {pdf_part[1] * 1000:.0f} CPU"
    )
    best_name, best, _ = min(((name, t[0] / k, k) for name, t, k in rows), key=lambda r: r[1])
    for name, (wall, cpu), k in rows:
        line = f"{'  LibreOffice: ' + name:45} {wall / k * 1000:8.0f} {cpu / k * 1000:8.0f}"
        print(f"{line}   {wall / k / best:5.2f}× the best wall")
    print(
        f"baocao's PDF part {pdf_part[0] * 1000:.0f} ms/file (wall) vs the best set-up ({best_name}) "
        f"{best * 1000:.0f} ms/file: {pdf_part[0] / best:.2f}×"
    )
    if n >= NATIONAL:
        pdfs = pdf_part[0] * n / 60
        print(f"MEASURED on {n:,} communes: docx + pdf {with_pdf[0] / 60:.1f} min wall, the PDFs {pdfs:.1f} min")
    else:
        print(
            f"EXTRAPOLATED to {NATIONAL:,} communes (not measured): docx + pdf ≈ {with_pdf[0] / n * NATIONAL / 60:.0f} "
            f"min wall (+ the roll-ups), the PDFs alone ≈ {pdf_part[0] * NATIONAL / 60:.0f} min"
        )
    print(f"one file, median of {args.single_runs} (wall):")
    print(f"{'  cold soffice, fresh profile (baseline)':45} {cold * 1000:8.0f} ms   1.00")
    print(f"{'  warm LibreOffice (baocao.office.libreoffice)':45} {warm * 1000:8.0f} ms {cold / warm:6.2f}× faster")
    print(f"{'  (its first PDF, starting LibreOffice)':45} {first * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
