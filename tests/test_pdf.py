"""--pdf converts through LibreOffice (CI installs it); without it the message says what to do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest

from baocao.errors import PdfError
from baocao.office.libreoffice import WarmOffice
from baocao.write import convert_many_to_pdf
from tests.conftest import ROOT, all_text, run_cli


def pdf_font_families(pdf: Path) -> dict[str, set[str]]:
    """pdffonts: family → its faces (subset prefix dropped), e.g. {'LiberationSerif': {'', 'Bold', 'Italic'}}."""
    out = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    families: dict[str, set[str]] = {}
    for line in out:
        name = line.split()[0].split("+", 1)[-1]
        family, _, face = name.partition("-")
        families.setdefault(family, set()).add(face)
    return families


def words(text: str) -> set[str]:
    """The words of a text; hyphens dropped (pdftotext joins "NQ-" at a line's end with "HĐND")."""
    return set(re.findall(r"\w+", unicodedata.normalize("NFC", text.replace("-", ""))))


def assert_one_typeface_and_whole_words(pdf: Path) -> None:
    """Every face of the PDF is Liberation Serif (no DejaVu for the Vietnamese letters), and every word of the
    .docx reads back whole from the PDF (no "thu ộc")."""
    families = pdf_font_families(pdf)
    assert set(families) == {"LiberationSerif"}, families
    assert families["LiberationSerif"] <= {"", "Bold", "Italic", "BoldItalic"}
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    expected = words(all_text(docx.Document(pdf.with_suffix(".docx"))))
    assert len(expected) > 300
    assert expected - words(text) == set()
    assert "thuộc" in text and "thu ộc" not in text


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
    assert_one_typeface_and_whole_words(pdfs[0])
    assert "Cảnh báo: phông" not in done.stderr


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
    assert_one_typeface_and_whole_words(pdf)
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "XÃ CHI LĂNG NAM",
        "Số lượng hồ sơ tiếp nhận",
        "Số hồ sơ đã giải quyết",
        "Lĩnh vực Hộ tịch",
        "Biểu mẫu 7",
        "Nguyễn Đức Minh",
    ):
        assert expected in text, expected


