"""The form authors' commands: `forms`, `check-form`, `new-form`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from baocao.authoring.templatecheck import check_form_file
from baocao.cli.newform import run_new_form
from baocao.errors import BaocaoError
from baocao.form import DEFAULT_FORM_ID, FormIssue, installed_forms, load_form


@click.command("forms")
def forms_command() -> None:
    """Liệt kê các biểu mẫu đã cài trong templates/.

    \b
    Ví dụ: python generate.py forms
    """
    for form_id, path in installed_forms().items():
        try:
            form = load_form(path)
        except BaocaoError as e:
            click.echo(f"{form_id}: ✗ {e}")
            continue
        levels = f"  [cấp: {', '.join(form.levels)}; mặc định {form.level}]" if form.levels else ""
        click.echo(f"{form.id}  (phiên bản {form.version})  {form.title}{levels}")


@click.command("check-form")
@click.argument("form_file", type=click.Path(path_type=Path, exists=True))
def check_form_command(form_file: Path) -> None:
    """Kiểm tra một tệp biểu mẫu (form.yaml) cùng mẫu Word của nó, cho người soạn biểu mẫu.

    Báo mọi lỗi kèm số dòng của form.yaml: khóa sai, mã trùng, loại không hợp lệ, công thức
    tham chiếu tới chỉ tiêu không có hoặc vòng tròn; thẻ trong mẫu Word không trỏ tới gì;
    chỉ tiêu, mục, bảng không được mẫu Word in ra (cảnh báo).

    \b
    Ví dụ: python generate.py check-form templates/hai_duong_2023/form.yaml
           python generate.py check-form templates/tinh_moi_2026
    """
    path = form_file / "form.yaml" if form_file.is_dir() else form_file
    click.echo(f"• {path}")
    try:
        issues = check_form_file(path)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    for issue in issues:
        click.echo(f"    {issue_line(issue)}")
    errors = sum(i.is_error for i in issues)
    click.echo(f"  {errors} lỗi, {len(issues) - errors} cảnh báo.")
    if errors:
        sys.exit(1)
    click.echo("✓ Biểu mẫu dùng được.")


def issue_line(issue: FormIssue) -> str:
    return f"[{'LỖI' if issue.is_error else 'Cảnh báo'}] {issue}"


@click.command("new-form")
@click.argument("name")
@click.option("--from", "source_id", default=None, help=f"Biểu mẫu đã cài để sao chép (mặc định: {DEFAULT_FORM_ID}).")
@click.option(
    "--blank", is_flag=True, help="Bắt đầu từ biểu mẫu khởi đầu (templates/_starter/), không sao chép tỉnh khác."
)
@click.option(
    "--from-document",
    "document",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Đọc các hàng chỉ tiêu từ văn bản biểu mẫu của tỉnh (.docx, hoặc .xlsx trình bày như vậy).",
)
@click.option("--title", default=None, help="Tên biểu mẫu mới (mặc định: ghi rõ sao chép từ đâu).")
@click.option(
    "--dir",
    "parent",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục chứa các biểu mẫu (mặc định: templates/).",
)
def new_form_command(
    name: str, source_id: str | None, blank: bool, document: Path | None, title: str | None, parent: Path | None
) -> None:
    """Tạo biểu mẫu mới NAME (form.yaml + bao_cao.docx): sao chép một biểu mẫu có sẵn, bắt đầu từ
    biểu mẫu khởi đầu (--blank) hoặc đọc các hàng từ văn bản biểu mẫu của tỉnh (--from-document).

    Mã, phiên bản và tên của biểu mẫu mới được ghi lại; sau đó sửa form.yaml và mẫu Word
    theo hướng dẫn docs/huong-dan-bieu-mau.md rồi chạy check-form.

    \b
    Ví dụ: python generate.py new-form quang_ninh_2026 --from hai_duong_2023
           python generate.py new-form quang_ninh_2026 --blank
           python generate.py new-form quang_ninh_2026 --from-document bieu_mau_quang_ninh.docx
    """
    if sum(bool(x) for x in (source_id, blank, document)) > 1:
        raise click.ClickException("Chỉ chọn một trong --from, --blank, --from-document.")
    try:
        run_new_form(name, source_id, blank, document, title, parent)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
