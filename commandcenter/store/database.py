"""Which database to use and how to connect to it.

No DSN: the embedded server in the data directory. ``--dsn`` or ``COMMANDCENTER_DSN``: an
existing server with the same schema, rules and notifications.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from ..paths import default_data_dir
from .embedded import EmbeddedServer
from .errors import DatabaseUnavailable

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

DSN_ENV = "COMMANDCENTER_DSN"

# A silent partition is noticed within ~15 s instead of the kernel's two hours.
KEEPALIVE = {
    "keepalives": "1",
    "keepalives_idle": "5",
    "keepalives_interval": "2",
    "keepalives_count": "3",
    "tcp_user_timeout": "15000",
    "connect_timeout": "10",
    "application_name": "commandcenter",
}


def with_keepalives(dsn: str) -> str:
    """The DSN with our keepalive and timeout settings, unless it sets them itself."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        raise DatabaseUnavailable(
            f"the database address is not valid: {_one_line(exc)}. Use a libpq URI such as "
            "postgresql://user@host:5432/dbname or key=value pairs."
        ) from exc
    host = str(params.get("host") or "")
    if host.startswith("/") or not host:
        # Unix socket: TCP options do not apply.
        extra = {k: v for k, v in KEEPALIVE.items() if k in ("connect_timeout", "application_name")}
    else:
        extra = dict(KEEPALIVE)
    for key, value in extra.items():
        params.setdefault(key, value)
    return make_conninfo("", **params)


@dataclass
class Database:
    """An opened database: its DSN and, in embedded mode, the server we hold."""

    dsn: str
    embedded: EmbeddedServer | None = None
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def open(cls, dsn: str | None = None, data_dir: Path | None = None) -> Database:
        dsn = dsn or os.environ.get(DSN_ENV) or None
        if dsn:
            db = cls(with_keepalives(dsn))
        else:
            server = EmbeddedServer(Path(data_dir) if data_dir else default_data_dir())
            server.start()
            db = cls(with_keepalives(server.dsn), embedded=server)
        db.check_reachable()
        return db

    def check_reachable(self) -> None:
        try:
            with psycopg.connect(self.dsn) as conn:
                conn.execute("SELECT 1")
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(
                f"cannot connect to the database ({safe_dsn(self.dsn)}): {_one_line(exc)}. "
                "Check that the server runs and the address, user and password are right, "
                "or omit --dsn to use the embedded database."
            ) from exc

    def connect(self, **kwargs: Any) -> psycopg.Connection:
        """A connection to this database; `kwargs` are psycopg.connect's (autocommit=True, …)."""
        return psycopg.connect(self.dsn, **kwargs)

    def engine(self) -> Engine:
        from sqlalchemy import create_engine

        return create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(self.dsn))

    def close(self) -> None:
        if not self._closed and self.embedded is not None:
            self.embedded.stop()
        self._closed = True

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _one_line(exc: BaseException) -> str:
    """libpq's multi-line message on one line, its lines kept apart as sentences ("… refused;
    is the server running …"), without the trailing punctuation."""
    parts = [part.strip() for part in str(exc).splitlines() if part.strip().strip(".")]
    said = [p.rstrip(".?! ") for p in parts]
    return "; ".join([said[0], *(p[:1].lower() + p[1:] if p[1:2].islower() else p for p in said[1:])]) if said else ""


def safe_dsn(dsn: str) -> str:
    """The DSN without its password, for messages."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "<unparsable address>"
    params.pop("password", None)
    return " ".join(f"{k}={v}" for k, v in params.items() if k in ("host", "port", "dbname", "user"))


def connect_console(dsn: str, application_name: str, *, autocommit: bool = False,
                    connect_timeout: int = 5) -> psycopg.Connection:
    """A console's connection, the one way the hall's threads open one. cc.case_board joins
    eight tables: planning them in every order costs ~5 ms a read, executing them ~0.1 ms, and
    the written order is the right one — so such sessions plan joins as written."""
    return psycopg.connect(dsn, autocommit=autocommit, connect_timeout=connect_timeout,
                           application_name=application_name, options="-c join_collapse_limit=1")
