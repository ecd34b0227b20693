"""The workflow actions as Python calls: one method per cc.* function.

Each call is its own transaction. A refusal rolls back (nothing changed) and raises the
typed error from errors.py with the database's message and hint.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import psycopg

from .errors import from_psycopg


class Workflow:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def _call(self, function: str, *args: Any) -> Any:
        placeholders = ", ".join(["%s"] * len(args))
        try:
            row = self.conn.execute(f"SELECT cc.{function}({placeholders})", args).fetchone()
            self.conn.commit()
        except psycopg.Error as exc:
            self.conn.rollback()
            refused = from_psycopg(exc)
            if refused is not None:
                raise refused from exc
            raise
        assert row is not None
        return row[0]

    def report(self, source: str, category: str, title: str, lon: float, lat: float, *,
               description: str = "", address: str = "", urgency: str = "normal",
               grid_id: int | None = None, reporter_person_id: int | None = None,
               reporter_name: str | None = None, reporter_phone: str | None = None,
               solved_on_spot: bool = False) -> int:
        """Collect a report; returns the new case id."""
        return int(self._call("report", source, category, title, lon, lat, description, address, urgency,
                              grid_id, reporter_person_id, reporter_name, reporter_phone, solved_on_spot))

    def file(self, case_id: int, version: int, tier: str | None = None, urgency: str | None = None,
             note: str | None = None) -> int:
        return int(self._call("file", case_id, version, tier, urgency, note))

    def reject(self, case_id: int, version: int, reason: str) -> int:
        return int(self._call("reject", case_id, version, reason))

    def dispatch(self, case_id: int, version: int, *, unit_id: int | None = None, person_id: int | None = None,
                 deadline: datetime | None = None, note: str | None = None) -> int:
        return int(self._call("dispatch", case_id, version, unit_id, person_id, deadline, note))

    def redispatch(self, case_id: int, version: int, *, unit_id: int | None = None, person_id: int | None = None,
                   deadline: datetime | None = None, note: str | None = None) -> int:
        return int(self._call("redispatch", case_id, version, unit_id, person_id, deadline, note))

    def accept(self, case_id: int, version: int, note: str | None = None) -> int:
        return int(self._call("accept", case_id, version, note))

    def return_case(self, case_id: int, version: int, reason: str) -> int:
        return int(self._call("return_case", case_id, version, reason))

    def feedback(self, case_id: int, version: int, result: str) -> int:
        return int(self._call("feedback", case_id, version, result))

    def verify(self, case_id: int, version: int, passed: bool, note: str | None = None) -> int:
        return int(self._call("verify", case_id, version, passed, note))

    def evaluate(self, case_id: int, version: int, satisfaction: int, note: str | None = None) -> int:
        return int(self._call("evaluate", case_id, version, satisfaction, note))

    def escalate(self, case_id: int, version: int, reason: str) -> int:
        return int(self._call("escalate", case_id, version, reason))

    def urge(self, case_id: int, version: int, note: str | None = None) -> int:
        return int(self._call("urge", case_id, version, note))

    def cancel(self, case_id: int, version: int, reason: str) -> int:
        return int(self._call("cancel", case_id, version, reason))

    def add_attachment(self, case_id: int, filename: str, content: bytes, *, view: str | None = None,
                       stage: str | None = None, thumbnail: bytes | None = None) -> int:
        """A photo, tagged view far|near and stage before|after, with its thumbnail (JPEG or
        PNG, made once by the sender); returns the attachment's id."""
        return int(self._call("add_attachment", case_id, filename, content, view, stage, thumbnail))

    def record_callback(self, case_id: int, reached: bool, satisfaction: int | None = None,
                        note: str | None = None) -> str:
        """A callback made: 'reached', 'retry' (try again later) or 'given_up'."""
        return str(self._call("record_callback", case_id, reached, satisfaction, note))

    def add_repeat_report(self, case_id: int, source: str, note: str | None = None, *,
                          reporter_name: str | None = None, reporter_phone: str | None = None) -> int:
        """A further report of an open case's problem; returns how many repeats it now has."""
        return int(self._call("add_repeat_report", case_id, source, note, reporter_name, reporter_phone))

    def request_extension(self, case_id: int, version: int, deadline: datetime, reason: str) -> int:
        """The assignee asks for a later handling deadline (延期), with a reason."""
        return int(self._call("request_extension", case_id, version, deadline, reason))

    def decide_extension(self, case_id: int, version: int, approve: bool, deadline: datetime | None = None,
                         note: str | None = None) -> int:
        """A supervisor approves (the requested deadline, or the one given) or refuses."""
        return int(self._call("decide_extension", case_id, version, approve, deadline, note))

    def suspend(self, case_id: int, version: int, reason_code: str, reason: str, review_on: date) -> int:
        """Put on hold (挂账/缓办) until a review date: the clock stops."""
        return int(self._call("suspend", case_id, version, reason_code, reason, review_on))

    def review_suspension(self, case_id: int, version: int, review_on: date, note: str) -> int:
        return int(self._call("review_suspension", case_id, version, review_on, note))

    def resume(self, case_id: int, version: int, note: str | None = None) -> int:
        return int(self._call("resume", case_id, version, note))

    def supervise(self, case_id: int, version: int, level: str, reply_due: datetime, note: str) -> int:
        """Formal supervision (督办) at a level, with the date the assignee must reply by."""
        return int(self._call("supervise", case_id, version, level, reply_due, note))

    def reply_supervision(self, case_id: int, version: int, reply: str) -> int:
        return int(self._call("reply_supervision", case_id, version, reply))

    def lift_supervision(self, case_id: int, version: int, note: str | None = None) -> int:
        return int(self._call("lift_supervision", case_id, version, note))

    def complete_service(self, case_id: int, version: int, note: str | None = None) -> int:
        """The contracted provider reports the service done: the case closes."""
        return int(self._call("complete_service", case_id, version, note))

    def perform(self, action: str, case_id: int, version: int, params: Mapping[str, Any] | None = None) -> int:
        """Run an action by its code in cc.workflow_action (what cc.allowed_actions offers),
        with what it needs in `params`: note, unit_id / person_id / deadline, satisfaction,
        filename + content (+ view, stage, thumbnail), reason_code + review_on, level. Returns
        the case's new version."""
        p = params or {}
        note = p.get("note") or None
        text = note or ""
        calls: dict[str, Any] = {
            "file": lambda: self.file(case_id, version, note=note),
            "reject": lambda: self.reject(case_id, version, text),
            "dispatch": lambda: self.dispatch(case_id, version, unit_id=p.get("unit_id"), person_id=p.get("person_id"),
                                              deadline=p.get("deadline"), note=note),
            "redispatch": lambda: self.redispatch(case_id, version, unit_id=p.get("unit_id"),
                                                  person_id=p.get("person_id"), deadline=p.get("deadline"), note=note),
            "accept": lambda: self.accept(case_id, version, note),
            "return": lambda: self.return_case(case_id, version, text),
            "feedback": lambda: self.feedback(case_id, version, text),
            "verify_pass": lambda: self.verify(case_id, version, True, note),
            "verify_fail": lambda: self.verify(case_id, version, False, note),
            "evaluate": lambda: self.evaluate(case_id, version, int(p["satisfaction"]), note),
            "escalate": lambda: self.escalate(case_id, version, text),
            "urge": lambda: self.urge(case_id, version, note),
            "cancel": lambda: self.cancel(case_id, version, text),
            "request_extension": lambda: self.request_extension(case_id, version, p["deadline"], text),
            "approve_extension": lambda: self.decide_extension(case_id, version, True, p.get("deadline"), note),
            "refuse_extension": lambda: self.decide_extension(case_id, version, False, None, note),
            "suspend": lambda: self.suspend(case_id, version, p["reason_code"], text, p["review_on"]),
            "review_suspension": lambda: self.review_suspension(case_id, version, p["review_on"], text),
            "resume": lambda: self.resume(case_id, version, note),
            "supervise": lambda: self.supervise(case_id, version, p["level"], p["deadline"], text),
            "reply_supervision": lambda: self.reply_supervision(case_id, version, text),
            "lift_supervision": lambda: self.lift_supervision(case_id, version, note),
            "service_done": lambda: self.complete_service(case_id, version, note),
        }
        if action == "attach":
            self.add_attachment(case_id, p["filename"], p["content"], view=p.get("view"), stage=p.get("stage"),
                                thumbnail=p.get("thumbnail"))
            return version
        if action not in calls:
            raise ValueError(f"unknown action {action!r}")
        return int(calls[action]())

    def allowed_actions(self, case_id: int) -> list[dict[str, Any]]:
        """What the case's state allows, from cc.state_action (never a client-side copy)."""
        cur = self.conn.execute("SELECT * FROM cc.allowed_actions(%s)", (case_id,))
        cols = [d.name for d in cur.description or []]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
        self.conn.commit()
        return rows
