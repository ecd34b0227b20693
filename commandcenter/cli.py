"""The `commandcenter` command: the hall (default), db, demo, report."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .demo import DEFAULT_DISTRICT, FULL_CASES, FULL_DAYS
from .store.errors import CommandCenterError

if TYPE_CHECKING:
    import psycopg

    from .bench.harness import BenchResult
    from .demo.background import BackgroundHistory
    from .store.database import Database


def _parser() -> argparse.ArgumentParser:
    # The connection options are accepted before or after the subcommand; SUPPRESS keeps a
    # subcommand's parser from overwriting a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dsn", default=argparse.SUPPRESS,
                        help="PostgreSQL to use (default: COMMANDCENTER_DSN, else the embedded server)")
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="data directory of the embedded server (default: the user data directory)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log what happens")
    common.add_argument("--lang", choices=("zh_CN", "en"), default=argparse.SUPPRESS,
                        help="interface language (default: Chinese on zh locales, else English)")

    p = argparse.ArgumentParser(prog="commandcenter", parents=[common],
                                description="Command hall for grid-based social service management "
                                            "(网格化社会服务管理指挥大厅).")
    sub = p.add_subparsers(dest="command")

    db = sub.add_parser("db", parents=[common], help="database schema and status")
    dbsub = db.add_subparsers(dest="db_command", required=True)
    dbsub.add_parser("upgrade", parents=[common], help="create or migrate the schema to this version")
    st = dbsub.add_parser("status", parents=[common], help="revision and what the database holds")
    st.add_argument("--json", action="store_true", help="one JSON object")
    dbsub.add_parser("check", parents=[common],
                     help="check the server's protections against a hostile console (db/README.md)")
    gd = dbsub.add_parser("guard", parents=[common],
                          help="end console sessions that hold up others (run as a service for --dsn servers)")
    gd.add_argument("--interval", type=float, default=1.0, help="seconds between rounds (default 1)")

    demo = sub.add_parser("demo", parents=[common], help="demo data")
    demosub = demo.add_subparsers(dest="demo_command", required=True)
    demosub.add_parser("accounts", parents=[common], help="the demo's console accounts and their passwords")
    seed = demosub.add_parser("seed", parents=[common], help=f"build a demo district with {FULL_DAYS} days of cases")
    seed.add_argument("--district", default=DEFAULT_DISTRICT, help=f"{DEFAULT_DISTRICT} (default) or 海淀区")
    seed.add_argument("--seed", type=int, default=1, help="random seed (same seed, same district)")
    seed.add_argument("--cases", type=int, default=FULL_CASES, help=f"cases in the history (default {FULL_CASES})")
    seed.add_argument("--days", type=int, default=FULL_DAYS, help=f"days of history (default {FULL_DAYS})")
    seed.add_argument("--communities", type=int, help="override the number of communities")
    seed.add_argument("--grids", type=int, help="override the number of grids")
    seed.add_argument("--base-scale", type=float, default=1.0,
                      help="the grid information base's size against the grids' figures (default 1: all)")
    base = demosub.add_parser("base", parents=[common],
                              help="the grid information base: buildings, households, residents of every grid")
    base.add_argument("--scale", type=float, default=1.0, help="share of each grid's figures (default 1: all)")
    base.add_argument("--seed", type=int, default=1, help="random seed")
    directory = demosub.add_parser(
        "directory", parents=[common],
        help="the service directory (providers of every street) and, where the base is loaded, its places and "
             "organisations, for a district seeded before they existed")
    directory.add_argument("--seed", type=int, default=1, help="random seed")
    p.add_argument("--ready-exit", action="store_true", help=argparse.SUPPRESS)   # bench startup: quit once usable
    p.add_argument("--simulate", type=float, nargs="?", const=2.0, default=None, metavar="RATE",
                   help="run live demo traffic in the background (RATE actions/s, default 2)")
    sim = sub.add_parser("simulate", parents=[common], help="drive live field and centre traffic through the SQL functions")
    sim.add_argument("--rate", type=float, default=2.0, help="actions per second averaged over a day (default 2); "
                                                                    "the hour of day shapes it unless --flat")
    sim.add_argument("--duration", type=float, help="seconds to run (default: until Ctrl+C)")
    sim.add_argument("--flat", action="store_true", help="constant rate (default: shaped by the hour of day)")
    sim.add_argument("--seed", type=int, help="random seed")
    sim.add_argument("--district", help="only check that the database holds this district")

    acc = sub.add_parser("accounts", parents=[common], help="console accounts (administrators)")
    accsub = acc.add_subparsers(dest="accounts_command", required=True)
    add = accsub.add_parser("add", parents=[common], help="create a console account")
    add.add_argument("login", help="login name: lower-case letters, digits, _")
    add.add_argument("--role", required=True, choices=("operator", "supervisor", "wall", "admin"))
    add.add_argument("--street", help="street sub-centre (name); default: district-wide")
    add.add_argument("--name", required=True, help="display name in Chinese, e.g. 东华门分中心值班长 张伟")
    add.add_argument("--name-en", help="display name in English, e.g. 'Donghuamen supervisor Zhang Wei'")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    accsub.add_parser("list", parents=[common], help="accounts, roles, scope, last sign-in")
    accsub.add_parser("failures", parents=[common], help="failed sign-ins (from the embedded server's log)")
    for verb, what in (("disable", "stop an account signing in (and sign it out now)"),
                       ("enable", "let a disabled account sign in again")):
        v = accsub.add_parser(verb, parents=[common], help=what)
        v.add_argument("login")

    o311 = sub.add_parser("open311", parents=[common], help="Open311 GeoReport v2: service list, export, import")
    o311sub = o311.add_subparsers(dest="open311_command", required=True)
    svc = o311sub.add_parser("services", parents=[common], help="the service list (service codes ↔ category items)")
    svc.add_argument("--json", action="store_true", help="GeoReport v2 JSON (default: a table)")
    exp = o311sub.add_parser("export", parents=[common],
                             help="service requests of the cases you see (positions WGS-84, times ISO 8601)")
    exp.add_argument("--since", metavar="T", help="only cases reported or changed since T (ISO 8601; "
                                                  "without a zone, the district's)")
    exp.add_argument("--format", choices=("json", "xml"), default="json", help="json (default) or xml")
    exp.add_argument("--out", required=True, type=Path, help="file to write")
    imp = o311sub.add_parser("import", parents=[common],
                             help="create cases from Open311 requests (JSON or XML; each request once)")
    imp.add_argument("file", type=Path, help="JSON array or <service_requests> XML of requests")
    imp.add_argument("--dry-run", action="store_true", help="validate and say what would be created; create nothing")

    field = sub.add_parser("field", parents=[common], help="a grid worker's handheld terminal")
    fieldsub = field.add_subparsers(dest="field_command", required=True)
    fr = fieldsub.add_parser("report", parents=[common],
                             help="report a problem with photos, signed in as the grid worker")
    fr.add_argument("--grid", required=True, help="grid code")
    fr.add_argument("--category", required=True, help="category item code (or name), e.g. 010201")
    fr.add_argument("--lon", type=float, help="GCJ-02 longitude (default: a point inside the grid)")
    fr.add_argument("--lat", type=float, help="GCJ-02 latitude")
    fr.add_argument("--photo", action="append", default=[], metavar="FILE[:far|near][:before|after]",
                    help="a photo, tagged 远景 far / 近景 near and 处置前 before / 处置后 after (repeat for more)")
    fr.add_argument("--note", default="", help="what the worker saw")
    fr.add_argument("--solved", action="store_true",
                    help="solved on the spot (grid micro-loop; only the grid's own staff)")
    fr.add_argument("--login", help="the worker's terminal account (default on the demo: the grid's field terminal)")
    fr.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    fv = fieldsub.add_parser("visit", parents=[common],
                             help="record a visit (走访) or a diary entry (民情日志) about a household")
    fv.add_argument("--household", required=True, type=int, help="the household's id (the grid card lists them)")
    fv.add_argument("--note", required=True, help="what was seen or done")
    fv.add_argument("--diary", action="store_true", help="a diary entry (民情日志): does not count as the visit")
    fv.add_argument("--report", metavar="ITEM", help="raise a case of this category item (九必报) at the household")
    fv.add_argument("--login", help="the worker's terminal account (default on the demo: the street's field terminal)")
    fv.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    rep = sub.add_parser("report", parents=[common], help="measures of a period (考核评价): key figures, CSV")
    repsub = rep.add_subparsers(dest="report_command", required=True)
    period = argparse.ArgumentParser(add_help=False)
    period.add_argument("--from", dest="date_from", required=True, type=_day, metavar="DATE",
                        help="first local calendar day of the period, YYYY-MM-DD (from its midnight)")
    period.add_argument("--to", dest="date_to", required=True, type=_day, metavar="DATE",
                        help="last local calendar day, YYYY-MM-DD, INCLUSIVE (up to the next midnight)")
    rk = repsub.add_parser("kpi", parents=[common, period], help="every measure of a period, for the district or a street")
    rk.add_argument("--street", help="street by Chinese or English name (default: all you see)")
    rk.add_argument("--json", action="store_true", help="one JSON object: period and measures by code")
    rc = repsub.add_parser("csv", parents=[common, period],
                           help="every measure per member of a scope, ranked, as CSV (UTF-8 with BOM for Excel)")
    rc.add_argument("--scope", required=True, choices=("street", "community", "grid", "department", "unit", "person"))
    rc.add_argument("--within", metavar="NAME-or-ID",
                    help="narrow: communities of a street, grids of a community, units of a department, "
                         "people of a unit (name or id)")
    rc.add_argument("--out", required=True, type=Path, help="CSV file to write")
    rp = repsub.add_parser("pdf", parents=[common, period],
                           help="the printable report of a period (A4 PDF, Chinese font embedded)")
    rp.add_argument("--street", help="street by Chinese or English name (default: the district)")
    rp.add_argument("--departments", action="store_true", help="rank the departments instead of the streets")
    rp.add_argument("--out", required=True, type=Path, help="PDF file to write")

    bench = sub.add_parser("bench", parents=[common], help="benchmarks: figures against their targets")
    bench.add_argument("name", choices=("realtime", "board", "map", "startup", "memory", "report", "base"))
    bench.add_argument("--base-district", default="海淀区",
                       help="base: the district whose whole base is built (default 海淀区, 3.4 million residents)")
    bench.add_argument("--base-scale", type=float, default=1.0, help="base: share of each grid's figures (default 1)")
    bench.add_argument("--json", action="store_true", help="end with one JSON line: name, figures, targets, met")
    bench.add_argument("--duration", type=float, default=30.0, help="realtime: seconds of writing (default 30)")
    bench.add_argument("--rate", type=float, default=200.0, help="realtime: commits per second (default 200)")
    bench.add_argument("--consoles", type=int, default=10, help="realtime: console clients (default 10)")
    bench.add_argument("--city-cases", type=int, default=1_000_000,
                       help="report: synthetic cases in the city year (default 1,000,000)")

    wall = sub.add_parser("wall", parents=[common], help="the read-only wall display, full screen")
    wall.add_argument("--screen", type=int, help="screen number, 1 = first (default: the primary screen)")

    shot = sub.add_parser("screenshot", parents=[common], help="render a view offscreen to a PNG file")
    shot.add_argument("--view", required=True, choices=("hall", "keyboard", "handover", "wall", "map", "gridcard",
                                                               "staffing", "intake", "evaluation"),
                      help="keyboard: the hall with the focus ring and the command palette open; "
                           "handover: the hall with the shift handover being written")
    shot.add_argument("--out", required=True, type=Path, help="PNG file to write")
    shot.add_argument("--size", default="1920x1080", type=_size, help="WIDTHxHEIGHT (default 1920x1080)")
    return p


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD, e.g. 2026-07-01") from None


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"size {text!r} is outside 320x240 … 7680x4320")
    return w, h


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for name, default in (("dsn", None), ("data_dir", None), ("verbose", False), ("lang", None)):
        if not hasattr(args, name):
            setattr(args, name, default)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s: %(message)s")
    # SIGTERM ends a command the clean way (its embedded-server hold released); the Qt views
    # replace this with a handler that quits their event loop.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    try:
        return _dispatch(args)
    except CommandCenterError as exc:
        print(f"commandcenter: {exc}", file=sys.stderr)
        if getattr(args, "imported", None) is not None:
            args.imported.wait(30)          # no Qt on this thread while the other one imports Qt modules
        if getattr(args, "splash", None) is not None:
            args.splash.close()             # it stays on top: the message must not be under it
        if args.command in (None, "wall"):       # started from a desktop entry: stderr is unseen
            from .ui.startup_error import show_startup_error
            show_startup_error(str(exc), args.lang)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    from .launch.sign_in import view_dsn
    from .store.database import Database

    _refuse_early(args)
    splash = args.splash = _splash(args)
    if splash is not None:
        splash.starting_database()
    imported = args.imported = _meanwhile(args)
    with Database.open(args.dsn, args.data_dir) as db:
        if args.command == "db":
            return _db(args, db)
        if args.command == "demo":
            return _demo(args, db)
        if args.command == "accounts":
            return _accounts(args, db)
        if args.command == "open311":
            return _open311(args, db)
        if args.command == "field":
            return _field(args, db)
        if args.command == "report":
            return _report(args, db)
        if args.command == "bench" and args.name == "startup":
            from .bench import startup
            return _bench_done(startup.run(), args.json)
        from .launch.first_run import prepare
        # From here the main thread imports and uses Qt again: not while the other thread's
        # imports run. PySide6 makes a class's enums on first use, and two threads doing it at
        # once lose one ("QDialogButtonBox has no attribute StandardButton": 2 of 25 later
        # starts under load); two threads importing shapely at once leave one a half-made module.
        imported.wait()
        if splash is not None:
            splash.upgrading_schema()
        history = prepare(db, background_history=args.command is None)
        if args.command == "bench":
            return _bench(args, db)
        if args.command == "simulate":
            return _simulate(args, db)
        if args.command == "wall":
            from .ui.app import run_wall
            watchdog = db.embedded.watch() if db.embedded is not None else None
            try:
                return run_wall(view_dsn(db, "wall"), args.lang, args.screen)
            finally:
                _keep_spellings()
                if watchdog is not None:
                    watchdog.set()
        if args.command == "screenshot":
            from .ui.app import screenshot
            out = screenshot(view_dsn(db, args.view), args.view, args.out, args.lang, args.size)
            print(f"wrote {out}")
            return 0
        return _hall(args, db, history)


def _meanwhile(args: argparse.Namespace) -> threading.Event:
    """While the main thread starts the server (child processes and sockets), one thread
    reads the pinyin kept from earlier sessions, imports the hall's (or the wall's) views and,
    on the embedded server's first start (no cluster in the data directory yet), draws the demo
    territory (demo.prebuilt, taken by launch.first_run). The returned event is set once the
    imports are done: the main thread waits for it before it imports anything heavy or touches
    Qt again, because two threads importing shapely at once can leave one with a half-made
    module ("partially initialized module 'shapely' has no attribute 'lib'", every first start
    of a bench series), and two threads making PySide6's enums at once lose one
    ("QDialogButtonBox has no attribute StandardButton", 2 of 25 later starts under load). A
    failed import here is left to the main thread, which imports the module again and says what
    is wrong."""
    import importlib

    from .paths import default_data_dir
    from .store.database import DSN_ENV

    imported = threading.Event()
    if args.command not in (None, "wall"):
        imported.set()
        return imported
    names = ("commandcenter.ui.app",
             "commandcenter.ui.wall" if args.command == "wall" else "commandcenter.ui.main_window")
    draw = None
    if not (args.dsn or os.environ.get(DSN_ENV)) and \
            not (Path(args.data_dir or default_data_dir()) / "pgdata" / "PG_VERSION").exists():
        from .demo import DEFAULT_DISTRICT, FIRST_START_SEED, prebuilt
        draw = prebuilt.promise(DEFAULT_DISTRICT, FIRST_START_SEED)

    def run() -> None:
        try:
            from .domain import pinyin
            from .paths import spelling_cache
            pinyin.load(spelling_cache())       # known names are then spelled without pypinyin
            for name in names:
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - imported again on the main thread, which reports it
                    pass
        finally:
            imported.set()
        if draw is not None:
            draw()

    threading.Thread(target=run, name="cc-meanwhile", daemon=True).start()
    return imported


def _keep_spellings() -> None:
    """The names spelled in this session, for the next start (domain.pinyin)."""
    from .domain import pinyin
    from .paths import spelling_cache
    pinyin.save(spelling_cache())


def _splash(args: argparse.Namespace):  # noqa: ANN202 - a ui.splash.StartupSplash, imported here only
    """The hall and the wall show a window at once (the database can take seconds to be ready)."""
    if args.command not in (None, "wall"):
        return None
    from .ui import i18n
    from .ui.application import application
    from .ui.splash import StartupSplash

    application(args.lang, wall=args.command == "wall")
    return StartupSplash(i18n.choose_language(args.lang))


def _refuse_early(args: argparse.Namespace) -> None:
    """What can be refused before a server is started or anything is created: the desktop
    lacks something, asking about a database that does not exist, an unknown district."""
    from .desktop import cjk_font_missing, desktop_problem, missing_libraries
    from .store.database import DSN_ENV

    if args.command in (None, "wall"):
        problem = desktop_problem()
        if problem:
            raise CommandCenterError(f"cannot open the {'wall' if args.command else 'hall'}: {problem}")
    if args.command in (None, "wall", "screenshot") and cjk_font_missing():
        print("commandcenter: no font with Chinese characters is installed, so Chinese text shows as boxes: "
              "sudo apt-get install fonts-noto-cjk", file=sys.stderr)
    if args.command == "screenshot" and missing_libraries("offscreen"):
        raise CommandCenterError("cannot render: Qt needs " + ", ".join(missing_libraries("offscreen"))
                                 + " (sudo apt-get install libegl1 libgl1 libfontconfig1 libxkbcommon0)")
    if args.command == "db" and args.db_command in ("status", "check") and not (args.dsn or os.environ.get(DSN_ENV)):
        from .paths import default_data_dir
        data_dir = args.data_dir or default_data_dir()
        if (data_dir.is_dir() or not data_dir.exists()) and not (data_dir / "pgdata").exists():
            # asking must not create a cluster
            raise CommandCenterError(f"there is no commandcenter database in {data_dir} yet: start the hall "
                                     "(commandcenter) or run commandcenter db upgrade to create it")
    if args.command == "demo" and args.demo_command == "seed":
        from .demo.names import DISTRICTS
        if args.district not in DISTRICTS:           # refused before a cluster is created for it
            raise CommandCenterError(f"no demo for district {args.district!r}; choose one of: {', '.join(DISTRICTS)}")


def _db(args: argparse.Namespace, db: Database) -> int:
    from .store import migrate
    from .store.status import database_status

    if args.db_command == "upgrade":
        before = migrate.current_revision(db)
        head = migrate.upgrade(db)
        print(f"schema at revision {head}" + ("" if before == head else f" (was {before or 'empty'})"))
        return 0
    if args.db_command == "check":
        return _db_check(db)
    if args.db_command == "guard":
        return _db_guard(db, args.interval)
    status = database_status(db)
    if args.json:
        print(json.dumps(status, ensure_ascii=False, default=str))
    else:
        for key, value in status.items():
            print(f"{key:>20}: {value}")
    return 0


def _db_check(db: Database) -> int:
    from .store import migrate
    from .store.checks import GUARD_CHECK, security_checks

    print(f"schema revision {migrate.check_schema(db)}: ok")
    failed = 0
    with db.connect() as conn:
        for check in security_checks(conn):
            embedded_guard = check.name == GUARD_CHECK and db.embedded is not None
            state = "ok" if check.ok else ("not now" if embedded_guard else "MISSING")
            print(f"{check.name}: {state} — {check.detail}")
            if embedded_guard and not check.ok:
                print("    the embedded server's hall and wall run the guard while they are open")
            elif not check.ok:
                print(f"    to do: {check.fix}")
                failed += 1
    return 1 if failed else 0


def _db_guard(db: Database, interval: float) -> int:
    import signal
    import threading

    from .store.guard import run_guard

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    from .store.database import safe_dsn

    print(f"guarding {safe_dsn(db.dsn)} every {interval:g} s (Ctrl+C to stop)", flush=True)
    run_guard(db.dsn, stop, interval)
    return 0


def _accounts(args: argparse.Namespace, db: Database) -> int:
    import getpass

    from .store import accounts

    with db.connect() as conn:
        if args.accounts_command == "add":
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(
                f"password for {args.login}: ")
            accounts.add(conn, args.login, password, args.name, args.role, args.street, args.name_en)
            print(f"account {args.login} created ({args.role}, {args.street or 'district-wide'})")
        elif args.accounts_command == "failures":
            from .store.signin_log import failed_sign_ins
            if db.embedded is None:
                raise CommandCenterError("failed sign-ins are in your PostgreSQL server's log (FATAL: password "
                                         "authentication failed …); this command reads the embedded server's")
            failures = failed_sign_ins(db.embedded.pgdata / "log")
            for f in failures:
                print(f"{f.at:%Y-%m-%d %H:%M:%S}  {f.login:<18} {f.reason}")
            print(f"{len(failures)} failed sign-in(s)")
        elif args.accounts_command == "list":
            from zoneinfo import ZoneInfo

            from .store.rows import scalar
            from .termtext import pad
            zone = ZoneInfo(scalar(conn, "SELECT cc.local_tz()"))   # the hall's time zone
            conn.commit()
            for a in accounts.listing(conn):
                last = a.last_sign_in.astimezone(zone).strftime("%Y-%m-%d %H:%M") if a.last_sign_in else "never"
                print(f"{pad(a.login, 18)} {pad(a.role or '-', 11)} {pad(a.street, 16)} "
                      f"{pad('enabled' if a.can_login else 'DISABLED', 9)} last sign-in {pad(last, 17)} {a.display_name}")
        else:
            accounts.set_enabled(conn, args.login, args.accounts_command == "enable")
            print(f"account {args.login} {args.accounts_command}d")
    return 0


def _open311(args: argparse.Namespace, db: Database) -> int:
    from .store import migrate, open311

    migrate.check_schema(db)
    with db.connect() as conn:
        if args.open311_command == "services":
            services = open311.services(conn, english=args.lang == "en")
            if args.json:
                print(json.dumps(services, ensure_ascii=False, indent=1))
            else:
                from .termtext import pad
                for s in services:
                    print(f"{pad(s['service_code'], 8)} {pad(s['group'], 16)} {s['service_name']}")
                print(f"{len(services)} services")
            return 0
        if args.open311_command == "export":
            since = open311.parse_since(args.since, open311.local_zone(conn)) if args.since else None
            requests = open311.export_requests(conn, since)
            args.out.write_text(open311.render(requests, args.format), encoding="utf-8")
            print(f"wrote {len(requests)} service request(s) to {args.out}")
            return 0
        result = open311.import_requests(conn, args.file, dry_run=args.dry_run)
    verb = "would create" if result.dry_run else "created"
    for p in result.planned:
        what = (f"already imported as {p.existing_case or 'a case outside your area'}" if p.existing
                else f"{verb} {p.created_case or 'a case'} in grid {p.grid_code}")
        print(f"{p.request.where} {p.request.external_id}: {p.service_code} {p.service_name} — {what}")
    print(f"{len(result.planned)} request(s): {verb} {len(result.created)}, already imported {len(result.skipped)}"
          + (" (dry run: nothing created)" if result.dry_run else ""))
    return 0


def _field(args: argparse.Namespace, db: Database) -> int:
    import getpass

    import psycopg

    from .launch import field
    from .store import migrate
    from .ui.thumbnails import read_photo

    migrate.check_schema(db)
    if args.field_command == "visit":
        return _field_visit(args, db)
    if (args.lon is None) != (args.lat is None):
        raise CommandCenterError("give both --lon and --lat, or neither (a point inside the grid)")
    wanted = [field.parse_photo(p) for p in args.photo]          # every file found before anything is sent
    photos = []
    for w in wanted:
        content, thumbnail = read_photo(w.path)
        photos.append(field.FieldPhoto(w.path.name, content, thumbnail, w.view, w.stage))
    if args.login:
        login = args.login
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(
            f"password for {login}: ")
    else:
        with db.connect() as conn:
            try:
                terminal = field.demo_terminal(conn, args.grid)
            except psycopg.errors.InsufficientPrivilege:
                terminal = None
        if terminal is None:
            raise CommandCenterError(f"no demo field terminal staffs grid {args.grid}: sign in as the grid "
                                     "worker with --login NAME --password-stdin")
        login, password = terminal.login, terminal.password
    conn = _terminal_connection(db, login, password)
    with conn:
        result = field.send_report(conn, args.grid, args.category, photos, lon=args.lon, lat=args.lat,
                                   note=args.note, solved=args.solved)
    tags = ", ".join("/".join(t for t in (p.view, p.stage) if t) or "untagged" for p in photos)
    print(f"case {result.code} (id {result.case_id}) reported by {login} in grid {result.grid_code}: "
          f"state {result.state}, {len(result.attachment_ids)} photo(s)" + (f" ({tags})" if photos else ""))
    return 0


def _terminal_connection(db: Database, login: str, password: str):  # noqa: ANN202 - a psycopg.Connection
    """A field terminal's own connection (its rights, not the caller's); a refused sign-in said plainly."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        return psycopg.connect(make_conninfo(db.dsn, user=login, password=password), connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise CommandCenterError(f"cannot sign in as {login}: {str(exc).strip().splitlines()[-1]}") from None


