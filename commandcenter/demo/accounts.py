"""The demo's console accounts: a supervisor and an operator for the district centre and for
two street sub-centres, the wall, and the handheld terminals of two grid workers (role field:
cc_reporter + cc_handler, tied to the person, who staffs a few grids of that street). Their
passwords are printed by `commandcenter demo accounts` — demo data, never for a real
deployment."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

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
    DemoAccount("dhm_field", "东华门网格员手持终端", "Donghuamen grid worker terminal", "field", "东华门街道"),
    DemoAccount("dhs_field", "东花市网格员手持终端", "Donghuashi grid worker terminal", "field", "东花市街道"),
)
#: a field terminal reports and handles: the groups of its login role
FIELD_GROUPS = ("cc_reporter", "cc_handler")


def field_logins() -> list[str]:
    return [a.login for a in DEMO_ACCOUNTS if a.role == "field"]


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
        if a.role == "field":
            _ensure_field(conn, a, exists is not None)
        elif exists is None:
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


def _ensure_field(conn: psycopg.Connection, a: DemoAccount, exists: bool) -> None:
    """A grid worker's terminal: the login role in cc_reporter and cc_handler, registered with
    its street and its person — the grid manager of the street's first grid (who may staff a
    few grids). Made here as cc.account_add makes a console login (SCRAM verifier, connection
    limit, idle timeout, administered by cc_keeper, audited); account_add itself makes only
    the four console roles and ties no person."""
    sid = accounts.street_id(conn, a.street)
    row = conn.execute(
        "SELECT ga.person_id FROM cc.grid_assignment ga JOIN cc.grid g ON g.id = ga.grid_id "
        " WHERE g.street_id = %s AND ga.role_code = 'grid_manager' ORDER BY g.code, ga.person_id LIMIT 1",
        (sid,)).fetchone()
    conn.commit()
    if row is None:
        return
    login = sql.Identifier(a.login)
    if not exists:
        limit = conn.execute("SELECT cc.console_connection_limit()").fetchone()
        verifier = accounts.scram_verifier(conn, a.login, a.password)
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT {} PASSWORD {}").format(
            login, sql.Literal(limit[0] if limit else 12), sql.Literal(verifier)))
        conn.execute(sql.SQL("ALTER ROLE {} SET idle_in_transaction_session_timeout = '10s'").format(login))
        conn.execute(sql.SQL("GRANT {} TO cc_keeper WITH ADMIN TRUE, INHERIT FALSE, SET FALSE").format(login))
    for group in FIELD_GROUPS:
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), login))
    added = conn.execute("INSERT INTO cc.console_account (login, display_name, display_name_en, street_id, person_id) "
                         "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (login) DO NOTHING RETURNING login",
                         (a.login, a.display_name, a.display_name_en, sid, row[0])).fetchone()
    if added is not None:
        conn.execute("INSERT INTO cc.audit_log (action, subject, detail) VALUES ('account_add', %s, %s)",
                     (a.login, Jsonb({"role": "field", "street_id": sid, "person_id": row[0]})))
    conn.commit()
