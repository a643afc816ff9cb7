"""Real-browser acceptance: asked before it is final, and the board told why.

The council's secretary records a decision through its confirmation step (and once goes back and
finds everything typed still there, and once sees a condition's message on the row it is about); a
refusal makes the plan page tell the board which council refused, why and what to do next; the
board adopts through the confirmation page that names the version and its fingerprint; the
adopted version is marked on the plan page and the dashboard. Each at desktop width and at 360 px,
with axe on every page state; the adoption once more with JavaScript switched off.
Helpers: core/tests/browser_support.py.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samenplan.consent import services
from samenplan.consent.models import Adoption, ConsentDecision
from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, assert_reflows, log_in
from samenplan.core.tests.world import build_world
from samenplan.plans import services as plan_services
from samenplan.plans.models import QualityPlan

from .helpers import complete_plan, reviewed_by_two_peers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000  # two cores, several test runs at once
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]
CONDITION = "Elke bewoner gaat elke dag even naar buiten."
REASONS = "De inzet van personeel 's nachts staat er niet in."


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def world(monkeypatch):
    """The test world; versions are frozen without their PDF (seconds each), which has its own
    browser test in plans/tests/test_plan_browser.py."""
    monkeypatch.setattr(plan_services, "request_version_pdf", lambda version: None)
    return build_world()


@pytest.fixture
def in_consent(world):
    """The plan complete, frozen as version 3, reviewed by two peers and sent to the client
    council and the VAR (whose secretary is added)."""
    from samenplan.accounts.models import Role
    from samenplan.accounts.services import add_membership
    from samenplan.accounts.tests.factories import UserFactory

    quality = world.people["quality"]
    world.people["var_secretary"] = UserFactory(username="var_secretaris", first_name="Lotte", last_name="Visser")
    add_membership(user=world.people["var_secretary"], role=Role.COUNCIL_SECRETARY, council=world.nursing_council)
    complete_plan(world.plan, quality)
    version = plan_services.freeze_version(plan=world.plan, by=quality, note="Voor de raden")
    reviewed_by_two_peers(world, version)
    requests = {r.council_id: r for r in services.request_consent(plan=world.plan, by=quality)}
    return version, requests


def _narrow(page, width):
    page.set_viewport_size({"width": width, "height": 800 if width < 600 else 900})


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def _fill_decision(page, decision, *, present=(), condition=None, second_owner_only=None, reasons=""):
    form = page.get_by_role("region", name="Besluit van de raad")
    form.get_by_label(decision, exact=True).check()
    form.get_by_label("Datum van de vergadering").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    for name in present:
        form.get_by_label(name, exact=True).check()
    if condition:
        form.get_by_label(re.compile(r"^Voorwaarde 1:?$")).fill(condition[0])
        form.get_by_label("Wie zorgt ervoor (voorwaarde 1)").fill(condition[1])
    if second_owner_only is not None:
        form.get_by_label("Wie zorgt ervoor (voorwaarde 2)").fill(second_owner_only)
    if reasons:
        form.get_by_label("Toelichting of redenen").fill(reasons)
    form.get_by_role("button", name="Besluit vastleggen").click()


def _confirmation(page):
    return page.get_by_role("group", name="U legt dit besluit vast:")


# --- 1. The secretary records a decision through its confirmation ------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_secretary_confirms_the_decision_and_may_go_back_first(live_server, page, context, world, width):
    _narrow(page, width)
    secretary, member = world.people["council_secretary"], world.people["council_member"]
    member.first_name, member.last_name = "Gerrit", "Bakker"
    member.save()
    log_in(context, live_server, secretary)
    page.goto(f"/instemming/{world.consent_request.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzoek om instemming aan Centrale cliëntenraad")
    assert_accessible(page, "the consent request with the decision form")

    # A condition with a name but no text: the message is on that row's text box, and the
    # summary's link leads there.
    _fill_decision(page, "Instemming met voorwaarden", present=["Gerrit Bakker"],
                   condition=(CONDITION, "Teamleiders van alle locaties"), second_owner_only="Locatiemanager")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Voorwaarde 2")
    expect(summary).to_contain_text("Schrijf bij elke voorwaarde wat er moet gebeuren en wie ervoor zorgt.")
    second = page.get_by_label(re.compile(r"^Voorwaarde 2:?$"))
    expect(second).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(re.compile(r"^Voorwaarde 1:?$"))).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the decision form with a message on condition 2")
    summary.get_by_role("link", name=re.compile("Voorwaarde 2")).click()
    expect(second).to_be_focused()
    assert not ConsentDecision.objects.exists()

    # Corrected: first the confirmation step, which records nothing yet.
    page.get_by_label("Wie zorgt ervoor (voorwaarde 2)").fill("")
    page.get_by_role("button", name="Besluit vastleggen").click()
    confirmation = _confirmation(page)
    expect(confirmation).to_contain_text("Instemming met voorwaarden")
    expect(confirmation).to_contain_text(CONDITION)
    expect(confirmation).to_contain_text("Teamleiders van alle locaties")
    expect(confirmation).to_contain_text("Gerrit Bakker")
    expect(confirmation).to_contain_text("Klopt dit? Daarna kan het niet meer veranderen.")
    assert _focused_id(page) == "bevestigen"  # the page opens at what is about to be recorded
    assert_accessible(page, "the confirmation of the decision")
    if width < 600:
        assert_reflows(page, width)
    assert not ConsentDecision.objects.exists()

    # Back: the form with everything typed.
    confirmation.get_by_role("button", name="Terug om aan te passen").click()
    form = page.get_by_role("region", name="Besluit van de raad")
    expect(form.get_by_label("Instemming met voorwaarden", exact=True)).to_be_checked()
    expect(form.get_by_label("Gerrit Bakker", exact=True)).to_be_checked()
    expect(form.get_by_label(re.compile(r"^Voorwaarde 1:?$"))).to_have_value(CONDITION)
    expect(form.get_by_label("Wie zorgt ervoor (voorwaarde 1)")).to_have_value("Teamleiders van alle locaties")
    expect(form.get_by_label("Datum van de vergadering")).to_have_value(
        (timezone.localdate() - timedelta(days=1)).isoformat())
    assert_accessible(page, "the decision form after going back")

    form.get_by_label("Toelichting of redenen").fill("Goed dat bewoners meer naar buiten gaan.")
    form.get_by_role("button", name="Besluit vastleggen").click()
    expect(_confirmation(page)).to_contain_text("Goed dat bewoners meer naar buiten gaan.")
    _confirmation(page).get_by_role("button", name="Ja, vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("Het besluit is vastgelegd: instemming met voorwaarden.")
    expect(page.get_by_role("region", name="Besluit van de raad").locator("ol.conditions")).to_contain_text(CONDITION)
    assert_accessible(page, "the request with the recorded decision")
    decision = ConsentDecision.objects.get(request=world.consent_request)
    assert decision.decision == "granted_with_conditions"
    assert [c.text for c in decision.conditions.all()] == [CONDITION]
    assert decision.reasons == "Goed dat bewoners meer naar buiten gaan."


# --- 2. A refusal: the plan page tells the board why ---------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_after_a_refusal_the_plan_page_tells_the_board_why(live_server, page, context, world, in_consent, width):
    _narrow(page, width)
    version, requests = in_consent
    log_in(context, live_server, world.people["var_secretary"])
    page.goto(f"/instemming/{requests[world.nursing_council.pk].pk}/")
    _fill_decision(page, "Geen instemming", present=["Lotte Visser"], reasons=REASONS)
    expect(_confirmation(page)).to_contain_text("Geen instemming")
    expect(_confirmation(page)).to_contain_text(REASONS)
    assert_accessible(page, "the confirmation of a refusal")
    _confirmation(page).get_by_role("button", name="Ja, vastleggen").click()
    expect(page.locator(".messages")).to_contain_text("Het besluit is vastgelegd: geen instemming.")
    world.plan.refresh_from_db()
    assert world.plan.status == QualityPlan.Status.DRAFT

    log_in(context, live_server, world.people["board"])
    page.goto(world.plan.get_absolute_url())
    notice = page.get_by_role("region", name="VAR heeft niet ingestemd")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"niet in met versie {version.number}")
    expect(notice).to_contain_text(REASONS)
    expect(notice).to_contain_text("Wat kunt u nu doen?")
    expect(notice.get_by_role("link", name="Naar het voorleggen aan de raden")).to_be_visible()
    expect(notice.get_by_role("link", name=re.compile("Het verzoek aan de LCvV over het besluit van VAR"))).to_be_visible()
    expect(page.get_by_role("link", name="Plan vaststellen")).to_have_count(0)
    assert_accessible(page, "the plan page after a refusal")
    if width < 600:
        assert_reflows(page, width)
    notice.get_by_role("link", name="Naar het voorleggen aan de raden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Instemming van de raden")
    expect(page.get_by_role("region", name="VAR heeft niet ingestemd")).to_contain_text(REASONS)
    assert_accessible(page, "the consent overview after a refusal")


# --- 3. The board adopts through the confirmation page; the adopted version is marked ------------


def _consent_of_both(world, in_consent):
    _version, requests = in_consent
    services.record_consent_decision(request=requests[world.client_council.pk],
                                     by=world.people["council_secretary"], decision="granted",
                                     meeting_date=timezone.localdate() - timedelta(days=2))
    services.record_consent_decision(request=requests[world.nursing_council.pk], by=world.people["var_secretary"],
                                     decision="granted_with_conditions",
                                     meeting_date=timezone.localdate() - timedelta(days=1),
                                     conditions=[{"text": CONDITION, "owner": "Teamleiders"}])


def _adopt_through_the_confirmation(page, version, *, javascript=True):
    page.get_by_role("link", name="Plan vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Versie {version.number} vaststellen")
    facts = page.get_by_role("region", name="De versie die u vaststelt")
    expect(facts).to_contain_text(version.short_hash)
    expect(facts.get_by_role("link", name=f"Versie {version.number}", exact=True)).to_be_visible()
    decisions = page.get_by_role("region", name="De besluiten van de raden")
    expect(decisions.get_by_role("region", name="Centrale cliëntenraad")).to_contain_text("Instemming")
    expect(decisions.get_by_role("region", name="VAR", exact=True)).to_contain_text("Instemming met voorwaarden")
    expect(decisions.get_by_role("region", name="VAR", exact=True)).to_contain_text(CONDITION)
    if javascript:
        assert_accessible(page, "the adoption confirmation")
    # "Nee, terug" changes nothing.
    page.get_by_role("link", name="Nee, terug").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kwaliteitsplan 2027")
    assert not Adoption.objects.exists()
    page.get_by_role("link", name="Plan vaststellen").click()
    page.get_by_role("button", name=f"Ja, versie {version.number} vaststellen").click()
    expect(page.locator(".messages")).to_contain_text("Het plan is vastgesteld.")


def _expect_adopted_plan_page(page, version):
    versions = page.get_by_role("region", name="Versies")
    adopted = versions.get_by_role("listitem").filter(has_text=version.short_hash)
    expect(adopted).to_contain_text("Vastgestelde versie")
    expect(versions.locator(".badge", has_text="Vastgestelde versie")).to_have_count(1)
    panel = page.get_by_role("region", name="Samen naar een vastgesteld plan")
    expect(panel).to_contain_text(f"Versie {version.number} ({version.short_hash}) is vastgesteld op")
    expect(panel.get_by_role("link", name=f"Versie {version.number} lezen")).to_be_visible()
    expect(panel.get_by_role("link", name=f"Versie {version.number} als PDF")).to_be_visible()
    # Not shown as a draft.
    expect(page.get_by_role("button", name="Versie vastleggen")).to_have_count(0)
    expect(page.get_by_role("heading", name="Wat er nog ontbreekt")).to_have_count(0)
    expect(page.get_by_text(re.compile("in de weg"))).to_have_count(0)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_board_adopts_through_the_confirmation_and_sees_the_adopted_version(live_server, page, context, world,
                                                                                in_consent, width):
    _narrow(page, width)
    version, _requests = in_consent
    _consent_of_both(world, in_consent)
    log_in(context, live_server, world.people["board"])
    page.goto(world.plan.get_absolute_url())
    assert_accessible(page, "the plan page before adoption")
    _adopt_through_the_confirmation(page, version)
    _expect_adopted_plan_page(page, version)
    assert_accessible(page, "the adopted plan")
    if width < 600:
        assert_reflows(page, width)
    adoption = Adoption.objects.get(plan=world.plan)
    assert (adoption.version, adoption.adopted_by) == (version, world.people["board"])

    page.get_by_role("region", name="Samen naar een vastgesteld plan").get_by_role(
        "link", name=f"Versie {version.number} lezen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"versie {version.number}")
    expect(page.locator(".adopted-version")).to_contain_text("Vastgestelde versie")
    assert_accessible(page, "the adopted version's page")

    page.goto("/")
    plans = page.get_by_role("region", name="Kwaliteitsplan")
    expect(plans.locator(".badge", has_text="Vastgestelde versie")).to_be_visible()
    expect(plans.get_by_role("link", name=re.compile(rf"^Versie {version.number}"))).to_be_visible()
    assert_accessible(page, "the board's dashboard with the adopted version")

    log_in(context, live_server, world.people["council_member"])
    page.goto("/")
    shared = page.get_by_role("region", name="Uw raad").get_by_role("listitem").filter(
        has_text=f"versie {version.number}")
    expect(shared.locator(".badge")).to_have_text("Vastgestelde versie")
    assert_accessible(page, "the council member's dashboard with the adopted version")


@pytest.fixture
def plain_page(new_context):
    """A browser with JavaScript switched off."""
    plain = new_context(java_script_enabled=False)
    plain.set_default_timeout(TIMEOUT)
    return plain


def test_the_adoption_confirmation_works_without_javascript(live_server, plain_page, world, in_consent):
    version, _requests = in_consent
    _consent_of_both(world, in_consent)
    log_in(plain_page, live_server, world.people["board"])
    page = plain_page.new_page()
    page.goto(world.plan.get_absolute_url())
    _adopt_through_the_confirmation(page, version, javascript=False)
    _expect_adopted_plan_page(page, version)
    assert Adoption.objects.get(plan=world.plan).version == version
