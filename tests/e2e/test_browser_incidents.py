"""The incidents, notifications and situation report pages in a real browser (Debian's
Chromium, driven by Playwright): in Arabic, report an attack with an injured man, add to it
and close it; mark a notification owed for a death as sent; read the situation report. The
pages are photographed in Arabic and English, and on a phone (``test-artefacts/screenshots``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from amanah.domain.incidents.commands import ReportIncident
from amanah.domain.movements.commands import Move
from amanah.domain.supplies.commands import Issue, OpenStore, Receive
from amanah.domain.supplies.units import to_base
from tests.support.access_world import NOW, PASSWORD
from tests.support.live_server import ARTEFACTS, CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from tests.support.web_world import WebWorld, make_web_world


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[WebWorld, str]]:
    """The access world, where D-000001 died an hour ago (recorded as a movement: two
    notifications owed) and the water tank holds 70 L."""
    world = make_web_world(tmp_path / "home")
    app = world.app
    died = NOW - timedelta(hours=1)
    app.facility.run(
        [Move("death", "D-000001", died, None, None, {"place": "A-01", "circumstances": "قصف"})],
        app.actor,
    )
    app.siege.run(
        [
            OpenStore("water-1", "AQ", "water", "الخزان الرئيسي", "L", NOW - timedelta(days=2)),
            Receive("water-1", to_base("100", "L"), NOW - timedelta(days=2), "ICRC"),
            Issue("water-1", to_base("30", "L"), NOW - timedelta(days=1), "الجناح أ"),
        ],
        app.actor,
    )
    with serve(world.asgi) as base:
        yield world, base
    world.close()


def log_in(browser: Browser, base: str, username: str, width: int = 1024) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 768}, locale="ar")
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    return page


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").click()


PAGES = (
    ("incidents", "/incidents"),
    ("incidents_attacks", "/incidents?view=attacks"),
    ("incident", "/incidents/I-0001"),
    ("notifications", "/notifications"),
    ("sitrep", "/sitrep"),
)


def test_an_attack_a_notification_and_the_sitrep_in_arabic(
    browser: Browser, site: tuple[WebWorld, str]
) -> None:
    world, base = site
    page = log_in(browser, base, "admin")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/incidents")
    expect(page.locator("h1")).to_have_text("الحوادث")

    report = "form[action='/incidents']"
    form = page.locator(report)
    form.locator("select[name=kind]").select_option("attack")
    form.locator("select[name=severity]").select_option("serious")
    form.locator("input[name=location]").fill("السور الشمالي")
    form.locator("textarea[name=summary]").fill("قذائف هاون على السور الشمالي.")
    form.locator("input[name=person_0]").fill("D-000002")
    form.locator("select[name=role_0]").select_option("injured")
    form.locator("select[name=outcome_0]").select_option("injured")
    submit(page, report)
    expect(page.locator("h1")).to_contain_text("I-0001")
    expect(page.locator("main > [role=status]")).to_contain_text("سُجِّل الحادث")
    found = world.app.siege.case("incidents", "I-0001")
    assert (found.kind, found.location) == ("attack", "السور الشمالي")
    assert [(p.person, p.role) for p in found.people] == [("D-000002", "injured")]

    addendum = "form:has(input[name=step][value=addendum])"
    page.locator(addendum).locator("textarea[name=text]").fill("نُقل المصاب إلى العيادة.")
    page.locator(addendum).locator("input[name=person_0]").fill("D-000002")
    page.locator(addendum).locator("select[name=role_0]").select_option("injured")
    page.locator(addendum).locator("select[name=outcome_0]").select_option("hospitalised")
    submit(page, addendum)
    expect(page.locator("ol.addenda")).to_contain_text("نُقل المصاب إلى العيادة.")
    expect(page.locator("table.people")).to_contain_text("في المستشفى")

    status = "form:has(input[name=step][value=status])"
    page.locator(status).locator("select[name=status]").select_option("closed")
    page.locator(status).locator("textarea[name=reason]").fill("راجعه المدير")
    submit(page, status)
    expect(page.locator("p.lede")).to_contain_text("مغلق")
    assert world.app.siege.case("incidents", "I-0001").status == "closed"
    expect(page.locator(addendum)).to_have_count(0)  # closed: nothing is added any more
    # A breach attempt earlier in the day, for the attack timeline.
    world.app.siege.run(
        [
            ReportIncident(
                "",
                "AQ",
                "breach_attempt",
                "moderate",
                NOW - timedelta(hours=3),
                "البوابة الرئيسية",
                "مسلحون حاولوا فتح البوابة",
            )
        ],
        world.app.actor,
    )
    page.goto(f"{base}/incidents?view=attacks")
    expect(page.locator("ol.timeline li")).to_have_count(2)
    expect(page.locator("ol.timeline li").first).to_contain_text("محاولة اختراق")

    page.goto(f"{base}/notifications")
    expect(page.locator("table.notifications tbody tr")).to_have_count(2)
    first = page.locator("table.notifications tbody tr").first
    expect(first).to_contain_text("D-000001")
    ident = first.get_attribute("id")
    assert ident
    first.locator("details.step summary").click()
    sent = f"tr[id='{ident}'] form:has(input[name=step][value=sent])"
    page.locator(sent).locator("select[name=channel]").select_option("phone")
    page.locator(sent).locator("input[name=to]").fill("أخوه أحمد")
    page.locator(sent).locator("input[name=by]").fill("ضابط السجلات")
    submit(page, sent)
    expect(page.locator("main > [role=status]")).to_contain_text("سُجِّل")
    assert world.app.siege.case("notifications", ident).status == "sent"
    expect(page.locator(f"tr[id='{ident}']")).to_contain_text("أخوه أحمد")

    page.goto(f"{base}/sitrep")
    expect(page.locator("h1")).to_contain_text("تقرير الوضع")
    message = page.locator("textarea.sitrep-message").input_value()
    assert message.startswith("تقرير الوضع:")
    assert "هجمات خلال ٧٢ ساعة: ٢" in message
    expect(page.locator("figure.chart svg")).to_have_count(1)

    for name, path in PAGES:
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200
        shot(page, f"{name}_ar")

    with page.expect_navigation():
        page.click("form.lang button[value=en]")
    for name, path in PAGES:
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
        shot(page, f"{name}_en")
    assert errors == []

    # On a phone the pages do not scroll sideways (the tables scroll inside their frame).
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in PAGES:
        page.goto(f"{base}{path}")
        shot(page, f"{name}_phone_en")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{path} scrolls sideways on a phone ({width}px)"
    with page.expect_navigation():
        page.click("form.lang button[value=ar]")
    for name, path in (("incident", "/incidents/I-0001"), ("notifications", "/notifications")):
        page.goto(f"{base}{path}")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        shot(page, f"{name}_phone_ar")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{path} scrolls sideways on a phone in Arabic ({width}px)"