def _field_visit(args: argparse.Namespace, db: Database) -> int:
    import getpass

    from .launch import field

    if args.login:
        login = args.login
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(
            f"password for {login}: ")
    else:
        with db.connect() as conn:
            terminal = field.demo_street_terminal(conn, args.household)
        if terminal is None:
            raise CommandCenterError(f"no demo field terminal serves the street of household {args.household}: "
                                     "sign in as the grid worker with --login NAME --password-stdin")
        login, password = terminal.login, terminal.password
    conn = _terminal_connection(db, login, password)
    with conn:
        v = field.record_visit(conn, args.household, args.note, "diary" if args.diary else "visit", args.report)
    what = "diary entry" if args.diary else "visit"
    print(f"{what} {v.visit_id} recorded by {login} for household {args.household}"
          + (f"; next visit due {v.visit_due:%Y-%m-%d}" if v.visit_due else "")
          + (f"; case {v.case_code} raised" if v.case_code else ""))
    return 0


def _report(args: argparse.Namespace, db: Database) -> int:
    """`report kpi`, `report csv` and `report pdf`: the measures of cc.kpi / cc.kpi_by over local calendar
    days, signed in as db.connect() signs in (the embedded server's owner, or --dsn's login:
    its row-level security decides what is counted)."""
    from .store import migrate

    migrate.check_schema(db)
    if args.date_to < args.date_from:
        raise CommandCenterError(f"--to {args.date_to} is before --from {args.date_from}")
    with db.connect() as conn:
        if args.report_command == "kpi":
            print(kpi_report(conn, args.date_from, args.date_to, args.street, as_json=args.json,
                             english=args.lang == "en"))
            return 0
        if args.report_command == "pdf":
            from .ui.report_pdf import print_period
            street = _named(conn, "street", args.street, "street") if args.street else None
            pages = print_period(conn, args.date_from, args.date_to, args.out, args.lang or "zh_CN",
                                 street_id=street, departments=args.departments)
            print(f"wrote {pages} page(s) to {args.out} ({args.date_from} … {args.date_to} inclusive)")
            return 0
        n = scope_csv(conn, args.date_from, args.date_to, args.scope, args.within, args.out)
    print(f"wrote {n} row(s) to {args.out} ({args.scope}, {args.date_from} … {args.date_to} inclusive)")
    return 0


