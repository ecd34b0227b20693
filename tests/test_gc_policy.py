"""The cyclic garbage collector runs on the GUI thread only while a session is open: a Qt object
freed by it in a worker or feed thread would be destroyed outside its own thread."""

from __future__ import annotations

import gc
import threading
import weakref

from .ui_support import hall_session


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_are_collected_on_the_gui_thread_while_a_session_is_open(qtbot, db) -> None:  # noqa: ANN001
    assert gc.isenabled()
    with hall_session(db.dsn) as session:
        assert not gc.isenabled()                       # no collection tripped in another thread
        made: list[weakref.ref] = []

        def in_a_worker() -> None:                      # garbage made in another thread...
            for _ in range(2000):
                made.append(weakref.ref(_Cycle()))
        t = threading.Thread(target=in_a_worker)
        t.start()
        t.join()
        assert all(r() is not None for r in made)      # ...is not collected there
        ticks = session.collector.ticks
        qtbot.waitUntil(lambda: session.collector.ticks > ticks, timeout=5000)
        assert all(r() is None for r in made)          # the GUI thread's timer collected it
    assert gc.isenabled()                               # back to normal once the session is closed
