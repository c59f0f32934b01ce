"""`new-input` (blank workbooks to fill, the roll-up's info workbook) and `demo-data`."""

from __future__ import annotations

from pathlib import Path

import click

from baocao.batch.city import save_city_workbook
from baocao.batch.demo import write_demo_workbooks
from baocao.batch.rollup_info import rollup_info_workbook
from baocao.cli.common import ProgressBar
from baocao.communes import all_communes, communes_of, find_province
from baocao.errors import BaocaoError
from baocao.form import form_from_argument
from baocao.workbook.blank import commune_workbooks, write_blank_workbook
from baocao.write import write_atomic


@click.command("new-input")
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


@click.command("demo-data")
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
