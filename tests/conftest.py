"""Shared helpers: run the real CLI, build workbooks as a clerk would, read the .docx back."""

from __future__ import annotations

import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from baocao import layout
from baocao.form import find_form
from baocao.workbook.blank import write_blank_workbook

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

MINIMAL_INFO: dict[str, Any] = {
    "province": "Thành phố Hải Phòng",
    "unit_type": "Phường",
    "unit_name": "Thử Nghiệm",
    "period": "6 tháng",
    "year": 2026,
    "doc_number": "7",
    "sign_date": "09/06/2026",
    "basis": "Công văn số 2237/UBND-NVKTGS ngày 27/8/2025 của UBND thành phố Hải Phòng",
    "signing_mode": "TM.",
    "signer_title": "Chủ tịch",
    "signer_name": "Nguyễn Văn A",
    "recipients": "Sở Nội vụ thành phố Hải Phòng\nLưu: VT",
}


def run_cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python generate.py ARGS` as a clerk runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def typed_values(path: Path) -> dict[tuple[str, str], object]:
    """(sheet, STT or info label) → the value typed in the workbook."""
    wb = openpyxl.load_workbook(path, read_only=True)
    found: dict[tuple[str, str], object] = {}
    for ws in wb.worksheets:
        column = layout.INFO_VALUE_COL if ws.title == layout.INFO_SHEET else layout.VALUE_COL
        for row in ws.iter_rows(values_only=True):
            if row and row[0] is not None and len(row) >= column:
                found[(ws.title, str(row[0]))] = row[column - 1]
    wb.close()
    return found


def make_workbook(
    path: Path,
    info: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    text: dict[str, str] | None = None,
    remarks: dict[str, str] | None = None,
) -> Path:
    """A workbook of the default form filled with these inputs (same writer as new-input)."""
    data = {
        "info": {**MINIMAL_INFO, **(info or {})},
        "values": values or {},
        "text": text or {},
        "remarks": remarks or {},
    }
    return write_blank_workbook(find_form(), path, data)


def plain(text: str) -> str:
    """Text as read: the no-break spaces that keep names on one line (ND30 layout) read as spaces."""
    return text.replace("\u00a0", " ")


def paragraphs(document: docx.document.Document) -> list[str]:
    """Body paragraph texts in order (tables excluded)."""
    return [plain(p.text) for p in document.paragraphs]


def all_text(document: docx.document.Document) -> str:
    """Every paragraph and table cell text, joined by newlines."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return plain("\n".join(parts))


def appendix_rows(document: docx.document.Document) -> dict[str, list[list[str]]]:
    """Biểu mẫu tables of the Phụ lục: sheet name → data rows [STT, label, unit, value, remark]."""
    tables = [
        t
        for t in document.tables
        if t.rows and t.rows[0].cells[0].text.strip() == "STT" and t.rows[0].cells[1].text.startswith("Chỉ tiêu")
    ]
    names = [p.text.strip() for p in document.paragraphs if p.text.strip().startswith("Biểu mẫu ")]
    return {
        name: [[plain(c.text) for c in row.cells] for row in table.rows[2:]]
        for name, table in zip(names, tables, strict=True)
    }


@pytest.fixture
def workbook_factory(tmp_path: Path):
    def factory(name: str = "wb.xlsx", **kwargs: Any) -> Path:
        return make_workbook(tmp_path / name, **kwargs)

    return factory


def start_server(app: Any) -> AbstractContextManager[str]:
    """Serve a Flask app with waitress (as `python generate.py serve` does) on a free loopback port;
    yields its base URL, e.g. 'http://127.0.0.1:41234'."""
    from baocao.web.app import serving

    return serving(app)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
