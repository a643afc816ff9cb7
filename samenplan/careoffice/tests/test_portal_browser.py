"""Real-browser acceptance of issue 12, as one story: the care office's user opens the overview of
the region, opens a plan that was submitted twice, compares the two submitted versions, plans a
dialogue session with the board, the client council and the VAR, and records agreements after it;
the organisation's quality staff picks the date and keeps the agreements up to date, the client
council member sees them as tracked items; the organisation's public page renders with
JavaScript on and off. axe on every page visited. Helpers: core/tests/browser_support.py.

One long test on purpose: the world (two consent rounds, two submissions) takes seconds to build.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from samenplan.careoffice import services
from samenplan.careoffice.models import DialogueSession, Submission
from samenplan.consent.tests.adopted import adopt_plan_of_world
from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, log_in
from samenplan.core.tests.world import build_world
from samenplan.plans import services as plan_services
from samenplan.publishing import services as publishing_services
from samenplan.publishing.tests.test_public_browser import auditor_for

from .dialogue_helpers import in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000  # two cores, several test runs at once
FIRST_AGREEMENT = "Elke bewoner is elke dag even buiten"
SECOND_AGREEMENT = "De cliëntenraad praat mee over het rooster"


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def twice_submitted(monkeypatch):
    """The world's plan submitted, withdrawn, revised, adopted again and submitted again (through
    the real services), and published by its board. Versions are frozen without their PDFs."""
    monkeypatch.setattr(plan_services, "request_version_pdf", lambda version: None)
    monkeypatch.setattr(publishing_services, "request_public_pdf", lambda version: None)
    world = build_world()
    board = world.people["board"]
    first = services.submit_plan(plan=adopt_plan_of_world(world).plan, by=board)
    services.withdraw_submission(submission=first, by=board, reason="De begroting ontbrak nog.")
    second = services.submit_plan(plan=adopt_plan_of_world(world).plan, by=board)
    assert first.version_id != second.version_id
    publishing_services.publish_plan(plan=world.plan, by=board)
    world.plan.refresh_from_db()
    return world, first, second


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def test_the_care_office_compares_plans_a_dialogue_and_its_agreements_are_tracked(
        twice_submitted, context, live_server, new_context):
    world, first, second = twice_submitted
    plan, year = world.plan, str(world.plan.year)
    page = context.new_page()

    # 1. The region's overview, from the menu.
    log_in(context, live_server, world.people["care_office"])
    page.goto("/")
    page.get_by_role("link", name="Plannen in mijn regio").first.click()
    _heading(page, "in uw regio")
    assert_accessible(page, "the portal overview")
    page.get_by_label("Planjaar").select_option(year)
    page.get_by_role("button", name="Toon", exact=True).click()
    _heading(page, f"Kwaliteitsplannen {year} in uw regio")
    row = page.get_by_role("row", name=re.compile("Zorggroep De Linde"))
    expect(row).to_contain_text("Ingediend")
    expect(row).to_contain_text(f"versie {second.version.number}")
    expect(page.get_by_role("row", name=re.compile("Zorgcentrum Elders"))).to_have_count(0)  # another region
    assert_accessible(page, "the portal overview of the plan year")

    # 2. The submitted plan: the newest version, the withdrawn one in the history.
    row.get_by_role("link", name="Zorggroep De Linde").click()
    _heading(page, f"Kwaliteitsplan {year}")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(second.sha256[:12])
    history = page.get_by_role("region", name="Geschiedenis van de indieningen")
    expect(history).to_contain_text(str(Submission.Status.WITHDRAWN.label))
    assert_accessible(page, "the received plan")

    # 3. The two submitted versions side by side: the revision shows as added text.
    page.get_by_role("link", name="Ingediende versies vergelijken").click()
    _heading(page, "Ingediende versies vergelijken")
    page.get_by_label("Eerdere versie").select_option(label=f"Versie {first.version.number}")
    page.get_by_label("Latere versie").select_option(label=f"Versie {second.version.number}")
    page.get_by_role("button", name="Vergelijken").click()
    expect(page).to_have_url(re.compile(rf"a={first.version_id}&b={second.version_id}"))
    changes = page.get_by_role("table", name=re.compile("^Wijzigingen in "))
    expect(changes.first).to_be_visible()
    expect(page.locator(".diff-table ins", has_text="Herzien").first).to_be_visible()
    assert_accessible(page, "the comparison of two submitted versions")

    # 4. A dialogue session with the board, the client council and the VAR (not the works council).
    page.get_by_role("link", name=f"Kwaliteitsplan {year}, Zorggroep De Linde").click()
    page.get_by_role("link", name="Dialoogsessie plannen").click()
    _heading(page, "Een dialoogsessie plannen")
    assert_accessible(page, "the new session form")
    page.get_by_label("Voorstel 1: datum en begintijd").fill(timezone.localtime(in_days(10)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Voorstel 2: datum en begintijd").fill(timezone.localtime(in_days(12)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Waar is de sessie?").fill("Zorgkantoor, Stationsweg 12, Tiel")
    page.get_by_role("checkbox", name="Raad van Bestuur").check()
    page.get_by_role("checkbox", name=re.compile(r"^Centrale cliëntenraad")).check()
    page.get_by_role("checkbox", name=re.compile(r"^VAR \(")).check()
    page.get_by_role("checkbox", name=re.compile(r"^OR \(")).uncheck()
    page.get_by_role("button", name="Data voorstellen en uitnodigen").click()
    _heading(page, "Dialoogsessie")
    expect(page.get_by_text("De data zijn voorgesteld. De organisatie kiest er een.")).to_be_visible()
    invited = page.locator("#uitnodigen ul").first
    for party in ("Raad van Bestuur", "Centrale cliëntenraad", "VAR"):
        expect(invited.get_by_role("listitem").filter(has_text=re.compile(rf"^{party}$"))).to_have_count(1)
    expect(page.locator("#uitnodigen .findings")).to_have_count(0)  # rule 19: nobody is missing
    assert_accessible(page, "the proposed session")
    session = DialogueSession.objects.get(plan=plan)
    assert {p.party for p in session.participants.all()} == {"board", "client_council", "nursing_council"}

    # 5. The organisation picks a date, from its plan page.
    log_in(context, live_server, world.people["quality"])
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Dialoogsessie: het zorgkantoor heeft data voorgesteld").click()
    _heading(page, "Dialoogsessie")
    assert_accessible(page, "the session page for the organisation")
    page.get_by_role("group", name="Welke datum past?").get_by_role("radio").first.check()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Iedereen die is uitgenodigd, krijgt bericht.")).to_be_visible()

    # 6. After the session the care office records it as held, and two agreements.
    log_in(context, live_server, world.people["care_office"])
    page.goto("/")
    page.get_by_role("link", name="Plannen in mijn regio").first.click()
    page.get_by_role("link", name="Dialoogsessies").click()
    _heading(page, "Dialoogsessies")
    planned = page.get_by_role("table", name="Dialoogsessies: Voorgesteld en gepland")
    expect(planned).to_contain_text("Gepland")
    assert_accessible(page, "the care office's sessions")
    planned.get_by_role("link", name=f"Zorggroep De Linde, Kwaliteitsplan {year}").click()
    _heading(page, "Dialoogsessie")
    page.get_by_label("Gehouden op").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Vastleggen", exact=True).click()
    expect(page.get_by_text("De sessie is vastgelegd als gehouden.")).to_be_visible()
    next_year = timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat()
    for title, owner in ((FIRST_AGREEMENT, "Teamleiders van de locaties"), (SECOND_AGREEMENT, "De bestuurder")):
        form = page.locator("form", has=page.get_by_role("button", name="Afspraak vastleggen"))
        form.get_by_label(re.compile(r"^Afspraak:?$")).fill(title)
        form.get_by_label("Wie zorgt ervoor?").fill(owner)
        form.get_by_label(re.compile(r"^Klaar op:?$")).fill(next_year)
        form.get_by_role("button", name="Afspraak vastleggen").click()
        expect(page.get_by_role("table", name="Afspraken uit deze sessie")).to_contain_text(title)
    assert_accessible(page, "the held session with its agreements")

    # 7. Quality staff finds them on the plan page and keeps one up to date.
    log_in(context, live_server, world.people["quality"])
    page.goto(plan.get_absolute_url())
    panel = page.get_by_role("region", name="Dialoog met het zorgkantoor")
    expect(panel.get_by_role("table", name="Afspraken over dit plan")).to_contain_text(FIRST_AGREEMENT)
    panel.get_by_role("link", name="Alle afspraken met het zorgkantoor bijhouden").click()
    _heading(page, "Afspraken met het zorgkantoor")
    tracked = page.get_by_role("table", name="Afspraken over dit plan")
    for title in (FIRST_AGREEMENT, SECOND_AGREEMENT):
        expect(tracked.get_by_role("row", name=re.compile(title))).to_contain_text("Nog niet begonnen")
    assert_accessible(page, "the agreements for quality staff")
    tracked.get_by_role("link", name=f"Bijwerken — {FIRST_AGREEMENT}").click()
    _heading(page, "Afspraak bijwerken")
    assert_accessible(page, "updating an agreement")
    page.get_by_role("radio", name="Bezig").check()
    page.get_by_label("Toelichting").fill("Twee locaties zijn begonnen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De afspraak is bijgewerkt.")).to_be_visible()
    expect(page.get_by_role("table", name="Afspraken over dit plan")
           .get_by_role("row", name=re.compile(FIRST_AGREEMENT))).to_contain_text("Bezig")
    assert_accessible(page, "the agreements, one in progress")

    # 8. The client council member sees the same tracked items, and may not change them.
    log_in(context, live_server, world.people["council_member"])
    page.goto(reverse("careoffice:agreements", args=[plan.pk]))
    tracked = page.get_by_role("table", name="Afspraken over dit plan")
    expect(tracked.get_by_role("row", name=re.compile(FIRST_AGREEMENT))).to_contain_text("Twee locaties zijn begonnen.")
    expect(tracked.get_by_role("row", name=re.compile(SECOND_AGREEMENT))).to_contain_text("Nog niet begonnen")
    expect(tracked.get_by_role("link", name=re.compile("^Bijwerken"))).to_have_count(0)
    assert_accessible(page, "the agreements for the client council member")

    # 9. The organisation's public page, for a visitor, with JavaScript on and off.
    for script in (True, False):
        visitor = new_context(java_script_enabled=script)
        visitor.set_default_timeout(TIMEOUT)
        public = visitor.new_page()
        audit = auditor_for(public, new_context, script)
        public.goto(reverse("publishing:home"))
        public.get_by_label("Naam van de organisatie").fill("linde")
        public.get_by_role("button", name="Zoeken").click()
        public.get_by_role("link", name="Zorggroep De Linde").click()
        _heading(public, "Zorggroep De Linde")
        audit("the public organisation page")
        public.get_by_role("link", name=f"Lees het hele plan {year}").click()
        _heading(public, f"Kwaliteitsplan {year}")
        expect(public.get_by_text("Herzien.").first).to_be_visible()
        audit("the public plan")
        visitor.close()
