"""Supplies and appeals through the service, on SQLite and PostgreSQL: what is recorded,
what is refused (nothing written), the runway, and a rebuild equal to the live case files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from amanah.bootstrap import App, init_home
from amanah.clock import FixedClock
from amanah.domain.appeals import commands as ac
from amanah.domain.incidents import commands as ic
from amanah.domain.movements.commands import Move
from amanah.domain.notifications import commands as nc
from amanah.domain.registry.commands import AddLocation, Admit
from amanah.domain.supplies import commands as sc
from amanah.domain.supplies.errors import SuppliesRefused
from amanah.errors import AmanahError, InvalidInput
from amanah.services.projector import rebuild
from amanah.services.siege_presenters import runway_json

T0 = datetime(2026, 1, 12, 6, tzinfo=UTC)
NOW = datetime(2026, 1, 16, 12, tzinfo=UTC)


def _person(n: int) -> dict[str, object]:
    return {
        "name_ar": f"سامر {n}",
        "name_latin": f"Samer {n}",
        "gender": "male",
        "nationality": "SY",
        "commitment": {
            "order_ref": f"CO-{n}",
            "grounds": "synthetic",
            "ordering_authority": "Test court",
            "responsible_authority": "Test administration",
        },
        "arrest": {"time": "2026-01-10T10:00", "place": "Raqqa", "authority": "Police"},
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    db = request.getfixturevalue("postgres_db") if request.param == "postgresql" else None
    built = init_home(tmp_path / "home", "amanah.example/siege", db_url=db, clock=FixedClock(NOW))
    built.facility.run(
        [
            AddLocation("AQ", "facility", "سجن", "Prison"),
            AddLocation("A", "block", "أ", "A", parent="AQ"),
            AddLocation("A-1", "cell", "أ-1", "A-1", "A", 200, 200, 400),
        ]
        + [
            Admit(f"D-{n:06d}", "detainee", _person(n), "A-1", T0 - timedelta(days=1))
            for n in range(1, 101)
        ],
        built.actor,
    )
    yield built
    built.close()


def _stores(app: App) -> None:
    app.siege.run(
        [
            sc.OpenStore("water-1", "AQ", "water", "Tank", "L", T0),
            sc.OpenStore("food-1", "AQ", "food", "Flour", "kg", T0, kcal_per_unit=3_500),
            sc.OpenStore("fuel-1", "AQ", "fuel", "Diesel", "L", T0),
            sc.Receive("water-1", 15_000_000, T0, "municipality"),  # 15,000 L
            sc.Receive("food-1", 2_460_000, T0, "WFP"),  # 2,460 kg = 8,610,000 kcal
            sc.Receive("fuel-1", 1_000_000, T0, "UN"),  # 1,000 L
            sc.Issue("water-1", 1_500_000, NOW - timedelta(days=1), "block A"),
            sc.Issue("food-1", 70_000, NOW - timedelta(days=1), "kitchen"),
        ],
        app.actor,
    )


def test_the_runway_of_100_people(app: App) -> None:
    _stores(app)
    report = runway_json(app.siege.runway("AQ"))
    assert report["population_inside"] == 100
    rows = {r["resource"]: r for r in report["resources"]}
    water = rows["water"]
    assert water["stock"] == 13_500  # L
    assert water["days_humane"] == 9.0  # 100 × 15 L
    assert water["days_survival"] == 45.0  # 100 × 3 L
    # 1,500 L issued over the 5 days since the store opened (12th..16th): 300 L a day.
    assert water["days_recent"] == 45.0
    food = rows["food"]
    assert food["stock"] == 2_390 * 3_500
    assert food["days_humane"] == round(2_390 * 3_500 / (100 * 2_460), 2)
    assert rows["fuel"]["days_recent"] is None  # nothing burned, no generator
    assert report["alerts"] == []


def test_a_refusal_writes_nothing(app: App) -> None:
    _stores(app)
    size = app.ledger.size()
    for command in (
        sc.Issue("water-1", 99_000_000, NOW, "block A"),  # more than the stock
        sc.Issue("water-1", -1, NOW, "block A"),
        sc.Receive("water-1", 1, T0 - timedelta(days=1), "x"),  # before the store existed
        sc.OpenStore("water-2", "AQ", "water", "Tank", "kg", T0),  # a mass of water
        sc.Issue("nowhere", 1, NOW, "x"),
        ac.SendAppeal("", "AQ", "protection", "  ", "radio", "Protect us", NOW),
    ):
        with pytest.raises(AmanahError):
            app.siege.run([command], app.actor)
    with pytest.raises(SuppliesRefused, match="counted in L"):
        app.siege.quantity("water-1", "3", "kg")
    with pytest.raises(SuppliesRefused, match="negative"):
        app.siege.quantity("water-1", "-3", "L")
    with pytest.raises(InvalidInput):
        app.siege.run([], app.actor)
    # A series is all or nothing: the good first command is not kept either.
    with pytest.raises(AmanahError, match="command 2"):
        app.siege.run(
            [sc.Issue("water-1", 1_000, NOW, "A"), sc.Issue("water-1", 10**12, NOW, "A")],
            app.actor,
        )
    assert app.ledger.size() == size


def test_a_rebuild_gives_the_live_case_files(app: App) -> None:
    _stores(app)
    app.siege.run(
        [
            ac.SendAppeal("", "AQ", "resupply", "ICRC", "radio", "Water", NOW),
            ac.Acknowledge("AP-0001", NOW, "ICRC desk"),
        ],
        app.actor,
    )

    def files() -> list[tuple[str, object]]:
        with app.storage.reader() as view:
            return [
                (r.stream, r.state)
                for area in ("supplies", "appeals")
                for r in view.cases.list(area)
            ]

    live = files()
    assert len(live) == 4
    rebuild(app.storage)
    assert files() == live
    assert app.siege.case("appeals", "AP-0001").status == "acknowledged"


def test_the_runway_as_of_an_earlier_time(app: App) -> None:
    _stores(app)
    before = runway_json(app.siege.runway("AQ", NOW - timedelta(days=2)))
    water = {r["resource"]: r for r in before["resources"]}["water"]
    assert water["stock"] == 15_000  # the issue of the 15th had not happened yet


def _owed(app: App) -> list[object]:
    return app.siege.cases("notifications", "AQ")


def test_a_death_owes_its_notifications_and_they_are_tracked(app: App) -> None:
    died = NOW - timedelta(hours=30)
    app.facility.run(
        [Move("death", "D-000001", died, None, None, {"place": "A-1", "circumstances": "illness"})],
        app.actor,
    )
    owed = _owed(app)
    assert sorted((n.recipient, n.reason) for n in owed) == [  # type: ignore[attr-defined]
        ("independent_authority", "death"),
        ("next_of_kin", "death"),
    ]
    (_, history) = app.facility.person("D-000001")
    assert {n.cause_seq for n in owed} == {history[-1].seq}  # type: ignore[attr-defined]
    assert all(n.is_overdue(NOW) for n in owed)  # type: ignore[attr-defined]
    first = owed[0].id  # type: ignore[attr-defined]
    app.siege.run([nc.MarkSent(first, NOW, "phone", "brother", "Records officer")], app.actor)
    with pytest.raises(AmanahError, match="awaits acknowledgement"):
        app.siege.run([nc.MarkSent(first, NOW, "phone", "brother", "x")], app.actor)
    app.siege.run([nc.Acknowledge(first, NOW, "brother")], app.actor)
    assert app.siege.case("notifications", first).status == "acknowledged"


def test_incidents_link_movements_and_owe_for_serious_injuries(app: App) -> None:
    app.siege.run(
        [
            ic.ReportIncident(
                "",
                "AQ",
                "attack",
                "serious",
                NOW - timedelta(hours=2),
                "north wall",
                "Mortar fire on the north wall",
                (ic.LinkedPerson("D-000002", "injured", "seriously_injured"),),
            )
        ],
        app.actor,
    )
    incident = app.siege.case("incidents", "I-0001")
    assert incident.kind == "attack"
    assert [(n.person, n.reason) for n in _owed(app)] == [  # type: ignore[attr-defined]
        ("D-000002", "serious_injury"),
        ("D-000002", "serious_injury"),
    ]
    escape = ic.ReportIncident(
        "",
        "AQ",
        "escape",
        "critical",
        NOW - timedelta(hours=1),
        "north wall",
        "Escaped",
        (ic.LinkedPerson("D-000003", "escapee", "escaped"),),
    )
    with pytest.raises(AmanahError, match="as a movement first"):
        app.siege.run([escape], app.actor)
    app.facility.run(
        [Move("escape", "D-000003", NOW - timedelta(hours=1), None, None, {"where": "wall"})],
        app.actor,
    )
    app.siege.run([escape], app.actor)
    (_, history) = app.facility.person("D-000003")
    linked = app.siege.case("incidents", "I-0002").people
    assert [(p.person, p.movement) for p in linked] == [("D-000003", history[-1].seq)]
    with pytest.raises(AmanahError, match="no person D-999999"):
        app.siege.run(
            [
                ic.AddAddendum(
                    "I-0001", NOW, "more", (ic.LinkedPerson("D-999999", "witness", "unharmed"),)
                )
            ],
            app.actor,
        )
    app.siege.run([ic.ChangeStatus("I-0001", "closed", NOW, "reviewed")], app.actor)
    size = app.ledger.size()
    with pytest.raises(AmanahError, match="reopen"):
        app.siege.run([ic.AddAddendum("I-0001", NOW, "more")], app.actor)
    assert app.ledger.size() == size

    def files() -> list[tuple[str, object]]:
        with app.storage.reader() as view:
            return [
                (r.stream, r.state)
                for area in ("incidents", "notifications")
                for r in view.cases.list(area)
            ]

    live = files()
    rebuild(app.storage)
    assert files() == live
