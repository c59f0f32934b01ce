"""Two requests writing the same submission at once (two clicks, two servers): the second insert of
a version number or of the period's submission row breaks a unique constraint; it is retried on a
fresh transaction, so no submission is lost and none is counted twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

T = TypeVar("T")


def committed(session: Session, write: Callable[[], T], attempts: int = 5) -> T:
    """Run `write` and commit; on a conflict with a concurrent writer, roll back and run it again."""
    for attempt in range(attempts):
        try:
            result = write()
            session.commit()
            return result
        except (IntegrityError, OperationalError):
            session.rollback()
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
