"""`commandcenter db check`: the protections db/README.md's threat model relies on, as the
server itself reports them (cc.security_check(); the rules live there)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from .errors import run_one

GUARD_CHECK = "a guard ends sessions that hold others up"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str


def security_checks(conn: psycopg.Connection) -> list[Check]:
    return [Check(*row) for row in run_one(conn, "SELECT * FROM cc.security_check()")]
