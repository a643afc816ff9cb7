"""Real-browser acceptance of issue 5: together to an adopted plan, with the demo people.

The path: the author freezes a version and invites the two network peers, who review it; the
author puts the plan before the councils; the client council consents with a condition and the
VAR refuses, so the plan goes back to draft; the author revises and sends a new version; the
councils see their earlier decision marked stale, with a link to what changed, and both consent;
the board adopts and the timeline tells the story. Every page visited passes axe, the main new
pages also the keyboard and 320px checks. The same path then runs with JavaScript switched off,
through plain form posts. A last test follows one comment from a council member to its answer.

Everyone logs in through the real login form with the demo password (demo people skip the second
factor when settings.DEMO is on). Helpers: core/tests/browser_support.py.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from samenplan.audit.services import first_broken_link
from samenplan.consent.models import Adoption, ConsentDecision, ConsentRequest
from samenplan.core.demo import DEMO_PASSWORD
from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import (
    assert_accessible,
    assert_keyboard_reachable,
    assert_reflows,
    log_in,
)
from samenplan.core.tests.world import build_world
from samenplan.participation.models import Comment, PeerReview
from samenplan.plans import services as plan_services
from samenplan.plans.models import QualityPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Generous: two cores, several test runs at once, and pages with twenty sections.
TIMEOUT = 20_000
TEXT = re.compile(r"^Tekst:?$")  # the label of the section text
REVISED = ("Bewoners bepalen zelf hoe hun dag eruitziet. Elke dag gaan bewoners even naar buiten, ook wie "
           "slecht loopt. Een vrijwilliger of een medewerker gaat mee.")


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def demo_plan(settings, monkeypatch) -> QualityPlan:
    """The demo, loaded as `make run` does. Versions are frozen without their PDF (seconds each):
    the PDF has its own browser test in plans/tests/test_plan_browser.py."""
    settings.DEMO = True
    monkeypatch.setattr(plan_services, "request_version_pdf", lambda version: None)
    call_command("load_frameworks", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return QualityPlan.objects.get(organisation__name="Zorggroep De Linde", year=timezone.localdate().year + 1)


@pytest.fixture
def js_page(context):
    context.set_default_timeout(TIMEOUT)
    return context.new_page()


@pytest.fixture
def plain_page(new_context):
    """A browser with JavaScript switched off."""
    context = new_context(java_script_enabled=False)
    context.set_default_timeout(TIMEOUT)
    return context.new_page()


# Makes the keyboard helper's count of Tab stops match the page, changing nothing a person sees:
# - Chromium's date field takes four Tab presses (day, month, year, calendar button), more than
#   the helper's walk allows per control, so date fields become plain text boxes;
# - what a closed <details> holds is reached after opening it (Enter on its summary), so they are
#   opened, and each summary counts as a stop of its own;
# - two links with the same text and address (a version named in two councils' rounds) are two
#   stops, so each control gets an id of its own.
PREPARE_KEYBOARD_WALK = """() => {
  document.querySelectorAll('input[type=date]').forEach((input) => { input.type = 'text'; });
  document.querySelectorAll('details').forEach((details) => { details.open = true; });
  document.querySelectorAll('summary').forEach((summary) => { summary.tabIndex = 0; });
  document.querySelectorAll('a[href], button, input, select, textarea, summary').forEach((el, n) => {
    if (!el.id) el.id = 'walk-' + n;
  });
}"""


class Walk:
    """One person after another through the round, in one browser tab.

    With JavaScript: axe on every page visited, and the keyboard and 320px checks on the main new
    pages. Without JavaScript the pages are the same HTML, and axe cannot run (its promise never
    settles with scripts off), so that walk checks the outcomes only.
    """

    def __init__(self, page, plan, *, javascript: bool):
        self.page, self.plan, self.javascript = page, plan, javascript
        self.title = str(plan)  # "Kwaliteitsplan <year>"
        # The decisions recorded so far: the confirmation step must add none.
        self.decided = set(ConsentDecision.objects.values_list("pk", flat=True))

    # --- checks ---------------------------------------------------------------------------------

    def check(self, what: str, *, main: bool = False) -> None:
        if not self.javascript:
            return
        assert_accessible(self.page, what)
        if main:
            assert_reflows(self.page)
            self.page.evaluate(PREPARE_KEYBOARD_WALK)
            assert_keyboard_reachable(self.page)
            self.page.reload()  # undo what the walk changed

    def expect_message(self, text: str) -> None:
        expect(self.page.locator(".messages")).to_contain_text(text)

    def expect_phase(self, phase: str) -> None:
        facts = self.page.locator("dl.facts").first
        expect(facts.locator("dt", has_text="Fase").locator("xpath=following-sibling::dd[1]")).to_have_text(phase)

    # --- moving around --------------------------------------------------------------------------

    def log_in(self, username: str, greeting: str) -> None:
        page = self.page
        page.context.clear_cookies()
        page.goto("/inloggen/")
        self.check("the login page")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {greeting}")
        self.check(f"the dashboard of {username}")

    def open_plan(self) -> None:
        page = self.page
        page.get_by_role("main").get_by_role("link", name=self.title, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(self.title)
        self.check("the plan page")

    def open_from_plan(self, link: str, heading: str, *, what: str, main: bool = False) -> None:
        page = self.page
        page.get_by_role("main").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        self.check(what, main=main)

    def back_to_plan(self) -> None:
        self.page.goto(self.plan.get_absolute_url())
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(self.title)

    # --- the author -----------------------------------------------------------------------------

    def freeze(self, number: int, note: str) -> None:
        page = self.page
        page.get_by_label("Notitie bij deze versie").fill(note)
        page.get_by_role("button", name="Versie vastleggen").click()
        self.expect_message(f"Versie {number} is vastgelegd.")
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"versie {number}")
        self.check(f"version {number}")

    def revise_section(self, title: str, text: str) -> None:
        page = self.page
        page.get_by_role("table").get_by_role("link", name=title, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        self.check("the section editor")
        page.get_by_label(TEXT).fill(text)
        page.get_by_role("button", name="Opslaan").click()
        if self.javascript:  # htmx swaps the form and says so in it
            expect(page.locator("#editor").get_by_role("status")).to_have_text("Opgeslagen.")
        else:
            self.expect_message("De tekst is opgeslagen.")
        expect(page.get_by_label(TEXT)).to_have_value(text)

    def send_for_consent(self, number: int) -> None:
        page = self.page
        form = page.get_by_role("region", name="Voorleggen aan de raden")
        expect(form).to_contain_text(f"Versie {number}")
        expect(form.get_by_role("listitem")).to_have_text(["Centrale cliëntenraad De Linde", "VAR De Linde"])
        form.get_by_role("button", name="Voorleggen aan de raden").click()
        self.expect_message("Het plan is voorgelegd aan de raden.")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Instemming van de raden")
        self.expect_phase("Ter instemming bij de raden")
        for council in ("Centrale cliëntenraad De Linde", "VAR De Linde"):
            round_ = page.get_by_role("region", name=council, exact=True)
            expect(round_.get_by_role("link", name=f"Versie {number}", exact=True)).to_be_visible()
            expect(round_).to_contain_text("Nog geen besluit.")
        self.check("the consent overview after sending", main=True)

    # --- a peer reviewer ------------------------------------------------------------------------

    def review(self, username: str, greeting: str, peer: str, feedback: str) -> None:
        page = self.page
        self.log_in(username, greeting)
        invitation = page.get_by_role("link", name=f"Zorggroep De Linde: {self.title}, versie 2")
        expect(invitation.locator("xpath=..")).to_contain_text("nog geen feedback gegeven")
        invitation.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            f"Feedback op het kwaliteitsplan {self.plan.year} van Zorggroep De Linde")
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"u geeft feedback namens {peer}")
        self.check("the peer review page", main=True)
        page.get_by_label("Uw feedback op „Veiligheid”").fill(feedback)
        summary = page.get_by_role("textbox", name="Samenvatting van uw feedback")
        summary.fill(f"{peer}: een helder plan met goede acties.")
        page.get_by_role("button", name="Indienen").click()
        self.expect_message("Dank u wel. Uw feedback is ingediend.")
        expect(page.get_by_text(re.compile(r"U hebt uw feedback ingediend op"))).to_be_visible()
        expect(page.get_by_role("region", name="Veiligheid", exact=True)).to_contain_text(feedback)
        self.check("the submitted peer review")

    # --- a council secretary --------------------------------------------------------------------

    def decide(self, decision: str, *, present: list[str], reasons: str = "",
               condition: tuple[str, str] | None = None, confirm: bool = True) -> None:
        """Fills the decision form and sends it; then, unless the form is expected back with a
        message, checks the confirmation step ("U legt dit besluit vast") and says yes."""
        page = self.page
        form = page.get_by_role("region", name="Besluit van de raad")
        form.get_by_label(decision, exact=True).check()
        form.get_by_label("Datum van de vergadering").fill(timezone.localdate().isoformat())
        for name in present:
            form.get_by_label(name, exact=True).check()
        if condition:
            form.get_by_label(re.compile(r"^Voorwaarde 1:?$")).fill(condition[0])
            form.get_by_label("Wie zorgt ervoor (voorwaarde 1)").fill(condition[1])
        if reasons:
            form.get_by_label("Toelichting of redenen").fill(reasons)
        form.get_by_role("button", name="Besluit vastleggen").click()
        if not confirm:
            return
        confirmation = page.get_by_role("group", name="U legt dit besluit vast:")
        expect(confirmation).to_contain_text(decision)
        for name in present:
            expect(confirmation).to_contain_text(name)
        self.check(f"the confirmation of „{decision}”")
        assert set(ConsentDecision.objects.values_list("pk", flat=True)) == self.decided  # nothing recorded yet
        confirmation.get_by_role("button", name="Ja, vastleggen").click()
        self.decided = set(ConsentDecision.objects.values_list("pk", flat=True))


def walk_the_round(walk: Walk) -> None:
    page, plan, year = walk.page, walk.plan, walk.plan.year

    # 1. The author freezes version 2 and invites the two network peers.
    walk.log_in("kwaliteit", "Sanne")
    walk.open_plan()
    walk.expect_phase("In voorbereiding")
    walk.freeze(2, "Compleet, voor de collega's en de raden")
    walk.back_to_plan()
    walk.open_from_plan("Feedback van collega-organisaties", "Feedback van collega-organisaties",
                        what="the peer review overview", main=True)
    expect(page.get_by_text("Dat is nog niet genoeg.")).to_be_visible()
    expect(page.get_by_label("Welke versie moeten zij lezen?")).to_have_value(
        str(plan.versions.get(number=2).pk))
    expect(page.get_by_label("Zorgcentrum De Horst")).to_have_count(0)  # outside the network
    page.get_by_label("Stichting Het Anker").check()
    page.get_by_label("Woonzorg Vijverhof").check()
    page.get_by_role("button", name="Uitnodigen").click()
    walk.expect_message("2 collega-organisaties zijn uitgenodigd voor versie 2.")
    invitations = page.get_by_role("table", name="Uitnodigingen voor versie 2")
    expect(invitations.get_by_role("row", name=re.compile("^Stichting Het Anker"))).to_contain_text("Nog niet begonnen")
    expect(invitations.get_by_role("row", name=re.compile("^Woonzorg Vijverhof"))).to_contain_text("Nog niet begonnen")
    walk.check("the peer review overview with invitations")
    walk.back_to_plan()
    page.get_by_role("button", name="Klaar voor feedback van collega's").click()
    walk.expect_message("Het plan staat nu klaar voor feedback van collega-organisaties.")
    walk.expect_phase("Bij collega-organisaties")
    walk.check("the plan page with peers")

    # 2. Both peers review version 2.
    walk.review("kwaliteit-anker", "Fatma", "Stichting Het Anker",
                "Goed dat twee collega's samen de medicijnen controleren.")
    walk.review("collega", "Joost", "Woonzorg Vijverhof", "Schrijf erbij hoe vaak jullie met brand oefenen.")
    assert PeerReview.objects.filter(version__plan=plan, submitted_at__isnull=False).count() == 2

    # 3. The author sees the feedback and puts the plan before the councils.
    walk.log_in("kwaliteit", "Sanne")
    walk.open_plan()
    walk.open_from_plan("Feedback van collega-organisaties", "Feedback van collega-organisaties",
                        what="the peer review overview with feedback")
    expect(page.get_by_text("Dat is genoeg.")).to_be_visible()
    expect(page.get_by_role("article", name=re.compile("^Stichting Het Anker"))).to_contain_text(
        "Goed dat twee collega's samen de medicijnen controleren.")
    walk.back_to_plan()
    walk.open_from_plan("Instemming van de raden", "Instemming van de raden", what="the consent overview", main=True)
    expect(page.get_by_text("Het plan is nog niet aan de raden voorgelegd.")).to_be_visible()
    walk.send_for_consent(2)

    # 4. The client council consents with a condition; its secretary opens the request from her inbox.
    walk.log_in("secretaris", "Truus")
    page.get_by_role("link", name=re.compile(r"^Berichten \d+ nieuw$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichten")
    walk.check("the inbox", main=True)
    page.get_by_role("link", name=f"Zorggroep De Linde vraagt de instemming van Centrale cliëntenraad De Linde met "
                                  f"het kwaliteitsplan {year}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Verzoek om instemming aan Centrale cliëntenraad De Linde")
    expect(page.locator("dl.facts")).to_contain_text("Versie 2")
    walk.check("the consent request", main=True)
    # Conditions forgotten: a Dutch message on the page, and what was typed is kept.
    walk.decide("Instemming met voorwaarden", present=["Truus van Dam"], confirm=False)
    expect(page.get_by_role("alert")).to_contain_text("Schrijf minstens één voorwaarde op, met wie ervoor zorgt.")
    expect(page.get_by_label("Instemming met voorwaarden", exact=True)).to_be_checked()
    expect(page.get_by_label("Datum van de vergadering")).to_have_value(timezone.localdate().isoformat())
    expect(page.get_by_label("Truus van Dam", exact=True)).to_be_checked()
    walk.check("the decision form with a message")
    assert not ConsentDecision.objects.filter(request__plan=plan).exists()
    walk.decide("Instemming met voorwaarden", present=["Truus van Dam", "Gerrit Bakker"],
                condition=("Elke bewoner gaat elke dag even naar buiten.", "Teamleiders van alle locaties"))
    walk.expect_message("Het besluit is vastgelegd: instemming met voorwaarden.")
    decision = page.get_by_role("region", name="Besluit van de raad")
    expect(decision.locator(".decision")).to_contain_text("Instemming met voorwaarden")
    expect(decision.locator("ol.conditions")).to_contain_text("Elke bewoner gaat elke dag even naar buiten.")
    expect(decision.locator("ol.conditions")).to_contain_text("Teamleiders van alle locaties")
    expect(decision).to_contain_text("Truus van Dam")
    expect(decision).to_contain_text("Gerrit Bakker")
    walk.check("the consent request with a decision")

    # 5. The VAR refuses: the plan goes back to draft.
    walk.log_in("var", "Lotte")
    page.get_by_role("link", name=f"VAR De Linde: instemming met {walk.title}, versie 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzoek om instemming aan VAR De Linde")
    walk.check("the VAR's consent request")
    walk.decide("Geen instemming", present=["Lotte Visser"],
                reasons="De inzet van personeel 's nachts staat er niet in.")
    walk.expect_message("Het besluit is vastgelegd: geen instemming. Het plan gaat terug naar de organisatie")
    expect(page.get_by_role("region", name="Besluit van de raad")).to_contain_text(
        "De inzet van personeel 's nachts staat er niet in.")
    walk.check("the refused request")
    plan.refresh_from_db()
    assert plan.status == QualityPlan.Status.DRAFT

    # 6. The author revises, freezes version 3 and sends it again. Both decisions on version 2 are stale.
    walk.log_in("kwaliteit", "Sanne")
    walk.open_plan()
    walk.expect_phase("In voorbereiding")
    walk.revise_section("Wonen en welzijn", REVISED)
    walk.check("the section editor after saving")
    walk.back_to_plan()
    walk.freeze(3, "Na de reactie van de VAR")
    walk.back_to_plan()
    walk.open_from_plan("Instemming van de raden", "Instemming van de raden", what="the consent overview, stale")
    for council in ("Centrale cliëntenraad De Linde", "VAR De Linde"):
        expect(page.get_by_role("region", name=council, exact=True).locator(".badge")).to_have_text("Verouderd")
    walk.send_for_consent(3)
    earlier = page.get_by_role("region", name="VAR De Linde", exact=True).locator("details")
    earlier.locator("summary").click()
    expect(earlier).to_contain_text("Geen instemming")
    expect(earlier.locator(".badge")).to_have_text("Verouderd")

    # 7. Each council sees its decision on version 2 as stale, with a link to the changes, and consents.
    for username, greeting, council, present in (
            ("secretaris", "Truus", "Centrale cliëntenraad De Linde", ["Truus van Dam"]),
            ("var", "Lotte", "VAR De Linde", ["Lotte Visser"])):
        walk.log_in(username, greeting)
        page.get_by_role("link", name=f"{council}: instemming met {walk.title}, versie 3").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Verzoek om instemming aan {council}")
        earlier = page.get_by_role("region", name="Eerder besluit van uw raad")
        expect(earlier.locator(".badge")).to_have_text("Verouderd")
        expect(earlier).to_contain_text("Dit besluit gaat over een andere tekst dan het plan nu heeft.")
        walk.check(f"the request of {council} on version 3", main=username == "secretaris")
        page.get_by_role("link", name="Bekijk wat er veranderd is tussen versie 2 (waarover uw raad besloot) en "
                                       "versie 3").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Wat is er veranderd tussen versie 2 en versie 3?")
        changes = page.get_by_role("region", name="Wonen en welzijn", exact=True)
        expect(changes.locator("ins").filter(has_text="Een vrijwilliger of een medewerker gaat mee.")).to_have_count(1)
        expect(changes.locator("del").filter(has_text="twee keer per week gaan bewoners naar buiten")).to_have_count(1)
        walk.check("the diff for the council")
        page.go_back()
        walk.decide("Instemming", present=present)
        walk.expect_message("Het besluit is vastgelegd: instemming.")
        expect(page.get_by_role("region", name="Besluit van de raad").locator(".decision")).to_contain_text(
            "Instemming met versie 3")
        walk.check(f"the granted request of {council}")

    # 8. The board adopts version 3; the timeline tells the story.
    walk.log_in("bestuurder", "Marieke")
    walk.open_plan()
    walk.expect_phase("Ter instemming bij de raden")
    expect(page.get_by_text("Niets staat het vaststellen nog in de weg.")).to_be_visible()
    page.get_by_role("link", name="Plan vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Versie 3 vaststellen")
    expect(page.get_by_role("region", name="De versie die u vaststelt")).to_contain_text(
        plan.versions.get(number=3).short_hash)
    walk.check("the adoption confirmation")
    page.get_by_role("button", name="Ja, versie 3 vaststellen").click()
    walk.expect_message("Het plan is vastgesteld.")
    walk.expect_phase("Vastgesteld")
    expect(page.get_by_text("Het plan is vastgesteld door de bestuurder.")).to_be_visible()
    walk.check("the adopted plan")
    walk.open_from_plan("Tijdlijn: alles wat er met dit plan is gebeurd", "Tijdlijn", what="the timeline", main=True)
    timeline = page.get_by_role("main")
    for sentence in (
            "Marieke de Vries stelde versie 3 vast.",
            "De VAR De Linde stemde in met versie 3",
            "De Centrale cliëntenraad De Linde stemde in met versie 3",
            "Sanne Jansen vroeg de VAR De Linde om instemming met versie 3.",
            "Sanne Jansen legde versie 3 vast: „Na de reactie van de VAR”.",
            "Het plan ging terug naar „In voorbereiding”, omdat de VAR De Linde niet instemde.",
            "De VAR De Linde stemde niet in met versie 2",
            "De Centrale cliëntenraad De Linde stemde in met versie 2, met 1 voorwaarde",
            "Sanne Jansen legde het plan voor aan de raden.",
            "Woonzorg Vijverhof gaf feedback op versie 2 (ingestuurd door Joost Smit).",
            "Stichting Het Anker gaf feedback op versie 2 (ingestuurd door Fatma Yilmaz).",
            "Sanne Jansen vroeg Stichting Het Anker om feedback op versie 2.",
            "Sanne Jansen legde versie 2 vast: „Compleet, voor de collega's en de raden”."):
        expect(timeline.locator("ol.timeline li", has_text=sentence).first).to_be_visible()
    # Newest first: the adoption above the refusal.
    items = timeline.locator("ol.timeline li").all_inner_texts()
    adopted = next(i for i, text in enumerate(items) if "stelde versie 3 vast" in text)
    refused = next(i for i, text in enumerate(items) if "stemde niet in met versie 2" in text)
    assert adopted < refused

    plan.refresh_from_db()
    assert plan.status == QualityPlan.Status.ADOPTED
    adoption = Adoption.objects.get(plan=plan)
    assert adoption.version.number == 3
    assert {d.decision for d in ConsentDecision.objects.filter(request__version=adoption.version)} == {"granted"}
    assert ConsentRequest.objects.filter(plan=plan).count() == 4
    assert first_broken_link() is None


# --- 1. The whole round, with JavaScript ----------------------------------------------------------


def test_the_whole_round_to_an_adopted_plan(live_server, js_page, demo_plan):
    walk_the_round(Walk(js_page, demo_plan, javascript=True))


# --- 2. The same round without JavaScript ---------------------------------------------------------


def test_the_whole_round_works_without_javascript(live_server, plain_page, demo_plan):
    walk_the_round(Walk(plain_page, demo_plan, javascript=False))


# --- 3. A comment and its answer ------------------------------------------------------------------


def test_a_council_member_comments_and_the_author_answers(live_server, js_page, monkeypatch):
    page = js_page
    monkeypatch.setattr(plan_services, "request_version_pdf", lambda version: None)
    world = build_world()
    version, plan = world.version, world.plan
    member, quality = world.people["council_member"], world.people["quality"]

    log_in(page.context, live_server, member)
    page.goto("/")
    page.get_by_role("link", name=re.compile(rf"^Reageren\s*:\s*{plan}, versie {version.number}$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Reacties op versie {version.number}")
    assert_accessible(page, "the version's comments for a council member")
    assert_keyboard_reachable(page)
    assert_reflows(page)

    # Nothing typed: a Dutch message, the choice kept.
    page.get_by_label("Over welk onderdeel gaat uw reactie?").select_option(label="Veiligheid")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.get_by_role("alert")).to_contain_text("Schrijf uw reactie.")
    expect(page.get_by_label("Over welk onderdeel gaat uw reactie?")).to_have_value("veiligheid")
    assert_accessible(page, "the comment form with an error")

    body = "Wat doet u als een bewoner 's nachts valt? Dat lees ik nergens."
    page.get_by_label("Citaat (mag leeg blijven)").fill("veiligheid")
    page.get_by_role("textbox", name=re.compile(r"^Uw reactie")).fill(body)
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator(".messages")).to_contain_text("Dank u wel. Uw reactie is geplaatst.")
    comment = Comment.objects.get(body=body)
    mine = page.locator(f"#reactie-{comment.pk}")
    expect(mine).to_contain_text(body)
    expect(mine).to_contain_text("Nog niet beantwoord")
    expect(mine).to_contain_text(f"namens {world.client_council.name}")
    assert_accessible(page, "the version's comments after posting")

    # The author answers on the plan's comment page.
    log_in(page.context, live_server, quality)
    page.goto(plan.get_absolute_url())
    page.get_by_role("main").get_by_role("link", name="Reacties en antwoorden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reacties op het plan")
    expect(page.get_by_role("main")).to_contain_text("reacties hebben nog geen antwoord")
    assert_accessible(page, "the plan's comments")
    assert_keyboard_reachable(page)
    assert_reflows(page)
    item = page.locator(f"#reactie-{comment.pk}")
    item.get_by_label("Niet verwerkt").check()
    item.get_by_role("button", name="Antwoord opslaan").click()  # without a reason
    expect(page.get_by_role("alert")).to_contain_text(
        "Schrijf waarom de reactie niet of maar voor een deel is verwerkt.")
    expect(page.get_by_label("Niet verwerkt")).to_be_checked()
    assert_accessible(page, "the answer form with an error")

    answer = "Dat staat in het valbeleid. We zetten een korte samenvatting in de volgende versie."
    page.get_by_label("Deels verwerkt").check()
    page.get_by_role("textbox", name=re.compile(r"^Uw antwoord")).fill(answer)
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.locator(".messages")).to_contain_text("Uw antwoord is opgeslagen.")
    answered = page.locator(f"#reactie-{comment.pk}")
    expect(answered).to_contain_text("Deels verwerkt")
    expect(answered).to_contain_text(answer)
    assert_accessible(page, "the plan's comments after answering")

    # The council member reads the answer, and has a message about it.
    log_in(page.context, live_server, member)
    page.goto("/berichten/")
    answered_message = re.compile(r"^Uw reactie op het kwaliteitsplan \d+ is beantwoord: deels verwerkt$")
    page.get_by_role("link", name=answered_message).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Reacties op versie {version.number}")
    mine = page.locator(f"#reactie-{comment.pk}")
    expect(mine).to_contain_text("Deels verwerkt")
    expect(mine).to_contain_text(answer)
    assert_accessible(page, "the answered comment for the council member")
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.PARTLY_PROCESSED
    assert comment.answered_by == quality
    assert timezone.now() - comment.answered_at < timedelta(minutes=5)
