"""Real-browser acceptance of the quality report (issue 13): quality staff draft the report of a plan
with the chain signal → top-3 point → action → progress, write an evaluation and a finding; a
council member comments; the board adopts. The report page shows the chain. Staff publish "u zei,
wij deden"; its public page (JavaScript on and off) and the poster show the chain without anyone's
own words; axe-core finds nothing serious on any page visited.
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
from samenplan.core.tests.browser_support import assert_accessible, log_in
from samenplan.core.tests.world import build_world
from samenplan.plans import services as plan_services
from samenplan.publishing.tests.test_public_browser import assert_accessible_as_served

from .report_world import SIGNAL_TEXT, build_chain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000  # two cores, several test runs at once
EVALUATION = "Twee keer per week koken bewoners mee."
FINDING = "Samen koken werkt. Doe het ook in het weekend."
COMMENT = "Fijn verslag. Wij missen de avonden."
YOU_SAID = "Bewoners wilden vaker samen iets doen."
WE_DID = "Nu koken bewoners twee keer per week mee."


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setattr(plan_services, "request_version_pdf", lambda version: None)
    world = build_world()
    build_chain(world)
    return world


def _arrive(page, heading, what):
    # Wait for the new page's heading before the audit: axe on a page still navigating fails at random.
    expect(page.locator("h1")).to_contain_text(heading)
    assert_accessible(page, what)


def test_the_report_is_drafted_commented_adopted_and_told_in_public(world, live_server, page, context, new_context):
    plan, action, point = world.plan, world.action, world.top_point
    report_url = reverse("monitoring:report", args=[plan.pk])

    log_in(context, live_server, world.people["quality"])
    page.goto(report_url)
    _arrive(page, "Kwaliteitsverslag 2027", "report before it is drafted")
    page.get_by_role("link", name="Kwaliteitsverslag opstellen").click()
    _arrive(page, "Kwaliteitsverslag opstellen", "start the report")
    page.get_by_role("button", name="Concept maken").click()
    _arrive(page, "Kwaliteitsverslag 2027", "draft report")

    page.get_by_role("link", name=f"Evaluatie van „{action.title}” schrijven").first.click()
    _arrive(page, "Evaluatie:", "evaluate an action")
    page.get_by_role("button", name="Evaluatie opslaan").click()
    _arrive(page, "Evaluatie:", "evaluation with errors")
    page.get_by_label("Klaar", exact=True).check()
    page.get_by_label("Wat heeft de actie opgeleverd?").fill(EVALUATION)
    page.get_by_role("button", name="Evaluatie opslaan").click()
    _arrive(page, "Kwaliteitsverslag 2027", "report with an evaluation")

    page.get_by_role("link", name="Bevindingen", exact=True).click()
    _arrive(page, "Bevindingen", "findings")
    page.locator("textarea[name=text]").fill(FINDING)
    page.get_by_label("Voor welke locatie?").select_option(label=world.location.name)
    page.get_by_role("button", name="Bevinding opslaan").click()
    expect(page.locator(".findings-list")).to_contain_text(FINDING)
    assert_accessible(page, "findings with one")

    page.goto(reverse("monitoring:edit_report", args=[plan.pk]))
    _arrive(page, "Inleiding en evaluatie per thema", "edit the report")
    page.get_by_label("Evaluatie: Wonen en welzijn").fill("Bewoners doen **meer samen**.")
    page.get_by_role("button", name="Leesbaarheid controleren").click()
    expect(page.locator(".readability-note").first).to_be_visible()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    _arrive(page, "Kwaliteitsverslag 2027", "report with a theme evaluation")

    log_in(context, live_server, world.people["council_member"])
    page.goto(report_url)
    _arrive(page, "Kwaliteitsverslag 2027", "draft report as a council member")
    page.get_by_role("link", name="Reageren op het verslag").click()
    _arrive(page, "Reageren op het kwaliteitsverslag", "comment")
    page.get_by_label("Uw reactie").fill(COMMENT)
    page.get_by_role("button", name="Reactie versturen").click()
    expect(page.locator("#reacties .comment").first).to_contain_text(COMMENT)

    log_in(context, live_server, world.people["board"])
    page.goto(report_url)
    _arrive(page, "Kwaliteitsverslag 2027", "draft report as the board")
    page.get_by_role("link", name="Verslag vaststellen").click()
    _arrive(page, "vaststellen", "adopt the report")
    page.get_by_label("Ja, ik weet wat deze stap doet").check()
    page.get_by_role("button", name="Verslag vaststellen").click()
    _arrive(page, "Kwaliteitsverslag 2027", "adopted report")
    main = page.locator("main")
    for text in (point.title, action.title, EVALUATION, FINDING, COMMENT, "Vastgesteld op"):
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text(SIGNAL_TEXT)

    log_in(context, live_server, world.people["quality"])
    page.goto(report_url)
    page.get_by_role("button", name="Openbaar maken (zonder namen)").click()
    _arrive(page, "Kwaliteitsverslag 2027", "published report")
    page.get_by_role("link", name=f"„U zei, wij deden” voor {world.location.name}").click()
    _arrive(page, "U zei, wij deden", "edit u zei, wij deden")
    first = page.locator("fieldset").filter(has_text=point.title)
    first.get_by_label("U zei").fill(YOU_SAID)
    first.get_by_label("Wij deden").fill(WE_DID)
    page.get_by_role("button", name="Opslaan en openbaar maken").click()
    expect(page.get_by_text("Deze pagina is openbaar.")).to_be_visible()
    assert_accessible(page, "u zei, wij deden published")

    for script in (True, False):
        visitor = new_context(java_script_enabled=script)
        visitor.set_default_timeout(TIMEOUT)
        public = visitor.new_page()
        for url, heading in ((reverse("monitoring:you_said", args=[world.location.pk]), "U zei, wij deden"),
                             (reverse("monitoring:you_said_poster", args=[world.location.pk]), "U zei, wij deden"),
                             (reverse("monitoring:public_report", args=[world.organisation.pk, plan.year]),
                              "Kwaliteitsverslag 2027")):
            public.goto(url)
            expect(public.locator("h1")).to_contain_text(heading)
            body = public.locator("main")
            for text in (point.title, action.title, EVALUATION):
                expect(body).to_contain_text(text)
            expect(body).not_to_contain_text(SIGNAL_TEXT)
            expect(body).not_to_contain_text(COMMENT)
            expect(body).not_to_contain_text(action.owner)
            if script:
                assert_accessible(public, url)
            else:
                assert_accessible_as_served(public, new_context, url)
        public.goto(reverse("monitoring:you_said_poster", args=[world.location.pk]))
        public.emulate_media(media="print")
        expect(public.locator(".poster")).to_be_visible()
        expect(public.locator(".site-header").first).to_be_hidden()
        visitor.close()
