"""Every error the library raises on purpose, under one base class.

Messages are in Vietnamese because they reach the clerk unchanged: the CLI prints
them and the web page shows them. Each says what is wrong and what to do.
"""

from __future__ import annotations

from pathlib import Path


class BaocaoError(Exception):
    """Base class of all expected errors; the CLI prints these without a traceback."""


class FormError(BaocaoError):
    """Raised when a form file (form.yaml) or its Word template is malformed."""


class WorkbookError(BaocaoError):
    """Raised when an input workbook cannot be read as a workbook of the form."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message  # without the file name, for callers that name the file their own way
        super().__init__(f"{self.path.name}: {message}")


def reason_of(error: BaocaoError, path: Path) -> tuple[str, str]:
    """(file, reason): the workbook's name and the sentence without it when the error is about
    `path`, else ("", the whole sentence), for callers that name the file their own way."""
    if isinstance(error, WorkbookError) and error.path.name == Path(path).name:
        return error.path.name, error.message
    return "", str(error)


class InvalidInputError(BaocaoError):
    """Raised when validation found errors (lỗi) that stop the report."""

    def __init__(self, path: Path | str, blocking: list, problems: list | None = None) -> None:
        self.path = Path(path)
        self.blocking = blocking
        self.problems = problems if problems is not None else blocking  # every problem, warnings too
        super().__init__(f"{self.path.name}: có {len(blocking)} lỗi, chưa lập được báo cáo.")


class RenderError(BaocaoError):
    """Raised when the Word template cannot be filled (a tag refers to nothing, bad Jinja)."""


class OutputError(BaocaoError):
    """Raised when an output file cannot be written (folder missing, file open in Word)."""


class PdfError(BaocaoError):
    """Raised when LibreOffice is missing or fails to convert a report to PDF."""
