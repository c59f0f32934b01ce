"""The scripts that write committed data reproduce it: inputs/*.xlsx (tools/build_samples.py), the bad-input and
guard workbooks (tests/data/build_test_workbooks.py) and the form documents (tests/data/build_form_documents.py).

Each builder runs into a temporary folder; its files are compared with the committed ones by what they hold:
every stored cell of every sheet (value, type and formula, read from the sheet XML, so the workbook with a cell at
XFD1048576 and the Strict Open XML ones are compared too), the paragraphs and tables of a .docx with their bold
and italic runs, and the bytes of the files that are no workbook at all (an old .xls, a truncated zip …). Zip
timestamps and document dates are not compared: openpyxl and python-docx stamp them.
"""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import docx
import pytest
from lxml import etree

from tests.conftest import DATA, ROOT

REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
REL_STRICT = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"


def load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"builder_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def cell_contents(path: Path) -> dict[str, list[tuple[str, str | None, str | None, str | None]]]:
    """Sheet name → every stored cell as (reference, type, formula, value), shared strings resolved."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in etree.fromstring(z.read("xl/sharedStrings.xml")):
                shared.append("".join(t.text or "" for t in si.iter() if local(t) == "t"))
        targets = {
            r.get("Id"): r.get("Target").lstrip("/").removeprefix("xl/")
            for r in etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        }
        sheets = {}
        for sheet in etree.fromstring(z.read("xl/workbook.xml")).iter():
            if local(sheet) != "sheet":
                continue
            rid = sheet.get(REL) or sheet.get(REL_STRICT)
            root = etree.fromstring(z.read(f"xl/{targets[rid]}"))
            cells = []
            for c in root.iter():
                if local(c) != "c":
                    continue
                parts = {local(child): child for child in c}
                value = parts["v"].text if "v" in parts else None
                if c.get("t") == "s" and value is not None:
                    value = shared[int(value)]
                if "is" in parts:
                    value = "".join(t.text or "" for t in parts["is"].iter() if local(t) == "t")
                formula = parts["f"].text if "f" in parts else None
                cells.append((c.get("r"), c.get("t"), formula, value))
            sheets[sheet.get("name")] = cells
        return sheets


def document_contents(path: Path) -> list:
    """Every paragraph (body and table cells) as its runs' (text, bold, italic), and each table's shape."""
    document = docx.Document(str(path))

    def runs(paragraphs) -> list:
        return [[(r.text, r.bold, r.italic) for r in p.runs] for p in paragraphs]

    tables = [[[runs(cell.paragraphs) for cell in row.cells] for row in t.rows] for t in document.tables]
    return [runs(document.paragraphs), tables]


def same_contents(built: Path, committed: Path) -> bool:
    if committed.suffix == ".docx" and zipfile.is_zipfile(committed):
        with zipfile.ZipFile(committed) as z:
            if "word/document.xml" in z.namelist():
                return document_contents(built) == document_contents(committed)
    if zipfile.is_zipfile(committed):
        with zipfile.ZipFile(committed) as z:
            if "xl/workbook.xml" in z.namelist():
                return cell_contents(built) == cell_contents(committed)
    return built.read_bytes() == committed.read_bytes()


def assert_reproduced(built: list[Path], committed_dir: Path, pattern: str) -> None:
    committed = sorted(p.name for p in committed_dir.glob(pattern) if p.is_file())
    assert sorted(p.name for p in built) == committed
    differ = [p.name for p in built if not same_contents(p, committed_dir / p.name)]
    assert not differ, f"rebuild the committed files, they differ from the builder's: {differ}"


def test_build_samples_reproduces_the_sample_workbooks(tmp_path: Path) -> None:
    builder = load_script(ROOT / "tools" / "build_samples.py")
    assert_reproduced(builder.build(tmp_path), ROOT / "inputs", "*.xlsx")


@pytest.mark.parametrize("which", ["build", "build_guards"])
def test_build_test_workbooks_reproduces_the_bad_inputs_and_guards(which: str, tmp_path: Path) -> None:
    builder = load_script(DATA / "build_test_workbooks.py")
    built = getattr(builder, which)(tmp_path)
    committed_dir = DATA if which == "build" else DATA / "guards"
    assert_reproduced(built, committed_dir, "*.*[!y]")  # every file but the builders' .py


def test_build_form_documents_reproduces_the_form_documents(tmp_path: Path) -> None:
    builder = load_script(DATA / "build_form_documents.py")
    built = []
    for make, name in [
        (builder.hai_phong_docx, "hai_phong_2025.docx"),
        (builder.hai_duong_docx, "hai_duong_2023.docx"),
        (builder.hai_phong_xlsx, "hai_phong_2025.xlsx"),
        (builder.other_docx, "tinh_khac_2024.docx"),
    ]:
        make(tmp_path / name)
        built.append(tmp_path / name)
    assert_reproduced(built, DATA / "form_documents", "*.[dx]*x")
