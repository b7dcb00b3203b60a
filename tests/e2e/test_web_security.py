"""The web UI's defences: CSRF on every form, a new session at every log-in (no fixation),
throttling after failed log-ins, cookie flags, and the headers every page carries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from amanah.api.sessions import COOKIE
from tests.support.access_world import PASSWORD
from tests.support.web_world import WebWorld, csrf_of, login_token

# Every form of the UI, with a body of the right shape (the token check comes first).
FORMS = [
    ("/logout", {}),
    ("/language", {"lang": "en", "next": "/"}),
    (
        "/account",
        {"current_password": PASSWORD, "new_password": "x" * 20, "repeat_password": "x" * 20},
    ),
    ("/people/new", {"category": "detainee", "name_ar": "س"}),
    ("/people/D-000001/correct", {"field": "name_latin", "value": "Samir", "reason": "typo"}),
    ("/movements", {"kind": "cell", "person": "D-000001", "to": "A-02", "reason": "x"}),
    ("/rolls", {"scope": "AQ"}),
    ("/rolls/R-0001/count", {"location": "A-01", "counted": "1", "counter": "Omar"}),
    ("/rolls/R-0001/counters", {"counter": "Omar", "block": "A"}),
    ("/rolls/R-0001/resolve", {"location": "A-01", "person": "D-000001", "outcome": "found"}),
    ("/users", {"action": "disable", "username": "medic"}),
    ("/supplies", {"form": "store", "id": "w-1", "name": "Tank", "resource": "water", "unit": "L"}),
    ("/supplies", {"form": "entry", "kind": "receive", "store": "w-1", "amount": "1", "unit": "L"}),
    ("/supplies", {"form": "generator_set", "id": "gen-1", "running": "0"}),
    ("/appeals", {"kind": "protection", "recipient": "ICRC", "channel": "radio", "text": "x"}),
    ("/appeals/AP-0001", {"step": "ack", "by": "Delegate"}),
    ("/incidents", {"kind": "attack", "severity": "serious", "summary": "Mortar fire"}),
    ("/incidents/I-0001", {"step": "addendum", "text": "More was learned"}),
    ("/incidents/I-0001", {"step": "status", "status": "closed", "reason": "reviewed"}),
    ("/notifications/N-000001", {"step": "sent", "channel": "phone", "to": "x", "by": "y"}),
    ("/notifications/N-000001", {"step": "ack", "by": "The brother"}),
]


@pytest.mark.parametrize(("path", "data"), FORMS, ids=[p for p, _ in FORMS])
def test_every_form_refuses_a_post_without_the_sessions_token(
    web: WebWorld, path: str, data: dict[str, str]
) -> None:
    browser = web.browser("admin")
    size = web.size()
    for token in (None, "forged-token"):
        body = dict(data) | ({"csrf_token": token} if token else {})
        r = browser.post(path, data=body)
        assert r.status_code == 403, (path, r.status_code, r.text[:300])
        assert web.size() == size
    # The session is still alive and still works.
    assert browser.get("/").status_code == 200


def test_a_form_with_the_token_is_accepted(web: WebWorld) -> None:
    browser = web.browser("records")
    token = csrf_of(browser)
    size = web.size()
    r = browser.post(
        "/movements",
        data={
            "csrf_token": token,
            "kind": "cell",
            "person": "D-000001",
            "to": "A-02",
            "reason": "crowding",
        },
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/people/D-000001"
    assert web.size() == size + 1


def test_htmx_requests_carry_the_token_in_a_header(web: WebWorld) -> None:
    browser = web.browser("records")
    token = csrf_of(browser)
    r = browser.post(
        "/rolls", data={"scope": "AQ"}, headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    assert r.status_code == 303


def test_the_login_form_needs_its_own_token(web: WebWorld) -> None:
    client = web.client()
    client.get("/login")
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": "x"})
    assert r.status_code == 403
    assert COOKIE not in client.cookies


def test_login_starts_a_new_session_and_ends_any_old_one(web: WebWorld) -> None:
    """Session fixation: a token planted in the browser before log-in is never the session."""
    attacker = web.browser("guard")
    planted = attacker.cookies[COOKIE]
    victim = web.client()
    token = login_token(victim)
    victim.cookies.set(COOKIE, planted)  # planted after the form was loaded
    r = victim.post(
        "/login",
        data={"csrf_token": token, "username": "admin", "password": PASSWORD, "next": "/"},
    )
    assert r.status_code == 303
    issued = r.headers["set-cookie"].split(";")[0].split("=", 1)
    assert issued[0] == COOKIE
    assert issued[1] != planted
    # The planted token is dead: the attacker holding it is logged out, not logged in as admin.
    assert attacker.get("/").status_code == 303
    assert attacker.get("/api/v1/me").status_code == 401


def test_each_login_gets_a_fresh_token(web: WebWorld) -> None:
    first = web.browser("admin").cookies[COOKIE]
    second = web.browser("admin").cookies[COOKIE]
    assert first != second


def test_session_cookie_flags(web: WebWorld) -> None:
    client = web.client()
    token = login_token(client)
    r = client.post("/login", data={"csrf_token": token, "username": "admin", "password": PASSWORD})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "secure" not in cookie  # plain HTTP on the LAN


def test_cookies_are_secure_behind_tls(web: WebWorld) -> None:
    client = TestClient(web.asgi, base_url="https://amanah.lan", follow_redirects=False)
    r = client.post("/api/v1/session", json={"username": "admin", "password": PASSWORD})
    assert "secure" in r.headers["set-cookie"].lower()


def test_brute_force_is_throttled_and_logged(web: WebWorld) -> None:
    client = web.client()
    token = login_token(client)
    for _ in range(5):
        r = client.post(
            "/login", data={"csrf_token": token, "username": "admin", "password": "guess"}
        )
        assert r.status_code == 401
    r = client.post("/login", data={"csrf_token": token, "username": "admin", "password": PASSWORD})
    assert r.status_code == 429  # even the right password waits out the lock
    assert COOKIE not in client.cookies
    log = web.api("monitor").get("/api/v1/access-log", params={"limit": 20}).json()
    failed = [row for row in log if row["kind"] == "login.failed"]
    assert len(failed) >= 6
    assert failed[0]["detail"].startswith("locked until")


def test_a_lockout_ends_and_the_right_password_then_works(web: WebWorld) -> None:
    client = web.client()
    token = login_token(client)
    for _ in range(5):
        client.post("/login", data={"csrf_token": token, "username": "admin", "password": "x"})
    web.clock.advance(timedelta(minutes=20))
    r = client.post("/login", data={"csrf_token": token, "username": "admin", "password": PASSWORD})
    assert r.status_code == 303


def test_pages_need_a_session(web: WebWorld) -> None:
    client = web.client()
    r = client.get("/people/D-000001")
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/people/D-000001"
    r = client.get("/people", headers={"HX-Request": "true"})
    assert r.headers["HX-Redirect"].startswith("/login")


def test_login_never_redirects_off_site(web: WebWorld) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        client = web.client()
        token = login_token(client)
        r = client.post(
            "/login",
            data={"csrf_token": token, "username": "admin", "password": PASSWORD, "next": target},
        )
        assert r.headers["location"] == "/"


def test_security_headers(web: WebWorld) -> None:
    browser = web.browser("admin")
    r = browser.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
    static = browser.get("/static/amanah.css")
    assert "no-store" not in static.headers.get("cache-control", "")


def test_logout_ends_the_session(web: WebWorld) -> None:
    browser = web.browser("admin")
    token = csrf_of(browser)
    r = browser.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303
    assert browser.get("/").status_code == 303


def test_a_disabled_account_is_logged_out_at_its_next_request(web: WebWorld) -> None:
    medic = web.browser("medic")
    assert medic.get("/people?q=Samer").status_code == 200
    web.api("admin").post("/api/v1/users/medic/disable", json={})
    assert medic.get("/people?q=Samer").status_code == 303
