"""The demo's console accounts: a supervisor and an operator for the district centre and for
two street sub-centres, and the wall. Their passwords are printed by `commandcenter demo
accounts` — demo data, never for a real deployment."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from ..store import accounts


@dataclass(frozen=True)
class DemoAccount:
    login: str
    display_name: str
    display_name_en: str
    role: str
    street: str | None

    @property
    def password(self) -> str:
        return f"demo-{self.login}-2026"


DEMO_ACCOUNTS = (
    DemoAccount("dc_supervisor", "区指挥中心值班长", "District supervisor", "supervisor", None),
    DemoAccount("dc_operator", "区指挥中心受理员", "District operator", "operator", None),
    DemoAccount("dhm_supervisor", "东华门分中心值班长", "Donghuamen supervisor", "supervisor", "东华门街道"),
    DemoAccount("dhm_operator", "东华门分中心受理员", "Donghuamen operator", "operator", "东华门街道"),
    DemoAccount("dhs_supervisor", "东花市分中心值班长", "Donghuashi supervisor", "supervisor", "东花市街道"),
    DemoAccount("dhs_operator", "东花市分中心受理员", "Donghuashi operator", "operator", "东花市街道"),
    DemoAccount("wall", "指挥大厅大屏", "Hall wall display", "wall", None),
)


def ensure(conn: psycopg.Connection) -> list[DemoAccount]:
    """Create the demo accounts, or register them in this database if their login roles exist
    already (roles belong to the whole cluster; a second demo database reuses them)."""
    made = []
    have = {r[0] for r in conn.execute("SELECT name FROM cc.street")}
    conn.commit()
    for a in DEMO_ACCOUNTS:
        if a.street is not None and a.street not in have:
            continue           # another district: no such street sub-centre
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (a.login,)).fetchone()
        conn.commit()
        if exists is None:
            accounts.add(conn, a.login, a.password, a.display_name, a.role, a.street, a.display_name_en)
        else:
            sid = accounts.street_id(conn, a.street)
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(f"cc_{a.role}"), sql.Identifier(a.login)))
            conn.execute("INSERT INTO cc.console_account (login, display_name, display_name_en, street_id) "
                         "VALUES (%s, %s, %s, %s) ON CONFLICT (login) DO NOTHING",
                         (a.login, a.display_name, a.display_name_en, sid))
            conn.commit()
        made.append(a)
    return made
