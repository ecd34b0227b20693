"""The one thread hand-off: work runs off the GUI thread, its result or error is applied on it,
stale answers (superseded by key, or for a destroyed receiver) are dropped. Offscreen Qt; the
database worker's path is shown with a server that is not there."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from commandcenter.store.errors import DatabaseUnavailable
from commandcenter.ui.handoff import Handoff, run_task
from commandcenter.ui.worker import DbWorker


class SingleThread:
    """An executor like the database worker's: one thread, jobs in order."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self.ran = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            job()

    def stop(self) -> None:
        self.jobs.put(None)
        self.thread.join(5)


@pytest.fixture()
def single(qapp):  # noqa: ANN001, ANN201
    s = SingleThread()
    yield s
    s.stop()


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []
        self.errors: list[Exception] = []

    def take(self, value: object) -> None:
        self.got.append(value)

    def fail(self, exc: Exception) -> None:
        self.errors.append(exc)


def test_work_runs_off_the_gui_thread_and_its_result_is_applied_on_it(qtbot) -> None:  # noqa: ANN001
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["work"] = threading.get_ident()
        return 42

    def apply(value: int) -> None:
        seen["apply"] = threading.get_ident()
        seen["value"] = value

    run_task(work, apply)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen["work"] != gui and seen["apply"] == gui and seen["value"] == 42


def test_an_error_is_delivered_on_the_gui_thread(qtbot) -> None:  # noqa: ANN001
    errors: list[tuple[Exception, int]] = []

    def work() -> None:
        raise ValueError("no such case")

    run_task(work, lambda _r: pytest.fail("no result for a failed task"),
             lambda exc: errors.append((exc, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    exc, where = errors[0]
    assert isinstance(exc, ValueError) and str(exc) == "no such case"
    assert where == threading.get_ident()


def test_a_newer_request_with_the_same_key_drops_the_older_answer(qtbot, single) -> None:  # noqa: ANN001
    busy: list[bool] = []
    scope = Handoff(start=single.jobs.put, on_busy=busy.append)
    gate, started = threading.Event(), threading.Event()
    ran: list[str] = []
    got: list[str] = []

    def work(name: str, wait: bool = False) -> Callable[[], str]:
        def run() -> str:
            if wait:
                started.set()
                gate.wait(5)
            ran.append(name)
            return name
        return run

    scope.run(work("first", wait=True), got.append, key="detail")   # running when superseded
    assert started.wait(5)
    scope.run(work("queued"), got.append, key="detail")             # superseded before it ran
    scope.run(work("other key"), got.append, key="kpis")
    scope.run(work("newest"), got.append, key="detail")
    assert scope.pending == 4
    gate.set()
    qtbot.waitUntil(lambda: scope.pending == 0, timeout=5000)
    assert got == ["other key", "newest"]
    assert ran == ["first", "other key", "newest"]          # the queued stale one never ran
    assert busy == [True, False]


def test_an_answer_for_a_destroyed_receiver_is_dropped_without_a_crash(qtbot) -> None:  # noqa: ANN001
    gate = threading.Event()
    receiver = Receiver()
    scope = Handoff()
    scope.run(lambda: gate.wait(5) and "late", receiver.take, receiver.fail)
    scope.run(lambda: gate.wait(5) and 1 / 0, receiver.take, receiver.fail)
    receiver.deleteLater()
    QApplication.sendPostedEvents(None, 0)
    qtbot.waitUntil(lambda: not shiboken6.isValid(receiver), timeout=2000)
    gate.set()
    qtbot.waitUntil(lambda: scope.pending == 0, timeout=5000)
    assert receiver.got == [] and receiver.errors == []


def test_a_lambda_callback_is_dropped_with_the_receiver_it_names(qtbot) -> None:  # noqa: ANN001
    gate = threading.Event()
    receiver = Receiver()
    got: list[object] = []
    scope = Handoff()
    scope.run(lambda: gate.wait(5), got.append, receiver=receiver)
    shiboken6.delete(receiver)
    gate.set()
    qtbot.waitUntil(lambda: scope.pending == 0, timeout=5000)
    assert got == []


def test_a_living_receiver_gets_its_answer(qtbot) -> None:  # noqa: ANN001
    receiver = Receiver()
    run_task(lambda: "loaded", receiver.take, receiver.fail)
    qtbot.waitUntil(lambda: receiver.got == ["loaded"], timeout=5000)


def test_work_is_handed_off_only_from_the_gui_thread(qtbot) -> None:  # noqa: ANN001
    errors: list[Exception] = []

    def elsewhere() -> None:
        try:
            run_task(lambda: None)
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=elsewhere)
    t.start()
    t.join(5)
    assert errors and "GUI thread" in str(errors[0])


def test_the_database_worker_hands_off_the_same_way(qtbot) -> None:  # noqa: ANN001
    """A server that is not there: the error arrives on the GUI thread, typed; busy goes
    up and down; the stale keyed request is dropped."""
    worker = DbWorker("host=127.0.0.1 port=9 dbname=none user=none connect_timeout=2")
    busy: list[bool] = []
    worker.busy_changed.connect(busy.append)
    errors: list[Exception] = []
    receiver = Receiver()
    try:
        worker.submit(lambda conn: conn.execute("SELECT 1"), receiver.take, receiver.fail, key="k")
        worker.submit(lambda conn: conn.execute("SELECT 2"), receiver.take, errors.append, key="k")
        assert worker.pending == 2
        qtbot.waitUntil(lambda: worker.pending == 0, timeout=20_000)
    finally:
        worker.stop()
    assert receiver.got == [] and receiver.errors == []
    assert len(errors) == 1 and isinstance(errors[0], DatabaseUnavailable)
    assert busy == [True, False]
