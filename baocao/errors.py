"""Every error the library raises on purpose, under one base class.

Messages are in Vietnamese because they reach the clerk: the CLI prints them and the web page
shows them. Each says what is wrong and what to do. Most are data (a CodedError: a code and its
parameters), worded at the edge for the CLI or for the page by their catalogue:
baocao.messages_workbook for a WorkbookError, baocao.messages_output for the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from baocao.messages import Audience
from baocao.messages_output import output_message
from baocao.messages_workbook import workbook_message
from baocao.problems import FileName, Names


class BaocaoError(Exception):
    """Base class of all expected errors; the CLI prints these without a traceback."""


class FormError(BaocaoError):
    """Raised when a form file (form.yaml) or its Word template is malformed."""


class CodedError(BaocaoError):
    """An error that is data: `code` names its sentence in the catalogue (baocao.messages_output)
    and `params` fill it; str() is the CLI's sentence, phrased(Audience.PAGE) the page's. A file name
    among them is a baocao.problems.FileName, shown as `names` shows it (the page: the name uploaded)."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(str(self))  # phrased now: an unknown code or a missing parameter fails where raised

    def phrased(self, audience: Audience = Audience.CLI, names: Names | None = None) -> str:
        """The sentence worded for the CLI or for the web page (a WorkbookError's without the file name)."""
        return output_message(self.code, self.params, audience, names)

    @property
    def message(self) -> str:
        """The CLI's sentence (a WorkbookError's without the file name)."""
        return self.phrased(Audience.CLI)

    def said(self, audience: Audience, names: Names | None = None) -> str:
        """The whole sentence, as str() says it, worded for the CLI or for the web page."""
        return self.phrased(audience, names)

    def __str__(self) -> str:
        return self.said(Audience.CLI)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash((type(self), self.code))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its data (a worker process hands it back to the parent)."""
        return (_restore, (type(self), self.__dict__))


def _restore(cls: type[CodedError], state: dict[str, Any]) -> CodedError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = (str(error),)
    return error


class WorkbookError(CodedError):
    """Raised when an input workbook cannot be read as a workbook of the form: `code` names why
    (baocao.messages_workbook.WORKBOOK_ERRORS) and `params` fill its sentence."""

    def __init__(self, path: Path | str, code: str, **params: Any) -> None:
        self.path = Path(path)
        super().__init__(code, **params)

    @property
    def file(self) -> FileName:
        return FileName(self.path.name)

    def phrased(self, audience: Audience = Audience.CLI, names: Names | None = None) -> str:
        return workbook_message(self.code, self.params, audience, names)

    def said(self, audience: Audience, names: Names | None = None) -> str:
        return f"{self.file.shown(names)}: {self.phrased(audience, names)}"


class OutputError(CodedError):
    """Raised when an output file cannot be written (folder missing, file open in Word)."""


class RenderError(CodedError):
    """Raised when the Word template cannot be filled (a tag refers to nothing, bad Jinja)."""


class PdfError(CodedError):
    """Raised when LibreOffice is missing or fails to convert a report to PDF; `converted` holds the
    PDFs a conversion of many files did make (docx → pdf)."""

    converted: dict[Path, Path] = {}  # noqa: RUF012 (never mutated: an instance gets its own)


class BatchError(CodedError):
    """Why a workbook of a batch is left out or gets no report, or a roll-up is not made: data kept
    (batch.model.Held, BatchResult.notes), not raised."""


def about(error: BaocaoError, path: Path) -> WorkbookError:
    """Why the workbook at `path` cannot be used, as data: the error itself when it is a WorkbookError
    about that file, else one that carries the other error (a CodedError: worded for the same audience
    and names) or, of another kind, its own sentence."""
    if isinstance(error, WorkbookError) and error.path.name == Path(path).name:
        return error
    if isinstance(error, CodedError):
        return WorkbookError(path, "other-error", error=error)
    return WorkbookError(path, "other-error", text=str(error))


def as_data(error: BaocaoError) -> CodedError:
    """An error as data: itself, or (a FormError, an InvalidInputError) one that carries its sentence."""
    return error if isinstance(error, CodedError) else BatchError("other-error", text=str(error))


class InvalidInputError(BaocaoError):
    """Raised when validation found errors (lỗi) that stop the report."""

    def __init__(self, path: Path | str, blocking: list, problems: list | None = None) -> None:
        self.path = Path(path)
        self.blocking = blocking
        self.problems = problems if problems is not None else blocking  # every problem, warnings too
        super().__init__(f"{self.path.name}: có {len(blocking)} lỗi, chưa lập được báo cáo.")
