"""Real-browser acceptance of the public pages: an organisation's page, the plan list and the
published plan render for a visitor without an account, with JavaScript on and off, at desktop
width and at 360 px; axe-core finds nothing serious on any of them; on paper (print media) there
is no navigation. The board publishes from the plan page.
Helpers: core/tests/browser_support.py; axe needs JavaScript, so a page seen without it is audited
as served (assert_accessible_as_served).
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, assert_reflows, log_in
from samenplan.core.tests.world import build_world
from samenplan.plans import services as plan_services
from samenplan.publishing import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000  # two cores, several test runs at once
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]
SCRIPT = [pytest.param(True, id="js"), pytest.param(False, id="no-js")]


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def world(monkeypatch):
    """The test world; versions are frozen and published without their PDFs (seconds each; the
    public PDF is checked in test_personal_data.py)."""
    monkeypatch.setattr(plan_services, "request_version_pdf", lambda version: None)
    monkeypatch.setattr(services, "request_public_pdf", lambda version: None)
    return build_world()


@pytest.fixture
def published(world):
    from .helpers import publish_world_plan

    publish_world_plan(world)
    return world


def assert_accessible_as_served(page, new_context, what):
    """axe-core for a page opened with JavaScript off, where axe itself cannot run (its promise
    never settles). The page's DOM, without its scripts and with what <noscript> holds shown, is
    served at the same address to a context with JavaScript on (same stylesheets, same size) and
    audited there."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S | re.I)
    html = re.sub(r"</?noscript\b[^>]*>", "", html, flags=re.I)
    auditor = new_context(viewport=page.viewport_size)
    try:
        copy = auditor.new_page()
        target = page.url
        copy.route(lambda url: url == target,
                   lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
        copy.goto(target)
        assert copy.title() == page.title(), "the copy to audit is not the page"
        assert_accessible(copy, f"{what} (without JavaScript)")
    finally:
        auditor.close()


def auditor_for(page, new_context, script: bool):
    """assert_accessible, or its stand-in for a page without JavaScript."""
    if script:
        return lambda what: assert_accessible(page, what)
    return lambda what: assert_accessible_as_served(page, new_context, what)


def _visit(page, url, audit, what):
    page.goto(url)
    expect(page.locator("h1")).to_be_visible()
    audit(what)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("script", SCRIPT)
def test_the_public_pages_of_an_organisation_render_for_anyone(published, new_context, live_server, width,
                                                                 script):
    visitor = new_context(java_script_enabled=script, viewport={"width": width, "height": 900})
    visitor.set_default_timeout(TIMEOUT)
    page = visitor.new_page()
    audit = auditor_for(page, new_context, script)

    _visit(page, reverse("publishing:home"), audit, "public home")
    page.get_by_label("Naam van de organisatie").fill("linde")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status")).to_contain_text("1 organisatie gevonden")
    audit("public home, searched")
    page.get_by_role("link", name="Zorggroep De Linde").click()

    expect(page.locator("h1")).to_contain_text("Zorggroep De Linde")
    expect(page.get_by_role("table", name="Verbeteracties De Linde")).to_contain_text("Samen koken op de afdeling")
    expect(page.get_by_text("Lerend netwerk Rivierenland")).to_be_visible()
    audit("organisation page")
    if width < 400:
        assert_reflows(page)

    page.get_by_role("link", name="Lees het hele plan 2027").click()
    expect(page.locator("h1")).to_contain_text("Kwaliteitsplan 2027")
    expect(page.get_by_text("Bewoners eten samen.")).to_be_visible()
    audit("published plan")

    page.goto(reverse("publishing:plans"))
    page.get_by_label("Jaar").select_option("2027")
    page.get_by_role("button", name="Toon plannen").click()
    expect(page.get_by_role("table")).to_contain_text("Zorggroep De Linde")
    audit("plan list, filtered")

    page.goto(reverse("publishing:plans") + "?jaar=twintig")
    expect(page.locator(".error-summary")).to_contain_text("Kies een jaar uit de lijst.")
    audit("plan list with a filter that does not hold")


def test_on_paper_the_public_pages_show_no_navigation(published, context, live_server):
    world = published
    page = context.new_page()
    for url in (reverse("publishing:organisation", args=[world.organisation.pk]),
                reverse("publishing:plan", args=[world.plan.pk]), reverse("publishing:plans")):
        page.goto(url)
        page.emulate_media(media="print")
        for selector in (".public-nav", ".site-header nav", ".footer-public-link", ".filter-form", ".actions"):
            for element in page.locator(selector).all():
                expect(element).to_be_hidden()
        expect(page.locator("h1")).to_be_visible()
        page.emulate_media(media="screen")
        expect(page.locator(".public-nav")).to_be_visible()


def test_the_board_publishes_from_the_plan_page(world, context, live_server):
    from samenplan.consent.tests.adopted import adopt_plan_of_world

    adoption = adopt_plan_of_world(world)
    log_in(context, live_server, world.people["board"])
    page = context.new_page()
    page.goto(reverse("plans:detail", args=[world.plan.pk]))
    page.get_by_role("button", name=f"Versie {adoption.version.number} openbaar maken").click()
    expect(page.get_by_role("status")).to_contain_text("is nu openbaar")
    assert_accessible(page, "plan page, published")
    page.get_by_role("link", name="Bekijk de openbare pagina").click()
    expect(page.locator("h1")).to_contain_text("Kwaliteitsplan 2027")
    page.go_back()
    page.get_by_role("button", name="Niet meer openbaar maken").click()
    expect(page.get_by_role("status")).to_contain_text("niet meer openbaar")
    response = page.goto(reverse("publishing:plan", args=[world.plan.pk]))
    assert response.status == 404
