"""One error shape for every failure of the API, pinned: whatever goes wrong, the body is
``{"error": {"status", "code", "message", "details"}}`` with the HTTP status repeated, a
stable code, one line for a person, and no traceback; nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.access_world import PASSWORD
from tests.support.web_world import BASE, WebWorld

SHAPE = {"error": {"status", "code", "message", "details"}}


def check_shape(body: dict[str, Any], status: int, code: str) -> dict[str, Any]:
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) == SHAPE["error"]
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert "\n" not in error["message"]
    assert "Traceback" not in error["message"]
    assert isinstance(error["details"], list)
    return error


def test_the_shape_is_pinned(web: WebWorld) -> None:
    r = web.client().get("/api/v1/me")
    assert r.status_code == 401
    assert r.json() == {
        "error": {
            "status": 401,
            "code": "login_failed",
            "message": "log in first: no session, or it has ended",
            "details": [],
        }
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("GET", "/api/v1/no-such-thing", None, 404, "not_found"),
        ("DELETE", "/api/v1/locations", None, 405, "method_not_allowed"),
        ("GET", "/api/v1/people/D-424242", None, 404, "not_found"),
        ("GET", "/api/v1/people?limit=0", None, 422, "invalid_input"),
        ("GET", "/api/v1/people?limit=lots", None, 422, "invalid_input"),
        ("GET", "/api/v1/people?q=x", None, 422, "invalid_input"),
        ("GET", "/api/v1/roll-status?level=planet", None, 422, "invalid_input"),
        ("GET", "/api/v1/ledger/entries/-1", None, 422, "invalid_input"),
        ("POST", "/api/v1/people", {}, 422, "invalid_input"),
        ("POST", "/api/v1/people", {"record": {}, "colour": "red"}, 422, "invalid_input"),
        ("POST", "/api/v1/people", {"record": "not an object"}, 422, "invalid_input"),
        ("POST", "/api/v1/people", {"record": {}, "time": "next tuesday"}, 422, "invalid_input"),
        ("POST", "/api/v1/people/D-000001/movements", {"kind": "teleport"}, 422, "invalid_input"),
        (
            "POST",
            "/api/v1/people/D-000001/movements",
            {"kind": "cell", "to": "A-02"},
            409,
            "refused",
        ),
        (
            "POST",
            "/api/v1/rolls/R-0404/counts",
            {"location": "A-01", "counted": 1, "counters": ["Omar"]},
            409,
            "refused",
        ),
        (
            "PUT",
            "/api/v1/locations/A-01/state",
            {"state": "broken", "reason": "x"},
            422,
            "invalid_input",
        ),
    ],
)
def test_every_failure_has_the_shape(
    web: WebWorld, method: str, path: str, body: Any, status: int, code: str
) -> None:
    api = web.api("admin")
    size = web.size()
    r = api.request(method, path, json=body)
    assert r.status_code == status, r.text
    check_shape(r.json(), status, code)
    assert web.size() == size


def test_validation_details_name_each_field(web: WebWorld) -> None:
    r = web.api("admin").post("/api/v1/locations", json={"id": "X", "kind": 7, "extra": 1})
    error = check_shape(r.json(), 422, "invalid_input")
    fields = {d["field"] for d in error["details"]}
    assert {"body.kind", "body.name_ar", "body.name_en", "body.extra"} <= fields
    assert error["message"].startswith("the request is malformed: body.")


def test_malformed_json(web: WebWorld) -> None:
    api = web.api("admin")
    r = api.post(
        "/api/v1/people", content=b'{"record": ', headers={"Content-Type": "application/json"}
    )
    check_shape(r.json(), 422, "invalid_input")


def test_forbidden(web: WebWorld) -> None:
    r = web.api("guard").get("/api/v1/people/D-000001")
    error = check_shape(r.json(), 403, "forbidden")
    assert "guard" in error["message"]


def test_csrf(web: WebWorld) -> None:
    client = web.client()
    r = client.post("/api/v1/session", json={"username": "admin", "password": PASSWORD})
    csrf = r.json()["csrf_token"]
    # The cookie alone (as another site's page would send it) is refused...
    r = client.post("/api/v1/occurrences", json={"text": "x", "by": "y"})
    check_shape(r.json(), 403, "csrf")
    # ...with the session's token it is accepted.
    r = client.post(
        "/api/v1/occurrences", json={"text": "x", "by": "y"}, headers={"X-CSRF-Token": csrf}
    )
    assert r.status_code == 201


def test_throttled_has_retry_after(web: WebWorld) -> None:
    client = web.client()
    for _ in range(5):
        r = client.post("/api/v1/session", json={"username": "medic", "password": "wrong!"})
        check_shape(r.json(), 401, "login_failed")
    r = client.post("/api/v1/session", json={"username": "medic", "password": PASSWORD})
    check_shape(r.json(), 429, "throttled")
    assert int(r.headers["Retry-After"]) >= 1


def test_an_internal_error_is_still_the_shape_and_says_nothing_was_written(
    web: WebWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(web.app.facility, "roll_status", broken)
    token = web.api("admin").headers["Authorization"]
    # The server re-raises the error after answering, for its own log; the client sees this:
    client = TestClient(web.asgi, base_url=BASE, raise_server_exceptions=False)
    r = client.get("/api/v1/roll-status", headers={"Authorization": token})
    error = check_shape(r.json(), 500, "internal")
    assert error["message"] == "internal error (ZeroDivisionError); nothing was written"


def test_domain_refusals_keep_their_message(web: WebWorld) -> None:
    r = web.api("admin").post(
        "/api/v1/people/D-000001/movements",
        json={"kind": "cell", "to": "A-02", "time": "2020-01-01T00:00", "details": {"reason": "x"}},
    )
    error = check_shape(r.json(), 409, "refused")
    assert "before" in error["message"]


def test_openapi_documents_the_error_shape(web: WebWorld) -> None:
    spec = web.client().get("/api/v1/openapi.json").json()
    assert "ErrorResponse" in spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if path == "/api/v1/session":
                continue
            assert "401" in operation["responses"], (method, path)
            assert "403" in operation["responses"], (method, path)
