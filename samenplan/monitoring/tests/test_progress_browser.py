"""Real-browser acceptance of the progress through the year: the location manager records an
action's progress over the four quarters of last year's plan, the progress pages and the quarterly
report show it, and a client council member comments on the report. Axe on every page visited, at
desktop width and at 360 px; the record form once more with JavaScript off."""

import pytest
from playwright.sync_api import expect

from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, log_in
from samenplan.core.tests.test_browser import no_js_page  # noqa: F401 - a fixture
from samenplan.core.tests.world import build_world
from samenplan.monitoring.models import ActionProgress, ReportComment

from .matrix_progress_cases import follow_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000  # two cores, several test runs at once
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]
UPDATES = [
    ("Op schema", "De eerste afdeling kookt samen.", "1 van 5 afdelingen", ""),
    ("Vertraagd", "De keuken werd verbouwd.", "1 van 5 afdelingen", ""),
    ("Op schema", "Drie afdelingen koken nu samen.", "3 van 5 afdelingen", "Meneer schilde de aardappels."),
    ("Klaar", "Alle afdelingen koken samen.", "5 van 5 afdelingen", ""),
]


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def world():
    world = build_world()
    follow_plan(world)
    return world


def _h1(page, text):
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def _record(page, action_pk, quarter, status, explanation, figure, story):
    page.goto(f"/acties/{action_pk}/voortgang/?quarter={quarter}")
    _h1(page, "Voortgang bijwerken")
    page.get_by_label("Over welk kwartaal?").select_option(quarter)
    page.get_by_role("radio", name=status, exact=True).check()
    page.get_by_label("Toelichting").fill(explanation)
    page.get_by_label("Cijfer (mag leeg blijven)").fill(figure)
    page.get_by_label("Verhaal van de werkvloer (mag leeg blijven)").fill(story)
    page.get_by_role("button", name="Opslaan").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_progress_over_a_year_and_the_quarterly_report(live_server, page, context, world, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 800 if width < 600 else 900})
    plan, action, year = world.plan, world.action, world.plan.year
    log_in(context, live_server, world.people["location_manager"])

    # A mistake first: what was typed stays.
    page.goto(f"/acties/{action.pk}/voortgang/")
    _h1(page, "Voortgang bijwerken")
    assert_accessible(page, "the record form")
    page.get_by_label("Cijfer (mag leeg blijven)").fill("1 van 5 afdelingen")
    page.get_by_role("button", name="Opslaan").click()
    _h1(page, "Voortgang bijwerken")
    expect(page.get_by_text("Kies hoe het met de actie gaat.").first).to_be_visible()
    expect(page.get_by_label("Cijfer (mag leeg blijven)")).to_have_value("1 van 5 afdelingen")
    assert_accessible(page, "the record form with errors")

    for number, (status, explanation, figure, story) in enumerate(UPDATES, start=1):
        _record(page, action.pk, f"{year}-Q{number}", status, explanation, figure, story)
        _h1(page, "Voortgang van De Linde")
        expect(page.get_by_text(f"De stand van zaken over {year}-Q{number} is opgeslagen.")).to_be_visible()
    assert ActionProgress.objects.filter(action=action).count() == 4
    expect(page.get_by_text("Meneer schilde de aardappels.")).to_be_visible()
    assert_accessible(page, "the location's progress over four quarters")

    page.get_by_role("link", name="Voortgang", exact=True).click()
    _h1(page, "Hoe gaat het met de verbeteracties?")
    assert_accessible(page, "the plan's progress")

    # The client council reads the fourth quarter's report and comments on it.
    log_in(context, live_server, world.people["council_member"])
    page.goto(f"/plannen/{plan.pk}/kwartaalrapportage/?quarter={year}-Q4")
    _h1(page, f"Kwartaalrapportage {year}-Q4")
    expect(page.get_by_text("eerst Op schema, nu Klaar", exact=False)).to_be_visible()
    assert_accessible(page, "the quarterly report")
    page.get_by_label("Uw reactie").fill("Wat mooi dat alle afdelingen nu samen koken.")
    page.get_by_role("button", name="Reactie versturen").click()
    _h1(page, f"Kwartaalrapportage {year}-Q4")
    expect(page.get_by_text("Dank u wel. Uw reactie staat bij de kwartaalrapportage.")).to_be_visible()
    expect(page.get_by_text("Wat mooi dat alle afdelingen nu samen koken.")).to_be_visible()
    assert_accessible(page, "the quarterly report with a comment")
    assert ReportComment.objects.filter(plan=plan, quarter=f"{year}-Q4").count() == 1


def test_the_record_form_works_without_javascript(live_server, no_js_page, world):  # noqa: F811
    page = no_js_page
    log_in(page.context, live_server, world.people["quality"])
    status, explanation, figure, story = UPDATES[0]
    _record(page, world.action.pk, f"{world.plan.year}-Q1", status, explanation, figure, story)
    _h1(page, "Voortgang van De Linde")
    assert ActionProgress.objects.get(action=world.action).explanation == explanation
