"""The workflow actions as Python calls: one method per cc.* function.

Each call is its own transaction. A refusal rolls back (nothing changed) and raises the
typed error from errors.py with the database's message and hint.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
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

    def perform(self, action: str, case_id: int, version: int, params: Mapping[str, Any] | None = None) -> int:
        """Run an action by its code in cc.workflow_action (what cc.allowed_actions offers),
        with what it needs in `params`: note, unit_id / person_id / deadline, satisfaction,
        filename + content (+ view, stage, thumbnail). Returns the case's new version."""
        p = params or {}
        note = p.get("note") or None
        if action == "file":
            return self.file(case_id, version, note=note)
        if action == "reject":
            return self.reject(case_id, version, note or "")
        if action in ("dispatch", "redispatch"):
            call = self.dispatch if action == "dispatch" else self.redispatch
            return call(case_id, version, unit_id=p.get("unit_id"), person_id=p.get("person_id"),
                        deadline=p.get("deadline"), note=note)
        if action == "accept":
            return self.accept(case_id, version, note)
        if action == "return":
            return self.return_case(case_id, version, note or "")
        if action == "feedback":
            return self.feedback(case_id, version, note or "")
        if action in ("verify_pass", "verify_fail"):
            return self.verify(case_id, version, action == "verify_pass", note)
        if action == "evaluate":
            return self.evaluate(case_id, version, int(p["satisfaction"]), note)
        if action == "escalate":
            return self.escalate(case_id, version, note or "")
        if action == "urge":
            return self.urge(case_id, version, note)
        if action == "cancel":
            return self.cancel(case_id, version, note or "")
        if action == "attach":
            self.add_attachment(case_id, p["filename"], p["content"], view=p.get("view"), stage=p.get("stage"),
                                thumbnail=p.get("thumbnail"))
            return version
        raise ValueError(f"unknown action {action!r}")

    def allowed_actions(self, case_id: int) -> list[dict[str, Any]]:
        """What the case's state allows, from cc.state_action (never a client-side copy)."""
        cur = self.conn.execute("SELECT * FROM cc.allowed_actions(%s)", (case_id,))
        cols = [d.name for d in cur.description or []]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
        self.conn.commit()
        return rows
