"""The supplies and appeals pages in a real browser (Debian's Chromium, driven by
Playwright): in Arabic, open a store, record a delivery and an issue, send an appeal; the
pages are photographed in Arabic and English (``test-artefacts/screenshots``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from amanah.domain.supplies.model import Store
from tests.support.access_world import PASSWORD
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
    world = make_web_world(tmp_path / "home")
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


def test_supplies_and_an_appeal_in_arabic(browser: Browser, site: tuple[WebWorld, str]) -> None:
    world, base = site
    page = log_in(browser, base, "admin")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/supplies")
    expect(page.locator("h1")).to_have_text("الإمدادات")

    store = "form:has(input[name=form][value=store])"
    page.locator(store).locator("input[name=id]").fill("water-1")
    page.locator(store).locator("input[name=name]").fill("الخزان الرئيسي")
    page.locator(store).locator("select[name=resource]").select_option("water")
    page.locator(store).locator("select[name=unit]").select_option("L")
    submit(page, store)

    entry = "form:has(input[name=form][value=entry])"
    for kind, amount, party in (
        ("receive", "1,200", "اللجنة الدولية"),
        ("issue", "300", "الجناح أ"),
    ):
        page.locator(entry).locator("select[name=kind]").select_option(kind)
        page.locator(entry).locator("select[name=store]").select_option("water-1")
        page.locator(entry).locator("input[name=amount]").fill(amount)
        page.locator(entry).locator("select[name=unit]").select_option("L")
        page.locator(entry).locator("input[name=party]").fill(party)
        submit(page, entry)
        expect(page.locator("main > [role=status]")).to_contain_text("سُجِّل")
    found = world.app.siege.store("water-1")
    assert isinstance(found, Store)
    assert (found.received, found.issued, found.stock) == (1_200_000, 300_000, 900_000)
    expect(page.locator("table.runway")).to_contain_text("الماء")

    # A refusal is shown on its form, with what was typed kept.
    page.locator(entry).locator("select[name=kind]").select_option("issue")
    page.locator(entry).locator("input[name=amount]").fill("5000")
    page.locator(entry).locator("input[name=party]").fill("الجناح ب")
    size = world.size()
    submit(page, entry)
    expect(page.locator(f"{entry} >> xpath=.. >> [role=alert]")).to_contain_text("cannot be issued")
    expect(page.locator(entry).locator("input[name=party]")).to_have_value("الجناح ب")
    assert world.size() == size
    errors.clear()  # the refusal's own 409, which the console reports

    page.goto(f"{base}/supplies?until=2026-02-15")
    shot(page, "supplies_ar")
    page.goto(f"{base}/supplies/water-1")
    expect(page.locator("tbody tr").first).to_contain_text("صرف")
    shot(page, "supply_ar")

    page.goto(f"{base}/appeals")
    send = "form[action='/appeals']"
    page.locator(send).locator("select[name=kind]").select_option("safe_corridor")
    page.locator(send).locator("input[name=recipient]").fill("ضابط ارتباط التحالف")
    page.locator(send).locator("select[name=channel]").select_option("phone")
    page.locator(send).locator("textarea[name=text]").fill("نطلب ممرًا آمنًا لعناصر الحراسة.")
    submit(page, send)
    expect(page.locator("h1")).to_contain_text("AP-0001")
    assert world.app.siege.case("appeals", "AP-0001").recipient == "ضابط ارتباط التحالف"
    promise = "form:has(input[name=step][value=promise])"
    page.locator(promise).locator("textarea[name=action]").fill("فتح الممر")
    page.locator(promise).locator("input[name=deadline]").fill("2026-01-21T12:00")
    page.locator(promise).locator("input[name=by]").fill("الرائد ك.")
    submit(page, promise)
    shot(page, "appeal_ar")
    page.goto(f"{base}/appeals")
    expect(page.locator("table.appeals")).to_contain_text("ممر آمن")
    shot(page, "appeals_ar")

    with page.expect_navigation():
        page.click("form.lang button[value=en]")
    for name, path in (
        ("supplies", "/supplies?until=2026-02-15"),
        ("supply", "/supplies/water-1"),
        ("appeals", "/appeals"),
        ("appeal", "/appeals/AP-0001"),
    ):
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
        shot(page, f"{name}_en")
    assert errors == []

    # On a phone the pages do not scroll sideways (the tables scroll inside their frame).
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (("supplies", "/supplies"), ("appeals", "/appeals")):
        page.goto(f"{base}{path}")
        shot(page, f"{name}_phone_en")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{path} scrolls sideways on a phone ({width}px)"
