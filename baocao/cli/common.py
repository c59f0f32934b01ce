"""What the CLI's commands share: finding the workbooks, printing problems, the --form option, the progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from baocao.messages import STAGE_LABELS, problem_line
from baocao.problems import Problem
from baocao.stages import Stage


def collect_workbooks(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders searched (recursively) for .xlsx, skipping Excel's ~$ lock files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.xlsx")) if not p.name.startswith("~$"))
        else:
            found.append(path)
    return found


def previous_workbooks(paths: tuple[Path, ...]) -> list[Path]:
    """The workbooks of `--previous` (files, folders searched as for the inputs); each must exist."""
    for path in paths:
        if not path.exists():
            raise click.ClickException(f"Không tìm thấy bảng tính kỳ trước {path} (--previous).")
    found = collect_workbooks(paths)
    if paths and not found:
        raise click.ClickException(f"Không có bảng tính .xlsx nào trong {', '.join(map(str, paths))} (--previous).")
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


class ProgressBar:
    """click's progress bar on the terminal (stderr), one per stage; silent when not a terminal."""

    def __init__(self) -> None:
        self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __call__(self, stage: Stage | None, count: int) -> None:
        if not sys.stderr.isatty():
            return
        if stage:
            self._close()
            self.bar = click.progressbar(length=count, label=STAGE_LABELS[stage], file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        elif self.bar is not None:
            self.bar.update(count)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self._close()
