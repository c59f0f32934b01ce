"""What `python generate.py new-form` prints: the folder made and what the author does next."""

from __future__ import annotations

from pathlib import Path

import click

from baocao.authoring.newform import copied_tags, new_blank_form, new_form, new_form_from_document
from baocao.authoring.templatecheck import check_form_file
from baocao.form import DEFAULT_FORM_ID, find_form, load_form


def run_new_form(
    name: str, source_id: str | None, blank: bool, document: Path | None, title: str | None, parent: Path | None
) -> None:
    """Make the form (raises BaocaoError) and print what was made."""
    if document is not None:
        folder, counts = new_form_from_document(name, document, parent=parent, title=title)
        _echo_imported(folder, document, counts)
    elif blank:
        folder = new_blank_form(name, parent=parent, title=title)
        click.echo(f"✓ Đã tạo {folder / 'form.yaml'} và mẫu Word trong {folder} (từ biểu mẫu khởi đầu).")
    else:
        source = source_id or DEFAULT_FORM_ID
        folder = new_form(name, source, parent=parent, title=title)
        click.echo(f"✓ Đã tạo {folder / 'form.yaml'} và mẫu Word trong {folder} (sao từ {source}).")
        _echo_copied_tags(source)
    click.echo(f"  Tiếp theo: sửa form.yaml và mẫu Word, rồi chạy: python generate.py check-form {folder}")


def _echo_copied_tags(source_id: str) -> None:
    groups = copied_tags(find_form(source_id))
    if not groups:
        return
    click.echo(
        f"  Mẫu Word chép từ {source_id} có thẻ gọi mã của biểu mẫu đó; khi đổi hoặc bỏ các mã này trong form.yaml,"
        " sửa các thẻ tương ứng trong bao_cao.docx:"
    )
    for what, prefix, names in groups:
        click.echo(f"    {what} ({prefix}…): {', '.join(names)}")


def _echo_imported(folder: Path, document: Path, counts: dict[str, int]) -> None:
    form = load_form((folder / "form.yaml").resolve())
    kinds = ", ".join(f"{counts[k]} {word}" for k, word in KIND_WORDS.items() if counts.get(k))
    click.echo(
        f"✓ Đã tạo {folder / 'form.yaml'} từ {document.name}: {len(form.tables)} bảng, "
        f"{len(form.all_rows)} chỉ tiêu ({kinds})."
    )
    issues = check_form_file(folder / "form.yaml")
    errors = sum(i.is_error for i in issues)
    click.echo(f"  check-form: {errors} lỗi, {len(issues) - errors} cảnh báo.")
    if counts.get("checks"):
        click.echo(
            f"  {counts['checks']} chỗ máy đoán ở các hàng, đánh dấu “# KIỂM TRA:” trong form.yaml (và tỉnh, cấp trên"
            " ở đầu tệp): xem lại từng chỗ, sửa nếu cần, rồi xóa dòng đánh dấu."
        )
    if counts.get("skipped_tables"):
        click.echo(
            f"  {counts['skipped_tables']} bảng không có cột “Chỉ tiêu” và “Đơn vị tính” đã bỏ qua (xem đầu form.yaml)."
        )


KIND_WORDS = {
    "header": "tiêu đề",
    "number": "số",
    "percent": "tỷ lệ nhập",
    "rate": "tỷ lệ tính",
    "sum": "tổng",
    "choice": "lựa chọn",
    "text": "chữ",
}
