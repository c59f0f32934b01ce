"""The CLI: every command documented, the default run, and clear errors without tracebacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.cli import main as cli_module
from tests.conftest import ROOT, run_cli

COMMANDS = sorted(cli_module.cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli_module.cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Ví dụ" in result.output
    assert cli_module.cli.commands[command].help


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"python generate.py {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_no_argument_renders_inputs_into_outputs(tmp_path: Path, monkeypatch) -> None:
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    shutil.copytree(ROOT / "inputs", inputs)
    monkeypatch.setattr(cli_module, "DEFAULT_INPUTS", inputs)
    monkeypatch.setattr(cli_module, "DEFAULT_OUTPUTS", outputs)
    result = CliRunner().invoke(cli_module.cli, [])
    assert result.exit_code == 0, result.output
    assert "3/3 báo cáo; 0 đơn vị lỗi" in result.output
    assert len(list(outputs.glob("*.docx"))) == 3


def test_folder_argument_finds_workbooks_and_skips_lock_files(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory("sub/a.xlsx")
    (wb.parent / "~$a.xlsx").write_bytes(b"lock")
    done = run_cli(tmp_path, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1/1 báo cáo; 0 đơn vị lỗi" in done.stdout


def test_missing_file_is_reported_and_fails(tmp_path: Path) -> None:
    done = run_cli(tmp_path / "khong_co.xlsx", "-o", tmp_path / "out")
    assert done.returncode == 1
    assert "khong_co.xlsx: không tìm thấy tệp." in done.stderr
    assert "Traceback" not in done.stderr


def test_one_bad_workbook_does_not_stop_the_others(workbook_factory, tmp_path: Path) -> None:
    good = workbook_factory("good.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    done = run_cli(good, bad, "-o", tmp_path / "out")
    assert done.returncode == 1
    assert "1/2 báo cáo; 1 đơn vị lỗi" in done.stdout
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1


def test_errors_in_cells_are_listed_with_their_cell(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory(values={"plan_tasks": -3, "survey_method": 7}, info={"year": 1999})
    done = run_cli(wb, "-o", tmp_path / "out")
    assert done.returncode == 1
    assert "Biểu mẫu 1!D4 (2.1. Số nhiệm vụ đề ra trong kế hoạch): -3 là số âm." in done.stdout
    assert "Biểu mẫu 1!D17 (4.3. Hình thức khảo sát): “7” không thuộc các giá trị được chọn" in done.stdout
    assert "Thông tin chung!B9 (Năm báo cáo): năm 1999 không hợp lệ." in done.stdout
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.docx"))


def test_check_command_lists_problems_without_writing(workbook_factory, tmp_path: Path) -> None:
    wb = workbook_factory(values={"plan_tasks": "12,5"})
    done = run_cli("check", wb)
    assert done.returncode == 1
    assert "12,5 không phải số nguyên" in done.stdout
    assert "0/1 bảng tính đạt yêu cầu." in done.stdout


def test_forms_lists_the_installed_form() -> None:
    done = run_cli("forms")
    assert done.returncode == 0
    assert "hai_phong_2025" in done.stdout
