"""`check` on workbooks holding the seeds' figures exactly as the clerks typed them."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import ROOT, make_workbook, run_cli


def seed_workbook(tmp_path: Path, sample: str, typed: dict) -> Path:
    data = yaml.safe_load((ROOT / "tools" / "samples" / f"{sample}.yaml").read_text(encoding="utf-8"))
    return make_workbook(
        tmp_path / f"{sample}_as_typed.xlsx",
        info=data["info"],
        values={**data["values"], **typed},
        text={k: v or "" for k, v in (data.get("text") or {}).items()},
    )


def test_seed_000_figures_as_typed(tmp_path: Path) -> None:
    wb = seed_workbook(
        tmp_path,
        "nam_thanh_mien_2025",
        {"assigned_done_late": 19, "inspection_issues": "a/0", "inspection_fixed": "b/0", "staff_reduced": "03"},
    )
    done = run_cli("check", wb)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        "    [LỖI] Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn): 18 (D13) + 19 (D14) = 37 nhiệm vụ, "
        "vượt Tổng số nhiệm vụ được giao (19) ở D12. Kiểm tra lại số liệu."
    ) in lines
    assert (
        "    [LỖI] Biểu mẫu 1!D9 (3.2.1. Số vấn đề phát hiện qua kiểm tra): “a/0” không phải là số. Hãy nhập lại ô này."
    ) in lines
    assert (
        "    [Cảnh báo] Biểu mẫu 6!D6 (2.1. Tổng số ĐVSN công lập tại địa phương): 13 đơn vị, khác tổng các dòng "
        "2.2, 2.3, 2.4, 2.5 (0 (D7) + 0 (D8) + 13 (D9) + 13 (D13) = 26 đơn vị). Kiểm tra lại số liệu."
    ) in lines
    assert not any("1.4. Số biên chế đã tinh giản" in line for line in lines), "“03” reads as 3, silently"
    assert "  3 lỗi, 1 cảnh báo." in lines


def test_seed_004_money_typed_with_a_comma(tmp_path: Path) -> None:
    wb = seed_workbook(tmp_path, "nhi_chieu_2026_6thang", {"investment_plan": "42,809"})
    done = run_cli("check", wb)
    assert done.returncode == 1
    assert (
        "    [LỖI] Biểu mẫu 6!D3 (1.1. Kế hoạch được giao): “42,809” có thể là 42.809 (dấu phẩy phân cách hàng "
        "nghìn) hoặc 42,809 (dấu phẩy thập phân). Nếu là 42.809, gõ 42809; nếu là số thập phân, gõ 42,8090. "
        "Hãy nhập lại ô này."
    ) in done.stdout.splitlines()