@pytest.mark.pdf
def test_a_font_without_vietnamese_letters_is_warned_about(workbook_factory, tmp_path: Path) -> None:
    """A form whose template is set in OpenSymbol (no Vietnamese letters): the PDF is still made, with a warning
    naming the font, the missing letters and the package to install."""
    form = tmp_path / "form"
    shutil.copytree(ROOT / "templates" / "hai_phong_2025", form)
    template = form / "bao_cao.docx"
    with zipfile.ZipFile(template) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b'w:ascii="Times New Roman"', b'w:ascii="OpenSymbol"')
    with zipfile.ZipFile(template, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out = tmp_path / "out"
    done = run_cli(workbook_factory(), "-o", out, "--pdf", "--form", form / "form.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(out.glob("*.pdf"))
    (warning,) = [line for line in done.stderr.splitlines() if line.startswith("Cảnh báo: phông OpenSymbol")]
    assert int(re.search(r"thiếu (\d+) ký tự của ", warning).group(1)) >= 60  # at least the Vietnamese letters
    assert "fonts-liberation2" in warning


@pytest.mark.pdf
def test_warm_office_starts_libreoffice_once_and_again_when_it_dies(tmp_path: Path) -> None:
    done = run_cli(ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx", "-o", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (report,) = tmp_path.glob("*.docx")
    office = WarmOffice()
    try:
        first = office.convert(report).read_bytes()
        second = office.convert(report).read_bytes()
        assert office.starts == 1
        assert first.startswith(b"%PDF") and second.startswith(b"%PDF")
        os.kill(office._bridge.pid, 9)  # LibreOffice's bridge dies: the next PDF starts a new one
        office._bridge.wait()
        assert office.convert(report).read_bytes().startswith(b"%PDF")
        assert office.starts == 2
        assert_one_typeface_and_whole_words(report.with_suffix(".pdf"))
    finally:
        office.close()
    assert not office.running


def test_ci_runs_exactly_the_readme_test_command_which_installs_the_system_packages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("sh tools/setup_system.sh && "))
    assert command.endswith(".venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line for line in ci if line and not line.startswith(("#", "set ", "cd "))] == [command]
    script = (ROOT / "tools" / "setup_system.sh").read_text(encoding="utf-8")
    packages = re.search(r'PACKAGES="([^"]+)"', script).group(1).split()
    assert {"libreoffice-writer-nogui", "fonts-liberation2", "poppler-utils", "chromium"} <= set(packages)
    assert "fonts-liberation" not in packages  # Liberation Serif 1.07 lacks 60 Vietnamese letters


def test_setup_script_not_as_root_says_what_to_run() -> None:
    """Nothing installed and not root: one Vietnamese line with the command to run, and a non-zero exit."""
    assert shutil.which("setpriv"), "util-linux's setpriv runs the script as another user"
    bare = Path(tempfile.mkdtemp(prefix="baocao-bare-"))  # readable by the other user (tmp_path is not)
    bare.chmod(0o755)
    for tool in ("id", "fc-list"):
        (bare / tool).symlink_to(shutil.which(tool))
    done = subprocess.run(
        [
            shutil.which("setpriv"),
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "/bin/sh",
            ROOT / "tools" / "setup_system.sh",
        ],
        env={"PATH": str(bare)},
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(bare)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith("Thiếu gói hệ thống: libreoffice-writer-nogui")
    assert "Chạy trước: sudo apt-get update && sudo apt-get install -y --no-install-recommends" in line
    assert "fonts-liberation2" in line


def test_setup_script_with_everything_installed_does_nothing() -> None:
    done = subprocess.run(["sh", ROOT / "tools" / "setup_system.sh"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.pdf
def test_a_server_process_reuses_one_warm_libreoffice_for_its_batches(tmp_path: Path) -> None:
    """What the web page runs for each upload (run_batch, one worker, in the server's process) twice: the commune
    reports and the roll-up of both runs go through one LibreOffice, started once."""
    from baocao.batch.run import BatchOptions, run_batch
    from baocao.office.libreoffice import warm_office

    data = tmp_path / "data"
    done = run_cli("demo-data", "--communes", "2", "--province", "Hải Phòng", "-o", data)
    assert done.returncode == 0, done.stdout + done.stderr
    office = warm_office()
    starts = office.starts
    for run in ("a", "b"):
        options = BatchOptions(pdf=True, workers=1, province="Hải Phòng")
        result = run_batch(sorted(data.glob("*.xlsx")), tmp_path / run, options)
        assert [c.pdf is not None for c in result.checked] == [True, True]
        (rollup,) = (tmp_path / run).glob("tong-hop_*.pdf")
        assert rollup.read_bytes().startswith(b"%PDF")
        assert_one_typeface_and_whole_words(rollup)
        assert_one_typeface_and_whole_words(result.checked[0].pdf)
    assert office.running
    assert office.starts - starts <= 1  # 0 when an earlier test of this process had started it


def small_reports(folder: Path, count: int) -> list[Path]:
    """`count` one-line .docx files: bc000.docx says "Báo cáo số 0", and so on."""
    docs = []
    for n in range(count):
        document = docx.Document()
        document.add_paragraph(f"Báo cáo số {n}")
        document.save(folder / f"bc{n:03}.docx")
        docs.append(folder / f"bc{n:03}.docx")
    return docs


def test_more_files_than_one_soffice_call_converts_are_all_converted(tmp_path: Path) -> None:
    """One `soffice --convert-to` call stops after about 246 files, silently and with exit status 0
    (found on the national run): 260 files per worker all get their PDF, in calls of at most 200."""
    docs = small_reports(tmp_path, 260)
    converted = convert_many_to_pdf(docs, workers=1)
    assert sorted(converted) == docs
    assert all(pdf == d.with_suffix(".pdf") and pdf.read_bytes().startswith(b"%PDF") for d, pdf in converted.items())
    assert (
        "Báo cáo số 259"
        in subprocess.run(
            ["pdftotext", str(docs[-1].with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def test_the_pdfs_made_before_a_failure_are_kept(tmp_path: Path) -> None:
    """A batch whose conversion leaves some files without a PDF keeps (and names) the PDFs it made."""
    docs = small_reports(tmp_path, 3)
    with pytest.raises(PdfError) as raised:  # a file gone before its turn: LibreOffice makes nothing of it
        convert_many_to_pdf([*docs, tmp_path / "mat.docx"], workers=2)
    assert str(raised.value) == "LibreOffice không chuyển được sang PDF: mat.docx."
    assert sorted(raised.value.converted) == docs
