"""Console accounts: PostgreSQL login roles in one console group, scoped to a street or the
district. The database does the work (cc.account_add and friends check that the caller is an
administrator and audit every change); this module hashes passwords on the client, so the
clear text never travels, and checks what only the client can see: the password itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg

from .errors import InvalidArgument, run_one

ROLES = ("operator", "supervisor", "wall", "admin")
MIN_PASSWORD = 10


@dataclass(frozen=True)
class Account:
    login: str
    display_name: str
    role: str
    street: str
    can_login: bool
    last_sign_in: datetime | None


def scram_verifier(conn: psycopg.Connection, login: str, password: str) -> str:
    """SCRAM-SHA-256 verifier computed by libpq, as `\\password` in psql does."""
    return conn.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()




def street_id(conn: psycopg.Connection, name: str | None) -> int | None:
    if not name:
        return None
    row = conn.execute("SELECT id FROM cc.street WHERE name = %s OR name_en = %s OR code = %s",
                       (name, name, name)).fetchone()
    conn.commit()
    if row is None:
        raise InvalidArgument("CC009", f"no street called {name!r}", "Use the street's Chinese or English name.")
    return int(row[0])


def add(conn: psycopg.Connection, login: str, password: str, display_name: str, role: str,
        street: str | None = None, display_name_en: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidArgument("CC009", f"the password is shorter than {MIN_PASSWORD} characters",
                              "Choose a longer one; a phrase of several words is easy to remember.")
    if role not in ROLES:
        raise InvalidArgument("CC009", f"unknown role {role!r}", f"Use one of {', '.join(ROLES)}.")
    sid = street_id(conn, street)
    run_one(conn, "SELECT cc.account_add(%s, %s, %s, %s, %s, %s)",
            (login, scram_verifier(conn, login, password), display_name, role, sid, display_name_en))


def set_enabled(conn: psycopg.Connection, login: str, enabled: bool) -> None:
    run_one(conn, "SELECT cc.account_set_enabled(%s, %s)", (login, enabled))


def listing(conn: psycopg.Connection) -> list[Account]:
    return [Account(*r) for r in run_one(conn, "SELECT * FROM cc.accounts()", ())]
