"""`python generate.py portal …`: set up, serve, back up the province portal and manage its accounts."""

from __future__ import annotations

from pathlib import Path

import click

from baocao.errors import BaocaoError

DEFAULT_DATA = Path("portal-data")
data_option = click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DATA,
    show_default=True,
    help="Thư mục dữ liệu của cổng: cấu hình, cơ sở dữ liệu SQLite, các bảng tính đã nộp.",
)
ROLE_CHOICES = {"quan-tri": "quan_tri", "can-bo-tong-hop": "can_bo_tong_hop", "cong-chuc-xa": "cong_chuc_xa"}
ROLE_WORDS = {"quan-tri": "quản trị", "can-bo-tong-hop": "cán bộ tổng hợp", "cong-chuc-xa": "công chức xã"}


def _portal(data: Path):  # type: ignore[no-untyped-def]
    # lazy: SQLAlchemy and Flask are loaded by portal commands only, not by every command
    from baocao.portal.db import make_engine, read_settings, sessions

    settings = read_settings(data)
    return settings, sessions(make_engine(settings["database_url"]))


@click.group("portal")
def portal() -> None:
    """Cổng tỉnh: mỗi xã/phường nộp bảng tính, Sở Nội vụ theo dõi, trả lại, duyệt.

    \b
    Ví dụ: python generate.py portal init --province "Hải Phòng" --data du-lieu-cong
           python generate.py portal serve --data du-lieu-cong
    """


@portal.command("init")
@click.option("--province", required=True, help="Tỉnh/thành phố, ví dụ “Hải Phòng”.")
@click.option("--database-url", default=None, help="PostgreSQL, ví dụ postgresql://user:pw@host/db (mặc định: SQLite).")
@data_option
def init_command(province: str, database_url: str | None, data: Path) -> None:
    """Tạo cơ sở dữ liệu, một tài khoản cho mỗi xã/phường của tỉnh và một tài khoản quản trị.

    Mật khẩu ban đầu chỉ được ghi một lần, vào DATA/mat-khau-ban-dau.xlsx, để phát cho các đơn vị.

    \b
    Ví dụ: python generate.py portal init --province "Hải Phòng"
    """
    # lazy: SQLAlchemy and Flask are loaded by portal commands only, not by every command
    from baocao.portal.db import make_engine, migrate, sessions, sqlite_url, write_settings
    from baocao.portal.service import PASSWORDS_FILE, passwords_workbook, populate

    data.mkdir(parents=True, exist_ok=True)
    if (data / "portal.json").exists():
        raise click.ClickException(f"Thư mục {data} đã có cổng tỉnh (portal.json).")
    url = database_url or sqlite_url(data)
    try:
        engine = make_engine(url)
        migrate(engine)
        with sessions(engine).begin() as session:
            accounts = populate(session, province)
        path = passwords_workbook(accounts, data / PASSWORDS_FILE)
        write_settings(data, url)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    click.echo(
        f"Đã tạo cổng với {len(accounts) - 1} tài khoản xã/phường và tài khoản quản trị “{accounts[0].username}”."
    )
    click.echo(f"Mật khẩu ban đầu: {path} (hãy phát cho các đơn vị rồi xóa tệp này).")


