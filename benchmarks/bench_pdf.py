"""PDF for a batch: LibreOffice started once per worker vs once per file, measured in the same run.

    python benchmarks/bench_pdf.py [--files 16] [--workers 2]

Reports are rendered from demo workbooks; the baseline converts them one `soffice --convert-to pdf`
call per file (what a script around LibreOffice usually does); ours is
baocao.write.convert_many_to_pdf (one LibreOffice process per worker, each converting its share).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao.write import convert_many_to_pdf, find_soffice, soffice_pdf_command  # noqa: E402


def reports(count: int, work: Path) -> list[Path]:
    data, out = work / "data", work / "out"
    subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "demo-data", "--communes", str(count), "-o", str(data)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), str(data), "-o", str(out)], check=False, stdout=subprocess.DEVNULL
    )
    return sorted(out.glob("*_bao-cao-cchc_*.docx"))[:count]


def one_call_per_file(docs: list[Path], out: Path) -> float:
    soffice = find_soffice()
    start = time.perf_counter()
    for n, doc in enumerate(docs):
        subprocess.run(soffice_pdf_command(soffice, out / f"profile{n}", out, [doc]), check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if find_soffice() is None:
        raise SystemExit("LibreOffice (soffice) is not installed.")
    with tempfile.TemporaryDirectory(prefix="baocao-bench-pdf-") as work:
        docs = reports(args.files, Path(work))
        baseline_dir = Path(work, "baseline")
        baseline_dir.mkdir()
        baseline = one_call_per_file(docs, baseline_dir)
        start = time.perf_counter()
        converted = convert_many_to_pdf(docs, workers=args.workers)
        ours = time.perf_counter() - start
    n = len(docs)
    print(f"{n} reports, {args.workers} workers")
    print(f"{'one soffice call per file (baseline)':45} {baseline / n * 1000:8.0f} ms/file   1.00")
    print(f"{'baocao convert_many_to_pdf':45} {ours / n * 1000:8.0f} ms/file {baseline / ours:6.2f}× faster")
    print(f"converted {len(converted)}/{n}; target ≥ 5× → {'met' if baseline / ours >= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