def _report_period(conn: psycopg.Connection, first: date, last: date) -> tuple[datetime, datetime]:
    """[first's midnight, the midnight after last) in the district's time zone."""
    from datetime import time, timedelta
    from zoneinfo import ZoneInfo

    from .store.rows import scalar

    zone = ZoneInfo(scalar(conn, "SELECT cc.local_tz()"))
    conn.commit()
    return (datetime.combine(first, time(), zone), datetime.combine(last + timedelta(days=1), time(), zone))


def _named(conn: psycopg.Connection, table: str, text: str, what: str, extra: str = "") -> int:
    """The id of a row of `table` by its id, Chinese or English name (or code); an unknown name
    is refused listing the nearest names."""
    import difflib

    from psycopg import sql

    cols = {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_schema = 'cc' AND table_name = %s", (table,))}
    names = [c for c in ("name", "name_en", "code") if c in cols]
    rows = conn.execute(sql.SQL("SELECT id, {} FROM cc.{} {}").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in names), sql.Identifier(table), sql.SQL(extra))).fetchall()
    conn.commit()
    wanted = text.strip().casefold()
    for row in rows:
        if wanted == str(row[0]) or any(v is not None and str(v).casefold() == wanted for v in row[1:]):
            return int(row[0])
    every = sorted({str(v) for row in rows for v in row[1:2] if v} | {str(v) for row in rows for v in row[2:3] if v})
    near = difflib.get_close_matches(text, every, n=6, cutoff=0.3)
    raise CommandCenterError(f"no {what} named {text!r}; "
                             + (f"did you mean: {', '.join(near)}" if near else
                                f"choose one of: {', '.join(every[:40])}" + (" …" if len(every) > 40 else "")))