@portal.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe (0.0.0.0: mọi máy trong mạng).")
@click.option("--port", default=8100, show_default=True, type=int, help="Cổng.")
@click.option(
    "--behind-https",
    is_flag=True,
    default=None,
    help="Chạy sau máy chủ proxy HTTPS (nginx): cookie phiên chỉ gửi qua HTTPS, tin X-Forwarded-* của proxy.",
)
@click.option(
    "--proxies", type=click.IntRange(0, 5), default=None, help="Số proxy phía trước (mặc định 1 khi có --behind-https)."
)
@data_option
def serve_command(host: str, port: int, behind_https: bool | None, proxies: int | None, data: Path) -> None:
    """Chạy cổng tỉnh (waitress).

    \b
    Ví dụ: python generate.py portal serve --host 0.0.0.0 --port 8100
    """
    from waitress import serve

    # lazy: SQLAlchemy and Flask are loaded by portal commands only, not by every command
    from baocao.portal.app import create_app
    from baocao.portal.proxy import waitress_options

    try:
        app = create_app(data, secure_cookies=behind_https, proxies=proxies)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Cổng tỉnh: http://{host}:{port}/  (Ctrl+C để dừng)")
    limit = app.config["MAX_CONTENT_LENGTH"] + 1048576
    # waitress drops X-Forwarded-* unless told not to; ProxyFix (baocao.portal.proxy) reads them when configured
    serve(app, host=host, port=port, threads=8, max_request_body_size=limit, **waitress_options(app))


@portal.command("add-user")
@click.argument("username")
@click.option("--role", type=click.Choice(list(ROLE_CHOICES)), required=True, help="Vai trò của tài khoản.")
@click.option("--unit", "unit_code", type=int, default=None, help="Mã đơn vị (xã/phường) cho công chức xã.")
@data_option
def add_user_command(username: str, role: str, unit_code: int | None, data: Path) -> None:
    """Thêm một tài khoản; in mật khẩu ban đầu (đổi ở lần đăng nhập đầu).

    \b
    Ví dụ: python generate.py portal add-user nguyenvana --role can-bo-tong-hop
    """
    # lazy: SQLAlchemy and Flask are loaded by portal commands only, not by every command
    from baocao.portal.service import add_user

    try:
        _, make_session = _portal(data)
        with make_session.begin() as session:
            account = add_user(session, username, ROLE_CHOICES[role], unit_code)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Đã thêm {account.username} ({ROLE_WORDS[role]}, {account.unit_name}).")
    click.echo(f"Mật khẩu ban đầu: {account.password}")


@portal.command("reset-password")
@click.argument("username")
@data_option
def reset_password_command(username: str, data: Path) -> None:
    """Cấp mật khẩu mới cho một tài khoản (phải đổi ở lần đăng nhập sau).

    \b
    Ví dụ: python generate.py portal reset-password xa-an-hung
    """
    # lazy: SQLAlchemy and Flask are loaded by portal commands only, not by every command
    from baocao.portal.service import reset_password

    try:
        _, make_session = _portal(data)
        with make_session.begin() as session:
            account = reset_password(session, username)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Mật khẩu mới của {account.username}: {account.password}")


@portal.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@data_option
def backup_command(file: Path, data: Path) -> None:
    """Sao lưu cả cổng vào FILE (.tar), kể cả khi cổng đang chạy: cơ sở dữ liệu (SQLite: backup API;
    PostgreSQL: pg_dump) và mọi bảng tính đã nộp. Phục hồi: portal restore.

    \b
    Ví dụ: python generate.py portal backup sao-luu/cong-2026-06-15.tar
    """
    # lazy: SQLAlchemy and Flask are loaded by portal commands only, not by every command
    from baocao.portal.archive import backup

    try:
        settings, _ = _portal(data)
        path, uploads = backup(settings["database_url"], data, file)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Đã sao lưu cơ sở dữ liệu và {uploads} bảng tính đã nộp vào {path}.")


@portal.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--database-url", default=None, help="Bản sao lưu PostgreSQL: cơ sở dữ liệu trống để phục hồi vào.")
@data_option
def restore_command(file: Path, database_url: str | None, data: Path) -> None:
    """Phục hồi cổng từ bản sao lưu FILE vào thư mục dữ liệu mới DATA (mọi người đăng nhập lại).

    \b
    Ví dụ: python generate.py portal restore sao-luu/cong-2026-06-15.tar --data du-lieu-cong
    """
    from baocao.portal.archive import restore

    try:
        _, uploads = restore(file, data, database_url)
    except BaocaoError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Đã phục hồi cơ sở dữ liệu và {uploads} bảng tính đã nộp vào {data}.")
