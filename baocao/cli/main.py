"""Command line: a thin shell over baocao.pipeline (through the batch and baocao.batch.check); messages
reach the clerk in Vietnamese. The group and `render` are here; the other commands in cli_*.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from baocao.batch.rollup_info import read_rollup_info
from baocao.batch.run import BatchOptions, run_batch
from baocao.cli.check import check_command
from baocao.cli.common import FORM_OPTION, ProgressBar, collect_workbooks, echo_problems, previous_workbooks
from baocao.cli.errors import Interrupted, run
from baocao.cli.forms import check_form_command, forms_command, new_form_command
from baocao.cli.newinput import demo_data_command, new_input_command
from baocao.communes import find_province
from baocao.errors import BaocaoError
from baocao.form import load_form
from baocao.portal.cli import portal as portal_group
from baocao.stages import Hold

__all__ = ["ProgressBar", "cli", "collect_workbooks", "main"]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INPUTS = ROOT / "inputs"
DEFAULT_OUTPUTS = ROOT / "outputs"


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command name, goes to the 'render' command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["render", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as e:  # past click, which would print "Aborted!"
            raise Interrupted() from e


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
      python generate.py serve                    # trang web: tải lên, tải báo cáo về
    """


@cli.command("render")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, readable=False))  # the reader explains
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),  # a file here is reported by the batch, with what to do
    default=None,
    help="Thư mục ghi báo cáo (mặc định: outputs/).",
)
@click.option("--pdf", is_flag=True, help="Tạo thêm tệp PDF (cần LibreOffice).")
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi: không lập báo cáo khi còn cảnh báo.")
@click.option(
    "--province", default=None, help="Chỉ lập cho tỉnh/thành phố này; bảng tính của tỉnh khác bị báo và bỏ qua."
)
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="Số tiến trình chạy song song (0: bằng số lõi CPU).",
)
@FORM_OPTION
@click.option(
    "--roll-up-info",
    "roll_up_info",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Số, ngày ký, người ký, nơi nhận của báo cáo tổng hợp: bảng tính do lệnh "
    "new-input --roll-up-info tạo (hoặc tệp .yaml). Không có: báo cáo tổng hợp để trống cho văn thư điền.",
)
@click.option(
    "--previous",
    "previous",
    multiple=True,
    type=click.Path(path_type=Path, readable=False),
    help="Bảng tính kỳ trước (cùng kỳ năm trước hoặc kỳ trước) của cùng đơn vị, hoặc thư mục các bảng tính kỳ trước: "
    "báo cáo và báo cáo tổng hợp so sánh các chỉ tiêu trong “compare:” của tệp biểu mẫu.",
)
def render_command(
    paths: tuple[Path, ...],
    out_dir: Path | None,
    pdf: bool,
    strict: bool,
    province: str | None,
    workers: int,
    form_path: Path | None,
    roll_up_info: Path | None,
    previous: tuple[Path, ...],
) -> None:
    """Lập báo cáo (.docx) từ các bảng tính (tệp hoặc thư mục, kể cả thư mục con).

    Không có đối số: lập báo cáo cho mọi bảng tính trong inputs/, ghi vào outputs/.
    Khi có từ hai đơn vị cùng tỉnh, cùng kỳ trở lên: thêm báo cáo tổng hợp, tong_hop.xlsx và tệp .zip.

    \b
    Ví dụ: python generate.py inputs/nhi_chieu_2026_6thang.xlsx -o outputs --pdf
           python generate.py bang_tinh_cac_xa/ -o ket_qua --province "Hải Phòng"
           python generate.py bang_tinh_cac_xa/ -o ket_qua --roll-up-info thong_tin_tong_hop.xlsx
           python generate.py render so_lieu_2026.xlsx --previous so_lieu_2025.xlsx
    """
    workbooks = collect_workbooks(paths or (DEFAULT_INPUTS,))
    out_dir = out_dir or DEFAULT_OUTPUTS
    if not workbooks:
        raise click.ClickException(
            f"Không tìm thấy bảng tính .xlsx nào trong {', '.join(map(str, paths or (DEFAULT_INPUTS,)))}."
        )
    try:
        options = BatchOptions(
            pdf=pdf,
            strict=strict,
            province=find_province(province) if province else None,
            workers=workers,
            form=load_form(form_path) if form_path else None,
            roll_up=read_rollup_info(roll_up_info) if roll_up_info else None,
            previous=tuple(previous_workbooks(previous)),
        )
        with ProgressBar() as progress:
            result = run_batch(workbooks, out_dir, options, progress)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    for city in result.cities:
        click.echo(f"• {city.shown}")
        echo_problems(city.problems)
    for c in result.checked:
        click.echo(f"• {c.shown}")
        echo_problems([p for p in c.problems if not (c.is_held(Hold.UNREADABLE) and p.is_error)])
        if c.is_held(Hold.REPLACED):
            continue  # its warning says which workbook is used instead
        if c.written:
            click.echo(f"  ✓ {c.docx}")
            if c.pdf:
                click.echo(f"  ✓ {c.pdf}")
            continue
        reason = c.held.line if c.held else f"{c.shown_file}: có {len(c.errors)} lỗi, chưa lập được báo cáo."
        click.echo(f"  ✗ {reason}", err=True)
    for group in result.groups:
        if group.missing:
            names = ", ".join(m.full for m in group.missing[:20]) + (" …" if len(group.missing) > 20 else "")
            click.echo(f"Chưa gửi bảng tính ({len(group.missing)}): {names}")
        for output in group.outputs:
            click.echo(f"✓ {output}")
    for note in result.notes:
        click.echo(f"✗ {note}", err=True)
    click.echo(result.summary())
    if result.failed or result.notes or (pdf and any(c.written and not c.pdf for c in result.checked)):
        sys.exit(1)  # a report, a PDF, a problem list or a roll-up not written (each said with ✗)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ nghe (mặc định chỉ máy này).")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Cổng (0: cổng trống bất kỳ)."
)
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt.")
def serve_command(host: str, port: int, no_browser: bool) -> None:
    """Mở trang web lập báo cáo: tải bảng tính trống, tải bảng tính đã nhập lên, tải báo cáo về.

    \b
    Ví dụ: python generate.py serve
           python generate.py serve --port 8080 --no-browser
    """
    from baocao.web.app import serve  # lazy: Flask is loaded only by `serve`, not by every command

    try:
        serve(host=host, port=port, open_browser=not no_browser)
    except OSError as e:
        raise click.ClickException(
            f"Không mở được trang tại {host}:{port} ({e.strerror or e}). Cổng có thể đang được dùng (trang đã chạy "
            f"ở cửa sổ khác?): mở http://{host}:{port} hoặc chạy với --port {port + 1 if port else 8001}."
        ) from e


for command in (check_command, new_input_command, demo_data_command, forms_command, check_form_command):
    cli.add_command(command)
cli.add_command(new_form_command)
cli.add_command(portal_group)


def main() -> None:
    """Run the CLI: every error becomes one Vietnamese line (baocao.cli.errors), never a traceback."""
    sys.exit(run(cli, prog_name="python generate.py"))
