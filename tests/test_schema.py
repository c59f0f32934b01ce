"""Every .docx we write validates against the Open XML schema (openxml-audit, a port of the Open XML SDK
validator): the reports of every sample, a consolidated report, the shipped and the starter templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

from tests.conftest import DATA, ROOT, run_cli

SAMPLES = sorted((ROOT / "inputs").glob("*.xlsx"))
TEMPLATES = sorted([*(ROOT / "templates").glob("*/*.docx"), *(DATA / "forms").glob("*/*.docx")])


def schema_errors(path: Path) -> list[str]:
    """Every schema and semantic error of one package, as 'part path: description'."""
    result = OpenXmlValidator(max_errors=0).validate(str(path))
    return [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors]


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("samples")
    done = run_cli(*SAMPLES, "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    return sorted(out.glob("*.docx"))


def test_every_sample_report_is_schema_valid(sample_reports: list[Path]) -> None:
    assert len(sample_reports) == len(SAMPLES) >= 3
    for report in sample_reports:
        assert schema_errors(report) == [], report.name


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_template_is_schema_valid(template: Path) -> None:
    assert schema_errors(template) == []


def test_starter_template_of_new_form_is_schema_valid(tmp_path: Path) -> None:
    done = run_cli("new-form", "tinh_moi_2026", "--dir", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (template,) = tmp_path.glob("*/bao_cao.docx")
    assert schema_errors(template) == []


def test_consolidated_report_and_its_communes_are_schema_valid(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    done = run_cli("demo-data", "--communes", "4", "--province", "Hải Phòng", "-o", data)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli(data, "-o", out, "--province", "Hải Phòng")
    assert done.returncode == 0, done.stdout + done.stderr
    (consolidated,) = out.glob("tong-hop_*.docx")
    reports = sorted(out.glob("*_bao-cao-cchc_*.docx"))
    assert len(reports) == 4
    for doc in [consolidated, *reports]:
        assert schema_errors(doc) == [], doc.name
