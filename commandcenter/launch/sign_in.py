"""Who signs in: the demo's accounts on our own embedded demo, the given DSN's user on someone
else's server, the sign-in dialog otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from ..demo.accounts import DEMO_ACCOUNTS, DemoAccount
from ..demo.background import BackgroundHistory
from ..store.database import Database

HALL_DEMO_LOGIN = "dc_supervisor"
WALL_DEMO_LOGIN = "wall"


@dataclass(frozen=True)
class SignIn:
    """Ask the operator to sign in first, with these fields filled in."""
    user: str = ""
    password: str = ""
    demo: bool = False          # the embedded demo: say where its accounts are listed


def demo_account(db: Database, login: str) -> DemoAccount | None:
    """The demo account `login` if this is the embedded demo and it is registered."""
    if db.embedded is None:
        return None
    with db.connect() as conn:
        registered = conn.execute("SELECT 1 FROM cc.console_account WHERE login = %s", (login,)).fetchone()
    return next((a for a in DEMO_ACCOUNTS if a.login == login), None) if registered else None


def hall_sign_in(db: Database, history: BackgroundHistory | None = None) -> SignIn | None:
    """None: a --dsn that names its user is used as given. The embedded demo offers its
    district supervisor (on a first start before its account is even written: the dialog
    lets it in once the demo is whole); anything else asks."""
    if db.embedded is None:
        return None if conninfo_to_dict(db.dsn).get("user") else SignIn()
    demo = next(a for a in DEMO_ACCOUNTS if a.login == HALL_DEMO_LOGIN) if history is not None \
        else demo_account(db, HALL_DEMO_LOGIN)
    if demo is None:
        return SignIn()
    return SignIn(demo.login, demo.password, demo=True)


def view_dsn(db: Database, view: str) -> str:
    """The DSN a view runs with on the demo: the wall signs in read-only as the demo wall,
    screenshots show what the demo's accounts see; elsewhere the DSN as given."""
    demo = demo_account(db, WALL_DEMO_LOGIN if view == "wall" else HALL_DEMO_LOGIN)
    return make_conninfo(db.dsn, user=demo.login, password=demo.password) if demo else db.dsn