#: the scope whose member narrows each scope of `report csv --within` (table, what it is called)
_WITHIN: dict[str, tuple[str, str]] = {"street": ("district", "district"), "community": ("street", "street"),
                                       "grid": ("community", "community"), "unit": ("department", "department"),
                                       "person": ("unit", "unit")}


def kpi_report(conn: psycopg.Connection, first: date, last: date, street: str | None, *, as_json: bool = False,
               english: bool = False) -> str:
    """Every measure of the days first … last (inclusive), as a bilingual table or JSON."""
    from .store import measures
    from .termtext import pad

    start, end = _report_period(conn, first, last)
    street_id = _named(conn, "street", street, "street") if street else None
    figures = measures.kpi(conn, start, end, street_id)
    named = measures.measures(conn)
    if as_json:
        return json.dumps({"from": start.isoformat(), "to": end.isoformat(), "street_id": street_id,
                           "measures": {m["code"]: figures.get(m["code"]) for m in named if m["code"] in figures}},
                          ensure_ascii=False, default=lambda v: float(v) if isinstance(v, Decimal) else str(v))
    lines = [f"{first} … {last} (含 inclusive, {start.tzinfo})" + (f", {street}" if street else "")]
    for m in named:
        if m["code"] not in figures:
            continue
        value = figures[m["code"]]
        unit = {"percent": " %", "hours": " h"}.get(m["unit"], "")
        shown = "—" if value is None else f"{value}{unit}"
        first_name, second = (m["name_en"], m["name"]) if english else (m["name"], m["name_en"])
        lines.append(f"  {pad(first_name, 16)} {pad(second, 30)} {shown:>10}")
    return "\n".join(lines)


