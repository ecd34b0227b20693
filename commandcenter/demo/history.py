"""Ninety days of case history, played through the real workflow functions.

A discrete-event simulation: every case is a small script of steps (report, file, dispatch,
accept, feedback, verify, evaluate, with rejections, returns, escalations, urges, rework,
cancellations and the grid micro-loop). Steps of all cases run in time order, each as a call
of the cc.* function with the transaction clock set to the step's time, so the history obeys
every rule those functions enforce, deadlines included. Steps later than the end of the
window do not happen: recent cases are still open, as in a live district.
"""

from __future__ import annotations

import copy
import heapq
import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import psycopg

from .geometry import random_points_in
from .territory import Territory

log = logging.getLogger(__name__)

# How often each item comes up, relative to 1 (demo frequencies, not rules).
ITEM_WEIGHTS = {
    "010201": 9, "010301": 7, "010503": 7, "010501": 5, "010203": 5, "010502": 5, "010504": 4,
    "010101": 3, "010102": 3, "010202": 3, "010103": 2, "010205": 2, "010402": 2, "010403": 2,
    "030102": 4, "030101": 3, "030106": 2, "030104": 2, "020501": 3, "020101": 2, "020201": 2,
    "020401": 2, "020402": 2, "010601": 0.6, "010602": 0.3, "010603": 0.2, "010604": 0.5,
}
SOURCES = (("patrol", 0.55), ("hotline", 0.25), ("camera", 0.08), ("department", 0.07), ("walk_in", 0.05))
URGENCIES = (("normal", 0.86), ("urgent", 0.11), ("critical", 0.03))
# Reports per hour of day (relative).
HOURLY = np.array([0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 1.5, 2.6, 3.2, 3.0, 2.6,
                   1.8, 2.2, 2.8, 3.0, 2.8, 2.2, 1.5, 1.2, 1.0, 0.8, 0.5, 0.3])


@dataclass
class Item:
    id: int
    code: str
    name: str
    handler_role: str | None
    handler_department: str | None


@dataclass
class CaseScript:
    """One case's fate, decided up front from the random stream."""

    idx: int
    at: datetime
    grid_id: int
    street_id: int
    lon: float
    lat: float
    item: Item
    source: str
    urgency: str
    reporter: int | None
    micro_loop: bool
    reject: bool
    cancel: bool
    escalate: bool
    return_first: bool
    stop_at: str | None      # a case left hanging in this state (overdue by now)
    late: bool
    rework: bool
    evaluate: bool
    satisfaction: int
    rng: np.random.Generator = field(repr=False)   # this case's own stream: its fate is the same in any lane
    case_id: int | None = None
    version: int = 0
    escalated: bool = False
    big_loop: bool = False   # dispatched to a district-level unit: the tier is district already
    returned: bool = False
    reworked: bool = False
    # the watch (migration 0007): more time asked when late, holds and supervision of stuck cases
    extend: bool = False
    hold: bool = False
    supervise: bool = False


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    script: CaseScript = field(compare=False)
    action: str = field(compare=False)


