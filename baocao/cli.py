"""Command line: a thin shell over baocao.pipeline; messages reach the clerk in Vietnamese."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from baocao.blank import write_blank_workbook
from baocao.errors import BaocaoError, InvalidInputError
from baocao.form import DEFAULT_FORM_ID, FormIssue, form_from_argument, installed_forms, load_form
from baocao.formcheck import check_form_file
from baocao.newform import new_form
from baocao.pipeline import GenerateOptions, generate, prepare, problem_list_path, write_problem_list
from baocao.problems import Problem, problem_line, summary

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUTS = ROOT / "inputs"
DEFAULT_OUTPUTS = ROOT / "outputs"


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command name, goes to the 'render' command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["render", *args]
        return super().parse_args(ctx, args)


def collect_workbooks(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders searched (recursively) for .xlsx, skipping Excel's ~$ lock files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.xlsx")) if not p.name.startswith("~$"))
        else:
            found.append(path)
    return found


def echo_problems(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(f"    {problem_line(p)}")


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=None, version="0.1.0", prog_name="baocao")
def cli() -> None:
    """Lập báo cáo cải cách hành chính định kỳ từ bảng tính Excel.

    \b
    Ví dụ:
      python generate.py                          # mọi bảng tính trong inputs/ → outputs/
      python generate.py so_lieu.xlsx -o ket_qua  # một bảng tính
      python generate.py new-input -o mau.xlsx    # bảng tính trống để nhập
      python generate.py check-form templates/hai_duong_2023/form.yaml  # kiểm tra một biểu mẫu
    """


@cli.command("render")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục ghi báo cáo (mặc định: outputs/).",
)
@click.option("--pdf", is_flag=True, help="Tạo thêm tệp PDF (cần LibreOffice).")
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi: không lập báo cáo khi còn cảnh báo.")
@click.option(
    "--form",
    "form_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Dùng tệp biểu mẫu này thay cho biểu mẫu ghi trong bảng tính.",
)
def render_command(
    paths: tuple[Path, ...], out_dir: Path | None, pdf: bool, strict: bool, form_path: Path | None
) -> None:
    """Lập báo cáo (.docx) từ các bảng tính (tệp hoặc thư mục).

    Không có đối số: lập báo cáo cho mọi bảng tính trong inputs/, ghi vào outputs/.

    \b
    Ví dụ: python generate.py inputs/nhi_chieu_2026_6thang.xlsx -o outputs --pdf
    """
    workbooks = collect_workbooks(paths or (DEFAULT_INPUTS,))
    out_dir = out_dir or DEFAULT_OUTPUTS
    if not workbooks:
        raise click.ClickException(
            f"Không tìm thấy bảng tính .xlsx nào trong {', '.join(map(str, paths or (DEFAULT_INPUTS,)))}."
        )
    try:
        options = GenerateOptions(pdf=pdf, strict=strict, form=load_form(form_path) if form_path else None)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    written = 0
    for workbook in workbooks:
        click.echo(f"• {workbook}")
        try:
            result = generate(workbook, out_dir, options)
        except InvalidInputError as e:
            echo_problems(e.problems)
            click.echo(f"  ✗ {e} Danh sách: {problem_list_path(workbook, out_dir)}", err=True)
            continue
        except BaocaoError as e:
            click.echo(f"  ✗ {e}", err=True)
            continue
        echo_problems(result.problems)
        click.echo(f"  ✓ {result.docx}")
        if result.pdf:
            click.echo(f"  ✓ {result.pdf}")
        if pdf and result.pdf_error:
            click.echo(f"  ✗ {result.pdf_error}", err=True)
            continue
        written += 1
    click.echo(f"{written}/{len(workbooks)} báo cáo đã lập.")
    if written != len(workbooks):
        sys.exit(1)


FORM_OPTION_HELP = "Dùng tệp biểu mẫu này (form.yaml) thay cho biểu mẫu ghi trong bảng tính."


@cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi (mã thoát khác 0).")
@click.option(
    "--form",
    "form_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help=FORM_OPTION_HELP,
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Ghi thêm danh sách vấn đề của mỗi bảng tính vào thư mục này (<tên bảng tính>.kiem-tra.txt).",
)
def check_command(paths: tuple[Path, ...], strict: bool, out_dir: Path | None, form_path: Path | None) -> None:
    """Chỉ kiểm tra số liệu, không lập báo cáo: mọi lỗi và cảnh báo, kèm trang, ô và tên chỉ tiêu.

    \b
    Ví dụ: python generate.py check inputs/nam_thanh_mien_2025.xlsx -o outputs
    """
    failed = 0
    workbooks = collect_workbooks(paths)
    try:
        options = GenerateOptions(strict=strict, form=load_form(form_path.resolve()) if form_path else None)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    for workbook in workbooks:
        click.echo(f"• {workbook}")
        try:
            prepared = prepare(workbook, options)
        except BaocaoError as e:
            click.echo(f"  ✗ {e}", err=True)
            failed += 1
            continue
        echo_problems(prepared.problems)
        click.echo(f"  {summary(prepared.problems)}")
        if out_dir is not None:
            click.echo(f"  → {write_problem_list(workbook, prepared.problems, out_dir)}")
        failed += bool(prepared.blocking(strict))
    click.echo(f"{len(workbooks) - failed}/{len(workbooks)} bảng tính đạt yêu cầu.")
    if failed:
        sys.exit(1)


@cli.command("new-input")
@click.option(
    "-o",
    "--output",
    "out_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp .xlsx sẽ tạo.",
)
@click.option(
    "--form",
    "form_id",
    default=None,
    help="Mã biểu mẫu (xem: python generate.py forms) hoặc đường dẫn tệp form.yaml.",
)
@click.option("--level", default=None, help="Cấp báo cáo của biểu mẫu có phân cấp, ví dụ: commune, district.")
@click.option("--force", is_flag=True, help="Ghi đè nếu tệp đã có.")
def new_input_command(out_path: Path, form_id: str | None, level: str | None, force: bool) -> None:
    """Tạo bảng tính trống để công chức nhập số liệu.

    \b
    Ví dụ: python generate.py new-input -o nhap_lieu.xlsx
           python generate.py new-input --form hai_duong_2023 --level district -o huyen.xlsx
    """
    if out_path.suffix.lower() != ".xlsx":
        raise click.ClickException("Tên tệp phải có đuôi .xlsx.")
    if out_path.exists() and not force:
        raise click.ClickException(f"{out_path} đã có. Chọn tên khác hoặc thêm --force để ghi đè.")
    try:
        form = form_from_argument(form_id, level)
        write_blank_workbook(form, out_path)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    at_level = f", {form.levels[form.level].lower()}" if form.level else ""
    click.echo(f"✓ Đã tạo {out_path} (biểu mẫu {form.id}, phiên bản {form.version}{at_level}).")


@cli.command("forms")
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


@cli.command("check-form")
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


@cli.command("new-form")
@click.argument("name")
@click.option("--from", "source_id", default=DEFAULT_FORM_ID, show_default=True, help="Biểu mẫu đã cài để sao chép.")
@click.option("--title", default=None, help="Tên biểu mẫu mới (mặc định: ghi rõ sao chép từ đâu).")
@click.option(
    "--dir",
    "parent",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục chứa các biểu mẫu (mặc định: templates/).",
)
def new_form_command(name: str, source_id: str, title: str | None, parent: Path | None) -> None:
    """Tạo biểu mẫu mới NAME (form.yaml + bao_cao.docx) bằng cách sao chép một biểu mẫu có sẵn.

    Mã, phiên bản và tên của biểu mẫu mới được ghi lại; sau đó sửa form.yaml và mẫu Word
    theo hướng dẫn docs/huong-dan-bieu-mau.md rồi chạy check-form.

    \b
    Ví dụ: python generate.py new-form quang_ninh_2026 --from hai_duong_2023
    """
    try:
        folder = new_form(name, source_id, parent=parent, title=title)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"✓ Đã tạo {folder / 'form.yaml'} và mẫu Word trong {folder} (sao từ {source_id}).")
    click.echo(f"  Tiếp theo: sửa form.yaml và mẫu Word, rồi chạy: python generate.py check-form {folder}")


def main() -> None:
    try:
        cli.main(prog_name="python generate.py")
    except BaocaoError as e:  # pragma: no cover - commands catch their own
        click.echo(f"✗ {e}", err=True)
        sys.exit(1)