def scope_csv(conn: psycopg.Connection, first: date, last: date, scope: str, within: str | None, out: Path) -> int:
    """Every measure per member of `scope` of the days first … last (inclusive) to a CSV file
    Excel opens (UTF-8 with BOM); header cells in Chinese and English. Returns the rows written."""
    import csv

    from .store import measures

    start, end = _report_period(conn, first, last)
    within_id = None
    if within:
        table, what = _WITHIN.get(scope, ("", ""))
        if not table:
            raise CommandCenterError(f"--within does not apply to scope {scope}")
        within_id = _named(conn, table, within, what)
    rows = measures.kpi_by(conn, start, end, scope, within_id)
    named = [m for m in measures.measures(conn) if m["code"] != "score"]
    head = [("id", "编号", "ID"), ("name", "名称", "Name"), ("name_en", "英文名", "Name (English)"),
            ("parent_id", "上级编号", "Parent ID")]
    head += [(m["code"], m["name"], m["name_en"]) for m in named]
    head += [("score", "综合得分", "Score"), ("rank", "排名", "Rank")]
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"{zh} {en}" for _, zh, en in head])
        for r in rows:
            w.writerow(["" if r.get(code) is None else r[code] for code, _, _ in head])
    return len(rows)


def _demo(args: argparse.Namespace, db: Database) -> int:
    from .demo.seed import seed_demo
    from .store import migrate

    if args.demo_command == "accounts":
        from .demo.accounts import DEMO_ACCOUNTS
        from .termtext import pad
        print("demo console accounts (demo data only; sign in with these in the hall):")
        for a in DEMO_ACCOUNTS:
            print(f"  {pad(a.login, 16)} {pad(a.password, 28)} {pad(a.role, 11)} {pad(a.street or '区级 district', 14)} "
                  f"{a.display_name} / {a.display_name_en}")
        return 0
    migrate.upgrade(db)
    if args.demo_command == "base":
        from .demo.base import BaseRefused, build_base
        with db.connect() as conn:
            try:
                build_base(conn, seed=args.seed, scale=args.scale, progress=print)
            except BaseRefused as exc:
                raise CommandCenterError(str(exc)) from exc
        return 0
    if args.demo_command == "directory":
        from .demo.services import build_directory, build_places
        with db.connect() as conn:
            if conn.execute("SELECT EXISTS (SELECT 1 FROM cc.grid)").fetchone() != (True,):
                raise CommandCenterError("this database has no district yet: start the hall once, or run "
                                         "commandcenter demo seed")
            made = build_directory(conn, args.seed)
            print(f"service directory: {made} providers written" if made else
                  "service directory: already there, nothing written")
            has_base, has_places = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM cc.building), EXISTS (SELECT 1 FROM cc.place)").fetchone() or (0, 0)
            if has_base and not has_places:
                places, organisations = build_places(conn, args.seed)
                print(f"grid information base: {places:,} places, {organisations:,} organisations written")
            conn.commit()
        return 0
    with db.connect() as conn:
        result = seed_demo(conn, args.district, seed=args.seed, cases=args.cases, days=args.days,
                           communities=args.communities, grids=args.grids, progress=print,
                           base_scale=args.base_scale, connect=db.connect)
    print(f"seeded {result.district}: {result.streets} streets, {result.communities} communities, "
          f"{result.grids} grids, {result.persons} people, {result.cases} cases "
          f"({result.actions} workflow actions) in {result.seconds:.1f} s")
    return 0