class HistoryPlayer:
    def __init__(self, conn: psycopg.Connection, territory: Territory, rng: np.random.Generator,
                 start: datetime, end: datetime) -> None:
        self.conn = conn
        self.t = territory
        self.rng = rng
        self.start = start
        self.end = end
        self.queue: list[_Step] = []
        self.seq = 0
        self.actions = 0
        self.halt = threading.Event()          # set: every lane stops before its next step (shared by the lanes' copies)
        self.items = [Item(*row) for row in conn.execute(
            "SELECT id, code, name, handler_role, handler_department FROM cc.category WHERE level = 3 ORDER BY id")]
        self.staff = {(g, r): p for g, r, p in territory.assignments}   # who patrols (reports) in a grid
        # What each action leaves a case in, from cc.state_action (actions that keep the state,
        # like urge, have no entry): a case told to stop in a state stops once it gets there.
        self.state_after = dict(conn.execute(
            "SELECT action, min(to_state) FROM cc.state_action WHERE to_state <> from_state "
            "GROUP BY action HAVING count(DISTINCT to_state) = 1"))
        self.open_states = [r[0] for r in conn.execute("SELECT code FROM cc.case_state WHERE is_open ORDER BY sort")]
        # a report enters the one open state that no action leads to
        (entry,), = conn.execute("SELECT code FROM cc.case_state WHERE is_open AND code NOT IN "
                                 "(SELECT to_state FROM cc.state_action WHERE to_state <> from_state)").fetchall()
        self.state_after["report"] = entry
        self._state_after: dict[int, str | None] = {}
        self.pace: _Pace | None = None      # set on each lane of a parallel play
        self.lane = 0

    # ------------------------------------------------------------ planning
    def plan(self, n_cases: int) -> list[CaseScript]:
        rng = self.rng
        weights = np.array([ITEM_WEIGHTS.get(i.code, 1.0) for i in self.items])
        items = rng.choice(len(self.items), size=n_cases, p=weights / weights.sum())
        pops = np.array([g.population for g in self.t.grids], dtype=float)
        grids = rng.choice(len(self.t.grids), size=n_cases, p=pops / pops.sum())
        times = self._report_times(n_cases)
        points: dict[int, np.ndarray] = {}
        for gi in np.unique(grids):
            grid = self.t.grids[int(gi)]
            inner = grid.shape_m.buffer(-3)
            area = inner if not inner.is_empty else grid.shape_m
            xy = random_points_in(area, int((grids == gi).sum()), rng)
            points[int(gi)] = self.t.projection.points_to_lonlat(xy)
        used: dict[int, int] = {}
        src_names, src_p = [n for n, _ in SOURCES], [p for _, p in SOURCES]
        urg_names, urg_p = [n for n, _ in URGENCIES], [p for _, p in URGENCIES]
        scripts = []
        streams = rng.spawn(n_cases)
        for k in range(n_cases):
            gi = int(grids[k])
            grid = self.t.grids[gi]
            j = used.get(gi, 0)
            used[gi] = j + 1
            lon, lat = points[gi][j]
            item = self.items[int(items[k])]
            source = str(rng.choice(src_names, p=src_p))
            reporter = None
            if source == "patrol":
                reporter = self.staff.get((grid.id, "grid_manager")) or self.staff.get((grid.id, "grid_assistant"))
            urgency = str(rng.choice(urg_names, p=urg_p))
            micro = source == "patrol" and item.handler_role is not None and rng.random() < 0.5
            r = rng.random(10)
            # Stuck cases are mostly recent (old ones got resolved eventually), with a thin
            # tail of long-overdue ones: the backlog a real hall carries.
            age_days = (self.end - times[k]).total_seconds() / 86400
            p_stuck = 0.002 + 0.06 * math.exp(-age_days / 3)
            stop_at = str(rng.choice(self.open_states)) if r[4] < p_stuck and not micro else None
            if stop_at is None and not micro and r[9] > 0.988:
                stop_at = "in_progress"          # a long-term problem: taken on, then put on hold
            scripts.append(CaseScript(
                idx=k, at=times[k], grid_id=grid.id, street_id=grid.street_id, lon=float(lon), lat=float(lat),
                item=item, source=source, urgency=urgency, reporter=reporter, micro_loop=micro,
                reject=r[0] < 0.04 and stop_at is None, cancel=r[1] < 0.01 and stop_at is None,
                escalate=r[2] < 0.04, return_first=r[3] < 0.06 or stop_at == "returned",
                stop_at=stop_at, late=r[5] < 0.14, rework=r[6] < 0.09 or stop_at == "rework", evaluate=r[7] < 0.75,
                satisfaction=int(rng.choice([5, 4, 3, 2, 1], p=[0.55, 0.28, 0.1, 0.05, 0.02])), rng=streams[k],
                extend=r[8] < 0.35, hold=stop_at in HOLDABLE and (r[9] < 0.4 or r[9] > 0.988),
                supervise=r[8] > 0.8 or (stop_at in HOLDABLE and 0.6 < r[9] <= 0.988)))
        return scripts

    def _report_times(self, n: int) -> list[datetime]:
        days = (self.end - self.start).days
        rng = self.rng
        day_w = np.array([0.7 if (self.start + timedelta(days=d)).weekday() >= 5 else 1.0 for d in range(days)])
        day = rng.choice(days, size=n, p=day_w / day_w.sum())
        hour = rng.choice(24, size=n, p=HOURLY / HOURLY.sum())
        minute = rng.uniform(0, 60, size=n)
        out = [self.start + timedelta(days=int(d), hours=int(h), minutes=float(m))
               for d, h, m in zip(day, hour, minute)]
        return sorted(t for t in out if t < self.end)

    # ------------------------------------------------------------ playing
    def play(self, scripts: list[CaseScript], progress: Callable[[int, int], None] | None = None,
             connect: Callable[[], psycopg.Connection] | None = None, lanes: int = 1) -> int:
        """Play every script to the end of the window; returns the number of actions.

        With `connect` and more than one lane the cases are shared out among `lanes`
        connections, each playing its cases in time order, each step its own transaction
        committed by the server as the statement ends (the event counter's row lock is held to
        the end of a transaction: a longer one, or a commit a round trip later, makes the other
        lanes wait). The lanes keep within `LANE_SLACK` of each other's clock, so the
        event ids still follow the history's time. A case's fate comes from its own random
        stream, so the history is the same in one lane or many; only the ids differ."""
        if lanes < 2 or connect is None or len(scripts) < lanes:
            return self._play_lane(scripts, progress, COMMIT_EVERY)
        pace = _Pace(lanes, progress, self.start.timestamp(), self.end.timestamp())
        players = [copy.copy(self) for _ in range(lanes)]
        failures: list[BaseException] = []

        def run(k: int) -> None:
            player = players[k]
            player.queue, player.seq, player.actions = [], 0, 0
            player.pace, player.lane = pace, k
            try:
                with connect() as conn:
                    conn.autocommit = True
                    player.conn = conn
                    player._play_lane(scripts[k::lanes], None, None)
            except _LaneStopped:
                pass
            except BaseException as exc:  # noqa: BLE001 - raised again on the caller's thread
                failures.append(exc)
                pace.stop()

        threads = [threading.Thread(target=run, args=(k,), name=f"cc-history-lane-{k}", daemon=True)
                   for k in range(lanes)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if failures:
            raise failures[0]
        played = sum(p.actions for p in players)
        self.actions += played
        return played

    def _play_lane(self, scripts: list[CaseScript], progress: Callable[[int, int], None] | None,
                   commit_every: int | None) -> int:
        """Play these scripts on self.conn, committing every `commit_every` steps (None: the
        connection is in autocommit, every step commits as its statement ends)."""
        for s in scripts:
            self._push(s.at, s, "report_solved" if s.micro_loop else "report")
        done = 0
        # Short transactions: the event counter row is updated once per event, and a long
        # transaction makes every update walk a longer chain of its own row versions.
        # The history can be replayed, so its commits need not wait for the disk.
        self.conn.execute("SET synchronous_commit = off")
        with self.conn.cursor() as cur:
            while self.queue:
                if self.halt.is_set():
                    raise HistoryStopped(f"the demo history was stopped with {len(self.queue)} cases to play")
                if self.pace is not None:
                    self.pace.wait_turn(self.lane, self.queue[0].at.timestamp())
                step = heapq.heappop(self.queue)
                self._run(cur, step)
                done += 1
                if commit_every is not None and done % commit_every == 0:
                    self.conn.commit()
                if self.pace is not None:
                    self.pace.played(self.lane, done, len(self.queue))
                elif progress and done % PROGRESS_EVERY == 0:
                    clock = self.queue[0].at.timestamp() if self.queue else math.inf
                    progress(done, left_estimate(done, len(self.queue), clock, self.start.timestamp(),
                                                 self.end.timestamp()))
        self.conn.execute("RESET synchronous_commit")
        self.conn.commit()
        if self.pace is not None:
            self.pace.finish(self.lane)
        return done

    def _push(self, at: datetime, s: CaseScript, action: str) -> None:
        if s.stop_at is not None and s.stop_at == self._state_after.get(s.idx) and action not in WATCH_STEPS:
            return
        if at < self.end:
            self.seq += 1
            heapq.heappush(self.queue, _Step(at, self.seq, s, action))

    def _minutes(self, s: CaseScript, lo: float, hi: float) -> timedelta:
        return timedelta(minutes=float(s.rng.uniform(lo, hi)))

    def _call(self, cur: psycopg.Cursor, at: datetime, sql: str, params: tuple[Any, ...]) -> int:
        """One workflow function at the step's time: its integer result (a case id or version)."""
        cur.execute(f"SELECT {sql} FROM (SELECT set_config('cc.clock', %s::text, true)) AS clock",
                    (*params, at.isoformat()))
        row = cur.fetchone()
        assert row is not None
        self.actions += 1
        return int(row[0])

    def _call3(self, cur: psycopg.Cursor, at: datetime, select: str, select_params: tuple[Any, ...],
               rest: str = "", rest_params: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """A whole statement at the step's time, in one round trip: `SELECT select FROM clock
        rest`. The clock is a FROM item, so it is set before the select list runs."""
        cur.execute(f"SELECT {select} FROM (SELECT set_config('cc.clock', %s::text, true)) AS clock{rest}",
                    (*select_params, at.isoformat(), *rest_params))
        row = cur.fetchone()
        assert row is not None
        self.actions += 1
        return tuple(row)

    def _run(self, cur: psycopg.Cursor, step: _Step) -> None:
        self._state_after[step.script.idx] = self.state_after.get(step.action)
        self._step(cur, step)

    def _dispatch(self, cur: psycopg.Cursor, at: datetime, s: CaseScript) -> tuple[str, bool]:
        """Dispatch to the assignee the database recommends (cc._recommended, the ★ of the
        hall's dialog); returns (kind, whether it is a district-level unit)."""
        version, kind, district = self._call3(
            cur, at, "cc.dispatch(c.id, %s, CASE WHEN r.kind = 'unit' THEN r.id END, "
                     "CASE WHEN r.kind = 'person' THEN r.id END), r.kind, "
                     "r.kind = 'unit' AND (SELECT u.street_id IS NULL FROM cc.unit u WHERE u.id = r.id)",
            (s.version,), ", cc.\"case\" c, cc._recommended(c) r WHERE c.id = %s", (s.case_id,))
        s.version = int(version)
        return str(kind), bool(district)

    def _step(self, cur: psycopg.Cursor, step: _Step) -> None:
        """One step of a case's script: the call, then the script's next step."""
        handler = getattr(self, "_on_" + step.action, None)
        if handler is None:  # pragma: no cover - a script bug, not user input
            raise AssertionError(f"unknown step {step.action}")
        handler(cur, step.script, step.at)

    def _on_report(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        self._report(cur, s, at, solved=False)

    def _on_report_solved(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        self._report(cur, s, at, solved=True)

    def _report(self, cur: psycopg.Cursor, s: CaseScript, at: datetime, solved: bool) -> None:
        place = f"{self.t.grids[s.grid_id - 1].name}"
        s.case_id = self._call(cur, at, "cc.report(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", (
            s.source, s.item.code, f"{s.item.name}（{place}）", s.lon, s.lat,
            f"{SOURCES_ZH[s.source]}反映：{place}附近{s.item.name}，请核实处置。", place, s.urgency,
            s.grid_id, s.reporter,
            "居民" if s.source == "hotline" else None,
            "010-6" + str(1000000 + s.idx % 9000000)[-7:] if s.source == "hotline" else None,
            solved))
        s.version = 1
        if solved:
            self._push(at + self._minutes(s, 20, 120), s, "verify_pass")
        elif s.cancel:
            self._push(at + self._minutes(s, 10, 90), s, "cancel")
        elif s.reject:
            self._push(at + self._minutes(s, 5, 50), s, "reject")
        else:
            self._push(at + self._minutes(s, 3, 45 if not s.late else 150), s, "file")

    def _on_file(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.file(%s, %s)", (s.case_id, s.version))
        self._push(at + self._minutes(s, 3, 40), s, "dispatch")

    def _on_reject(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.reject(%s, %s, %s)", (s.case_id, s.version, NOTES["reject"]))

    def _on_cancel(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.cancel(%s, %s, %s)", (s.case_id, s.version, NOTES["cancel"]))

    def _on_dispatch(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        kind, district_unit = self._dispatch(cur, at, s)
        s.big_loop = s.big_loop or district_unit
        if s.stop_at == "dispatched":
            self._watch_stuck(s, at)
            return
        if s.return_first and not s.returned and kind == "unit" and not s.escalated:
            self._push(at + self._minutes(s, 15, 90), s, "return")
        else:
            self._push(at + self._minutes(s, 5, 90), s, "accept")

    def _on_return(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.return_case(%s, %s, %s)", (s.case_id, s.version, NOTES["return"]))
        s.returned = True
        self._push(at + self._minutes(s, 10, 60), s, "dispatch")

    def _on_accept(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        # the handling deadline (set by the dispatch, unchanged by accept) in the same round trip
        version, deadline = self._call3(cur, at, "cc.accept(%s, %s), (SELECT handle_deadline FROM cc.\"case\" "
                                                 "WHERE id = %s)", (s.case_id, s.version, s.case_id))
        s.version = int(version)
        if s.escalate and not s.escalated and not s.big_loop:
            self._push(at + self._minutes(s, 30, 240), s, "escalate")
            return
        if s.stop_at == "in_progress":
            self._watch_stuck(s, at)
            return
        span = max(deadline - at, timedelta(minutes=20))
        frac = s.rng.uniform(1.05, 1.8) if s.late else s.rng.uniform(0.1, 0.9)
        when = at + span * frac
        if s.late and s.extend:
            # asked before the deadline, decided before the work is done: a late case made on time
            ask = at + span * s.rng.uniform(0.5, 0.9)
            self._push(ask, s, "request_extension")
            self._push(ask + (when - ask) * s.rng.uniform(0.2, 0.6), s,
                       "approve_extension" if s.rng.random() < 0.8 else "refuse_extension")
        elif when > deadline:
            self._push(deadline + (when - deadline) * s.rng.uniform(0.2, 0.8), s, "urge")
            if s.supervise:
                placed = deadline + (when - deadline) * s.rng.uniform(0.1, 0.4)
                self._push(placed, s, "supervise")
                self._push(placed + (when - placed) * s.rng.uniform(0.3, 0.9), s, "reply_supervision")
        self._push(when, s, "feedback")

    def _watch_stuck(self, s: CaseScript, at: datetime) -> None:
        """A case left hanging: some are put on hold (a few taken up again), some supervised."""
        if s.hold:
            held = at + self._minutes(s, 60, 2880)
            self._push(held, s, "suspend")
            if s.rng.random() < 0.3:
                self._push(held + timedelta(days=float(s.rng.uniform(1, 10))), s, "resume")
        elif s.supervise:
            placed = at + self._minutes(s, 120, 4320)
            self._push(placed, s, "supervise")
            if s.rng.random() < 0.5:
                self._push(placed + self._minutes(s, 60, 1440), s, "reply_supervision")

    def _watch(self, cur: psycopg.Cursor, s: CaseScript, at: datetime, action: str, call: str,
               params: tuple[Any, ...] = ()) -> None:
        """A watch step, taken only if the database still allows it then (the case may have
        moved on meanwhile): `call` is the function with the case's id and version first."""
        cur.execute(f"SELECT {call} FROM (SELECT set_config('cc.clock', %s::text, true)) AS clock, "
                    "cc.\"case\" c WHERE c.id = %s AND cc._why_not(%s, c) IS NULL AND EXISTS "
                    "(SELECT 1 FROM cc.state_action sa WHERE sa.from_state = c.state AND sa.action = %s)",
                    (*params, at.isoformat(), s.case_id, action, action))
        row = cur.fetchone()
        self.actions += 1
        if row is not None:
            s.version = int(row[0])

    def _on_request_extension(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        self._watch(cur, s, at, "request_extension",
                    "cc.request_extension(c.id, c.version, greatest(c.handle_deadline, cc.clock()) + %s::interval, %s)",
                    (f"{int(s.rng.integers(1, 4))} days", NOTES["extension"]))

    def _on_approve_extension(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        # as a supervisor would: the time asked for, or a day from now if that has passed meanwhile
        self._watch(cur, s, at, "approve_extension",
                    "cc.decide_extension(c.id, c.version, true, greatest((SELECT x.requested_deadline "
                    "FROM cc.extension x WHERE x.case_id = c.id AND x.approved IS NULL), "
                    "cc.clock() + interval '1 day'))")

    def _on_refuse_extension(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        self._watch(cur, s, at, "refuse_extension", "cc.decide_extension(c.id, c.version, false, NULL, %s)",
                    (NOTES["extension_refused"],))

    def _on_suspend(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        reason = str(s.rng.choice(["budget", "court", "seasonal", "planning"]))
        review = (at + timedelta(days=float(s.rng.uniform(-10, 60)))).date()
        self._watch(cur, s, at, "suspend", "cc.suspend(c.id, c.version, %s, %s, greatest(%s::date, "
                    "(cc.clock() AT TIME ZONE cc.local_tz())::date + 1))", (reason, NOTES["suspend_" + reason], review))

    def _on_resume(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        self._watch(cur, s, at, "resume", "cc.resume(c.id, c.version, %s)", (NOTES["resume"],))

    def _on_supervise(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        level = str(s.rng.choice(["street", "district", "leader"], p=[0.6, 0.3, 0.1]))
        self._watch(cur, s, at, "supervise", "cc.supervise(c.id, c.version, %s, %s::timestamptz + %s::interval, %s)",
                    (level, at.isoformat(), f"{int(s.rng.integers(4, 49))} hours", NOTES["supervise"]))

    def _on_reply_supervision(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        self._watch(cur, s, at, "reply_supervision", "cc.reply_supervision(c.id, c.version, %s)",
                    (NOTES["supervision_reply"],))

    def _on_urge(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.urge(%s, %s, %s)", (s.case_id, s.version, NOTES["urge_overdue"]))

    def _on_escalate(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.escalate(%s, %s, %s)", (s.case_id, s.version, NOTES["escalate"]))
        s.escalated = True
        self._push(at + self._minutes(s, 10, 60), s, "dispatch")

    def _on_feedback(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.feedback(%s, %s, %s)", (s.case_id, s.version, NOTES["feedback"]))
        self._push(at + self._minutes(s, 20, 180), s, "verify_fail" if s.rework and not s.reworked else "verify_pass")

    def _on_verify_fail(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.verify(%s, %s, false, %s)", (s.case_id, s.version, NOTES["verify_fail"]))
        s.reworked = True
        if s.stop_at == "rework":
            self._watch_stuck(s, at)
            return
        self._push(at + self._minutes(s, 60, 600), s, "feedback")

    def _on_verify_pass(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.verify(%s, %s, true, %s)", (s.case_id, s.version, NOTES["verify_pass"]))
        if s.evaluate:
            self._push(at + self._minutes(s, 60, 2880), s, "evaluate")
        if s.source == "hotline":       # the database made a callback task; the hall calls back
            self._push(at + self._minutes(s, 30, 1200), s, "callback")

    def _on_callback(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        reached = bool(s.rng.random() < 0.8)
        (outcome,) = self._call3(cur, at, "cc.record_callback(%s, %s, %s, %s)",
                                 (s.case_id, reached, s.satisfaction if reached else None, None))
        if outcome == "retry":
            self._push(at + self._minutes(s, 240, 400), s, "callback")

    def _on_evaluate(self, cur: psycopg.Cursor, s: CaseScript, at: datetime) -> None:
        s.version = self._call(cur, at, "cc.evaluate(%s, %s, %s)", (s.case_id, s.version, s.satisfaction))


COMMIT_EVERY = 200
#: steps between progress reports of a lane (the sign-in dialog's bar moves with them)
PROGRESS_EVERY = 250
#: How far (seconds of history) a lane may run ahead of the slowest other lane.
LANE_SLACK = 1800.0


def left_estimate(done: int, pending: int, clock: float, start: float, end: float) -> int:
    """How many actions are still to come, for a progress bar: the steps already queued are
    only the next step of each case, so the history's clock (where the slowest lane is, between
    the window's start and end) says how far it has come; never fewer than those queued."""
    if not start < clock < end or done <= 0:
        return pending
    gone = (clock - start) / (end - start)
    return max(pending, round(done * (1 - gone) / gone))


class HistoryStopped(Exception):
    """The history was asked to stop before its end (the hall closed while it played)."""


class _LaneStopped(Exception):
    """Another lane failed: this one stops where it is."""


class _Pace:
    """The lanes of a parallel play: each waits while it is more than LANE_SLACK ahead of the
    slowest other lane, so that ids follow the clock; progress is summed over the lanes."""

    def __init__(self, lanes: int, progress: Callable[[int, int], None] | None, start: float, end: float) -> None:
        self.start, self.end = start, end
        self.next = [-math.inf] * lanes        # each lane's next step time (inf: finished)
        self.done = [0] * lanes
        self.left = [0] * lanes
        self.progress = progress
        self.failed = False
        self.cond = threading.Condition()

    def wait_turn(self, lane: int, at: float) -> None:
        with self.cond:
            self.next[lane] = at
            self.cond.notify_all()
            while not self.failed and at > min(t for k, t in enumerate(self.next) if k != lane) + LANE_SLACK:
                self.cond.wait()
            if self.failed:
                raise _LaneStopped()

    def played(self, lane: int, done: int, left: int) -> None:
        self.done[lane], self.left[lane] = done, left
        if self.progress is not None and done % PROGRESS_EVERY == 0:
            with self.cond:
                self.progress(sum(self.done), left_estimate(sum(self.done), sum(self.left), min(self.next),
                                                            self.start, self.end))

    def finish(self, lane: int) -> None:
        with self.cond:
            self.next[lane] = math.inf
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.failed = True
            self.cond.notify_all()
# What the centre and the departments write with each action (demo text, both languages).
NOTES = {
    "reject": "不属于受理范围 out of scope", "cancel": "上报人撤回 withdrawn by the reporter",
    "return": "非本单位职责 not our jurisdiction", "feedback": "已处置完毕 handled",
    "verify_fail": "现场核查未处置到位 not done on site", "verify_pass": "核查属实 verified on site",
    "escalate": "街道无法解决，提请区级协调 beyond the street", "urge": "请尽快处理 please hurry",
    "urge_overdue": "已超期，请尽快处理 overdue, please hurry",
    "extension": "需协调产权单位，申请延期 the owner must be found first",
    "extension_refused": "理由不充分，请按期办结 not justified, finish in time",
    "suspend_budget": "需资金立项 needs funding", "suspend_court": "涉及诉讼，待法院判决 awaiting a court",
    "suspend_seasonal": "冬季无法施工 no works in winter", "suspend_planning": "待规划拆迁 awaits planning",
    "resume": "条件具备，恢复办理 conditions met, resumed",
    "supervise": "群众反映强烈，请限期答复 residents keep calling, reply by the deadline",
    "supervision_reply": "已制定整改方案，正在推进 a plan is in place",
}
# Watch steps may happen in the state a stuck case stopped in; only these states hold a case.
WATCH_STEPS = frozenset({"request_extension", "approve_extension", "refuse_extension", "suspend", "resume",
                         "supervise", "reply_supervision"})
HOLDABLE = ("dispatched", "in_progress", "rework")

SOURCES_ZH = {"patrol": "网格员巡查", "hotline": "市民来电", "camera": "视频监控",
              "department": "部门", "walk_in": "群众来访"}
