"""Problems of a form file: each with the file and the line it is on."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from baocao.problems import ERROR, WARNING


@dataclass(frozen=True)
class FormIssue:
    """One problem of a form file (or its Word template), with the form file's line."""

    severity: str
    file: str
    line: int
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.file}, dòng {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class FormIssues:
    """Collects FormIssues of one file, each once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[FormIssue] = []

    def error(self, line: int, message: str) -> None:
        self._add(FormIssue(ERROR, self.file, line, message))

    def warning(self, line: int, message: str) -> None:
        self._add(FormIssue(WARNING, self.file, line, message))

    def _add(self, issue: FormIssue) -> None:
        if issue not in self.items:
            self.items.append(issue)

    @property
    def errors(self) -> list[FormIssue]:
        return [i for i in self.items if i.is_error]


def did_you_mean(word: str, known: Any) -> str:
    """' (có phải “plan_done”?)' when a known word is close, else ''."""
    close = difflib.get_close_matches(str(word), [str(k) for k in known], n=1, cutoff=0.75)
    return f" (có phải “{close[0]}”?)" if close else ""
