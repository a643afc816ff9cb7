"""Real-browser acceptance of the dialogue: the care office plans a session for a submitted plan
and sees the rule-19 warning go once all three parties are invited; the organisation picks the
date; the care office records the session as held and an agreement; then the organisation's
quality staff and the client council member see that agreement as a tracked item. At desktop
width and at 360 px, with axe on every page state. Helpers: core/tests/browser_support.py.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samenplan.careoffice.models import DialogueSession
from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, log_in
from samenplan.core.tests.world import build_world
from samenplan.plans import services as plan_services

from .dialogue_helpers import in_days, quickly_submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000  # two cores, several test runs at once
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]
WARNING = "De VAR/PAR (of de ondernemingsraad die de VAR/PAR vervangt) is nog niet uitgenodigd"
AGREEMENT = "Elke bewoner is elke dag even buiten"


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setattr(plan_services, "request_version_pdf", lambda version: None)
    return build_world()


def _narrow(page, width):
    page.set_viewport_size({"width": width, "height": 800 if width < 600 else 900})


@pytest.mark.parametrize("width", WIDTHS)
def test_a_session_is_planned_held_and_its_agreements_tracked(live_server, page, context, world, width):
    _narrow(page, width)
    plan = quickly_submitted(world).plan

    # The care office proposes a date, at first without the VAR.
    log_in(context, live_server, world.people["care_office"])
    page.goto(f"/zorgkantoor/plannen/{plan.pk}/dialoogsessie/nieuw/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Een dialoogsessie plannen")
    assert_accessible(page, "the new session form")
    page.get_by_label("Voorstel 1: datum en begintijd").fill(timezone.localtime(in_days(10)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Waar is de sessie?").fill("Zorgkantoor, Stationsweg 12, Tiel")
    page.get_by_role("checkbox", name=re.compile(r"^VAR \(")).uncheck()
    page.get_by_role("button", name="Data voorstellen en uitnodigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dialoogsessie")
    expect(page.locator("#uitnodigen .findings")).to_contain_text(WARNING)
    assert_accessible(page, "the session page with the rule-19 warning")

    # Invited as well: the warning goes.
    page.get_by_role("checkbox", name=re.compile(r"^VAR \(")).check()
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_text("De uitnodiging is verstuurd.")).to_be_visible()
    expect(page.locator("#uitnodigen .findings")).to_have_count(0)
    assert_accessible(page, "the session page with all three invited")
    session = DialogueSession.objects.get(plan=plan)

    # The organisation picks the date.
    log_in(context, live_server, world.people["quality"])
    page.goto(f"/dialoogsessies/{session.pk}/")
    assert_accessible(page, "the session page for the organisation")
    page.get_by_role("group", name="Welke datum past?").get_by_role("radio").first.check()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Iedereen die is uitgenodigd, krijgt bericht.")).to_be_visible()
    assert_accessible(page, "the planned session for the organisation")

    # The care office records it as held, and an agreement.
    log_in(context, live_server, world.people["care_office"])
    page.goto(f"/dialoogsessies/{session.pk}/")
    page.get_by_label("Gehouden op").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Vastleggen", exact=True).click()
    expect(page.get_by_text("De sessie is vastgelegd als gehouden.")).to_be_visible()
    assert_accessible(page, "the held session")
    form = page.locator("form", has=page.get_by_role("button", name="Afspraak vastleggen"))
    form.get_by_label(re.compile(r"^Afspraak:?$")).fill(AGREEMENT)
    form.get_by_label("Wie zorgt ervoor?").fill("Teamleiders van de locaties")
    form.get_by_label(re.compile(r"^Klaar op:?$")).fill(timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat())
    form.get_by_role("button", name="Afspraak vastleggen").click()
    expect(page.get_by_role("table", name="Afspraken uit deze sessie")).to_contain_text(AGREEMENT)
    assert_accessible(page, "the session with an agreement")

    # The organisation's quality staff and the client council member see it as a tracked item.
    for persona in ("quality", "council_member"):
        log_in(context, live_server, world.people[persona])
        page.goto(f"/plannen/{plan.pk}/afspraken/")
        expect(page.get_by_role("table", name="Afspraken over dit plan")).to_contain_text(AGREEMENT)
        assert_accessible(page, f"the agreements page for {persona}")
