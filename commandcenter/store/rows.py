"""The one row of a statement that always returns one (a count, a function call, SHOW)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.abc import Params, QueryNoTemplate
from psycopg.rows import Row, TupleRow


class NoRow(RuntimeError):
    """A statement that always returns a row returned none: a schema or server fault."""


def one(cur: psycopg.Cursor[Row], what: object = "a statement that always returns a row") -> Row:
    """The cursor's next row; NoRow (naming `what` ran) instead of None."""
    row = cur.fetchone()
    if row is None:
        raise NoRow(f"{what} returned no row")
    return row


def scalar(conn: psycopg.Connection[TupleRow], query: QueryNoTemplate, params: Params | None = None) -> Any:
    """The first column of the one row `query` returns (NoRow if it returns none)."""
    return one(conn.execute(query, params), query)[0]
