"""Live field traffic: grid workers' patrol reports, hotline calls, and the centre and the
departments moving cases along the closed loop — through the SQL functions, so every rule
holds. The next action is read from the database's current state, not from a script: the
simulator runs beside real operators and takes the refusals their actions cause in stride.
No Qt."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import psycopg
from shapely.geometry import shape

from ..demo.geometry import random_points_in
from ..demo.history import HOURLY, ITEM_WEIGHTS, NOTES, SOURCES, SOURCES_ZH, URGENCIES
from ..domain.pictures import scene_picture
from ..store.commands import Workflow
from ..store.errors import ActionRefused
from ..store.rows import scalar

log = logging.getLogger(__name__)

# How a centre and its departments choose among the actions a state allows (cc.state_action)
# on an ordinary day: relative weights; an action not named here is not taken (redispatch,
# attach: photos come with patrol reports, see _photos). The table decides what is possible, these only what is usual.
ACTION_WEIGHTS = {"file": 95, "reject": 4, "cancel": 1, "dispatch": 97, "escalate": 4, "accept": 88,
                  "return": 7, "urge": 7, "feedback": 86, "verify_pass": 88, "verify_fail": 12, "evaluate": 100}
# How much of the traffic each state gets (reports come on top, see report_share).
STATE_WEIGHTS = {"reported": 20, "filed": 18, "returned": 3, "dispatched": 17, "in_progress": 20,
                 "rework": 3, "handled": 15, "closed": 8}


@dataclass
class SimStats:
    actions: int = 0
    reports: int = 0
    refused: int = 0
    by_action: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def rate(self) -> float:
        return self.actions / max(time.monotonic() - self.started, 1e-9)


class Simulator:
    """One connection; `step()` performs one action and returns its name (None if refused)."""

    def __init__(self, conn: psycopg.Connection, seed: int | None = None, report_share: float = 0.28,
                 on_commit: Callable[[str, int, int], None] | None = None, photo_share: float = 0.3) -> None:
        self.conn = conn
        self.wf = Workflow(conn)
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.report_share = report_share
        self.photo_share = photo_share          # patrol reports that carry a far and a near photo
        self.on_commit = on_commit or (lambda action, case_id, version: None)
        self.stats = SimStats()
        self.tz = ZoneInfo(scalar(conn, "SELECT cc.local_tz()"))
        self.items = [r for r in conn.execute(
            "SELECT code, name FROM cc.category WHERE level = 3 ORDER BY code").fetchall()]
        self.item_weights = [ITEM_WEIGHTS.get(code, 1.0) for code, _ in self.items]
        grids = conn.execute("SELECT id, name, outline FROM cc.grid ORDER BY id").fetchall()
        self.grids = [(g[0], g[1], shape(g[2])) for g in grids]
        self.next_actions: dict[str, tuple[list[str], list[int]]] = {}
        for state, action in conn.execute("SELECT from_state, action FROM cc.state_action ORDER BY from_state, action"):
            if ACTION_WEIGHTS.get(action):
                names, weights = self.next_actions.setdefault(state, ([], []))
                names.append(action)
                weights.append(ACTION_WEIGHTS[action])
        self.patrollers: dict[int, int] = dict(conn.execute(
            "SELECT grid_id, min(person_id) FROM cc.grid_assignment WHERE role_code = 'grid_manager' GROUP BY grid_id"))
        conn.commit()
        self._points: dict[int, list[tuple[float, float]]] = {}
        if not self.grids or not self.items:
            raise ValueError("the database holds no district: run `commandcenter demo seed` first")

    # ------------------------------------------------------------ one action
    def step(self) -> str | None:
        if self.rng.random() < self.report_share:
            return self._report()
        states = [s for s in STATE_WEIGHTS if s in self.next_actions]
        state = self.rng.choices(states, weights=[STATE_WEIGHTS[s] for s in states])[0]
        row = self._oldest_in(state)
        if row is None:
            return self._report()       # nothing waiting in that state: the field reports instead
        case_id, version, assignee_unit = row
        actions, weights = self.next_actions[state]
        action = self.rng.choices(actions, weights=weights)[0]
        try:
            new_version = self._act(action, case_id, version, assignee_unit)
        except ActionRefused as exc:     # someone else moved it first: normal on a live floor
            self.stats.refused += 1
            log.debug("simulator: %s on %s refused: %s", action, case_id, exc)
            return None
        self._count(action)
        self.on_commit(action, case_id, new_version)
        return action

    def _count(self, action: str) -> None:
        self.stats.actions += 1
        self.stats.by_action[action] = self.stats.by_action.get(action, 0) + 1

    def _oldest_in(self, state: str) -> tuple[int, int, int | None] | None:
        """One of the cases waiting longest in a state (work is done oldest first, roughly)."""
        extra = "AND satisfaction IS NULL AND closed_at > now() - interval '3 days'" if state == "closed" else ""
        rows = self.conn.execute(
            f'SELECT id, version, assignee_unit_id FROM cc."case" WHERE state = %s {extra} '
            f"ORDER BY updated_at LIMIT 12", (state,)).fetchall()
        self.conn.commit()
        return self.rng.choice(rows) if rows else None

    def _act(self, action: str, case_id: int, version: int, assignee_unit: int | None) -> int:
        """What the field and the centre decide (whom to dispatch to, a rating); the call
        itself is Workflow.perform, the same path the hall takes."""
        params: dict[str, Any] = {"note": NOTES.get(action)}
        if action == "dispatch":
            options = self.conn.execute("SELECT kind, id, recommended FROM cc.dispatch_options(%s)", (case_id,)).fetchall()
            self.conn.commit()
            # the recommended one (cc._recommended); the first other unit if none is
            pick = next((o for o in options if o[2]), None) or next(
                (o for o in options if o[0] == "unit" and o[1] != assignee_unit), None)
            if pick is None:
                raise ActionRefused("CC009", "no assignee to dispatch to", None)
            params["person_id" if pick[0] == "person" else "unit_id"] = pick[1]
        elif action == "return" and assignee_unit is None:
            action = "accept"              # grid staff do not return; they get on with it
        elif action == "evaluate":
            params["satisfaction"] = self.rng.choices([5, 4, 3, 2, 1], [55, 28, 10, 5, 2])[0]
        return self.wf.perform(action, case_id, version, params)

    def _point(self, grid_index: int) -> tuple[float, float]:
        gid, _name, geom = self.grids[grid_index]
        pool = self._points.get(gid)
        if not pool:
            pool = [tuple(p) for p in random_points_in(geom, 40, self.np_rng)]
            self._points[gid] = pool
        return pool.pop()

    def _report(self) -> str | None:
        gi = self.rng.randrange(len(self.grids))
        gid, gname, _geom = self.grids[gi]
        lon, lat = self._point(gi)
        code, name = self.rng.choices(self.items, weights=self.item_weights)[0]
        source = self.rng.choices([s for s, _ in SOURCES], weights=[w for _, w in SOURCES])[0]
        urgency = self.rng.choices([u for u, _ in URGENCIES], weights=[w for _, w in URGENCIES])[0]
        hotline = source == "hotline"
        try:
            case_id = self.wf.report(
                source, code, f"{name}（{gname}）", lon, lat,
                description=f"{SOURCES_ZH[source]}反映：{gname}附近{name}，请核实处置。", address=gname,
                urgency=urgency, grid_id=gid,
                reporter_person_id=self.patrollers.get(gid) if source == "patrol" else None,
                reporter_name="居民" if hotline else None,
                reporter_phone=f"010-6{self.rng.randrange(10**6, 10**7)}" if hotline else None)
        except ActionRefused as exc:
            # a point drawn a hair inside the grid's outline as read here can fall on its edge
            # in the database's own test: refused like any report a field worker gets wrong
            self.stats.refused += 1
            log.debug("simulator: report in grid %s refused: %s", gid, exc)
            return None
        self.stats.reports += 1
        self._count("report")
        self.on_commit("report", case_id, 1)
        if source == "patrol" and self.rng.random() < self.photo_share:
            self._photos(case_id)
        return "report"

    def _photos(self, case_id: int) -> None:
        """The worker's terminal sends a far and a near view of the scene, before handling,
        each with its thumbnail: generated pictures (domain/pictures.py), the real path."""
        seed = self.rng.randrange(1 << 30)
        for view in ("far", "near"):
            pic = scene_picture(seed, view, "before")
            try:
                self.wf.add_attachment(case_id, pic.filename, pic.content, view=pic.view, stage=pic.stage,
                                       thumbnail=pic.thumbnail)
            except ActionRefused as exc:       # the day's photo allowance used up: reports go on
                self.stats.refused += 1
                log.debug("simulator: photo on %s refused: %s", case_id, exc)
                return
            self._count("attach")

    # ------------------------------------------------------------ paced loop
    def hourly_factor(self, now: datetime | None = None) -> float:
        hour = (now or datetime.now(self.tz)).astimezone(self.tz).hour
        return float(HOURLY[hour] / HOURLY.mean())

    def run(self, rate: float, duration: float | None = None, stop: threading.Event | None = None,
            day_pattern: bool = True, progress: Callable[[SimStats], None] | None = None) -> SimStats:
        """Act `rate` times a second on average (shaped by the hour of day unless flat) until
        `duration` seconds pass or `stop` is set. Pacing is by schedule, not by sleeping a
        fixed gap, so slow calls do not lower the rate."""
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        stop = stop or threading.Event()
        start = time.monotonic()
        due = start
        last_report = start
        while not stop.is_set():
            now = time.monotonic()
            if duration is not None and now - start >= duration:
                break
            if now < due:
                stop.wait(due - now)
                continue
            self.step()
            r = rate * (self.hourly_factor() if day_pattern else 1.0)
            due += self.rng.expovariate(r) if day_pattern else 1.0 / r
            if due < now - 1.0:
                due = now           # fell behind by more than a second: do not burst to catch up
            if progress is not None and now - last_report >= 5:
                progress(self.stats)
                last_report = now
        return self.stats


class BackgroundSimulator:
    """The simulator on its own thread and connection (`commandcenter --simulate`)."""

    def __init__(self, dsn: str, rate: float, seed: int | None = None) -> None:
        self.dsn = dsn
        self.rate = rate
        self.seed = seed
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="cc-simulator", daemon=True)
        self.error: Exception | None = None

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread.ident is not None:      # never started (a first start left before its demo was whole)
            self.thread.join(timeout=5)

    def _run(self) -> None:
        while not self.stop_event.is_set():
            try:
                with psycopg.connect(self.dsn, connect_timeout=5) as conn:
                    Simulator(conn, self.seed).run(self.rate, stop=self.stop_event)
            except psycopg.OperationalError as exc:     # the database went away: wait, go on
                self.error = exc
                log.warning("simulator lost the database: %s", str(exc).strip().splitlines()[0])
                self.stop_event.wait(3)
