"""The one way the ui leaves the GUI thread and comes back (Picard's `run_task`): the work is
described on the GUI thread, runs on another, and its result or its error is applied on the
GUI thread. An answer nobody wants any more is dropped there, never applied: a newer request
with the same key replaced it, or the object that asked has been destroyed.

The GUI thread never waits on the database; this is how it avoids it. The change feed
(`ui/live.py`) streams batches for as long as the console runs, which is another pattern, and
keeps its own thread."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")
#: runs a prepared callable off the GUI thread (a new thread, a worker's queue)
Start = Callable[[Callable[[], None]], None]


def start_thread(run: Callable[[], None], name: str = "cc-handoff") -> None:
    """One daemon thread per task: one-shot tasks are few (signing in, opening a session), and
    a connect that hangs must not keep the process alive after the window closed."""
    threading.Thread(target=run, name=name, daemon=True).start()


class Superseded(Exception):
    """A newer request with the same key replaced this one before it ran."""


class Task(Generic[T]):
    """One request: its place among requests of the same key, and where its answer goes."""

    def __init__(self, scope: Handoff, seq: int, key: str | None, on_result: Callable[[T], Any] | None,
                 on_error: Callable[[Exception], Any] | None, receiver: QObject | None, courier: _Courier) -> None:
        self.scope = scope
        self.seq = seq
        self.key = key
        self.on_result = on_result
        self.on_error = on_error
        self.receiver = receiver
        self._courier = courier

    def current(self) -> bool:
        """No newer request with this key since (safe from any thread: one dict read)."""
        return self.key is None or self.scope._latest.get(self.key) == self.seq

    # ------------------------------------------------------------ off the GUI thread
    def execute(self, work: Callable[[], T]) -> None:
        if not self.current():
            self._send(None, Superseded())      # not worth running: its answer would be dropped
            return
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - delivered to on_error on the GUI thread
            self._send(None, exc)
            return
        self._send(result, None)

    def _send(self, result: object, error: Exception | None) -> None:
        try:
            self._courier.arrived.emit(self, result, error)
        except RuntimeError:          # the application is gone: nobody is left to tell
            pass

    # ------------------------------------------------------------ on the GUI thread
    def apply(self, result: object, error: Exception | None) -> None:
        self.scope._finished()
        if isinstance(error, Superseded) or not self.current():
            return
        if self.receiver is not None and not shiboken6.isValid(self.receiver):
            return                    # the view that asked was closed meanwhile
        if error is not None:
            if self.on_error is not None:
                self.on_error(error)
            else:
                log.error("background task failed: %s", error)
        elif self.on_result is not None:
            self.on_result(result)  # type: ignore[arg-type]


class _Courier(QObject):
    """Lives on the GUI thread: a signal emitted from another thread is queued to it."""
    arrived = Signal(object, object, object)    # task, result, error

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.arrived.connect(self._apply)

    def _apply(self, task: Task[Any], result: object, error: Exception | None) -> None:
        task.apply(result, error)


_couriers: dict[int, _Courier] = {}


def _courier() -> _Courier:
    """The application's courier, made on first use; it dies with the application."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("work is handed off only once the Qt application exists")
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("work is handed off from the GUI thread (results come back to it)")
    c = _couriers.get(id(app))
    if c is None or not shiboken6.isValid(c):
        c = _couriers[id(app)] = _Courier(app)
    return c


def _receiver_of(explicit: QObject | None, *callbacks: object) -> QObject | None:
    """Who asked: given, or the QObject whose method takes the answer."""
    if explicit is not None:
        return explicit
    for cb in callbacks:
        owner = getattr(cb, "__self__", None)
        if isinstance(owner, QObject):
            return owner
    return None


class Handoff:
    """Requests whose keys compete (the newest wins), and how many are still out — the
    status bar's "working…" comes from here."""

    def __init__(self, start: Start = start_thread, on_busy: Callable[[bool], Any] | None = None) -> None:
        self._start = start
        self._on_busy = on_busy
        self._latest: dict[str, int] = {}
        self._seq = itertools.count(1)
        self.pending = 0

    def run(self, work: Callable[[], T], on_result: Callable[[T], Any] | None = None,
            on_error: Callable[[Exception], Any] | None = None, *, key: str | None = None,
            receiver: QObject | None = None, start: Start | None = None) -> Task[T]:
        """Call work() off the GUI thread, then on_result(result) or on_error(exc) on it.
        `key`: a later request with the same key makes this one stale. `receiver`: drop the
        answer if this object is destroyed first (by default the QObject of a bound-method
        callback). `start`: where it runs, if not where this scope's tasks run."""
        task: Task[T] = Task(self, next(self._seq), key, on_result, on_error,
                             _receiver_of(receiver, on_result, on_error), _courier())
        if key is not None:
            self._latest[key] = task.seq
        self.pending += 1
        if self.pending == 1 and self._on_busy is not None:
            self._on_busy(True)
        (start or self._start)(lambda: task.execute(work))
        return task

    def _finished(self) -> None:
        self.pending -= 1
        if self.pending == 0 and self._on_busy is not None:
            self._on_busy(False)


_one_shots = Handoff()


def run_task(work: Callable[[], T], on_result: Callable[[T], Any] | None = None,
             on_error: Callable[[Exception], Any] | None = None, *, receiver: QObject | None = None,
             name: str = "cc-handoff") -> Task[T]:
    """A one-shot hand-off on its own thread (signing in, opening a session), named for
    whoever reads a thread dump; no key, since nothing of the kind competes with it."""
    return _one_shots.run(work, on_result, on_error, receiver=receiver,
                          start=lambda run: start_thread(run, name))
