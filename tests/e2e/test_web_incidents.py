"""The incidents, notifications and situation report pages without a browser: who may open
them, in Arabic and English; every form's happy path; refusals (an addendum to a closed
incident, a death never recorded as a movement, an unknown person, acknowledging what was
never sent) shown on their form with what was typed kept, writing nothing; the attack
timeline in time order; the situation report's figures and its downloads, each in the
access log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from amanah.domain.appeals.commands import SendAppeal
from amanah.domain.incidents.commands import ChangeStatus, LinkedPerson, ReportIncident
from amanah.domain.movements.commands import Move
from amanah.domain.supplies.commands import Issue, OpenStore, Receive
from amanah.domain.supplies.units import to_base
from tests.support.access_world import ACCOUNTS, NOW
from tests.support.web_world import WebWorld, csrf_of

ROLES = tuple(ACCOUNTS)
INCIDENTS = "admin records guard medic monitor"
NOTIFICATIONS = "admin records medic monitor"
SITREP = "admin records medic monitor"

# page -> the roles that may open it (everyone else gets 403).
PAGES = {
    "/incidents": INCIDENTS,
    "/incidents?open=1": INCIDENTS,
    "/incidents?view=attacks": INCIDENTS,
    "/incidents/I-0001": INCIDENTS,
    "/notifications": NOTIFICATIONS,
    "/notifications?all=1": NOTIFICATIONS,
    "/sitrep": SITREP,
    "/sitrep?at=2026-01-20T14:30": SITREP,
}
ALERT = re.compile(r'role="alert">(.*?)</div>', re.S)


@pytest.fixture
def siege(web: WebWorld) -> WebWorld:
    """Two attacks (the later one reported first), a water cut, the death of D-000001
    (recorded as a movement: it owes two notifications) and its incident, a water store
    and an open appeal."""
    app = web.app
    died = NOW - timedelta(minutes=50)
    app.facility.run(
        [
            Move(
                "death",
                "D-000001",
                died,
                None,
                None,
                {"place": "A-01", "circumstances": "shelling"},
            )
        ],
        app.actor,
    )
    app.siege.run(
        [
            ReportIncident(
                "",
                "AQ",
                "attack",
                "serious",
                NOW - timedelta(minutes=40),
                "north wall",
                "Mortar fire on the north wall",
                (LinkedPerson("D-000002", "injured", "injured"),),
            ),
            ReportIncident(
                "",
                "AQ",
                "breach_attempt",
                "moderate",
                NOW - timedelta(minutes=100),
                "main gate",
                "Armed men tried the gate",
            ),
            ReportIncident(
                "", "AQ", "water_loss", "minor", NOW - timedelta(minutes=30), None, "Pipe cut"
            ),
            ReportIncident(
                "",
                "AQ",
                "death",
                "critical",
                died,
                "A-01",
                "Killed by shrapnel in his cell",
                (LinkedPerson("D-000001", "deceased", "dead"),),
            ),
            OpenStore("water-1", "AQ", "water", "Main tank", "L", NOW - timedelta(hours=3)),
            Receive("water-1", to_base("100", "L"), NOW - timedelta(hours=3), "ICRC"),
            Issue("water-1", to_base("30", "L"), NOW - timedelta(hours=2), "Block A"),
            SendAppeal(
                "AP-0001",
                "AQ",
                "protection",
                "ICRC",
                "radio",
                "Protect us",
                NOW - timedelta(minutes=20),
            ),
        ],
        app.actor,
    )
    return web


def refusal(text: str) -> str:
    found = ALERT.search(text)
    assert found, text[:2000]
    return found.group(1)


def owed(web: WebWorld) -> list[str]:
    """The ids of the notifications of AQ."""
    return [n.id for n in web.app.siege.cases("notifications", "AQ")]


def exports(web: WebWorld) -> list[str]:
    log = web.api("monitor").get("/api/v1/access-log", params={"limit": 50}).json()
    return [row["subject"] for row in log if row["kind"] == "export"]


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

    assert 'href="/incidents"' in nav("guard")
    assert 'href="/notifications"' not in nav("guard")
    assert 'href="/sitrep"' not in nav("guard")
    for role in ("medic", "monitor", "records", "admin"):
        shown = nav(role)
        assert all(f'href="/{p}"' in shown for p in ("incidents", "notifications", "sitrep"))
    assert 'href="/incidents"' not in nav("receiving")
    admin = nav("admin")
    order = [admin.index(f'href="/{p}"') for p in ("supplies", "incidents", "appeals", "sitrep")]
    assert order == sorted(order)  # the siege pages stand together


def test_arabic_and_english(siege: WebWorld) -> None:
    ar = siege.browser("records").get("/incidents").text
    assert '<html lang="ar" dir="rtl">' in ar
    assert "الحوادث" in ar
    assert "هجوم" in ar
    assert "خطير" in ar
    en = siege.browser("records", lang="en").get("/incidents").text
    assert "breach attempt" in en
    assert "Mortar" not in en  # the list shows no summaries
    assert "north wall" in en
    notes = siege.browser("medic").get("/notifications").text
    assert "أقرب الأقارب" in notes
    assert "وفاة" in notes
    report = siege.browser("monitor").get("/sitrep").text
    assert "تقرير الوضع" in report
    assert "في الداخل" in report  # the radio message, in Arabic


def test_the_list_newest_first_with_severity_people_and_the_open_filter(siege: WebWorld) -> None:
    browser = siege.browser("guard", lang="en")
    text = browser.get("/incidents").text
    table = text.split('class="incidents"', 1)[1].split("</table>", 1)[0]
    ids = re.findall(r'href="/incidents/(I-\d+)"', table)
    # water cut 11:30Z, attack 11:20Z, death 11:10Z, breach attempt 10:20Z
    assert ids == ["I-0003", "I-0001", "I-0004", "I-0002"]
    attack = table.split('href="/incidents/I-0001"', 1)[1].split("</tr>", 1)[0]
    assert 'class="badge serious"' in attack
    assert "2026-01-20 14:20" in attack  # in the facility's zone (UTC+3)
    assert re.search(r'class="num">1<', attack)  # one person concerned
    siege.app.siege.run([ChangeStatus("I-0002", "closed", NOW, "repelled")], siege.app.actor)
    open_only = browser.get("/incidents?open=1").text
    assert 'href="/incidents/I-0002"' not in open_only
    assert 'href="/incidents/I-0001"' in open_only
    assert 'href="/incidents/I-0002"' in browser.get("/incidents").text


def test_the_attack_timeline_is_in_time_order(siege: WebWorld) -> None:
    text = siege.browser("monitor", lang="en").get("/incidents?view=attacks").text
    timeline = text.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    ids = re.findall(r'href="/incidents/(I-\d+)"', timeline)
    assert ids == ["I-0002", "I-0001"]  # breach attempt at 10:20Z, then the attack at 11:20Z
    assert "I-0003" not in timeline  # a water cut is not an attack
    times = re.findall(r"<time>\u2066(2026-01-20 \d\d:\d\d)\u2069</time>", timeline)
    assert times == sorted(times) == ["2026-01-20 13:20", "2026-01-20 14:20"]
    assert "1:00" in timeline  # an hour after the one before
    assert 'class="badge moderate"' in timeline
    assert 'action="/incidents"' not in text  # a monitor reads, never reports


def test_report_an_incident_through_the_form(siege: WebWorld) -> None:
    browser = siege.browser("guard", lang="en")
    token = csrf_of(browser, "/incidents")
    size = siege.size()
    r = browser.post(
        "/incidents",
        data={
            "csrf_token": token,
            "kind": "attack",
            "severity": "critical",
            "time": "2026-01-20T14:50",
            "location": "east tower",
            "summary": "Sniper fire at the east tower.\nOne guard hit.",
            "person_0": "d-000002",
            "role_0": "injured",
            "outcome_0": "seriously_injured",
            "person_1": "",
            "role_1": "witness",
            "outcome_1": "unharmed",
        },
    )
    assert r.status_code == 303, refusal(r.text)
    assert r.headers["location"] == "/incidents/I-0005"
    found = siege.app.siege.case("incidents", "I-0005")
    assert (found.kind, found.severity, found.location) == ("attack", "critical", "east tower")
    assert found.time == "2026-01-20T11:50:00Z"
    assert [(p.person, p.role, p.outcome) for p in found.people] == [
        ("D-000002", "injured", "seriously_injured")
    ]
    assert siege.size() > size  # the report, and the serious injury's notifications owed
    page = browser.get("/incidents/I-0005").text
    assert "Incident I-0005 is recorded." in page
    assert "One guard hit." in page
    assert "seriously injured" in page
    reasons = [n.reason for n in siege.app.siege.cases("notifications", "AQ")]
    assert reasons.count("serious_injury") == 2


@pytest.mark.parametrize(
    ("change", "message", "status"),
    [
        # A death incident needs the death recorded as a movement first.
        (
            {"kind": "death", "person_0": "D-000002", "role_0": "deceased", "outcome_0": "dead"},
            "record the death of D-000002 as a movement first",
            409,
        ),
        (
            {"person_0": "D-999999", "role_0": "witness", "outcome_0": "unharmed"},
            "no person D-999999",
            404,
        ),
        (
            {"person_0": "D-000002", "role_0": "", "outcome_0": "dead"},
            "Choose the role and the outcome",
            422,
        ),
        ({"kind": "death"}, "at least one person linked as deceased", 409),
        ({"summary": "  "}, "needs a summary", 409),
        ({"severity": "apocalyptic"}, "the severity must be one of", 409),
        ({"time": "2026-02-01T10:00"}, "after the current time", 409),
    ],
)
def test_a_refused_report_is_shown_on_its_form(
    siege: WebWorld, change: dict[str, str], message: str, status: int
) -> None:
    browser = siege.browser("records", lang="en")
    token = csrf_of(browser, "/incidents")
    size = siege.size()
    form = {
        "csrf_token": token,
        "kind": "injury",
        "severity": "serious",
        "location": "yard typed",
        "summary": "Fell from the wall",
    }
    r = browser.post("/incidents", data=form | change)
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert message in refusal(r.text)
    assert 'value="yard typed"' in r.text
    if "summary" not in change:
        assert "Fell from the wall</textarea>" in r.text
    if change.get("person_0"):
        assert f'value="{change["person_0"]}"' in r.text
    if change.get("kind"):
        assert f'<option value="{change["kind"]}" selected>' in r.text
    assert siege.size() == size
    assert "I-0005" not in [i.id for i in siege.app.siege.cases("incidents", "AQ")]


def test_the_incident_page_shows_the_report_people_addenda_and_history(siege: WebWorld) -> None:
    browser = siege.browser("records", lang="en")
    token = csrf_of(browser, "/incidents/I-0001")

    def post(step: str, **data: str) -> None:
        r = browser.post("/incidents/I-0001", data=data | {"csrf_token": token, "step": step})
        assert r.status_code == 303, (step, refusal(r.text))
        assert r.headers["location"] == "/incidents/I-0001"

    post(
        "addendum",
        text="The injured man was taken to the clinic.",
        person_0="D-000002",
        role_0="injured",
        outcome_0="hospitalised",
    )
    post("addendum", text="The wall is breached at two points.")
    post("status", status="under_review", reason="")
    post("status", status="closed", reason="Reviewed by the director")
    found = siege.app.siege.case("incidents", "I-0001")
    assert [a.text for a in found.addenda] == [
        "The injured man was taken to the clinic.",
        "The wall is breached at two points.",
    ]
    assert [h.status for h in found.history] == ["under_review", "closed"]
    assert found.reported_people[0].outcome == "injured"  # the report as made
    assert found.people[0].outcome == "hospitalised"  # the current list
    page = browser.get("/incidents/I-0001").text
    assert "Mortar fire on the north wall" in page
    addenda = page.split('class="addenda"', 1)[1].split("</ol>", 1)[0]
    assert addenda.index("clinic") < addenda.index("two points")
    people = page.split('class="people"', 1)[1].split("</table>", 1)[0]
    assert "in hospital" in people
    history = page.split('class="history"', 1)[1].split("</table>", 1)[0]
    assert history.index("under review") < history.index("Reviewed by the director")
    # Closed: no addendum form; the only status offered is "reopened".
    assert 'name="step" value="addendum"' not in page
    assert "must be reopened" in page
    status_form = page.split('name="step" value="status"', 1)[1].split("</form>", 1)[0]
    assert re.findall(r'<option value="([a-z_]+)"', status_form) == ["reopened"]


def test_an_addendum_to_a_closed_incident_is_refused_until_it_is_reopened(
    siege: WebWorld,
) -> None:
    siege.app.siege.run([ChangeStatus("I-0002", "closed", NOW, "repelled")], siege.app.actor)
    browser = siege.browser("admin", lang="en")
    token = csrf_of(browser, "/incidents/I-0002")
    size = siege.size()
    data = {"csrf_token": token, "step": "addendum", "text": "They came back at night."}
    r = browser.post("/incidents/I-0002", data=data)
    assert r.status_code == 409
    assert "needs it reopened first" in refusal(r.text)
    assert "They came back at night.</textarea>" in r.text
    assert siege.size() == size
    r = browser.post(
        "/incidents/I-0002",
        data={"csrf_token": token, "step": "status", "status": "reopened", "reason": ""},
    )
    assert r.status_code == 409
    assert "needs a reason" in refusal(r.text)
    assert siege.size() == size
    r = browser.post(
        "/incidents/I-0002",
        data={"csrf_token": token, "step": "status", "status": "reopened", "reason": "new facts"},
    )
    assert r.status_code == 303
    assert browser.post("/incidents/I-0002", data=data).status_code == 303
    assert siege.app.siege.case("incidents", "I-0002").addenda[0].text == data["text"]


def test_an_addendum_naming_an_unknown_person_writes_nothing(siege: WebWorld) -> None:
    browser = siege.browser("medic", lang="en")
    token = csrf_of(browser, "/incidents/I-0001")
    size = siege.size()
    r = browser.post(
        "/incidents/I-0001",
        data={"csrf_token": token, "step": "addendum", "text": "A witness came forward.",
              "person_0": "D-424242", "role_0": "witness", "outcome_0": "unharmed"},
    )  # fmt: skip
    assert r.status_code == 404
    assert "no person D-424242" in refusal(r.text)
    assert 'value="D-424242"' in r.text
    assert siege.size() == size
    assert siege.app.siege.case("incidents", "I-0001").addenda == ()


def test_who_may_add_review_or_only_read(siege: WebWorld) -> None:
    guard = siege.browser("guard", lang="en")
    monitor = siege.browser("monitor", lang="en")
    page = guard.get("/incidents/I-0001").text
    assert 'name="step" value="addendum"' in page
    assert 'name="step" value="status"' not in page  # a guard reports, never reviews
    token = csrf_of(guard, "/incidents/I-0001")
    size = siege.size()
    r = guard.post(
        "/incidents/I-0001",
        data={"csrf_token": token, "step": "status", "status": "closed", "reason": "x"},
    )
    assert r.status_code == 403
    assert 'name="step"' not in monitor.get("/incidents/I-0001").text
    token = csrf_of(monitor, "/incidents")
    for path, data in (
        ("/incidents", {"kind": "fire", "severity": "minor", "summary": "x"}),
        ("/incidents/I-0001", {"step": "addendum", "text": "x"}),
        ("/notifications/N-000001", {"step": "sent", "channel": "phone", "to": "x", "by": "y"}),
    ):
        assert monitor.post(path, data=data | {"csrf_token": token}).status_code == 403
    assert siege.size() == size


def test_notifications_owed_marked_sent_then_acknowledged(siege: WebWorld) -> None:
    first, second = owed(siege)
    browser = siege.browser("medic", lang="en")
    text = browser.get("/notifications").text
    row = text.split(f'id="{first}"', 1)[1].split("</tr>", 1)[0]
    assert "D-000001" in row
    assert "death" in row
    assert "2026-01-21 14:10" in row  # due 24 hours after the death (11:10Z), local time
    assert "OVERDUE" not in text
    token = csrf_of(browser, "/notifications")
    size = siege.size()
    r = browser.post(
        f"/notifications/{first}",
        data={"csrf_token": token, "step": "sent", "channel": "phone", "to": "His brother Ahmad",
              "by": "Dr Rana", "note": "by the clinic phone"},
    )  # fmt: skip
    assert r.status_code == 303, refusal(r.text)
    assert r.headers["location"] == "/notifications"
    assert siege.size() == size + 1
    found = siege.app.siege.case("notifications", first)
    assert (found.status, found.sent.to, found.sent.channel) == (
        "sent",
        "His brother Ahmad",
        "phone",
    )
    text = browser.get("/notifications").text
    assert "Recorded: entry" in text
    row = text.split(f'id="{first}"', 1)[1].split("</tr>", 1)[0]
    assert "His brother Ahmad" in row
    assert 'name="step" value="ack"' in row
    assert 'name="step" value="sent"' not in row
    r = browser.post(
        f"/notifications/{first}",
        data={"csrf_token": token, "step": "ack", "by": "Ahmad", "note": "called back"},
    )
    assert r.status_code == 303, refusal(r.text)
    assert siege.app.siege.case("notifications", first).status == "acknowledged"
    assert f'id="{first}"' not in browser.get("/notifications").text
    everything = browser.get("/notifications?all=1").text
    assert f'id="{first}"' in everything
    assert f'id="{second}"' in everything


def test_an_overdue_notification_is_flagged(siege: WebWorld) -> None:
    siege.clock.advance(timedelta(days=1))
    text = siege.browser("monitor", lang="en").get("/notifications").text
    assert text.count("OVERDUE") == 2
    assert "2 overdue" in text
    assert 'class="overdue"' in text
    assert 'name="step"' not in text  # a monitor reads, never records
    report = siege.browser("monitor", lang="en").get("/sitrep").text
    assert "Notifications overdue: 2" in report


SENT = {"step": "sent", "channel": "radio", "to": "brother", "by": "Records officer"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"step": "ack", "by": "The brother"}, "only a sent notification can be acknowledged"),
        (SENT | {"to": ""}, "needs who was told"),
        (SENT | {"channel": "pigeon"}, "the channel must be"),
        (SENT | {"time": "2026-01-19T10:00"}, "before what owes notification"),
    ],
)
def test_a_refused_notification_step_is_shown_on_its_form(
    siege: WebWorld, data: dict[str, str], message: str
) -> None:
    first = owed(siege)[0]
    browser = siege.browser("records", lang="en")
    token = csrf_of(browser, "/notifications")
    size = siege.size()
    r = browser.post(f"/notifications/{first}", data=data | {"csrf_token": token, "note": "kept"})
    assert r.status_code == 409
    row = r.text.split(f'id="{first}"', 1)[1].split("</tr>", 1)[0]
    assert message in refusal(row)
    assert f'name="step" value="{data["step"]}"' in row
    assert 'value="kept"' in row
    assert '<details class="step" open>' in row
    assert siege.size() == size
    assert siege.app.siege.case("notifications", first).status == "owed"


def test_the_sitrep_page_shows_the_figures(siege: WebWorld) -> None:
    text = siege.browser("records", lang="en").get("/sitrep").text
    message = text.split('class="sitrep-message"', 1)[1].split("</textarea>", 1)[0]
    assert "SITREP Test prison 2026-01-20 15:00" in message
    assert "Inside: 1 (detainees 1" in message  # D-000001 died
    assert "Water: none" in message  # the water cut is open
    assert "Attacks 72h: 2" in message
    assert "Incidents 24h: 4" in message
    figures = text.split('class="figures sitrep-figures"', 1)[1].split("</section>", 1)[0]
    values = re.findall(r'class="value num">([^<]+)<', figures)
    # inside, unaccounted, 24 h, 72 h, attacks, owed, overdue, open appeals
    assert values == ["1", "0", "4", "4", "2", "2", "0", "1"]
    utilities = text.split('class="plain utilities"', 1)[1].split("</ul>", 1)[0]
    water = utilities.split("</li>", 1)[0]
    assert "water" in water
    assert "level-out" in water
    runway = text.split('class="runway"', 1)[1].split("</table>", 1)[0]
    assert "70 L" in runway.replace("\u00a0", " ")
    assert 'href="/incidents/I-0004"' in text
    assert 'href="/appeals/AP-0001"' in text
    assert "Pinned to the signed checkpoint" in text
    size = siege.size()
    assert f">{size}<" in text.split('id="checkpoint"', 1)[1]
    # The downloads, with the page's language for the text.
    assert 'href="/sitrep.pdf?lang=ar"' in text
    assert 'href="/sitrep.pdf?lang=en"' in text
    assert 'href="/sitrep.txt?lang=en"' in text
    assert 'href="/sitrep.hxl.csv"' in text
    medic = siege.browser("medic", lang="en").get("/sitrep").text
    assert 'href="/appeals/AP-0001"' not in medic  # a medic may not read the appeals
    assert "AP-0001" in medic


def test_the_sitrep_as_of_an_earlier_time(siege: WebWorld) -> None:
    browser = siege.browser("monitor", lang="en")
    before = browser.get("/sitrep", params={"at": "2026-01-20T13:30"}).text  # 10:30Z
    message = before.split('class="sitrep-message"', 1)[1].split("</textarea>", 1)[0]
    assert "2026-01-20 13:30" in message
    assert "Attacks 72h: 1" in message  # only the breach attempt had happened
    assert 'href="/sitrep.pdf?lang=ar&amp;at=2026-01-20T13%3A30"' in before
    bad = browser.get("/sitrep", params={"at": "yesterday"})
    assert bad.status_code == 200
    assert "not an ISO 8601 time" in bad.text


@pytest.mark.parametrize(
    ("path", "form", "kind", "start", "name"),
    [
        ("/sitrep.pdf?lang=ar", "pdf", "application/pdf", b"%PDF", "-ar.pdf"),
        ("/sitrep.pdf?lang=en", "pdf", "application/pdf", b"%PDF", "-en.pdf"),
        ("/sitrep.txt?lang=ar", "text", "text/plain; charset=utf-8", "تقرير".encode(), "-ar.txt"),
        ("/sitrep.txt?lang=en", "text", "text/plain; charset=utf-8", b"SITREP", "-en.txt"),
        ("/sitrep.hxl.csv", "hxl", "text/csv; charset=utf-8", b"", ".hxl.csv"),
    ],
)
def test_the_downloads_are_in_the_access_log(
    siege: WebWorld, path: str, form: str, kind: str, start: bytes, name: str
) -> None:
    before = exports(siege)
    r = siege.browser("medic", lang="en").get(path)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == kind
    assert r.content.startswith(start)
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="sitrep-AQ-')
    assert disposition.endswith(f'{name}"')
    if path.startswith("/sitrep.hxl"):
        assert b"#" in r.content.split(b"\n", 2)[1]  # the HXL hashtag row
        assert b"D-000001" not in r.content  # aggregate figures only
    assert exports(siege) == [f"sitrep.{form}", *before]


def test_downloads_need_sitrep_read(siege: WebWorld) -> None:
    before = exports(siege)
    guard = siege.browser("guard", lang="en")
    for path in ("/sitrep.pdf", "/sitrep.txt", "/sitrep.hxl.csv"):
        assert guard.get(path).status_code == 403
    assert siege.browser("records").get("/sitrep.txt?lang=fr").status_code == 422
    assert exports(siege) == before


def test_unknown_incident_is_not_found(siege: WebWorld) -> None:
    browser = siege.browser("records", lang="en")
    assert browser.get("/incidents/I-9999").status_code == 404
    token = csrf_of(browser, "/incidents")
    size = siege.size()
    r = browser.post(
        "/notifications/N-999999",
        data={"csrf_token": token, "step": "sent", "channel": "radio", "to": "x", "by": "y"},
    )
    assert r.status_code == 409
    assert "no notification N-999999" in refusal(r.text)
    assert siege.size() == size


def test_pages_need_a_session(siege: WebWorld) -> None:
    client: TestClient = siege.client()
    for path in ("/incidents", "/incidents/I-0001", "/notifications", "/sitrep", "/sitrep.txt"):
        r = client.get(path)
        assert r.status_code == 303
        assert r.headers["location"] == f"/login?next={path}"


def test_a_forged_token_writes_nothing(siege: WebWorld) -> None:
    browser = siege.browser("admin")
    size = siege.size()
    for path, data in (
        ("/incidents", {"kind": "fire", "severity": "minor", "summary": "Smoke"}),
        ("/incidents/I-0001", {"step": "addendum", "text": "more"}),
        ("/incidents/I-0001", {"step": "status", "status": "under_review"}),
        ("/notifications/N-000001", {"step": "sent", "channel": "phone", "to": "x", "by": "y"}),
    ):
        r = browser.post(path, data=data | {"csrf_token": "forged"})
        assert r.status_code == 403
    assert siege.size() == size
