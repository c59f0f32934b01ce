"""Command line: a thin shell over baocao.pipeline; messages reach the clerk in Vietnamese."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from baocao.batch import BatchOptions, run_batch
from baocao.checkrun import expand_isolated, problems_isolated
from baocao.city import save_city_workbook
from baocao.citybatch import check_city
from baocao.cli_errors import Interrupted, run
from baocao.communes import all_communes, communes_of, find_province
from baocao.demo import write_demo_workbooks
from baocao.errors import BaocaoError
from baocao.form import DEFAULT_FORM_ID, FormIssue, form_from_argument, installed_forms, load_form
from baocao.formcheck import check_form_file
from baocao.isolate import IsolatedPool
from baocao.pipeline import GenerateOptions, write_problem_list
from baocao.problems import Problem, problem_line, summary
from baocao.rollup_info import read_rollup_info, rollup_info_workbook
from baocao.workbook.blank import commune_workbooks, write_blank_workbook
from baocao.write import write_atomic

ROOT = Path(__file__).resolve().parent.parent
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


FORM_OPTION = click.option(
    "--form",
    "form_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Dùng tệp biểu mẫu này (form.yaml) thay cho biểu mẫu ghi trong bảng tính.",
)


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
def render_command(
    paths: tuple[Path, ...],
    out_dir: Path | None,
    pdf: bool,
    strict: bool,
    province: str | None,
    workers: int,
    form_path: Path | None,
    roll_up_info: Path | None,
) -> None:
    """Lập báo cáo (.docx) từ các bảng tính (tệp hoặc thư mục, kể cả thư mục con).

    Không có đối số: lập báo cáo cho mọi bảng tính trong inputs/, ghi vào outputs/.
    Khi có từ hai đơn vị cùng tỉnh, cùng kỳ trở lên: thêm báo cáo tổng hợp, tong_hop.xlsx và tệp .zip.

    \b
    Ví dụ: python generate.py inputs/nhi_chieu_2026_6thang.xlsx -o outputs --pdf
           python generate.py bang_tinh_cac_xa/ -o ket_qua --province "Hải Phòng"
           python generate.py bang_tinh_cac_xa/ -o ket_qua --roll-up-info thong_tin_tong_hop.xlsx
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
        echo_problems([p for p in c.problems if not (c.fatal and p.is_error)])
        if c.replaced:
            continue  # its warning says which workbook is used instead
        if c.written:
            click.echo(f"  ✓ {c.docx}")
            if c.pdf:
                click.echo(f"  ✓ {c.pdf}")
            continue
        reason = (
            c.fatal
            or c.excluded
            or c.write_error
            or f"{c.origin or c.source.name}: có {len(c.errors)} lỗi, chưa lập được báo cáo."
        )
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
    if result.failed or (pdf and any(c.written and not c.pdf for c in result.checked)):
        sys.exit(1)


