"""The JSON API, endpoint by endpoint, through the real ASGI application: what each one
returns, that it writes to the ledger through the one write path, and that a refusal
writes nothing."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

from amanah.ledger.signing import CosignatureSigner, generate_witness_key
from amanah.ledger.tiles import verify_tiles
from amanah.ledger.witness import MemoryWitnessState, Witness
from amanah.services.ledger import log_only_policy, verify_receipt
from tests.support.access_world import PASSWORD, detainee
from tests.support.web_world import WebWorld

ADMIN_RECORD = detainee("عمر الحسن", "Omar al-Hasan")


def test_login_returns_a_token_and_me_describes_the_account(web: WebWorld) -> None:
    client = web.client()
    r = client.post("/api/v1/session", json={"username": "Records", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["user"]["username"] == "records"
    assert body["user"]["roles"] == ["records_officer"]
    assert "register.admit" in body["user"]["actions"]
    assert "user.manage" not in body["user"]["actions"]
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["facility"] == "AQ"


def test_logout_ends_the_session(web: WebWorld) -> None:
    api = web.api("admin")
    assert api.delete("/api/v1/session").status_code == 204
    r = api.get("/api/v1/me")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "login_failed"


def test_locations_list_and_add(web: WebWorld) -> None:
    api = web.api("admin")
    rows = api.get("/api/v1/locations").json()
    ids = [r["id"] for r in rows]
    assert {"AQ", "A", "A-01", "B-01", "AQ:reception"} <= set(ids)
    a01 = next(r for r in rows if r["id"] == "A-01")
    assert a01["population"] == 1
    assert a01["by_category"] == {"detainee": 1}
    size = web.size()
    r = api.post(
        "/api/v1/locations",
        json={
            "id": "A-03",
            "kind": "cell",
            "name_ar": "أ-03",
            "name_en": "A-03",
            "parent": "A",
            "certified": 4,
            "working": 4,
            "maximum": 6,
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["first_seq"] == size
    assert web.size() == size + 1


def test_capacity_and_state(web: WebWorld) -> None:
    api = web.api("admin")
    r = api.put(
        "/api/v1/locations/A-02/capacity",
        json={"certified": 2, "working": 2, "maximum": 3, "reason": "damp wall"},
    )
    assert r.status_code == 200, r.text
    row = next(r for r in api.get("/api/v1/locations").json() if r["id"] == "A-02")
    assert (row["certified"], row["working"], row["maximum"]) == (2, 2, 3)
    r = api.put("/api/v1/locations/A-02/state", json={"state": "out_of_order", "reason": "flood"})
    assert r.status_code == 200
    # Out of order with someone in it is refused, and nothing is written.
    size = web.size()
    r = api.put("/api/v1/locations/A-01/state", json={"state": "out_of_order", "reason": "x"})
    assert r.status_code == 409
    assert "A-01" in r.json()["error"]["message"]
    assert web.size() == size


def test_admit_show_search_and_correct(web: WebWorld) -> None:
    api = web.api("records")
    r = api.post("/api/v1/people", json={"record": ADMIN_RECORD, "location": "A-02"})
    assert r.status_code == 201, r.text
    (number,) = r.json()["created"]
    person = api.get(f"/api/v1/people/{number}").json()
    assert person["location"] == "A-02"
    assert person["record"]["name_ar"] == "عمر الحسن"
    assert [m["kind"] for m in person["history"]] == ["admission"]
    found = api.get("/api/v1/people", params={"q": "الحسن"}).json()
    assert [p["number"] for p in found] == [number]
    found = api.get("/api/v1/people", params={"q": "hasan"}).json()
    assert [p["number"] for p in found] == [number]
    r = api.post(
        f"/api/v1/people/{number}/corrections",
        json={"field": "name_latin", "value": "Omar al-Hassan", "reason": "misspelt"},
    )
    assert r.status_code == 201, r.text
    person = api.get(f"/api/v1/people/{number}").json()
    assert person["record"]["name_latin"] == "Omar al-Hassan"
    assert [m["kind"] for m in person["history"]] == ["admission", "correction"]


def test_admission_without_a_commitment_order_is_refused(web: WebWorld) -> None:
    api = web.api("records")
    record = {k: v for k, v in ADMIN_RECORD.items() if k != "commitment"}
    size = web.size()
    r = api.post("/api/v1/people", json={"record": record})
    assert r.status_code == 409
    assert "commitment" in r.json()["error"]["message"]
    assert web.size() == size


def test_a_second_admission_of_the_same_number_is_refused(web: WebWorld) -> None:
    api = web.api("records")
    r = api.post("/api/v1/people", json={"number": "D-000001", "record": ADMIN_RECORD})
    assert r.status_code == 409
    assert "D-000001" in r.json()["error"]["message"]


def test_staff_add_and_list(web: WebWorld) -> None:
    api = web.api("records")
    record = {
        "name_ar": "سعيد",
        "name_latin": "Said",
        "gender": "male",
        "nationality": "SY",
        "staff": {"role": "guard", "post": "gate", "unit": "1st"},
    }
    r = api.post("/api/v1/staff", json={"record": record})
    assert r.status_code == 201, r.text
    (number,) = r.json()["created"]
    assert number.startswith("S-")
    staff = api.get("/api/v1/staff").json()
    assert [s["number"] for s in staff] == [number]
    assert staff[0]["record"]["staff"]["post"] == "gate"


def test_movements_out_and_return_and_recent(web: WebWorld) -> None:
    api = web.api("medic")
    r = api.post(
        "/api/v1/people/D-000001/movements",
        json={"kind": "out", "to": "hospital", "details": {"purpose": "x-ray"}},
    )
    assert r.status_code == 201, r.text
    assert api.get("/api/v1/people/D-000001").json()["status"] == "out"
    r = api.post("/api/v1/people/D-000001/movements", json={"kind": "return", "to": "A-01"})
    assert r.status_code == 201, r.text
    recent = web.api("records").get("/api/v1/movements", params={"limit": 2}).json()
    assert [m["kind"] for m in recent] == ["return", "out"]
    assert recent[1]["destination"] == "AQ:hospital"


def test_a_move_from_a_place_the_person_is_not_in_is_refused(web: WebWorld) -> None:
    api = web.api("records")
    size = web.size()
    r = api.post(
        "/api/v1/people/D-000001/movements",
        json={"kind": "cell", "origin": "B-01", "to": "A-02", "details": {"reason": "x"}},
    )
    assert r.status_code == 409
    assert "B-01" in r.json()["error"]["message"]
    assert web.size() == size


def test_an_unknown_person_or_place(web: WebWorld) -> None:
    api = web.api("records")
    r = api.get("/api/v1/people/D-999999")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "no person D-999999 on the register"
    r = api.post(
        "/api/v1/people/D-000001/movements",
        json={"kind": "cell", "to": "Z-99", "details": {"reason": "x"}},
    )
    assert r.status_code == 404
    assert "Z-99" in r.json()["error"]["message"]


def test_roster(web: WebWorld) -> None:
    rows = web.api("receiving").get("/api/v1/roster").json()
    assert [(r["number"], r["location"]) for r in rows] == [
        ("D-000001", "A-01"),
        ("D-000002", "B-01"),
    ]
    assert set(rows[0]) == {
        "number",
        "category",
        "status",
        "location",
        "facility",
        "name_ar",
        "name_latin",
    }
    rows = web.api("guard").get("/api/v1/roster", params={"location": "A"}).json()
    assert [r["number"] for r in rows] == ["D-000001"]


def test_a_roll_call_with_a_recount_and_a_resolution(web: WebWorld) -> None:
    api = web.api("records")
    r = api.post("/api/v1/rolls", json={})
    assert r.status_code == 201, r.text
    (roll,) = r.json()["created"]
    detail = api.get(f"/api/v1/rolls/{roll}").json()
    places = {p["id"]: p for p in detail["places"]}
    assert set(places) == {"A-01", "A-02", "B-01", "AQ:reception"}
    assert places["A-01"]["expected"] == 1
    assert places["A-01"]["tally"] is None

    guard = web.api("guard")
    counts = []
    for where, n in (("A-01", 1), ("A-02", 0)):
        r = guard.post(
            f"/api/v1/rolls/{roll}/counts",
            json={"location": where, "counted": n, "counters": ["Omar", "Ali"]},
        )
        assert r.status_code == 201, r.text
        counts.append(r.json()["result"])
    assert counts == ["matched", "matched"]
    r = api.post(
        f"/api/v1/rolls/{roll}/counts",
        json={"location": "AQ:reception", "counted": 0, "counters": ["Omar"]},
    )
    assert r.json()["result"] == "matched"
    results = []
    for _ in range(2):
        r = api.post(
            f"/api/v1/rolls/{roll}/counts",
            json={"location": "B-01", "counted": 0, "counters": ["Omar"]},
        )
        results.append(r.json()["result"])
    assert results == ["recount", "unresolved"]
    status = api.get("/api/v1/roll-status").json()
    assert status["by_category"]["detainee"]["unaccounted"] == 1
    assert status["roll"]["status"] == "open"

    r = api.post(
        f"/api/v1/rolls/{roll}/resolutions",
        json={
            "person": "D-000002",
            "outcome": "out",
            "to": "hospital",
            "details": {"purpose": "found at the hospital"},
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["roll_cleared"] is True
    assert api.get("/api/v1/people/D-000002").json()["status"] == "out"
    rolls = api.get("/api/v1/rolls").json()
    assert rolls[0]["id"] == roll
    assert rolls[0]["status"] == "cleared"


def test_a_negative_count_and_a_place_outside_the_roll(web: WebWorld) -> None:
    api = web.api("records")
    (roll,) = api.post("/api/v1/rolls", json={"scope": "A"}).json()["created"]
    size = web.size()
    r = api.post(
        f"/api/v1/rolls/{roll}/counts",
        json={"location": "A-01", "counted": -1, "counters": ["Omar"]},
    )
    assert r.status_code in (409, 422)
    assert "-1" in r.json()["error"]["message"] or "0" in r.json()["error"]["message"]
    r = api.post(
        f"/api/v1/rolls/{roll}/counts",
        json={"location": "B-01", "counted": 1, "counters": ["Omar"]},
    )
    assert r.status_code == 409
    assert "B-01" in r.json()["error"]["message"]
    assert web.size() == size


def test_roll_status_matches_the_cli_shape(web: WebWorld) -> None:
    status = web.api("monitor").get("/api/v1/roll-status").json()
    assert status["facility"]["id"] == "AQ"
    assert status["by_category"]["detainee"]["in_custody"] == 2
    assert status["total"]["in_custody"] == 2
    blocks = {row["id"]: row for row in status["locations"]}
    assert blocks["A"]["expected"] == 1
    assert blocks["A"]["capacity"] == 8
    cells = web.api("monitor").get("/api/v1/roll-status", params={"level": "cell"}).json()
    assert {row["id"] for row in cells["locations"]} >= {"A-01", "A-02", "B-01"}


def test_occurrence_book(web: WebWorld) -> None:
    api = web.api("records")
    r = api.post(
        "/api/v1/occurrences", json={"text": "Morning count block A: matches", "by": "Duty"}
    )
    assert r.status_code == 201, r.text
    r = api.post(
        "/api/v1/occurrences/import",
        json={"entries": [{"time": "2026-01-19T08:00", "text": "Generator off", "by": "Ali"}]},
    )
    assert r.status_code == 201, r.text
    assert r.json()["count"] == 1
    rows = api.get("/api/v1/occurrences").json()
    assert [row["text"] for row in rows][:2] == ["Morning count block A: matches", "Generator off"]
    r = api.post(
        "/api/v1/occurrences/import",
        json={"entries": [{"time": "yesterday", "text": "x", "by": "Ali"}]},
    )
    assert r.status_code == 422
    assert "entry 1" in r.json()["error"]["message"]


def test_ledger_checkpoint_entry_receipt_and_audit(web: WebWorld) -> None:
    api = web.api("monitor")
    cp = api.get("/api/v1/ledger/checkpoint").json()
    assert cp["size"] == web.size()
    assert cp["note"].startswith("amanah.example/web-test\n")
    assert cp["cosignatures"] == []
    assert base64.b64decode(cp["root"])
    note = api.get("/api/v1/ledger/checkpoint.txt")
    assert note.headers["content-type"].startswith("text/plain")
    entry = api.get("/api/v1/ledger/entries/1")
    assert entry.status_code == 200
    assert json.loads(entry.content)["seq"] == 1
    receipt = api.get("/api/v1/ledger/entries/1/receipt")
    assert receipt.status_code == 200
    assert "attachment" in receipt.headers["content-disposition"]
    verified = verify_receipt(receipt.content, entry.content, log_only_policy(web.app.ledger.vkey))
    assert verified.index == 1
    audit = api.get("/api/v1/ledger/audit").json()
    assert audit["ok"] is True
    assert audit["size"] == cp["size"]
    proof = api.get("/api/v1/ledger/consistency", params={"old": 1}).json()
    assert all(base64.b64decode(h) for h in proof)
    assert api.get("/api/v1/ledger/entries/999999").status_code == 404


def test_tiles_zip_verifies_offline_and_is_logged(web: WebWorld, tmp_path: Path) -> None:
    api = web.api("monitor")
    r = api.get("/api/v1/ledger/tiles.zip")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        archive.extractall(tmp_path / "tiles")
    report = verify_tiles(
        lambda rel: (tmp_path / "tiles" / rel).read_bytes(), web.app.ledger.verifier
    )
    assert report.size == web.size()  # verify_tiles raises on any mismatch
    log = web.api("admin").get("/api/v1/access-log").json()
    assert any(row["kind"] == "export" and row["user"] == "monitor" for row in log)


def test_users_add_roles_disable_and_reset(web: WebWorld) -> None:
    admin = web.api("admin")
    r = admin.post(
        "/api/v1/users",
        json={
            "username": "guard2",
            "password": "another long passphrase",
            "roles": ["guard"],
            "blocks": ["B"],
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["facility"] == "AQ"
    guard2 = web.api("guard2", "another long passphrase")
    assert guard2.get("/api/v1/roster", params={"location": "B"}).status_code == 200
    r = admin.put("/api/v1/users/guard2/roles", json={"roles": ["guard"], "blocks": ["A"]})
    assert r.json()["blocks"] == ["A"]
    # The new roles apply to the session at its next request.
    assert guard2.get("/api/v1/roster", params={"location": "B"}).status_code == 403
    r = admin.put("/api/v1/users/guard2/password", json={"new_password": "a third long passphrase"})
    assert r.status_code == 204
    assert guard2.get("/api/v1/me").status_code == 401  # its sessions ended
    r = admin.post("/api/v1/users/guard2/disable", json={"reason": "left"})
    assert r.json()["disabled"] is True
    r = web.client().post(
        "/api/v1/session", json={"username": "guard2", "password": "a third long passphrase"}
    )
    assert r.status_code == 401
    assert [u["username"] for u in admin.get("/api/v1/users").json()].count("guard2") == 1


def test_own_password_change_needs_the_current_one(web: WebWorld) -> None:
    api = web.api("medic")
    r = api.put("/api/v1/me/password", json={"new_password": "a new long passphrase"})
    assert r.status_code == 401
    r = api.put(
        "/api/v1/me/password",
        json={"new_password": "a new long passphrase", "current_password": PASSWORD},
    )
    assert r.status_code == 204
    assert api.get("/api/v1/me").status_code == 401
    assert web.api("medic", "a new long passphrase").get("/api/v1/me").status_code == 200


def test_access_log_and_its_verification(web: WebWorld) -> None:
    web.api("records").get("/api/v1/people/D-000001")
    monitor = web.api("monitor")
    rows = monitor.get("/api/v1/access-log", params={"limit": 50}).json()
    viewed = [r for r in rows if r["kind"] == "person.viewed"]
    assert viewed[0]["user"] == "records"
    assert viewed[0]["subject"] == "D-000001"
    assert viewed[0]["client"] == "testclient"
    report = monitor.get("/api/v1/access-log/verify").json()
    assert report["ok"] is True
    assert report["size"] >= len(rows)


def test_witness_request_and_cosignatures(web: WebWorld) -> None:
    admin = web.api("admin")
    r = admin.post("/api/v1/ledger/witness-request", json={"old": 0})
    assert r.status_code == 200
    skey, vkey = generate_witness_key("guarantor.example/w1", seed=bytes(32))
    logs = {web.app.ledger.origin: web.app.ledger.verifier}
    now = int(web.clock.now().timestamp())
    witness = Witness(CosignatureSigner.from_skey(skey), logs, MemoryWitnessState(), lambda: now)
    lines = witness.add_checkpoint(r.content)
    r = admin.post(
        "/api/v1/ledger/cosignatures",
        json={"cosignature": lines.decode(), "witness": [vkey]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 1
    cp = admin.get("/api/v1/ledger/checkpoint").json()
    assert [c["witness"] for c in cp["cosignatures"]] == ["guarantor.example/w1"]
    r = admin.post(
        "/api/v1/ledger/cosignatures", json={"cosignature": "— forged line\n", "witness": [vkey]}
    )
    assert r.status_code in (409, 422)


def test_counts_are_blind_for_those_who_count(web: WebWorld) -> None:
    api = web.api("records")
    (roll,) = api.post("/api/v1/rolls", json={"scope": "A"}).json()["created"]
    guard = web.api("guard")
    places = {p["id"]: p for p in guard.get(f"/api/v1/rolls/{roll}").json()["places"]}
    assert places["A-01"]["expected"] is None  # not yet counted: the guard is not told
    r = guard.post(
        f"/api/v1/rolls/{roll}/counts",
        json={"location": "A-01", "counted": 3, "counters": ["Omar"]},
    )
    assert r.json()["result"] == "recount"
    assert r.json()["expected"] is None  # nor after a miscount
    places = {p["id"]: p for p in guard.get(f"/api/v1/rolls/{roll}").json()["places"]}
    assert places["A-01"]["tally"]["expected"] is None
    r = guard.post(
        f"/api/v1/rolls/{roll}/counts",
        json={"location": "A-01", "counted": 1, "counters": ["Omar"]},
    )
    assert (r.json()["result"], r.json()["expected"]) == ("matched", 1)
    officer = {p["id"]: p for p in api.get(f"/api/v1/rolls/{roll}").json()["places"]}
    assert officer["A-02"]["expected"] == 0  # the records officer reads the register


def test_a_search_with_control_characters_is_a_search_not_a_database_error(
    web: WebWorld,
) -> None:
    """Regression (found by schemathesis): a NUL in the query reached SQLite's FTS5 index as
    an unterminated string, a 503. Control characters fold away like separators."""
    api = web.api("records")
    r = api.get("/api/v1/people", params={"q": "sa\x00mer"})
    assert r.status_code == 200
    assert [p["number"] for p in r.json()] == ["D-000001"]
    assert api.get("/api/v1/people", params={"q": "\x00\x07zz"}).json() == []
