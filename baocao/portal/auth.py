"""Passwords (argon2) and who may do what: decided here, in one table, never in the views."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from baocao.portal.models import ADMIN, CLERK, OFFICER, User

_hasher = PasswordHasher()
# No 0/O, 1/l/I: the password is read from a printed sheet and typed by hand.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# action → the roles allowed; "own unit" is checked by may() for the clerk.
RULES: dict[str, frozenset[str]] = {
    "periods.view": frozenset({ADMIN, OFFICER, CLERK}),
    "periods.open": frozenset({ADMIN}),
    "periods.lock": frozenset({ADMIN}),
    "board.view": frozenset({ADMIN, OFFICER}),
    "unit.view": frozenset({ADMIN, OFFICER, CLERK}),
    "unit.workbook": frozenset({ADMIN, OFFICER, CLERK}),
    "unit.submit": frozenset({CLERK}),
    "unit.report": frozenset({ADMIN, OFFICER, CLERK}),
    "submission.review": frozenset({OFFICER}),
    "audit.view": frozenset({ADMIN}),
    "rollup.make": frozenset({OFFICER}),
    "rollup.view": frozenset({ADMIN, OFFICER}),
}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_password(length: int = 12) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def may(user: User | None, action: str, unit_id: int | None = None) -> bool:
    """Whether `user` may do `action` (on the commune `unit_id`): a clerk only on their own commune."""
    if user is None or user.role not in RULES.get(action, frozenset()):
        return False
    if user.role == CLERK and unit_id is not None:
        return user.unit_id == unit_id
    return True
