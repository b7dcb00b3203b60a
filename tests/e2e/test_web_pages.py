"""The web pages without a browser: who may open which page, what each shows in Arabic and
English, and every form's happy path and refusal (a refusal is shown on its form and
writes nothing)."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from tests.support.access_world import ACCOUNTS, PASSWORD
from tests.support.web_world import BASE, WebWorld, csrf_of

ROLES = tuple(ACCOUNTS)

# page -> the roles that may open it (everyone else gets 403, or a redirect for "/").
PAGES = {
    "/": "admin records guard medic monitor",
    "/people?q=Samer": "admin records medic monitor",
    "/people/D-000001": "admin records medic monitor",
    "/people/new?category=detainee": "admin records",
    "/roster": "admin records guard medic monitor receiving",
    "/rolls": "admin records guard medic monitor",
    "/movements?kind=cell": "admin records guard medic",  # the medic sees their own kinds
    "/sheets/A": "admin records guard medic monitor",
    "/ledger": "admin records monitor",
    "/ledger/receipt?index=1": "admin records monitor",
    "/ledger/tiles.zip": "admin records monitor",
    "/access": "admin monitor",
    "/access/verify": "admin monitor",
    "/users": "admin",
    "/account": "admin records guard medic monitor receiving",
}


@pytest.fixture
def browsers(web: WebWorld) -> dict[str, object]:
    return {role: web.browser(role) for role in ROLES}


@pytest.mark.parametrize("path", PAGES)
def test_who_may_open_which_page(web: WebWorld, path: str) -> None:
    for role in ROLES:
        r = web.browser(role).get(path)
        if role in PAGES[path].split():
            assert r.status_code == 200, (role, path, r.status_code, r.text[:300])
        elif path == "/":
            assert r.status_code == 303  # the receiving officer's home is the roster
            assert r.headers["location"] == "/roster"
        else:
            assert r.status_code == 403, (role, path, r.status_code)
            assert "<html" in r.text  # a page for a person, not a JSON body


def test_arabic_is_the_default_and_english_a_choice(web: WebWorld) -> None:
    ar = web.browser("admin").get("/")
    assert '<html lang="ar" dir="rtl">' in ar.text
    assert "لوحة المتابعة" in ar.text
    en = web.browser("admin", lang="en").get("/")
    assert '<html lang="en" dir="ltr">' in en.text
    assert "Dashboard" in en.text


def test_switching_language_keeps_to_the_session(web: WebWorld) -> None:
    browser = web.browser("records")
    token = csrf_of(browser)
    r = browser.post("/language", data={"csrf_token": token, "lang": "en", "next": "/rolls"})
    assert r.status_code == 303
    assert r.headers["location"] == "/rolls"
    browser.cookies.delete("amanah_lang")
    assert '<html lang="en"' in browser.get("/rolls").text


def test_the_dashboard_shows_the_figures_and_the_ledger(web: WebWorld) -> None:
    text = web.browser("admin", lang="en").get("/").text
    assert "Test prison" in text
    assert "Latest movements" in text
    assert "D-000001" in text
    assert "not yet cosigned by any witness" in text
    guard = web.browser("guard", lang="en").get("/").text
    assert "Latest movements" not in guard  # names people: the register's
    assert "D-000001" not in guard


def test_search_page_and_its_htmx_fragment(web: WebWorld) -> None:
    browser = web.browser("records")
    page = browser.get("/people", params={"q": "سام"})
    assert "D-000001" in page.text
    assert "<html" in page.text
    fragment = browser.get(
        "/people", params={"q": "khal"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "<html" not in fragment.text
    assert "D-000002" in fragment.text
    assert "D-000001" not in fragment.text
    short = browser.get("/people", params={"q": "x"})
    assert "two letters" in short.text


def test_the_person_page_shows_record_and_history_and_is_logged(web: WebWorld) -> None:
    browser = web.browser("medic", lang="en")
    text = browser.get("/people/D-000001").text
    assert "CO-1" in text
    assert "Court A" in text
    assert "admission" in text
    log = web.api("admin").get("/api/v1/access-log", params={"limit": 5}).json()
    assert any(r["kind"] == "person.viewed" and r["user"] == "medic" for r in log)
    assert browser.get("/people/D-404040").status_code == 404


def test_admission_through_the_form(web: WebWorld) -> None:
    browser = web.browser("records", lang="en")
    token = csrf_of(browser)
    form = {
        "csrf_token": token,
        "category": "detainee",
        "name_ar": "يوسف العلي",
        "name_latin": "Yusuf al-Ali",
        "aliases": "Abu Ahmad; Yusuf",
        "gender": "male",
        "nationality": "iq",
        "birth_date": "1990",
        "birth_date_approximate": "1",
        "commitment.order_ref": "CO-77",
        "commitment.grounds": "synthetic grounds",
        "commitment.ordering_authority": "Court A",
        "commitment.responsible_authority": "Administration B",
        "arrest.time": "2026-01-15T09:30",
        "arrest.place": "Tabqa",
        "arrest.authority": "Police",
        "next_of_kin": "Amina;mother;+963 000 000",
        "location": "A-02",
    }
    r = browser.post("/people/new", data=form)
    assert r.status_code == 303, r.text[:500]
    number = r.headers["location"].rsplit("/", 1)[1]
    person = web.api("records").get(f"/api/v1/people/{number}").json()
    assert person["location"] == "A-02"
    assert person["record"]["nationality"] == "IQ"
    assert person["record"]["aliases"] == ["Abu Ahmad", "Yusuf"]
    assert person["record"]["next_of_kin"]["relation"] == "mother"
    assert person["record"]["birth_date_approximate"] is True
    assert "is on the register" in browser.get(r.headers["location"]).text


def test_an_admission_refused_keeps_what_was_typed(web: WebWorld) -> None:
    browser = web.browser("records", lang="en")
    token = csrf_of(browser)
    size = web.size()
    r = browser.post(
        "/people/new",
        data={
            "csrf_token": token,
            "category": "detainee",
            "name_latin": "Nobody Known",
            "gender": "male",
            "nationality": "SY",
        },
    )
    assert r.status_code == 409
    assert "commitment" in r.text
    assert 'value="Nobody Known"' in r.text
    assert web.size() == size


def test_staff_and_others_through_the_form(web: WebWorld) -> None:
    browser = web.browser("records")
    token = csrf_of(browser)
    r = browser.post(
        "/people/new",
        data={
            "csrf_token": token,
            "category": "staff",
            "name_ar": "سعيد",
            "gender": "male",
            "nationality": "SY",
            "staff.role": "guard",
            "staff.post": "gate",
        },
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith("/people/S-")
    r = browser.post(
        "/people/new",
        data={
            "csrf_token": token,
            "category": "other",
            "name_latin": "Dr Visitor",
            "gender": "female",
            "nationality": "FR",
            "other.role": "medical team",
        },
    )
    assert r.headers["location"].startswith("/people/V-")


def test_a_correction_through_the_form(web: WebWorld) -> None:
    browser = web.browser("records", lang="en")
    token = csrf_of(browser)
    r = browser.post(
        "/people/D-000001/correct",
        data={"csrf_token": token, "field": "name_latin", "value": "Samir", "reason": "typo"},
    )
    assert r.status_code == 303
    page = browser.get("/people/D-000001").text
    assert "Samir" in page
    assert "the old value stays in the ledger" in page
    r = browser.post(
        "/people/D-000001/correct",
        data={"csrf_token": token, "field": "name_latin", "value": "Samir", "reason": "again"},
    )
    assert "already has that value" in browser.get("/people/D-000001").text


def test_each_role_is_offered_only_its_movements(web: WebWorld) -> None:
    medic = web.browser("medic").get("/movements", params={"kind": "cell"}).text
    assert 'href="/movements?kind=out' in medic
    assert 'href="/movements?kind=cell' not in medic
    assert 'name="kind" value="cell"' not in medic  # no cell-move form for a medic
    guard = web.browser("guard").get("/movements").text
    assert 'href="/movements?kind=cell' in guard
    assert 'href="/movements?kind=out' not in guard


def test_every_movement_form_renders_and_a_move_is_recorded(web: WebWorld) -> None:
    browser = web.browser("admin", lang="en")
    for kind in (
        "cell",
        "out",
        "return",
        "transfer",
        "receive",
        "release",
        "death",
        "escape",
        "recapture",
    ):
        page = browser.get("/movements", params={"kind": kind, "person": "D-000001"})
        assert page.status_code == 200
        assert f'name="kind" value="{kind}"' in page.text
    token = csrf_of(browser)
    r = browser.post(
        "/movements",
        data={
            "csrf_token": token,
            "kind": "transfer",
            "person": "D-000002",
            "destination": "Central prison",
            "authority": "Ministry",
        },
    )
    assert r.status_code == 303
    assert web.app.facility.person("D-000002")[0].status == "in_transit"


def test_a_capacity_refusal_is_shown_and_an_override_passes(web: WebWorld) -> None:
    web.api("admin").put(
        "/api/v1/locations/A-02/capacity",
        json={"certified": 0, "working": 0, "maximum": 0, "reason": "closed for repairs"},
    )
    browser = web.browser("records", lang="en")
    token = csrf_of(browser)
    move = {
        "csrf_token": token,
        "kind": "cell",
        "person": "D-000001",
        "to": "A-02",
        "reason": "crowding",
    }
    r = browser.post("/movements", data=move)
    assert r.status_code == 409
    assert "maximum" in r.text
    r = browser.post("/movements", data=move | {"override": "the commander's order"})
    assert r.status_code == 303


def test_a_roll_call_through_the_forms_without_javascript(web: WebWorld) -> None:
    browser = web.browser("records", lang="en")
    token = csrf_of(browser)
    r = browser.post("/rolls", data={"csrf_token": token, "scope": "B"})
    assert r.status_code == 303
    roll = r.headers["location"].rsplit("/", 1)[1]
    r = browser.post(
        f"/rolls/{roll}/counters",
        data={"csrf_token": token, "counter": ["عمر", "Ali"], "block": "B"},
    )
    assert r.status_code == 303
    block = browser.get(f"/rolls/{roll}/blocks/B").text
    assert 'value="عمر"' in block  # kept for the block's counts
    assert "B-01" in block
    for _ in range(2):
        r = browser.post(
            f"/rolls/{roll}/count",
            data={"csrf_token": token, "location": "B-01", "counted": "0", "block": "B"},
        )
        assert r.status_code == 303
    page = browser.get(f"/rolls/{roll}/blocks/B").text
    assert "tally-unresolved" in page
    resolve = browser.get(f"/rolls/{roll}/resolve", params={"location": "B-01", "block": "B"})
    assert "D-000002" in resolve.text
    r = browser.post(
        f"/rolls/{roll}/resolve",
        data={
            "csrf_token": token,
            "location": "B-01",
            "block": "B",
            "person": "D-000002",
            "outcome": "out",
            "to": "hospital",
            "purpose": "found at the clinic",
        },
    )
    assert r.status_code == 303
    assert web.app.facility.person("D-000002")[0].status == "out"
    assert web.app.facility.roll_places(roll)["roll"].status == "cleared"


def test_an_htmx_count_returns_the_row_with_its_result(web: WebWorld) -> None:
    api = web.api("records")
    (roll,) = api.post("/api/v1/rolls", json={"scope": "A"}).json()["created"]
    guard = web.browser("guard", lang="en")
    token = csrf_of(guard)
    headers = {"HX-Request": "true", "X-CSRF-Token": token}
    r = guard.post(
        f"/rolls/{roll}/count",
        data={"location": "A-01", "counted": "٣", "counter": "Omar", "block": "A"},
        headers=headers,
    )  # Arabic-Indic digits count too
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<tr id="place-A-01" class="tally-recount"')
    r = guard.post(
        f"/rolls/{roll}/count",
        data={"location": "A-01", "counted": "lots", "counter": "Omar", "block": "A"},
        headers=headers,
    )
    assert "Enter the number of people counted" in r.text
    r = guard.post(
        f"/rolls/{roll}/count",
        data={"location": "A-01", "counted": "1", "block": "A"},
        headers=headers,
    )
    assert 'class="tally-matched"' in r.text  # the counters kept in the cookie were used


def test_the_roll_sheet_lists_names_per_place(web: WebWorld) -> None:
    text = web.browser("guard", lang="en").get("/sheets/A").text
    assert "Roll sheet" in text
    assert "D-000001" in text
    assert "سامر" in text
    assert "D-000002" not in text  # block B
    assert web.browser("guard").get("/sheets/B").status_code == 403


def test_receipts_and_tiles_from_the_ledger_page(web: WebWorld) -> None:
    browser = web.browser("monitor", lang="en")
    page = browser.get("/ledger").text
    assert "Latest checkpoint" in page
    receipt = browser.get("/ledger/receipt", params={"index": 3})
    assert receipt.status_code == 200
    assert receipt.headers["content-disposition"] == 'attachment; filename="entry-3.tlog-proof"'
    assert browser.get("/ledger/receipt", params={"index": "three"}).status_code == 422
    tiles = browser.get("/ledger/tiles.zip")
    with zipfile.ZipFile(io.BytesIO(tiles.content)) as archive:
        assert "checkpoint" in archive.namelist()
    audit = browser.get("/ledger/audit", headers={"HX-Request": "true"})
    assert "The log is intact" in audit.text
    assert "<html" not in audit.text


def test_accounts_through_the_form(web: WebWorld) -> None:
    browser = web.browser("admin", lang="en")
    token = csrf_of(browser)
    r = browser.post(
        "/users",
        data={
            "csrf_token": token,
            "action": "add",
            "username": "guard.b",
            "password": "a long enough passphrase",
            "repeat_password": "a long enough passphrase",
            "role": "guard",
            "block": "B",
        },
    )
    assert r.status_code == 303
    assert "Account guard.b opened" in browser.get("/users").text
    r = browser.post(
        "/users",
        data={
            "csrf_token": token,
            "action": "add",
            "username": "weak",
            "password": "short",
            "repeat_password": "short",
            "role": "medic",
        },
    )
    assert r.status_code == 422
    r = browser.post(
        "/users", data={"csrf_token": token, "action": "disable", "username": "guard.b"}
    )
    assert r.status_code == 303
    accounts = web.api("admin").get("/api/v1/users/guard.b").json()
    assert accounts["disabled"] is True


def test_own_password_through_the_account_page(web: WebWorld) -> None:
    browser = web.browser("guard", lang="en")
    token = csrf_of(browser)
    r = browser.post(
        "/account",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "another passphrase here",
            "repeat_password": "different",
        },
    )
    assert r.status_code == 422
    assert "differ" in r.text
    r = browser.post(
        "/account",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "another passphrase here",
            "repeat_password": "another passphrase here",
        },
    )
    assert r.status_code == 303
    assert browser.get("/").status_code == 303  # logged out; log in again


def test_the_access_log_page(web: WebWorld) -> None:
    web.browser("records").get("/people/D-000001")
    monitor = web.browser("monitor", lang="en")
    text = monitor.get("/access").text
    assert "viewed a record" in text
    assert 'hx-get="/access/verify"' in text
    assert "The chain is intact" in monitor.get("/access/verify").text


def test_someone_counted_where_the_register_does_not_have_them(web: WebWorld) -> None:
    api = web.api("records")
    (roll,) = api.post("/api/v1/rolls", json={"scope": "A"}).json()["created"]
    browser = web.browser("records", lang="en")
    token = csrf_of(browser)
    for _ in range(2):  # A-02 is empty on the register; two people counted there
        browser.post(
            f"/rolls/{roll}/count",
            data={
                "csrf_token": token,
                "location": "A-02",
                "counted": "1",
                "counter": "Omar",
                "block": "A",
            },
        )
    page = browser.get(f"/rolls/{roll}/resolve", params={"location": "A-02", "block": "A"})
    assert "more than the register" in page.text
    size = web.size()
    refused = browser.post(
        f"/rolls/{roll}/resolve",
        data={
            "csrf_token": token,
            "roll_place": "A-02",
            "block": "A",
            "person": "D-424242",
            "outcome": "elsewhere",
            "found_in": "A-02",
            "location": "",
        },
    )
    assert refused.status_code == 404
    assert "D-424242" in refused.text  # the refusal, on the form, with the place kept
    assert 'name="roll_place" value="A-02"' in refused.text
    assert 'value="D-424242"' in refused.text
    assert web.size() == size
    r = browser.post(
        f"/rolls/{roll}/resolve",
        data={
            "csrf_token": token,
            "roll_place": "A-02",
            "block": "A",
            "person": "D-000002",
            "outcome": "elsewhere",
            "found_in": "A-02",
            "location": "",
        },
    )
    assert r.status_code == 303, r.text[:2000]
    assert r.headers["location"] == f"/rolls/{roll}/blocks/A"
    assert web.app.facility.person("D-000002")[0].location == "A-02"


def test_a_second_tap_is_not_a_recount(web: WebWorld) -> None:
    api = web.api("records")
    (roll,) = api.post("/api/v1/rolls", json={"scope": "A"}).json()["created"]
    guard = web.browser("guard", lang="en")
    token = csrf_of(guard)
    form = {
        "csrf_token": token,
        "location": "A-01",
        "counted": "0",
        "counter": "Omar",
        "block": "A",
        "attempt": "0",
    }
    first = guard.post(f"/rolls/{roll}/count", data=form, headers={"HX-Request": "true"})
    assert "tally-recount" in first.text
    second = guard.post(f"/rolls/{roll}/count", data=form, headers={"HX-Request": "true"})
    assert "counted meanwhile" in second.text
    tally = web.app.facility.roll_places(roll)["tallies"]["A-01"]
    assert tally.attempts == 1


def test_count_forms_only_where_the_account_may_count(web: WebWorld) -> None:
    api = web.api("records")
    (roll,) = api.post("/api/v1/rolls", json={}).json()["created"]
    guard = web.browser("guard", lang="en")
    assert 'name="counted"' in guard.get(f"/rolls/{roll}/blocks/A").text
    assert 'name="counted"' not in guard.get(f"/rolls/{roll}/blocks/B").text
    monitor = web.browser("monitor", lang="en").get(f"/rolls/{roll}/blocks/A").text
    assert 'name="counted"' not in monitor
    assert 'id="counters"' not in monitor
    reception = web.browser("records").get(f"/rolls/{roll}/blocks/AQ").text
    assert 'hx-target="closest tr"' in reception
    assert 'value="AQ:reception"' in reception


def test_after_a_session_ends_a_form_post_returns_to_its_page(web: WebWorld) -> None:
    client = web.client()
    r = client.post(
        "/rolls/R-0001/count",
        data={"location": "A-01", "counted": "1"},
        headers={"Referer": "http://testserver/rolls/R-0001/blocks/A"},
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/rolls/R-0001/blocks/A"
    r = client.post("/rolls/R-0001/count", data={}, headers={"Referer": "https://evil.example/x"})
    assert r.headers["location"] == "/login?next=/"


WEIRD = ["²", "-1", "99999999999999999999", "../..", "a/b", "%00", "\u202e", "x" * 300, "", " "]


@pytest.mark.parametrize("value", WEIRD)
def test_no_page_answers_a_strange_input_with_a_500(web: WebWorld, value: str) -> None:
    admin = web.browser("admin")
    token = csrf_of(admin)
    plain = TestClient(web.asgi, base_url=BASE, raise_server_exceptions=False)
    plain.cookies = admin.cookies
    gets = [
        ("/people", {"q": value}),
        ("/people", {"category": value}),
        ("/people/new", {"category": value}),
        ("/movements", {"kind": value, "person": value}),
        ("/roster", {"location": value, "facility": value}),
        ("/rolls", {"facility": value}),
        ("/rolls/R-0001/resolve", {"location": value, "block": value}),
        ("/ledger/receipt", {"index": value}),
        ("/access", {"page_number": value}),
        ("/", {"facility": value}),
    ]
    paths = [
        f"/people/{value}",
        f"/rolls/{value}",
        f"/sheets/{value}",
        f"/ledger/entry/{value}",
        f"/rolls/R-0001/blocks/{value}",
    ]
    for path, params in gets:
        r = plain.get(path, params=params)
        assert r.status_code < 500, (path, params, r.status_code, r.text[:300])
    for path in paths:
        r = plain.get(path)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
    posts = [
        ("/movements", {"kind": value, "person": value, "to": value, "time": value}),
        (
            "/people/new",
            {
                "category": value,
                "name_ar": value,
                "nationality": value,
                "arrest.time": value,
                "next_of_kin": value,
            },
        ),
        ("/rolls", {"scope": value}),
        (
            "/rolls/R-0001/count",
            {"location": value, "counted": value, "block": value, "attempt": value},
        ),
        (
            "/rolls/R-0001/resolve",
            {
                "roll_place": value,
                "block": value,
                "person": value,
                "outcome": value,
                "location": value,
            },
        ),
        ("/rolls/R-0001/counters", {"counter": value, "block": value}),
        ("/people/D-000001/correct", {"field": value, "value": value, "reason": value}),
        ("/users", {"action": value, "username": value, "password": value, "role": value}),
        ("/language", {"lang": value, "next": value}),
    ]
    for path, data in posts:
        r = plain.post(path, data=data | {"csrf_token": token})
        assert r.status_code < 500, (path, data, r.status_code, r.text[:300])
