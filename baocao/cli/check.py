"""`check`: the checks only (baocao.batch.check runs them), printed block by block."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from baocao.batch.check import check_workbooks
from baocao.cli.common import FORM_OPTION, collect_workbooks, echo_problems
from baocao.errors import BaocaoError
from baocao.expected import Expected
from baocao.form import load_form
from baocao.messages import summary
from baocao.pipeline import GenerateOptions


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi (mã thoát khác 0).")
@FORM_OPTION
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Ghi thêm danh sách vấn đề của mỗi bảng tính vào thư mục này (<tên bảng tính>.kiem-tra.txt).",
)
@click.option("--expect-unit", default="", help="Bảng tính phải là của đơn vị này (ví dụ “Phường Nhị Chiểu”).")
@click.option("--expect-period", default="", help="Bảng tính phải là của kỳ này (ví dụ “6 tháng”).")
@click.option("--expect-year", type=int, default=None, help="Bảng tính phải là của năm này.")
@click.option("--expect-form", default="", help="Bảng tính phải thuộc biểu mẫu này (mã, ví dụ hai_phong_2025).")
def check_command(
    paths: tuple[Path, ...],
    strict: bool,
    out_dir: Path | None,
    form_path: Path | None,
    expect_unit: str,
    expect_period: str,
    expect_year: int | None,
    expect_form: str,
) -> None:
    """Chỉ kiểm tra số liệu, không lập báo cáo: mọi lỗi và cảnh báo, kèm trang, ô và tên chỉ tiêu.

    \b
    Ví dụ: python generate.py check inputs/nam_thanh_mien_2025.xlsx -o outputs
    Với --expect-…: báo lỗi khi bảng tính không phải của đơn vị, kỳ, năm, biểu mẫu đó (như cổng tỉnh).
    """
    workbooks = collect_workbooks(paths)
    try:
        expected = Expected(expect_form, "", expect_unit, expect_period, expect_year)
        options = GenerateOptions(
            strict=strict,
            form=load_form(form_path) if form_path else None,
            expected=expected if expected != Expected() else None,
        )
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    failed: set[Path] = set()
    for block in check_workbooks(workbooks, options, out_dir):
        click.echo(f"• {block.shown}")
        echo_problems(block.problems)
        if block.counted:
            click.echo(f"  {summary(block.problems)}")
        if block.listed is not None:
            click.echo(f"  → {block.listed}")
        if block.failure:
            click.echo(f"  ✗ {block.failure}", err=True)
        if block.failed:
            failed.add(block.source)
    click.echo(f"{len(workbooks) - min(len(failed), len(workbooks))}/{len(workbooks)} bảng tính đạt yêu cầu.")
    if failed:
        sys.exit(1)
