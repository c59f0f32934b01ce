"""The one orchestration of one report: prepare → write, and the Prepared the batch spools between passes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from baocao import format as format_step
from baocao import pipeline
from baocao.messages import problem_line
from baocao.pipeline import load_prepared, prepare, problem_list_path, write
from tests.conftest import ROOT, all_text, run_cli

HAI_DUONG = ROOT / "inputs" / "chi_lang_nam_2023.xlsx"  # has a table typed row by row (a grid)


def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def test_the_tables_are_computed_once_per_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for module in (pipeline, format_step):
        original = module.compute_grids
        monkeypatch.setattr(module, "compute_grids", lambda form, typed, f=original: calls.append("") or f(form, typed))
    prepared = prepare(HAI_DUONG)
    assert prepared.grids and not prepared.blocking()
    written = write(prepared, tmp_path)
    assert len(calls) == 1
    grid = prepared.context["grids"]["files_by_field"]
    assert (len(grid["rows"]), grid["rows"][0]["label"], grid["total"]["v"]["received"]) == (
        4,
        "Lĩnh vực Hộ tịch",
        "3.225",
    )
    text = all_text(docx.Document(written.docx))
    assert "Lĩnh vực Hộ tịch" in text and "3.225" in text


def test_a_spooled_report_writes_the_same_document(tmp_path: Path) -> None:
    """The spool is the Prepared itself (its form reloaded by file, its context made again)."""
    direct = write(prepare(HAI_DUONG), tmp_path / "direct")
    spool = prepare(HAI_DUONG, with_context=False).dump(tmp_path)
    loaded = load_prepared(spool)
    assert loaded.context == {}
    assert loaded.report.form is prepare(HAI_DUONG).report.form  # one form per process
    spooled = write(loaded, tmp_path / "spooled")
    assert spooled.docx.name == direct.docx.name
    assert document_xml(spooled.docx) == document_xml(direct.docx)


def test_write_puts_the_problem_list_beside_the_report_only_when_there_are_problems(tmp_path: Path) -> None:
    clean = prepare(HAI_DUONG)
    assert clean.problems == []
    write(clean, tmp_path / "clean")
    assert not problem_list_path(HAI_DUONG, tmp_path / "clean").exists()
    warned = prepare(ROOT / "tests" / "data" / "warn_sign_date_before_period_end.xlsx")
    assert warned.problems and not warned.blocking()
    written = write(warned, tmp_path / "warned")
    listed = problem_list_path(warned.report.path, tmp_path / "warned")
    text = listed.read_text(encoding="utf-8")
    assert all(problem_line(p) in text for p in warned.problems)
    assert written.docx.parent == tmp_path / "warned"


def test_render_and_the_library_write_the_same_report(tmp_path: Path) -> None:
    """`render` (the batch: prepared in one worker, spooled, written in another) and prepare → write in
    this process give the same document."""
    done = run_cli(HAI_DUONG, "-o", tmp_path / "cli")
    assert done.returncode == 0, done.stdout + done.stderr
    (cli_docx,) = (tmp_path / "cli").glob("*.docx")
    ours = write(prepare(HAI_DUONG), tmp_path / "lib").docx
    assert cli_docx.name == ours.name
    assert document_xml(cli_docx) == document_xml(ours)
