"""Every error the library raises on purpose, under one base class.

Messages are in Vietnamese because they reach the clerk unchanged: the CLI prints
them and the web page shows them. Each says what is wrong and what to do. A WorkbookError
is data (a code and its parameters), worded by baocao.messages_workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from baocao.messages import Audience, for_the_page
from baocao.messages_workbook import workbook_message


class BaocaoError(Exception):
    """Base class of all expected errors; the CLI prints these without a traceback."""


class FormError(BaocaoError):
    """Raised when a form file (form.yaml) or its Word template is malformed."""


class WorkbookError(BaocaoError):
    """Raised when an input workbook cannot be read as a workbook of the form: `code` names why
    (baocao.messages_workbook.WORKBOOK_ERRORS) and `params` fill its sentence."""

    def __init__(self, path: Path | str, code: str, **params: Any) -> None:
        self.path = Path(path)
        self.code = code
        self.params = params
        super().__init__(str(self))  # phrased now: an unknown code or a missing parameter fails where raised

    @property
    def message(self) -> str:
        """The sentence without the file name, for callers that name the file their own way."""
        return workbook_message(self.code, self.params)

    def phrased(self, audience: Audience) -> str:
        """The sentence (without the file name) worded for the CLI or for the web page."""
        return workbook_message(self.code, self.params, audience)

    def __str__(self) -> str:
        return f"{self.path.name}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its data (a worker process hands it back to the parent)."""
        return (_restore, (type(self), self.__dict__))


def _restore(cls: type[WorkbookError], state: dict[str, Any]) -> WorkbookError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = (str(error),)
    return error


def about(error: BaocaoError, path: Path) -> WorkbookError:
    """Why the workbook at `path` cannot be used, as data: the error itself when it is a WorkbookError
    about that file, else one that carries the other error's own sentence."""
    if isinstance(error, WorkbookError) and error.path.name == Path(path).name:
        return error
    return WorkbookError(path, "other-error", text=str(error))


def wordings(why: WorkbookError | str) -> tuple[str, str]:
    """(the CLI's sentence, the page's) of why a workbook cannot be used: a WorkbookError worded for
    each by its catalogue; a sentence kept as text (a column the city split could not make, a
    workbook left out of a roll-up) as it is, its CLI advice reworded for the page."""
    if isinstance(why, WorkbookError):
        return why.message, why.phrased(Audience.PAGE)
    return why, for_the_page(why)


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
