"""Errors an operator can act on. Each carries the message to show and what to do next."""

from __future__ import annotations

from typing import Any

import psycopg


class CommandCenterError(Exception):
    """Base of every error the app reports to a person."""


class DatabaseUnavailable(CommandCenterError):
    """The database cannot be reached or started."""


class SchemaMismatch(CommandCenterError):
    """The database schema is missing, older or newer than this app."""


class ActionRefused(CommandCenterError):
    """A workflow function refused an action; nothing changed.

    ``sqlstate`` is the database's code (db/README.md lists them), ``message`` its text and
    ``hint`` what to do.
    """

    def __init__(self, sqlstate: str, message: str, hint: str | None = None) -> None:
        self.sqlstate = sqlstate
        self.message = message
        self.hint = hint
        super().__init__(f"{message}. {hint}" if hint else message)


class InvalidTransition(ActionRefused):
    """CC001: the case's state does not allow the action."""


class StaleVersion(ActionRefused):
    """CC002: someone else changed the case first."""


class UnknownCategory(ActionRefused):
    """CC005: no such category item."""


class OutsideDistrict(ActionRefused):
    """CC006: the position is outside every grid (or the given grid)."""


class BadAttachment(ActionRefused):
    """CC007: an attachment that is too large or not an image."""


class NotFound(ActionRefused):
    """CC008: the case does not exist or is outside the caller's area."""


class InvalidArgument(ActionRefused):
    """CC009: an argument the function cannot accept."""


class PermissionRefused(ActionRefused):
    """42501: the signed-in role may not do this."""


_BY_SQLSTATE: dict[str, type[ActionRefused]] = {
    "CC001": InvalidTransition,
    "CC002": StaleVersion,
    "CC005": UnknownCategory,
    "CC006": OutsideDistrict,
    "CC007": BadAttachment,
    "CC008": NotFound,
    "CC009": InvalidArgument,
    "42501": PermissionRefused,
}


def from_psycopg(exc: psycopg.Error) -> ActionRefused | None:
    """Translate a database refusal into its typed error, or None if it is not one."""
    diag = exc.diag
    cls = _BY_SQLSTATE.get(diag.sqlstate or "")
    if cls is None:
        return None
    return cls(diag.sqlstate or "", diag.message_primary or str(exc), diag.message_hint)


def run_one(conn: psycopg.Connection, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """One statement in its own transaction: its rows; a refusal rolls back and becomes its
    typed error (any other database error is raised as it is)."""
    try:
        cur = conn.execute(sql, args)
        rows = cur.fetchall() if cur.description else []
        conn.commit()
        return rows
    except psycopg.Error as exc:
        conn.rollback()
        refused = from_psycopg(exc)
        if refused is not None:
            raise refused from exc
        raise