class ProgressBar:
    """click's progress bar on the terminal (stderr), one per stage; silent when not a terminal."""

    def __init__(self) -> None:
        self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __call__(self, label: str, count: int) -> None:
        if not sys.stderr.isatty():
            return
        if label:
            self._close()
            self.bar = click.progressbar(length=count, label=label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        elif self.bar is not None:
            self.bar.update(count)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self._close()


@cli.command("check")
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
def check_command(paths: tuple[Path, ...], strict: bool, out_dir: Path | None, form_path: Path | None) -> None:
    """Chỉ kiểm tra số liệu, không lập báo cáo: mọi lỗi và cảnh báo, kèm trang, ô và tên chỉ tiêu.

    \b
    Ví dụ: python generate.py check inputs/nam_thanh_mien_2025.xlsx -o outputs
    """
    failed = 0
    workbooks = collect_workbooks(paths)
    try:
        options = GenerateOptions(strict=strict, form=load_form(form_path) if form_path else None)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    with tempfile.TemporaryDirectory(prefix="baocao-check-") as work, IsolatedPool(1) as pool:
        for workbook in workbooks:
            try:
                expanded = expand_isolated(pool, workbook, work)
            except BaocaoError as e:
                click.echo(f"• {workbook}")
                click.echo(f"  ✗ {e}", err=True)
                failed += 1
                continue
            if expanded.items == [(workbook, None)]:
                failed += check_workbook(pool, workbook, options, out_dir, strict)
                continue
            shared, columns = check_city(expanded, options)
            bad = False
            if shared is not None:
                click.echo(f"• {workbook} (Thông tin chung, chung cho {shared.columns} đơn vị)")
                echo_problems(shared.problems)
                click.echo(f"  {summary(shared.problems)}")
                if out_dir is not None and shared.problems:
                    click.echo(f"  → {write_problem_list(workbook, shared.problems, out_dir)}")
            for r in columns:
                click.echo(f"• {workbook}" + (f", cột {r.column.letter} ({r.column.unit})" if r.column else ""))
                if r.fatal or r.excluded:
                    echo_problems([p for p in r.problems if not r.fatal])
                    click.echo(f"  ✗ {r.fatal or r.excluded}", err=True)
                    bad = True
                    continue
                echo_problems(r.problems)
                click.echo(f"  {summary(r.problems)}")
                if out_dir is not None:
                    try:
                        click.echo(f"  → {write_problem_list(r.source, r.problems, out_dir)}")
                    except BaocaoError as e:
                        click.echo(f"  ✗ {e}", err=True)
                        bad = True
                        continue
                bad = bad or any(p.is_error or strict for p in r.problems)
            failed += bad
    click.echo(f"{len(workbooks) - min(failed, len(workbooks))}/{len(workbooks)} bảng tính đạt yêu cầu.")
    if failed:
        sys.exit(1)


def check_workbook(pool: IsolatedPool, path: Path, options: GenerateOptions, out_dir: Path | None, strict: bool) -> int:
    """`check` of one ordinary workbook (read in an isolated worker): its problems, and 1 when it
    does not pass."""
    click.echo(f"• {path}")
    try:
        problems = problems_isolated(pool, path, options)
    except BaocaoError as e:
        click.echo(f"  ✗ {e}", err=True)
        return 1
    echo_problems(problems)
    click.echo(f"  {summary(problems)}")
    if out_dir is not None:
        click.echo(f"  → {write_problem_list(path, problems, out_dir)}")
    return int(bool([p for p in problems if p.is_error or strict]))


@cli.command("new-input")
@click.option(
    "-o",
    "--output",
    "out_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Tệp .xlsx sẽ tạo; với --province: thư mục chứa các tệp.",
)
@click.option(
    "--form",
    "form_id",
    default=None,
    help="Mã biểu mẫu (xem: python generate.py forms) hoặc đường dẫn tệp form.yaml.",
)
@click.option("--level", default=None, help="Cấp báo cáo của biểu mẫu có phân cấp, ví dụ: commune, district.")
@click.option("--province", default=None, help="Tạo một bảng tính cho mỗi xã, phường, đặc khu của tỉnh/thành phố này.")
@click.option("--city", is_flag=True, help="Với --province: một bảng tính chung, mỗi đơn vị một cột số liệu.")
@click.option(
    "--roll-up-info",
    "roll_up_info",
    is_flag=True,
    help="Bảng tính thông tin của báo cáo tổng hợp (số, ngày ký, người ký, nơi nhận của Sở) "
    "để dùng khi lập báo cáo: --roll-up-info TỆP.",
)
@click.option("--force", is_flag=True, help="Ghi đè nếu tệp đã có.")
def new_input_command(
    out_path: Path,
    form_id: str | None,
    level: str | None,
    province: str | None,
    city: bool,
    roll_up_info: bool,
    force: bool,
) -> None:
    """Tạo bảng tính trống để công chức nhập số liệu (hoặc một bảng tính cho mỗi đơn vị của tỉnh).

    \b
    Ví dụ: python generate.py new-input -o nhap_lieu.xlsx
           python generate.py new-input --province "Hải Phòng" -o bang_tinh_cac_xa
           python generate.py new-input --province "Hải Phòng" --city -o so_lieu_thanh_pho.xlsx
           python generate.py new-input --form hai_duong_2023 --level district -o huyen.xlsx
           python generate.py new-input --roll-up-info -o thong_tin_tong_hop.xlsx
    """
    if roll_up_info:
        if out_path.suffix.lower() != ".xlsx":
            raise click.ClickException("Tên tệp phải có đuôi .xlsx.")
        if out_path.exists() and not force:
            raise click.ClickException(f"{out_path} đã có. Chọn nơi khác hoặc thêm --force để ghi đè.")
        try:
            write_atomic(out_path, rollup_info_workbook())
        except BaocaoError as e:
            raise click.ClickException(str(e)) from e
        click.echo(f"✓ Đã tạo {out_path}: nhập số, ngày ký, người ký, nơi nhận rồi dùng với --roll-up-info {out_path}.")
        return
    try:
        form = form_from_argument(form_id, level)
        if city:
            if not province or out_path.suffix.lower() != ".xlsx":
                raise click.ClickException("--city cần --province và một tên tệp .xlsx sau -o.")
            if out_path.exists() and not force:
                raise click.ClickException(f"{out_path} đã có. Chọn nơi khác hoặc thêm --force để ghi đè.")
            communes = communes_of(find_province(province))
            save_city_workbook(form, communes, out_path)
            click.echo(f"✓ Đã tạo {out_path}: bảng tính chung của {len(communes)} đơn vị (mỗi đơn vị một cột).")
            return
        if province:
            communes = communes_of(find_province(province))
            targets = [out_path / f"{c.file_stem}.xlsx" for c in communes]
        else:
            if out_path.suffix.lower() != ".xlsx":
                raise click.ClickException("Tên tệp phải có đuôi .xlsx.")
            targets = [out_path]
        existing = [p for p in targets if p.exists()]
        if existing and not force:
            raise click.ClickException(f"{existing[0]} đã có. Chọn nơi khác hoặc thêm --force để ghi đè.")
        if province:
            for name, data in commune_workbooks(form, communes):
                write_atomic(out_path / name, data)
        else:
            write_blank_workbook(form, out_path)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    what = f"{len(targets)} bảng tính trong {out_path}" if province else str(out_path)
    at_level = f", {form.levels[form.level].lower()}" if form.level else ""
    click.echo(f"✓ Đã tạo {what} (biểu mẫu {form.id}, phiên bản {form.version}{at_level}).")


@cli.command("demo-data")
@click.option(
    "--communes",
    "count",
    type=click.IntRange(1, 5000),
    required=True,
    help="Số đơn vị (≤ 114: các xã, phường của Hải Phòng; nhiều hơn: cả nước).",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Thư mục ghi các bảng tính.",
)
@click.option("--province", default=None, help="Lấy các đơn vị của tỉnh/thành phố này.")
@click.option("--workers", type=click.IntRange(0, 64), default=0, help="Số tiến trình (0: bằng số lõi CPU).")
def demo_data_command(count: int, out_dir: Path, province: str | None, workers: int) -> None:
    """Tạo bảng tính DỮ LIỆU MẪU (không phải số liệu thật) để thử lập báo cáo hàng loạt.

    Cùng một lệnh luôn tạo ra cùng các tệp; mọi số liệu đều qua được bước kiểm tra.

    \b
    Ví dụ: python generate.py demo-data --communes 114 -o d && python generate.py d -o out
    """
    try:
        pool = (
            communes_of(find_province(province))
            if province
            else (communes_of("Hải Phòng") if count <= len(communes_of("Hải Phòng")) else all_communes())
        )
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    chosen = pool[:count]
    form = form_from_argument(None, None)
    with ProgressBar() as progress:
        written = write_demo_workbooks(form, chosen, out_dir, workers, progress)
    click.echo(f"✓ Đã tạo {written} bảng tính dữ liệu mẫu trong {out_dir}.")


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
    from baocao.newformcli import run_new_form

    if sum(bool(x) for x in (source_id, blank, document)) > 1:
        raise click.ClickException("Chỉ chọn một trong --from, --blank, --from-document.")
    try:
        run_new_form(name, source_id, blank, document, title, parent)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e


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
    from baocao.web import serve

    try:
        serve(host=host, port=port, open_browser=not no_browser)
    except OSError as e:
        raise click.ClickException(
            f"Không mở được trang tại {host}:{port} ({e.strerror or e}). Cổng có thể đang được dùng (trang đã chạy "
            f"ở cửa sổ khác?): mở http://{host}:{port} hoặc chạy với --port {port + 1 if port else 8001}."
        ) from e


def main() -> None:
    """Run the CLI: every error becomes one Vietnamese line (baocao.cli_errors), never a traceback."""
    sys.exit(run(cli, prog_name="python generate.py"))
