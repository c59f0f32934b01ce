"""Record what baocao produces, as plain text, so a refactoring can be shown to change nothing.

    python tools/snapshot_outputs.py OUT_DIR
    diff -r BEFORE_DIR AFTER_DIR

It runs the CLI itself (as a clerk would) on the bundled samples, a 30-commune demo batch with its roll-up,
and `check` on every workbook under tests/data/, and writes into OUT_DIR:
- `render/<report>.document.xml`: each report's `word/document.xml`, pretty-printed;
- `batch/<report>.document.xml`, `batch/tong_hop.cells.txt`: the batch's reports and every cell of the roll-up;
- `check/<workbook>.txt`: the exit status and every line `check` prints for that workbook.
Timestamps (the problem list's "Thời điểm kiểm tra") are blanked.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "generate.py")]
STAMP = re.compile(r"\d{2}:\d{2}(:\d{2})? (ngày )?\d{1,2}[/ ].*")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, check=False)


def _document_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        tree = etree.fromstring(z.read("word/document.xml"))
    return etree.tostring(tree, pretty_print=True, encoding="unicode")


def _cells(xlsx: Path) -> str:
    lines = []
    for ws in load_workbook(xlsx).worksheets:
        for row in ws.iter_rows():
            lines += [f"{ws.title}!{c.coordinate}\t{c.value!r}" for c in row if c.value is not None]
    return "\n".join(lines) + "\n"


def _reports(folder: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for docx in sorted(folder.rglob("*.docx")):
        name = str(docx.relative_to(folder)).replace("/", "__")
        (out / f"{name}.document.xml").write_text(_document_xml(docx), encoding="utf-8")
    for xlsx in sorted(folder.rglob("tong_hop*.xlsx")):
        name = str(xlsx.relative_to(folder)).replace("/", "__")
        (out / f"{name}.cells.txt").write_text(_cells(xlsx), encoding="utf-8")


def main(out_dir: str) -> int:
    out = Path(out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _run("render", "inputs", "-o", str(work / "render"))
        _reports(work / "render", out / "render")
        _run("demo-data", "--communes", "30", "-o", str(work / "demo"))
        batch = _run("render", str(work / "demo"), "-o", str(work / "batch"))
        _reports(work / "batch", out / "batch")
        (out / "batch" / "stdout.txt").write_text(batch.stdout.replace(tmp, "TMP"), encoding="utf-8")
    (out / "check").mkdir(parents=True, exist_ok=True)
    data = ROOT / "tests" / "data"
    for book in sorted([*data.glob("*.xls*"), *data.glob("*.ods"), *(data / "guards").glob("*.xlsx")]):
        result = _run("check", str(book.relative_to(ROOT)))
        text = f"exit {result.returncode}\n{result.stdout}{result.stderr}"
        (out / "check" / f"{book.name}.txt").write_text(STAMP.sub("…", text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
