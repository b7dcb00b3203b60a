"""The supplies and appeals pages without a browser: who may open them, in Arabic and
English; the runway, its alerts and a rationing plan; every form's happy path; and refusals
(more issued than held, kilograms into a water tank, a negative amount, an appeal without a
recipient) shown on their form with what was typed kept, writing nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from amanah.domain.appeals.commands import SendAppeal
from amanah.domain.supplies.commands import OpenStore, Receive
from amanah.domain.supplies.model import Generator, Store
from amanah.domain.supplies.units import to_base
from tests.support.access_world import ACCOUNTS, NOW
from tests.support.web_world import WebWorld, csrf_of

ROLES = tuple(ACCOUNTS)
SUPPLIES = "admin records medic monitor"
APPEALS = "admin records monitor"

# page -> the roles that may open it (everyone else gets 403).
PAGES = {
    "/supplies": SUPPLIES,
    "/supplies?at=2026-01-20T14:00&until=2026-02-20": SUPPLIES,
    "/supplies/water-1": SUPPLIES,
    "/appeals": APPEALS,
    "/appeals?closed=1": APPEALS,
    "/appeals/AP-0001": APPEALS,
}
ALERT = re.compile(r'role="alert">(.*?)</div>', re.S)


@pytest.fixture
def siege(web: WebWorld) -> WebWorld:
    """Water (100 L in, 40 L out: 60 L for the two people inside), food in kcal, and one
    appeal, recorded half an hour ago."""
    app = web.app
    opened, later = NOW - timedelta(hours=1), NOW - timedelta(minutes=30)
    app.siege.run(
        [
            OpenStore("water-1", "AQ", "water", "Main tank", "L", opened),
            Receive("water-1", to_base("100", "L"), later, "ICRC"),
            OpenStore("food-1", "AQ", "food", "Kitchen store", "kcal", opened),
            Receive("food-1", 140_000, later, "WFP"),
            SendAppeal("AP-0001", "AQ", "protection", "ICRC", "radio", "Protect us", later),
        ],
        app.actor,
    )
    admin = web.browser("admin", lang="en")
    token = csrf_of(admin, "/supplies")
    r = admin.post(
        "/supplies",
        data={
            "csrf_token": token,
            "form": "entry",
            "kind": "issue",
            "store": "water-1",
            "amount": "40",
            "unit": "L",
            "party": "Block A",
        },
    )
    assert r.status_code == 303, r.text[:500]
    return web


def stock(web: WebWorld, ident: str) -> int:
    found = web.app.siege.store(ident)
    assert isinstance(found, Store)
    return found.stock


def refusal(text: str) -> str:
    found = ALERT.search(text)
    assert found, text[:2000]
    return found.group(1)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_who_may_open_which_page(siege: WebWorld, lang: str) -> None:
    for role in ROLES:
        browser = siege.browser(role, lang=lang)
        for path, allowed in PAGES.items():
            r = browser.get(path)
            if role in allowed.split():
                assert r.status_code == 200, (role, path, r.status_code, r.text[:300])
                assert f'<html lang="{lang}"' in r.text
            else:
                assert r.status_code == 403, (role, path, r.status_code)
                assert "<html" in r.text


def test_the_navigation_shows_each_role_its_pages(siege: WebWorld) -> None:
    def nav(role: str) -> str:
        text = siege.browser(role, lang="en").get("/account").text
        return text.split('<ul class="nav">', 1)[1].split("</ul>", 1)[0]

    assert 'href="/supplies"' in nav("medic")
    assert 'href="/appeals"' not in nav("medic")
    assert 'href="/appeals"' in nav("monitor")
    assert 'href="/supplies"' not in nav("guard")
    assert 'href="/appeals"' not in nav("receiving")


def test_arabic_and_english(siege: WebWorld) -> None:
    ar = siege.browser("records").get("/supplies").text
    assert '<html lang="ar" dir="rtl">' in ar
    assert "الإمدادات" in ar
    assert "الماء" in ar
    assert "أيام بمعدل الاستهلاك الأخير" in ar
    en = siege.browser("records", lang="en").get("/supplies").text
    assert "Days at recent consumption" in en
    assert "Main tank" in en
    appeals = siege.browser("monitor").get("/appeals").text
    assert "حماية" in appeals  # the kind, in Arabic
    assert "لاسلكي" in appeals


def test_the_runway_its_alerts_and_a_ration_plan(siege: WebWorld) -> None:
    text = siege.browser("medic", lang="en").get("/supplies").text
    runway = text.split('class="runway"', 1)[1].split("</table>", 1)[0]
    water = runway.split("<tr", 2)[2].split("</tr>", 1)[0]
    assert 'class="alert"' in runway
    # 60 L for 2 people: 1.5 days at 40 L a day, 2.0 at the humane 15 L, 10.0 at 3 L.
    assert re.search(r'class="num bad-cell">1\.5<', water)
    assert re.search(r'class="num bad-cell">2\.0<', water)
    assert re.search(r'class="num">10\.0<', water)
    assert "water runs out in 1.5 days at recent consumption" in text
    assert "2 people inside" in text
    plan = siege.browser("medic", lang="en").get("/supplies", params={"until": "2026-02-20"})
    rows = plan.text.split('class="plan"', 1)[1].split("</table>", 1)[0]
    water_plan, food_plan = rows.split("<tr")[2:4]
    assert "under-survival" in water_plan
    assert "under the survival minimum" in water_plan
    assert "under-humane" in food_plan  # 140,000 kcal over 30 days: ~2,300 a person
    assert "140,000" in plan.text  # thousands separated
    past = siege.browser("medic", lang="en").get("/supplies", params={"until": "2026-01-01"})
    assert past.status_code == 200
    assert "not in the future" in past.text


def test_the_runway_as_of_an_earlier_time(siege: WebWorld) -> None:
    browser = siege.browser("records", lang="en")
    before = browser.get("/supplies", params={"at": "2026-01-20T14:45"}).text  # 11:45Z
    # Before the issue (made at 12:00Z), the tank held 100 L: 3.3 days at the humane 30 L.
    assert "3.3" in before
    bad = browser.get("/supplies", params={"at": "yesterday"})
    assert bad.status_code == 200
    assert "not an ISO 8601 time" in bad.text


@pytest.mark.parametrize(
    ("kind", "party", "amount", "unit", "left"),
    [
        ("receive", "ICRC convoy", "1.5", "L", 61_500),
        ("issue", "Block B", "10", "L", 50_000),
        ("lose", "leak", "500", "mL", 59_500),
        ("count", "", "55", "L", 55_000),
    ],
)
def test_each_entry_through_the_form(
    siege: WebWorld, kind: str, party: str, amount: str, unit: str, left: int
) -> None:
    browser = siege.browser("records", lang="en")
    token = csrf_of(browser, "/supplies")
    size = siege.size()
    form = {"csrf_token": token, "form": "entry", "kind": kind, "store": "water-1"}
    form |= {"amount": amount, "unit": unit}
    r = browser.post("/supplies", data=form | {"party": party, "note": "checked"})
    assert r.status_code == 303, refusal(r.text)
    assert r.headers["location"] == "/supplies"
    assert siege.size() == size + 1
    assert stock(siege, "water-1") == left
    assert "Recorded: entry" in browser.get("/supplies").text
    page = browser.get("/supplies/water-1").text
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    newest = rows[0]
    assert {"receive": "delivery", "issue": "issue", "lose": "loss", "count": "stock count"}[
        kind
    ] in newest
    assert (party or "records") in newest  # a count by nobody named is the account's
    assert "store opened" in rows[-1]  # newest first


@pytest.mark.parametrize(
    ("kind", "amount", "unit", "message"),
    [
        ("issue", "61", "L", "cannot be issued"),
        ("receive", "5", "kg", "not kg"),
        ("receive", "-5", "L", "may not be negative"),
        ("lose", "lots", "L", "is not a number"),
        ("stolen", "5", "L", "Choose what to record"),
    ],
)
def test_a_refused_entry_is_shown_on_its_form(
    siege: WebWorld, kind: str, amount: str, unit: str, message: str
) -> None:
    browser = siege.browser("records", lang="en")
    token = csrf_of(browser, "/supplies")
    size = siege.size()
    r = browser.post(
        "/supplies",
        data={
            "csrf_token": token,
            "form": "entry",
            "kind": kind,
            "store": "water-1",
            "amount": amount,
            "unit": unit,
            "party": "Block A typed",
            "note": "kept note",
        },
    )
    assert r.status_code in (409, 422), r.status_code
    assert message in refusal(r.text)
    assert 'value="Block A typed"' in r.text
    assert 'value="kept note"' in r.text
    assert f'value="{amount}"' in r.text
    assert siege.size() == size
    assert stock(siege, "water-1") == 60_000


def test_stores_generators_and_pumps_through_the_forms(siege: WebWorld) -> None:
    browser = siege.browser("admin", lang="en")
    token = csrf_of(browser, "/supplies")
    forms = [
        {"form": "store", "id": "fuel-1", "name": "Bowser", "resource": "fuel", "unit": "L"},
        {"form": "entry", "kind": "receive", "store": "fuel-1", "amount": "400", "unit": "L"}
        | {"party": "convoy"},
        {"form": "generator", "id": "gen-1", "kw": "100", "fuel_store": "fuel-1"}
        | {"load_percent": "50", "hours_per_day": "10"},
        {"form": "pump", "id": "pump-1", "generator": "gen-1", "water_store": "water-1"}
        | {"litres_per_hour": "2000", "head_m": "30"},
        {"form": "generator_set", "id": "gen-1", "running": "0", "reason": "saving fuel"},
    ]
    for data in forms:
        r = browser.post("/supplies", data=data | {"csrf_token": token})
        assert r.status_code == 303, (data, refusal(r.text))
    generator = siege.app.siege.store("gen-1")
    assert isinstance(generator, Generator)
    assert (generator.kw, generator.hours_per_day, generator.running) == (100, 10, False)
    page = browser.get("/supplies").text
    assert 'href="/supplies/pump-1"' in page
    assert ">Start<" in page  # the stopped generator offers a start
    history = browser.get("/supplies/gen-1").text
    assert "generator stopped" in history
    assert "saving fuel" in history
    r = browser.post(
        "/supplies",
        data={"csrf_token": token, "form": "generator_set", "id": "gen-1", "running": "1"},
    )
    assert r.status_code == 303
    assert "fuel caps it" in browser.get("/supplies").text  # pumping ends with the fuel


def test_refused_setup_forms_keep_what_was_typed(siege: WebWorld) -> None:
    browser = siege.browser("records", lang="en")
    token = csrf_of(browser, "/supplies")
    size = siege.size()
    r = browser.post(
        "/supplies",
        data={"csrf_token": token, "form": "store", "id": "rice", "name": "Rice sacks"}
        | {"resource": "food", "unit": "kg"},
    )
    assert r.status_code == 409
    assert "needs its energy" in refusal(r.text)
    assert 'value="Rice sacks"' in r.text
    r = browser.post(
        "/supplies", data={"csrf_token": token, "form": "generator", "id": "gen-9", "kw": "big"}
    )
    assert r.status_code == 422
    assert "whole numbers" in refusal(r.text)
    r = browser.post(
        "/supplies",
        data={"csrf_token": token, "form": "generator_set", "id": "nope", "running": "1"},
    )
    assert r.status_code == 409
    assert "no generator nope" in refusal(r.text)
    assert siege.size() == size


def test_reading_roles_get_no_forms_and_may_not_post(siege: WebWorld) -> None:
    monitor = siege.browser("monitor", lang="en")
    assert 'name="form" value="entry"' not in monitor.get("/supplies").text
    assert 'name="step"' not in monitor.get("/appeals/AP-0001").text
    records = siege.browser("records", lang="en")
    assert 'name="form" value="entry"' in records.get("/supplies").text
    assert 'action="/appeals"' not in records.get("/appeals").text  # reads, never sends
    size = siege.size()
    token = csrf_of(monitor, "/supplies")
    for path, data in (
        (
            "/supplies",
            {"form": "entry", "kind": "issue", "store": "water-1", "amount": "1", "unit": "L"},
        ),
        ("/appeals", {"kind": "resupply", "recipient": "X", "channel": "radio", "text": "x"}),
    ):
        assert monitor.post(path, data=data | {"csrf_token": token}).status_code == 403
    token = csrf_of(records, "/supplies")
    r = records.post("/appeals/AP-0001",
                     data={"csrf_token": token, "step": "remind", "channel": "radio",
                           "text": "x"})  # fmt: skip
    assert r.status_code == 403
    assert siege.size() == size


def test_an_appeal_through_its_forms(siege: WebWorld) -> None:
    browser = siege.browser("admin", lang="en")
    token = csrf_of(browser, "/appeals")
    size = siege.size()
    r = browser.post(
        "/appeals",
        data={
            "csrf_token": token,
            "kind": "safe_corridor",
            "recipient": "Coalition liaison",
            "channel": "phone",
            "text": "A safe corridor for the guards.\nTwo buses.",
            "sitrep_sha256": "AB" * 32,
            "sitrep_name": "sitrep-0120.pdf",
        },
    )
    assert r.status_code == 303, refusal(r.text)
    assert r.headers["location"] == "/appeals/AP-0002"
    assert siege.size() == size + 1
    shown = browser.get("/appeals/AP-0002").text
    assert "Appeal AP-0002 is recorded." in shown
    assert "ab" * 32 in shown
    assert "safe corridor" in shown

    def post(step: str, **data: str) -> None:
        r = browser.post("/appeals/AP-0002", data=data | {"csrf_token": token, "step": step})
        assert r.status_code == 303, (step, refusal(r.text))
        assert r.headers["location"] == "/appeals/AP-0002"

    post("ack", by="Major K.", note="received")
    post("promise", action="Open the corridor", deadline="2026-01-21T12:00", by="Major K.")
    listed = browser.get("/appeals").text
    assert "Coalition liaison" in listed
    assert "reminder due" not in listed
    siege.clock.advance(timedelta(days=2))
    browser = siege.browser("admin", lang="en")  # the session has ended meanwhile
    token = csrf_of(browser, "/appeals")
    listed = browser.get("/appeals").text
    row = listed.split('href="/appeals/AP-0002"', 1)[1].split("</tr>", 1)[0]
    assert "reminder due" in row
    post("remind", channel="radio", text="The deadline has passed.")
    assert "reminder due" not in browser.get("/appeals").text
    r = browser.post(
        "/appeals/AP-0002",
        data={"csrf_token": token, "step": "close", "outcome": "refused", "note": ""},
    )
    assert r.status_code == 409
    assert "needs a note" in refusal(r.text)
    post("close", outcome="refused", note="The corridor was not opened.")
    appeal = siege.app.siege.case("appeals", "AP-0002")
    assert appeal.status == "refused"
    assert [p.action for p in appeal.promises] == ["Open the corridor"]
    assert len(appeal.reminders) == 1
    page = browser.get("/appeals/AP-0002").text
    assert "refused by the guarantor" in page
    assert 'name="step"' not in page  # closed: no more steps
    assert 'href="/appeals/AP-0002"' not in browser.get("/appeals").text
    assert 'href="/appeals/AP-0002"' in browser.get("/appeals?closed=1").text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"recipient": ""}, "needs a recipient"),
        ({"text": "  "}, "needs its text"),
        ({"kind": "rescue"}, "kind of appeal"),
        ({"sitrep_sha256": "not-a-hash"}, "64 lowercase hexadecimal"),
        ({"time": "2026-02-01T10:00"}, "after the current time"),
    ],
)
def test_a_refused_appeal_is_shown_on_its_form(
    siege: WebWorld, change: dict[str, str], message: str
) -> None:
    browser = siege.browser("admin", lang="en")
    token = csrf_of(browser, "/appeals")
    size = siege.size()
    form = {
        "csrf_token": token,
        "kind": "resupply",
        "recipient": "WFP",
        "channel": "letter",
        "text": "Flour for 1,500 people",
    }
    r = browser.post("/appeals", data=form | change)
    assert r.status_code in (409, 422)
    assert message in refusal(r.text)
    if "text" not in change:
        assert "Flour for 1,500 people</textarea>" in r.text
    assert siege.size() == size


def test_a_refused_promise_keeps_what_was_typed(siege: WebWorld) -> None:
    browser = siege.browser("admin", lang="en")
    token = csrf_of(browser, "/appeals/AP-0001")
    size = siege.size()
    r = browser.post(
        "/appeals/AP-0001",
        data={
            "csrf_token": token,
            "step": "promise",
            "action": "Send water",
            "by": "Delegate",
            "deadline": "",
        },
    )
    assert r.status_code == 422
    assert "needs its deadline" in refusal(r.text)
    assert "Send water</textarea>" in r.text
    assert 'value="Delegate"' in r.text
    assert siege.size() == size


def test_unknown_store_and_appeal_are_not_found(siege: WebWorld) -> None:
    browser = siege.browser("records", lang="en")
    assert browser.get("/supplies/nothing-here").status_code == 404
    assert browser.get("/appeals/AP-9999").status_code == 404


def test_pages_need_a_session(siege: WebWorld) -> None:
    client: TestClient = siege.client()
    for path in ("/supplies", "/supplies/water-1", "/appeals", "/appeals/AP-0001"):
        r = client.get(path)
        assert r.status_code == 303
        assert r.headers["location"] == f"/login?next={path}"


def test_a_forged_token_writes_nothing(siege: WebWorld) -> None:
    browser = siege.browser("admin")
    size = siege.size()
    entry = {"form": "entry", "kind": "issue", "store": "water-1", "amount": "1", "unit": "L"}
    for path, data in (
        ("/supplies", entry | {"party": "Block A"}),
        ("/appeals/AP-0001", {"step": "ack", "by": "Delegate"}),
    ):
        r = browser.post(path, data=data | {"csrf_token": "forged"})
        assert r.status_code == 403
    assert siege.size() == size
    assert stock(siege, "water-1") == 60_000
