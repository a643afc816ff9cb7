"""Real-browser acceptance of "what a council member reads": on the version page and the diff page,
at desktop width and at 360 px, a client-council member sees Dutch figures ("4,50 fte · 6 personen")
and a Dutch long date, the short fingerprint with the full one after opening "Volledige
vingerafdruk" (no JavaScript needed), care-intensity codes explained, and the diff's Markdown
rendered (bold as <strong>, not as **stars**). Every page passes axe and reflows.
Helpers: core/tests/browser_support.py.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, assert_reflows, log_in
from samenplan.core.tests.test_browser import no_js_page  # noqa: F401 - a fixture
from samenplan.core.tests.world import build_world
from samenplan.plans import services
from samenplan.plans.tests.test_formats_pages import version_with_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]


@pytest.fixture
def world(monkeypatch):
    """The shared world plus a version with figures, a date and Markdown, shared with the councils;
    without rendering the PDFs of its versions (seconds each, and not what is tested here)."""
    with monkeypatch.context() as patch:
        patch.setattr(services, "request_version_pdf", lambda version: None)
        world = build_world()
        world.figures_version = version_with_figures(world)
    return world


def open_as_council_member(page, live_server, world, width, path):
    log_in(page.context, live_server, world.people["council_member"])
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(path)
    assert response.status == 200, path


@pytest.mark.parametrize("width", WIDTHS)
def test_the_version_page_reads_in_dutch(live_server, page, world, width):
    version = world.figures_version
    open_as_council_member(page, live_server, world, width, version.get_absolute_url())

    staffing = page.locator("table.staffing-table")
    expect(staffing.locator("caption")).to_contain_text("peildatum 31 december 2027")
    de_linde = staffing.get_by_role("row", name="De Linde")
    expect(de_linde).to_contain_text("4,50 fte · 6 personen")
    expect(de_linde).to_contain_text("1.234,50 fte · 1.500 personen")
    expect(staffing).not_to_contain_text("0.00")
    expect(staffing).not_to_contain_text("0,00 fte")
    expect(page.get_by_text("VV5 – Beschermd wonen met intensieve dementiezorg: 40 bewoners")).to_be_visible()

    # The short fingerprint; the full one only on request, and it then fits the screen.
    facts = page.locator("dl.facts").first
    expect(facts.locator("code.hash").first).to_have_text(version.short_hash)
    full = facts.get_by_text(version.sha256, exact=True)
    expect(full).to_be_hidden()
    facts.get_by_text("Volledige vingerafdruk", exact=True).click()
    expect(full).to_be_visible()
    expect(facts).to_contain_text("Hiermee kunt u nagaan dat de tekst niet is veranderd.")

    assert_accessible(page, f"the version page at {width}px")
    assert_reflows(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_diff_shows_markdown_rendered(live_server, page, world, width):
    version = world.figures_version
    path = reverse("plans:version_diff", args=[version.pk]) + f"?met={world.version.pk}"
    open_as_council_member(page, live_server, world, width, path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wat is er veranderd tussen versie 2 en versie 3?")

    wonen = page.locator('section[aria-labelledby="diff-wonen-en-welzijn"]')
    expect(wonen.locator("td.diff-new strong")).to_have_text("toegevoegd: samen")
    expect(wonen.locator("td.diff-new em")).to_contain_text("elke dag")
    expect(wonen).not_to_contain_text("**")
    expect(wonen.locator("td.diff-marker").first).to_have_text("gewijzigd")

    staffing = page.locator('section[aria-labelledby="diff-staffing"]')
    expect(staffing).to_contain_text("31 december 2027")
    expect(staffing).to_contain_text("1.239,00 fte (1.506 personen)")

    new_fingerprint = page.locator("dl.facts dd").nth(1)
    expect(new_fingerprint.locator("code.hash").first).to_have_text(version.short_hash)
    expect(new_fingerprint.get_by_text(version.sha256)).to_be_hidden()
    new_fingerprint.get_by_text("Volledige vingerafdruk").click()
    expect(new_fingerprint.get_by_text(version.sha256)).to_be_visible()

    assert_accessible(page, f"the diff page at {width}px")
    assert_reflows(page)


def test_the_full_fingerprint_opens_without_javascript(live_server, no_js_page, world):  # noqa: F811
    page = no_js_page
    log_in(page.context, live_server, world.people["council_member"])
    page.goto(world.figures_version.get_absolute_url())
    full = page.get_by_text(world.figures_version.sha256, exact=True)
    expect(full).to_be_hidden()
    page.get_by_text("Volledige vingerafdruk", exact=True).click()
    expect(full).to_be_visible()


def test_in_english_the_figures_are_english(live_server, page, world):
    version = world.figures_version
    open_as_council_member(page, live_server, world, 1280, version.get_absolute_url())
    page.get_by_role("button", name="English").click()
    de_linde = page.locator("table.staffing-table").get_by_role("row", name="De Linde")
    expect(de_linde).to_contain_text("1,234.50 FTE")
    expect(de_linde).to_contain_text("4.50 FTE")
    expect(page.locator("table.staffing-table caption")).to_contain_text("31 December 2027")
    assert_accessible(page, "the version page in English")
