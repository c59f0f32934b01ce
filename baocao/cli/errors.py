"""The CLI's edge: every way a command can end becomes one Vietnamese line and an exit status.

click writes its usage errors in English, after a "Usage:" block and an "Error:" prefix; here the
command runs with `standalone_mode=False` and each kind of click exception is phrased in Vietnamese
from its own fields. Ctrl+C prints one line (the files being written are finished or removed by
write.atomic_path, never left half-written); an OS error nobody caught names the path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import click

from baocao.errors import BaocaoError

INTERRUPTED = "Đã dừng theo yêu cầu (Ctrl+C); không tệp nào bị ghi dở."


class Interrupted(Exception):
    """Ctrl+C, carried past click (which would print its own English "Aborted!")."""


def run(command: click.Command, prog_name: str, args: Sequence[str] | None = None) -> int:
    """Run the click command; return the exit status after printing any error in Vietnamese."""
    try:
        result = command.main(args=args, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as e:
        click.echo(e.format_message(), err=True)
        return e.exit_code
    except click.UsageError as e:
        click.echo(f"✗ {usage_message(e)}", err=True)
        return e.exit_code
    except click.ClickException as e:
        click.echo(f"✗ {e.format_message()}", err=True)
        return e.exit_code
    except (Interrupted, KeyboardInterrupt, click.Abort):
        click.echo(INTERRUPTED, err=True)
        return 130
    except BaocaoError as e:
        click.echo(f"✗ {e}", err=True)
        return 1
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        click.echo(f"✗ Lỗi hệ thống tệp{where}: {e.strerror or e}. Kiểm tra đường dẫn và quyền rồi chạy lại.", err=True)
        return 1
    except Exception as e:  # a bug: one line for the clerk, the traceback only when asked for
        if os.environ.get("BAOCAO_DEBUG"):
            raise
        click.echo(
            f"✗ Lỗi nội bộ ({type(e).__name__}: {e}). Hãy gửi lệnh đã chạy và bảng tính cho bộ phận công nghệ "
            "thông tin (chạy lại với BAOCAO_DEBUG=1 để xem chi tiết).",
            err=True,
        )
        return 1
    return result if isinstance(result, int) else 0


def usage_message(error: click.UsageError) -> str:
    """A click usage error in Vietnamese, with where to find help."""
    ctx = error.ctx
    help_hint = f" Xem hướng dẫn: {ctx.command_path} --help." if ctx is not None else ""
    if isinstance(error, click.NoSuchOption):
        near = f" Có phải ý bạn là {', '.join(sorted(error.possibilities))}?" if error.possibilities else ""
        return f"Không có tùy chọn “{error.option_name}”.{near}{help_hint}"
    if isinstance(error, click.MissingParameter):
        return f"Thiếu {_param_name(error.param, error.param_type)}.{help_hint}"
    if isinstance(error, click.BadParameter):
        where = _param_name(error.param, "") if error.param is not None else (error.param_hint or "tham số")
        return f"Giá trị không hợp lệ cho {where}: {_reason(error.message)}.{help_hint}"
    if isinstance(error, click.BadOptionUsage):
        if "requires" in error.message:
            return f"Tùy chọn “{error.option_name}” cần một giá trị đi kèm.{help_hint}"
        if "does not take a value" in error.message:
            return f"Tùy chọn “{error.option_name}” không nhận giá trị.{help_hint}"
        return f"Tùy chọn “{error.option_name}” dùng không đúng cách.{help_hint}"
    extra = re.search(r"unexpected extra arguments? \((.*)\)", error.message)
    if extra:
        return f"Thừa đối số: {extra.group(1)}.{help_hint}"
    no_command = re.search(r"No such command '(.*)'", error.message)
    if no_command:
        return f"Không có lệnh “{no_command.group(1)}”.{help_hint}"
    return f"Lệnh gọi không đúng cách.{help_hint}"


def _param_name(param: click.Parameter | None, kind: str | None) -> str:
    if param is None:
        return "tham số"
    if isinstance(param, click.Option) or kind == "option":
        return f"tùy chọn “{' / '.join(param.opts)}”"
    name = param.human_readable_name
    return f"đối số {name} ({ARGUMENTS[name]})" if name in ARGUMENTS else f"đối số {name}"


ARGUMENTS = {"PATHS": "tệp hoặc thư mục bảng tính", "FORM_FILE": "tệp biểu mẫu form.yaml", "NAME": "tên biểu mẫu mới"}


_REASONS: tuple[tuple[str, str], ...] = (
    (r"(?P<v>.+) is not in the range (?P<lo>[-\d.]+)<=x<=(?P<hi>[-\d.]+)\.", "{v} phải từ {lo} đến {hi}"),
    (r"(?P<v>.+) is not in the range x<=(?P<hi>[-\d.]+)\.", "{v} phải nhỏ hơn hoặc bằng {hi}"),
    (r"(?P<v>.+) is not in the range x>=(?P<lo>[-\d.]+)\.", "{v} phải lớn hơn hoặc bằng {lo}"),
    (r"(?P<v>.+) is not a valid integer( range)?\.", "{v} không phải là số nguyên"),
    (r"(?P<v>.+) is not a valid float( range)?\.", "{v} không phải là số"),
    (r"(?:File|Directory|Path) (?P<v>.+) does not exist\.", "{v} không tồn tại"),
    (r"(?:File|Directory|Path) (?P<v>.+) is a file\.", "{v} là một tệp, cần một thư mục"),
    (r"(?:File|Directory|Path) (?P<v>.+) is a directory\.", "{v} là một thư mục, cần một tệp"),
    (r"(?:File|Directory|Path) (?P<v>.+) is not readable\.", "không có quyền đọc {v}"),
    (r"(?:File|Directory|Path) (?P<v>.+) is not writable\.", "không có quyền ghi {v}"),
    (r"(?P<v>.+) is not one of (?P<r>.+)\.", "{v} không thuộc các giá trị {r}"),
    (r"(?P<v>.+) is not a valid choice\.(?P<r>.*)", "{v} không phải một lựa chọn hợp lệ"),
)


def _reason(message: str) -> str:
    """click's English reason for a bad value, in Vietnamese (the value itself kept as typed)."""
    text = message.strip()
    for pattern, vietnamese in _REASONS:
        match = re.fullmatch(pattern, text, flags=re.DOTALL)
        if match:
            groups = {k: v if k in ("lo", "hi") else _unquote(v) for k, v in match.groupdict().items()}
            return vietnamese.format(**groups)
    if _is_vietnamese(text):
        return text.rstrip(".")  # our own callbacks already speak Vietnamese
    return "giá trị này không dùng được"


def _is_vietnamese(text: str) -> bool:
    return bool(re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", text.lower()))


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return f"“{value}”"
