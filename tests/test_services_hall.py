"""The service directory and the base's map layers in the hall (issue 14, items 3 and 4): the
grid card lists the nearest open providers and an operator orders one for a caller; the wall
sees the list and cannot order; the call-taking form offers providers for a service call; the
map's special-population, overdue-visit and coverage fills show the database's figures."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.conninfo import make_conninfo
from PySide6.QtCore import Qt

from commandcenter.demo.accounts import DEMO_ACCOUNTS
from commandcenter.store.commands import Workflow
from commandcenter.ui.grid_card import GridCardView
from commandcenter.ui.intake import IntakeDialog
from commandcenter.ui.map_view import MapView

from .ui_support import hall_session, settle

PASSWORD = {a.login: a.password for a in DEMO_ACCOUNTS}


@pytest.fixture(scope="module")
def kitchen(db) -> dict:  # noqa: ANN001
    """A canteen open round the clock at the centre of a grid of 东华门, offering lunch."""
    with db.connect() as c:
        grid, street, lon, lat = c.execute(
            "SELECT g.id, g.street_id, (point(gp.shape))[0], (point(gp.shape))[1] FROM cc.grid g "
            "JOIN cc.street s ON s.id = g.street_id JOIN cc.grid_part gp ON gp.grid_id = g.id "
            "WHERE s.name = '东华门街道' AND gp.shape @> point(gp.shape) "
            "ORDER BY g.id, npoints(gp.shape) DESC LIMIT 1").fetchone()
        pid = c.execute(
            "INSERT INTO cc.provider (street_id, grid_id, category, name, address, lon, lat, phone) "
            "VALUES (%s, %s, 'meals', '测试老年餐桌', '测试地址', %s, %s, '010-60000002') RETURNING id",
            (street, grid, lon, lat)).fetchone()[0]
        c.execute("INSERT INTO cc.provider_item VALUES (%s, 'lunch')", (pid,))
        c.execute("INSERT INTO cc.provider_hours SELECT %s, d, '00:00', '24:00' FROM generate_series(1, 7) d", (pid,))
        c.commit()
    return {"grid": grid, "provider": pid, "lon": lon, "lat": lat}


def _dsn(db, login: str) -> str:  # noqa: ANN001
    return make_conninfo(db.dsn, user=login, password=PASSWORD[login])


def _providers(panel) -> list[str]:  # noqa: ANN001
    return [panel.providers.topLevelItem(i).text(0) for i in range(panel.providers.topLevelItemCount())]


def test_an_operator_orders_lunch_for_a_caller_from_the_grid_card(qtbot, db, kitchen) -> None:  # noqa: ANN001
    with hall_session(_dsn(db, "dhm_operator"), "zh_CN") as session:
        card = GridCardView(session.live, session.worker, session.selection, people=session.basics.callers_visible)
        qtbot.addWidget(card)
        card.show()
        session.selection.select_grid(kitchen["grid"])
        panel = card.services
        card.tabs.setCurrentWidget(panel)
        panel.item_box.setCurrentIndex(panel.item_box.findData("lunch"))
        qtbot.waitUntil(lambda: bool(_providers(panel)) and _providers(panel)[0] == "测试老年餐桌", timeout=10_000)
        assert panel.providers.topLevelItem(0).text(2) == "24:00"
        assert panel.request_button.isVisible() and panel.request_button.isEnabled()
        panel.caller_name.setText("王奶奶")
        panel.caller_phone.setText("13900139000")
        panel.caller_note.setText("少盐")
        qtbot.mouseClick(panel.request_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: session.selection.case_id is not None, timeout=10_000)
        case_id = session.selection.case_id
        settle(qtbot, session)
    with db.connect() as c:
        row = c.execute('SELECT state, service_provider_id, reporter_name, reporter_phone, o.note FROM cc."case" c '
                        "JOIN cc.service_order o ON o.case_id = c.id WHERE c.id = %s", (case_id,)).fetchone()
        assert row == ("dispatched", kitchen["provider"], "王奶奶", "13900139000", "少盐")
        version = c.execute('SELECT version FROM cc."case" WHERE id = %s', (case_id,)).fetchone()[0]
    # the detail's action for it, as the hall's runner performs it
    with psycopg.connect(_dsn(db, "dhm_operator")) as op:
        wf = Workflow(op)
        assert "service_done" in {a["action"] for a in wf.allowed_actions(case_id)}
        wf.perform("service_done", case_id, version, {"note": "已送达"})
        assert op.execute('SELECT state FROM cc."case" WHERE id = %s', (case_id,)).fetchone() == ("closed",)


def test_the_wall_sees_providers_but_orders_nothing(qtbot, db, kitchen) -> None:  # noqa: ANN001
    with hall_session(_dsn(db, "wall"), "en") as session:
        card = GridCardView(session.live, session.worker, session.selection, people=session.basics.callers_visible)
        qtbot.addWidget(card)
        card.show()
        session.selection.select_grid(kitchen["grid"])
        panel = card.services
        card.tabs.setCurrentWidget(panel)
        panel.item_box.setCurrentIndex(panel.item_box.findData("lunch"))
        qtbot.waitUntil(lambda: "测试老年餐桌" in _providers(panel), timeout=10_000)
        assert not panel.request_button.isVisible() and panel.caller_row is None
        assert card.people_search is None and card.place_list is None


def test_a_service_call_is_offered_the_nearest_open_providers_and_ordered(qtbot, db, kitchen) -> None:  # noqa: ANN001
    with db.connect() as c:
        before = c.execute('SELECT max(id) FROM cc."case"').fetchone()[0]
    with hall_session(_dsn(db, "dhm_operator"), "zh_CN") as session:
        dialog = IntakeDialog(session)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.services.isHidden()
        dialog.caller.setText("李大爷")
        dialog.choose_point(kitchen["lon"], kitchen["lat"])
        dialog.choose_item_named("老人订餐")
        assert not dialog.services.isHidden()
        offered = {dialog.services.item_box.itemData(i) for i in range(dialog.services.item_box.count())}
        assert offered == {"lunch", "supper", "canteen"}       # the services this call's item stands for
        dialog.services.item_box.setCurrentIndex(dialog.services.item_box.findData("lunch"))
        qtbot.waitUntil(lambda: bool(_providers(dialog.services)) and
                        _providers(dialog.services)[0] == "测试老年餐桌", timeout=10_000)
        opened: list[int] = []
        dialog.opened.connect(opened.append)
        qtbot.mouseClick(dialog.services.request_button, Qt.MouseButton.LeftButton)   # no phone yet: refused
        qtbot.waitUntil(lambda: "phone" in dialog.services.note.text() or "电话" in dialog.services.note.text(),
                        timeout=10_000)
        assert not opened and dialog.isVisible()
        dialog.phone.setText("13700137000")
        qtbot.mouseClick(dialog.services.request_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    with db.connect() as c:
        row = c.execute('SELECT id, state, service_provider_id, reporter_name FROM cc."case" WHERE id > %s',
                        (before,)).fetchall()
    assert [r[1:] for r in row] == [("dispatched", kitchen["provider"], "李大爷")] and opened == [row[0][0]]


@pytest.mark.parametrize("login", ["dhm_operator", "wall"])
def test_the_maps_base_and_coverage_fills_show_the_databases_figures(qtbot, db, login: str) -> None:  # noqa: ANN001
    with db.connect() as c:
        mine = {g for (g,) in c.execute("SELECT g.id FROM cc.grid g JOIN cc.street s ON s.id = g.street_id "
                                        "WHERE s.name = '东华门街道'")}
        special = dict(c.execute("SELECT grid_id, (SELECT coalesce(sum(value::int), 0) FROM jsonb_each_text(special)) "
                                 "FROM cc.base_counts()").fetchall())
        covered = dict(c.execute("SELECT grid_id, covered FROM cc.service_coverage('meals')").fetchall())
    with hall_session(_dsn(db, login), "en") as session:
        view = MapView(session.live, session.selection, session.geometry, worker=session.worker)
        qtbot.addWidget(view)
        view.fill_box.setCurrentIndex(view.fill_box.findData("special"))
        qtbot.waitUntil(lambda: "special" in view.state.figures, timeout=10_000)
        got = view.state.figures["special"]
        scope = mine if login == "dhm_operator" else set(special)
        assert got == {g: float(special[g]) for g in scope}
        groups = view.state.fill_groups()
        outside = set(special) - scope
        assert set(groups.get("na", [])) == outside          # other streets: no figure, not zero
        view.fill_box.setCurrentIndex(view.fill_box.findData("coverage"))
        assert view.panel.coverage_box.isVisible() or not view.isVisible()
        view.panel.coverage_box.setCurrentIndex(view.panel.coverage_box.findData("meals"))
        qtbot.waitUntil(lambda: "coverage" in view.state.figures, timeout=10_000)
        groups = view.state.fill_groups()
        assert set(groups.get("covered", [])) == {g for g in scope if covered[g]}
        assert set(groups.get("uncovered", [])) == {g for g in scope if not covered[g]}
        view.fill_box.setCurrentIndex(view.fill_box.findData("visits"))
        assert "visits" in view.state.figures          # came with the special populations' figures
        settle(qtbot, session)                           # and asked again: fresh figures


def test_a_visit_is_recorded_from_the_grid_card_and_may_raise_a_case(qtbot, db) -> None:  # noqa: ANN001
    with db.connect() as c:
        grid, household = c.execute(
            "SELECT h.grid_id, h.id FROM cc.household h JOIN cc.street s ON s.id = h.street_id "
            "WHERE s.name = '东华门街道' AND h.must_visit ORDER BY h.id LIMIT 1").fetchone()
        visits_before = c.execute("SELECT count(*) FROM cc.visit").fetchone()[0]
    with hall_session(_dsn(db, "dhm_operator"), "zh_CN") as session:
        card = GridCardView(session.live, session.worker, session.selection, people=session.basics.callers_visible)
        qtbot.addWidget(card)
        card.show()
        session.selection.select_grid(grid)
        assert card.visits is not None
        card.tabs.setCurrentWidget(card.visits_page)
        qtbot.waitUntil(lambda: card.visits.topLevelItemCount() > 0, timeout=10_000)
        rows = [card.visits.topLevelItem(i) for i in range(card.visits.topLevelItemCount())]
        mine = next(r for r in rows if r.data(0, Qt.ItemDataRole.UserRole) == household)
        card.visits.setCurrentItem(mine)
        # a note that says nothing is refused, and kept for the worker to finish
        card.visit_note.setText("\u3000 ")
        qtbot.mouseClick(card.visit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "say" in card.visit_status.text() or "说" in card.visit_status.text()
                        or "note" in card.visit_status.text() or "备注" in card.visit_status.text(), timeout=10_000)
        assert card.visit_note.text() == "\u3000 "
        card.visit_note.setText("老人身体尚好，暖气不热")
        card.visit_report.setCurrentIndex(card.visit_report.findData("030105"))
        card.visits.setCurrentItem(mine)
        qtbot.mouseClick(card.visit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: session.selection.case_id is not None, timeout=10_000)
        case_id = session.selection.case_id
        settle(qtbot, session)
    with db.connect() as c:
        assert c.execute("SELECT count(*) FROM cc.visit").fetchone()[0] == visits_before + 1
        kind, visit_case, last = c.execute(
            "SELECT v.kind, v.case_id, h.last_visit_at IS NOT NULL FROM cc.visit v JOIN cc.household h "
            "ON h.id = v.household_id WHERE v.household_id = %s ORDER BY v.id DESC LIMIT 1", (household,)).fetchone()
        item = c.execute('SELECT k.code FROM cc."case" c JOIN cc.category k ON k.id = c.category_id WHERE c.id = %s',
                         (case_id,)).fetchone()[0]
    assert (kind, visit_case, last, item) == ("visit", case_id, True, "030105")
