"""A data home served by the real ASGI application, for API and web tests.

The facility is :mod:`tests.support.access_world`'s (AQ: blocks A and B; D-000001 in A-01,
D-000002 in B-01) with its six accounts (password :data:`PASSWORD`), on a home made by
``init_home``; passwords are hashed with argon2's cheapest parameters so that logging in
hundreds of times stays fast. Requests go through Starlette's test client, in process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from amanah.bootstrap import App, build, init_home
from amanah.clock import FixedClock
from amanah.domain.access.commands import AddUser
from amanah.domain.registry.commands import Admit
from amanah.services.passwords import Argon2Hasher
from amanah.settings import load
from amanah.web.server import create_app
from tests.support.access_world import ACCOUNTS, LAYOUT, NOW, PASSWORD, detainee

ORIGIN = "amanah.example/web-test"
PARTY = "Test Authority"
BASE = "http://testserver"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class WebWorld:
    app: App
    clock: FixedClock
    asgi: Any

    def client(self) -> TestClient:
        """A new browser-like client with no session (its own cookie jar)."""
        return TestClient(self.asgi, base_url=BASE, follow_redirects=False)

    def api(self, username: str, password: str = PASSWORD) -> TestClient:
        """A client logged in through the API: its bearer token on every request."""
        client = self.client()
        r = client.post("/api/v1/session", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        client.headers["Authorization"] = f"Bearer {r.json()['token']}"
        client.cookies.clear()  # the bearer token alone authenticates
        return client

    def browser(self, username: str, password: str = PASSWORD, lang: str = "ar") -> TestClient:
        """A client logged in through the log-in form (session cookie, CSRF in the pages)."""
        client = self.client()
        if lang != "ar":
            client.cookies.set("amanah_lang", lang)
        token = login_token(client)
        r = client.post(
            "/login",
            data={"csrf_token": token, "username": username, "password": password, "next": "/"},
        )
        assert r.status_code == 303, r.text
        return client

    def size(self) -> int:
        return self.app.ledger.size()

    def close(self) -> None:
        self.app.close()


def login_token(client: TestClient) -> str:
    """The log-in form's CSRF token (and its cookie, now in the client's jar)."""
    r = client.get("/login")
    found = CSRF.search(r.text)
    assert found, r.text
    return found.group(1)


def csrf_of(client: TestClient, path: str = "/account") -> str:
    """The session's CSRF token, as a page carries it."""
    r = client.get(path)
    found = CSRF.search(r.text)
    assert found, r.text
    return found.group(1)


def make_web_world(home: Path, *, accounts: bool = True, people: bool = True) -> WebWorld:
    clock = FixedClock(NOW)
    init_home(home, ORIGIN, party=PARTY, timezone="Asia/Damascus", clock=clock).close()
    app = build(load(home), clock, hasher=Argon2Hasher.cheapest())
    operator = app.operator
    if people:
        admitted = NOW - timedelta(hours=2)
        app.facility.run(
            [
                *LAYOUT,
                Admit("D-000001", "detainee", detainee("سامر", "Samer"), "A-01", admitted),
                Admit("D-000002", "detainee", detainee("خالد", "Khalid"), "B-01", admitted),
            ],
            app.actor,
        )
    if accounts:
        for name, (roles, facility, blocks) in ACCOUNTS.items():
            app.access.add_user(operator, AddUser(name, PASSWORD, roles, facility, blocks))
    return WebWorld(app, clock, create_app(app))
