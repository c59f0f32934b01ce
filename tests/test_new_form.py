"""`new-form` scaffolds a form from an installed one; the copy passes check-form and makes workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import DATA, ROOT, run_cli


def test_new_form_copies_an_installed_form_with_a_new_id_version_and_title(tmp_path: Path) -> None:
    done = run_cli("new-form", "quang_ninh_2026", "--from", "hai_duong_2023", "--dir", tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "quang_ninh_2026"
    assert f"✓ Đã tạo {folder / 'form.yaml'}" in done.stdout
    assert f"python generate.py check-form {folder}" in done.stdout
    text = (folder / "form.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert (data["id"], data["version"]) == ("quang_ninh_2026", "0.1")
    assert data["title"].endswith("(bản sao: quang_ninh_2026)")
    source = (ROOT / "templates" / "hai_duong_2023" / "form.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:16] == source.splitlines()[:16]  # the comments are kept
    assert (folder / "bao_cao.docx").read_bytes() == (
        ROOT / "templates" / "hai_duong_2023" / "bao_cao.docx"
    ).read_bytes()
    assert run_cli("check-form", folder).returncode == 0
    blank = run_cli("new-input", "--form", folder / "form.yaml", "-o", tmp_path / "x.xlsx")
    assert blank.returncode == 0, blank.stderr
    assert "(biểu mẫu quang_ninh_2026, phiên bản 0.1, cấp xã)" in blank.stdout


def test_new_form_defaults_to_the_hai_phong_form_and_takes_a_title(tmp_path: Path) -> None:
    done = run_cli("new-form", "tinh_a_2027", "--dir", tmp_path, "--title", "Tỉnh A 2027 — báo cáo CCHC cấp xã")
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((tmp_path / "tinh_a_2027" / "form.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Tỉnh A 2027 — báo cáo CCHC cấp xã"
    assert "(sao từ hai_phong_2025)" in done.stdout


def test_new_form_refuses_a_bad_name_an_existing_folder_and_an_unknown_source(tmp_path: Path) -> None:
    bad = run_cli("new-form", "Quảng Ninh", "--dir", tmp_path)
    assert bad.returncode == 1
    assert "Tên biểu mẫu “Quảng Ninh” không hợp lệ" in bad.stderr
    (tmp_path / "da_co").mkdir()
    exists = run_cli("new-form", "da_co", "--dir", tmp_path)
    assert exists.returncode == 1
    assert f"Thư mục {tmp_path / 'da_co'} đã có." in exists.stderr
    unknown = run_cli("new-form", "moi", "--from", "khong_co", "--dir", tmp_path)
    assert unknown.returncode == 1
    assert "Không có biểu mẫu “khong_co”." in unknown.stderr
    assert not (tmp_path / "moi").exists()
    installed = run_cli("new-form", "hai_duong_2023")
    assert installed.returncode == 1
    assert "đã có" in installed.stderr


@pytest.mark.parametrize(
    ("mode", "template"),
    [
        (("--from", "hai_phong_2025"), ROOT / "templates" / "hai_phong_2025" / "bao_cao.docx"),
        (("--from", "hai_duong_2023"), ROOT / "templates" / "hai_duong_2023" / "bao_cao.docx"),
        (("--blank",), ROOT / "templates" / "_starter" / "bao_cao.docx"),
        (
            ("--from-document", DATA / "form_documents" / "tinh_khac_2024.docx"),
            ROOT / "templates" / "_starter" / "bao_cao.docx",
        ),
    ],
    ids=["from-hai-phong", "from-hai-duong", "blank", "from-document"],
)
def test_every_mode_copies_a_committed_template_that_check_form_passes(
    mode: tuple, template: Path, tmp_path: Path
) -> None:
    """The Word template is a committed .docx copied unchanged (no template is built in Python)."""
    done = run_cli("new-form", "tinh_d_2028", *mode, "--dir", tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "tinh_d_2028"
    assert (folder / "bao_cao.docx").read_bytes() == template.read_bytes()
    checked = run_cli("check-form", folder)
    assert checked.returncode == 0, checked.stdout
    assert "  0 lỗi, 0 cảnh báo." in checked.stdout.splitlines()
    assert checked.stdout.splitlines()[-1] == "✓ Biểu mẫu dùng được."
