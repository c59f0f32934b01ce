"""--pdf converts through LibreOffice (CI installs it); without it the message says what to do."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


@pytest.mark.pdf
def test_report_converts_to_pdf(workbook_factory, tmp_path: Path) -> None:
    assert shutil.which("soffice") and shutil.which("pdfinfo"), "LibreOffice and poppler-utils: .ci/run installs them"
    wb = workbook_factory()
    out = tmp_path / "out"
    done = run_cli(wb, "-o", out, "--pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    pdfs = list(out.glob("*.pdf"))
    assert [p.stem for p in pdfs] == [p.stem for p in out.glob("*.docx")]
    assert pdfs[0].read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", pdfs[0]], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3  # BÁO CÁO, then the Phụ lục on its own pages
    text = subprocess.run(["pdftotext", "-layout", pdfs[0], "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Biểu mẫu 1", "Biểu mẫu 7", "Nguyễn Văn A"):
        assert expected in text


def test_missing_libreoffice_is_explained(workbook_factory, tmp_path: Path, monkeypatch) -> None:
    wb = workbook_factory()
    bare = tmp_path / "bin"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    out = tmp_path / "out"
    done = run_cli(wb, "-o", out, "--pdf")
    assert done.returncode == 1
    assert "Chưa cài LibreOffice" in done.stderr
    assert list(out.glob("*.docx")), "the .docx is still written"


@pytest.mark.pdf
def test_hai_duong_sample_converts_to_pdf_with_its_multi_level_table(tmp_path: Path) -> None:
    assert shutil.which("soffice") and shutil.which("pdftotext"), "LibreOffice and poppler-utils: .ci/run installs them"
    out = tmp_path / "out"
    done = run_cli(ROOT / "inputs" / "chi_lang_nam_2023.xlsx", "-o", out, "--pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = out / "chi-lang-nam_xa_bao-cao-cchc_nam-2023.pdf"
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "ỦY BAN NHÂN DÂN XÃ CHI",
        "Số lượng hồ sơ tiếp nhận",
        "Số hồ sơ đã giải quyết",
        "Lĩnh vực Hộ tịch",
        "Biểu mẫu 7",
        "Nguyễn Đức Minh",
    ):
        assert expected in text, expected