def _bench(args: argparse.Namespace, db: Database) -> int:
    if args.name == "realtime":
        from .bench import realtime
        result = realtime.run(db, duration=args.duration, rate=args.rate, consoles=args.consoles)
    elif args.name == "board":
        from .bench import board
        result = board.run(db)
    elif args.name == "map":
        from .bench import mapbench
        result = mapbench.run()
    elif args.name == "report":
        from .bench.report import run as run_report
        result = run_report(db, city_cases=args.city_cases)
    elif args.name == "base":
        from .bench import basebench
        if args.base_district not in basebench.DISTRICTS:
            raise CommandCenterError(f"no demo for district {args.base_district!r}; choose one of: "
                                     f"{', '.join(basebench.DISTRICTS)}")
        result = basebench.run(db, district=args.base_district, scale=args.base_scale)
    else:
        from .bench import memory
        result = memory.run()
    return _bench_done(result, args.json)


def _bench_done(result: BenchResult, as_json: bool) -> int:
    result.print(as_json)
    return 0 if result.met else 1


def _simulate(args: argparse.Namespace, db: Database) -> int:
    from .sim.simulator import Simulator

    if args.rate <= 0 or args.rate > 2000:
        raise CommandCenterError(f"--rate {args.rate} is outside (0, 2000] actions per second")
    with db.connect() as conn:
        if args.district:
            have = [r[0] for r in conn.execute("SELECT name FROM cc.district")]
            if args.district not in have:
                raise CommandCenterError(f"the database holds {', '.join(have) or 'no district'}, not {args.district}")
            conn.commit()
        sim = Simulator(conn, args.seed)
        shape = "" if args.flat else (f" averaged over a day; at this hour ×{sim.hourly_factor():.2f} = "
                                      f"{args.rate * sim.hourly_factor():.1f}/s (--flat for exactly {args.rate:g}/s)")
        print(f"simulating {args.rate:g} actions/s{shape}" + (f" for {args.duration:g} s" if args.duration else
                                                               " (Ctrl+C stops)"), flush=True)
        stats = sim.run(args.rate, args.duration, day_pattern=not args.flat,
                        progress=lambda s: print(f"  {s.actions} actions ({s.reports} reports, {s.refused} refused), "
                                                 f"{s.rate():.1f}/s", flush=True))
    print(f"done: {stats.actions} actions, {stats.reports} reports, {stats.refused} refused; "
          + ", ".join(f"{k} {v}" for k, v in sorted(stats.by_action.items())))
    return 0


def _hall(args: argparse.Namespace, db: Database, history: BackgroundHistory | None = None) -> int:
    from .launch.sign_in import hall_sign_in
    from .ui.app import run_hall

    watchdog = db.embedded.watch() if db.embedded is not None else None   # restarts a crashed server
    sim = None
    if args.simulate:
        import threading

        from .sim.simulator import BackgroundSimulator
        sim = BackgroundSimulator(db.dsn, args.simulate)
        if history is None:
            sim.start()
        else:                 # a first start: live traffic once the demo district exists and is whole
            def start_when_built() -> None:
                history.done.wait()
                if history.error is None:
                    sim.start()
            threading.Thread(target=start_when_built, name="cc-simulate-after-demo", daemon=True).start()
    try:
        return run_hall(db.dsn, args.lang, ready_exit=args.ready_exit, sign_in=hall_sign_in(db, history),
                        history=history)
    finally:
        if history is not None:
            history.stop()          # before the server stops under it
        _keep_spellings()
        if sim is not None:
            sim.stop()
        if watchdog is not None:
            watchdog.set()
