"""The web UI in a real browser (Debian's Chromium, driven by Playwright): log in, switch
language, search a person in Arabic, complete a block's roll call including a recount and a
resolution, record a hospital run and its return. Every page is also photographed in Arabic
and in English (``test-artefacts/screenshots``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

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


def log_in(browser: Browser, base: str, username: str, *, width: int = 1024) -> Page:
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


def test_log_in_and_switch_language(browser: Browser, site: tuple[WebWorld, str]) -> None:
    _, base = site
    page = log_in(browser, base, "admin")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.locator("ul.nav")).to_contain_text("لوحة المتابعة")
    with page.expect_navigation():
        page.click("form.lang button[value=en]")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.locator("ul.nav")).to_contain_text("Dashboard")
    expect(page.locator("h1")).to_contain_text("Test prison")
    # The choice stays with the session.
    page.goto(f"{base}/rolls")
    expect(html).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.click("form.lang button[value=ar]")
    expect(html).to_have_attribute("dir", "rtl")


def test_search_a_person_in_arabic(browser: Browser, site: tuple[WebWorld, str]) -> None:
    _, base = site
    page = log_in(browser, base, "records")
    page.goto(f"{base}/people")
    page.fill("input[name=q]", "سام")  # as typed: htmx searches after a pause
    row = page.locator("#results table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("D-000001")
    expect(row).to_contain_text("سامر")
    with page.expect_navigation():
        row.locator("a").click()
    expect(page.locator("h1")).to_contain_text("D-000001")
    expect(page.locator("body")).to_contain_text("CO-1")


def test_a_block_roll_call_with_a_recount_and_a_resolution(
    browser: Browser, site: tuple[WebWorld, str]
) -> None:
    world, base = site
    page = log_in(browser, base, "records")
    page.goto(f"{base}/rolls")
    page.select_option("select[name=scope]", "A")
    with page.expect_navigation():
        page.click("form[action='/rolls'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/rolls/R-0001$"))
    with page.expect_navigation():
        page.click("a[href='/rolls/R-0001/blocks/A']")
    # On a tablet the number is typed, in Arabic-Indic digits as often as not.
    page.locator("#place-A-02 input[name=counted]").press_sequentially("٠")
    counters = page.locator("#counters input[name=counter]")
    counters.nth(0).fill("عمر")
    counters.nth(1).fill("علي")

    a02 = page.locator("#place-A-02")
    a02.locator("button[type=submit]").click()
    expect(page.locator("#place-A-02")).to_have_class(re.compile("tally-matched"))

    a01 = page.locator("#place-A-01")
    a01.locator("input[name=counted]").fill("0")  # D-000001 is missed
    a01.locator("button[type=submit]").click()
    expect(page.locator("#place-A-01")).to_have_class(re.compile("tally-recount"))
    page.locator("#place-A-01 input[name=counted]").fill("0")
    page.locator("#place-A-01 button[type=submit]").click()
    expect(page.locator("#place-A-01")).to_have_class(re.compile("tally-unresolved"))
    shot(page, "roll_block_unresolved_ar")

    with page.expect_navigation():
        page.locator("#place-A-01 a.button").click()
    page.check("input[name=person][value=D-000001]")
    page.check("input[name=outcome][value=found]")
    with page.expect_navigation():
        page.click("form[action='/rolls/R-0001/resolve'] button[type=submit]")
    expect(page.locator("#place-A-01")).to_have_class(re.compile("tally-resolved"))
    roll = world.app.facility.roll_places("R-0001")["roll"]
    assert roll.status == "cleared"
    page.goto(f"{base}/rolls/R-0001")
    expect(page.locator(".block-card.done")).to_have_count(1)


def test_counting_the_reception(browser: Browser, site: tuple[WebWorld, str]) -> None:
    """A place whose id has a colon (every facility's reception) counts like any other."""
    world, base = site
    page = log_in(browser, base, "records")
    page.goto(f"{base}/rolls")
    page.select_option("select[name=scope]", "AQ")
    with page.expect_navigation():
        page.click("form[action='/rolls'] button[type=submit]")
    with page.expect_navigation():
        page.click("a[href='/rolls/R-0001/blocks/AQ']")
    page.locator("#counters input[name=counter]").nth(0).fill("Omar")
    row = page.locator("tr[data-place='AQ:reception']")
    row.locator("input[name=counted]").fill("0")
    row.locator("button[type=submit]").click()
    expect(page.locator("tr[data-place='AQ:reception']")).to_have_class(re.compile("tally-matched"))
    assert world.app.facility.roll_places("R-0001")["tallies"]["AQ:reception"].counted == 0


def test_a_hospital_run_and_its_return(browser: Browser, site: tuple[WebWorld, str]) -> None:
    world, base = site
    page = log_in(browser, base, "medic")
    page.goto(f"{base}/movements?kind=out&person=D-000001")
    page.fill("input[name=to]", "hospital")
    page.fill("input[name=purpose]", "صورة أشعة")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    expect(page.locator("h1")).to_contain_text("D-000001")
    assert world.app.facility.person("D-000001")[0].status == "out"
    page.goto(f"{base}/movements?kind=return&person=D-000001")
    page.fill("input[name=to]", "A-01")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    person, history = world.app.facility.person("D-000001")
    assert (person.status, person.location) == ("inside", "A-01")
    assert [m.kind for m in history][-2:] == ["out", "return"]


def test_a_refused_movement_is_shown_on_its_form(
    browser: Browser, site: tuple[WebWorld, str]
) -> None:
    world, base = site
    page = log_in(browser, base, "records")  # a log-in anchors the access log: an entry
    size = world.size()
    page.goto(f"{base}/movements?kind=cell&person=D-000001")
    page.fill("input[name=to]", "B-01")
    page.fill("input[name=origin]", "A-02")  # not where the register has them
    page.fill("input[name=reason]", "test")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    expect(page.locator("[role=alert]")).to_contain_text("A-02")
    expect(page.locator("input[name=reason]")).to_have_value("test")
    assert world.size() == size


PAGES = [
    ("dashboard", "/"),
    ("people", "/people?q=Samer"),
    ("person", "/people/D-000001"),
    ("admit", "/people/new?category=detainee"),
    ("roster", "/roster"),
    ("rolls", "/rolls"),
    ("movement", "/movements?kind=cell&person=D-000001"),
    ("roll_sheet", "/sheets/A"),
    ("ledger", "/ledger"),
    ("access_log", "/access"),
    ("users", "/users"),
    ("account", "/account"),
]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_in_both_languages(
    browser: Browser, site: tuple[WebWorld, str], lang: str
) -> None:
    _, base = site
    page = log_in(browser, base, "admin")
    if lang == "en":
        with page.expect_navigation():
            page.click("form.lang button[value=en]")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for name, path in PAGES:
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200, (path, response.status)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        shot(page, f"{name}_{lang}")
    # No page may load anything from outside, or break its own CSP.
    assert errors == []
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{base}/")
    shot(page, f"dashboard_phone_{lang}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the dashboard scrolls sideways on a phone ({width}px)"
