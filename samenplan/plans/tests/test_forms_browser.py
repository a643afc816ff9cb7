"""Real-browser acceptance of "errors say where" and "nothing typed is lost".

For the staffing form (twenty boxes per location), the peer-review form (a box per section) and the
improvement-paragraph page: a bad value gives an error summary that has focus when the page opens,
names where each problem is and links to the field; what was typed stays. On the paragraph page,
adding an action keeps (saves) the text typed above it, and deleting an action asks first on a page
of its own. Each path runs at desktop width and at 360 px, with axe on every state of the page; the
paragraph path runs once more with JavaScript switched off. Helpers: core/tests/browser_support.py.
"""

import re

import pytest
from playwright.sync_api import expect

from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, assert_reflows, log_in
from samenplan.core.tests.world import build_world
from samenplan.plans import services
from samenplan.plans.models import ImprovementAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [pytest.param({"width": 1280, "height": 900}, id="desktop"),
          pytest.param({"width": 360, "height": 800}, id="phone")]
TITLE = re.compile(r"^Actie:?$")  # the label of a new action's title
SUMMARY_HAS_FOCUS = "() => document.activeElement !== null && document.activeElement.matches('.error-summary')"


@pytest.fixture
def world(monkeypatch):
    """The shared test world, without rendering the PDFs of its two versions (seconds each)."""
    with monkeypatch.context() as patch:
        patch.setattr(services, "request_version_pdf", lambda version: None)
        return build_world()


@pytest.fixture
def no_js_context(new_context):
    without_script = new_context(java_script_enabled=False)
    without_script.set_default_timeout(10_000)
    return without_script


def check_summary(page, line: str, field) -> None:
    """The summary has focus as the page opens and lists `line`; its link takes focus to `field`."""
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Er is iets niet goed ingevuld")
    expect(summary).to_be_focused()
    assert page.evaluate(SUMMARY_HAS_FOCUS)
    link = summary.get_by_role("link", name=line)
    expect(link).to_be_visible()
    link.press("Enter")
    expect(field).to_be_focused()


def audit_state(page, what: str, viewport: dict) -> None:
    assert_accessible(page, what)
    if viewport["width"] < 400:
        assert_reflows(page)


# --- 1. The staffing form ------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", WIDTHS)
def test_staffing_errors_name_the_location_and_the_field(live_server, page, context, world, viewport):
    page.set_viewport_size(viewport)
    log_in(context, live_server, world.people["quality"])
    page.goto(f"{world.plan.get_absolute_url()}personeel/")
    audit_state(page, "the staffing form", viewport)

    linde = page.get_by_role("group", name="De Linde")
    wilgenhof = page.get_by_role("group", name="Het Wilgenhof")
    linde.get_by_label("Niveau 3 fte").fill("-2")
    linde.get_by_label("Niveau 3 personen").fill("6")
    wilgenhof.get_by_label("Niveau 1 fte").fill("3.5")
    page.get_by_role("button", name="Opslaan").click()

    bad = page.get_by_role("group", name="De Linde").get_by_label("Niveau 3 fte")
    check_summary(page, "De Linde — Niveau 3 fte: Zorg ervoor dat deze waarde minstens 0 is.", bad)
    expect(bad).to_have_accessible_description(re.compile("minstens 0"))
    expect(bad).to_have_value("-2")
    expect(page.get_by_role("group", name="De Linde").get_by_label("Niveau 3 personen")).to_have_value("6")
    expect(page.get_by_role("group", name="Het Wilgenhof").get_by_label("Niveau 1 fte")).to_have_value("3.5")
    audit_state(page, "the staffing form with a mistake", viewport)

    bad.fill("4.5")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De personeelscijfers zijn opgeslagen.")
    assert str(world.plan.staffing.rows.get(location=world.location).level3_fte) == "4.50"


# --- 2. The peer-review form ---------------------------------------------------------------------


@pytest.mark.parametrize("viewport", WIDTHS)
def test_peer_review_errors_name_the_section(live_server, page, context, world, viewport):
    page.set_viewport_size(viewport)
    log_in(context, live_server, world.people["peer_reviewer"])
    page.goto(f"/versies/{world.version.pk}/collega-feedback/")
    audit_state(page, "the peer-review form", viewport)

    page.get_by_label("Uw feedback op „Wonen en welzijn”").fill("Mooi dat bewoners samen eten.")
    page.get_by_label("Uw feedback op „Veiligheid”").fill("Te lang. " * 600)
    page.get_by_role("button", name="Opslaan").click()

    box = page.get_by_label("Uw feedback op „Veiligheid”")
    check_summary(page, "Uw feedback op „Veiligheid”: Houd de feedback per onderdeel onder de 5000 tekens.", box)
    expect(box).to_have_accessible_description(re.compile("onder de 5000 tekens"))
    expect(page.get_by_label("Uw feedback op „Wonen en welzijn”")).to_have_value("Mooi dat bewoners samen eten.")
    audit_state(page, "the peer-review form with a mistake", viewport)

    box.fill("Noem de brandoefeningen.")
    page.get_by_role("button", name="Indienen").click()
    # No summary yet: the summary box is named, and the feedback per section stays.
    summary_box = page.get_by_label("Samenvatting van uw feedback")
    check_summary(page, "Samenvatting van uw feedback: Schrijf een korte samenvatting voordat u de feedback "
                        "indient.", summary_box)
    expect(page.get_by_label("Uw feedback op „Veiligheid”")).to_have_value("Noem de brandoefeningen.")
    summary_box.fill("Een helder plan.")
    page.get_by_role("button", name="Indienen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw feedback is ingediend.")


# --- 3. The improvement paragraph ----------------------------------------------------------------


def paragraph_text(page):
    return page.get_by_label("Wat gaat deze locatie verbeteren?")


def add_action_region(page):
    return page.get_by_role("region", name="Actie toevoegen")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_paragraph_keeps_what_was_typed_and_asks_before_deleting(live_server, page, context, world, viewport):
    page.set_viewport_size(viewport)
    log_in(context, live_server, world.people["quality"])
    url = f"{world.plan.get_absolute_url()}verbeterparagrafen/{world.location.pk}/"
    page.goto(url)
    audit_state(page, "the paragraph page", viewport)

    # Text typed, then an action added: both are saved.
    paragraph_text(page).fill("Wij gaan vaker met bewoners naar buiten.")
    add_action_region(page).get_by_label(TITLE).fill("Samen wandelen")
    add_action_region(page).get_by_role("button", name="Actie toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("De actie is toegevoegd.")
    expect(page.get_by_role("status")).to_contain_text("De verbeterparagraaf is opgeslagen.")
    expect(paragraph_text(page)).to_have_value("Wij gaan vaker met bewoners naar buiten.")
    expect(page.get_by_role("heading", name="Samen wandelen")).to_be_visible()
    audit_state(page, "the paragraph page after adding an action", viewport)

    # An action without a title: shown again with its message, the text and the action as typed.
    paragraph_text(page).fill("Wij gaan vaker naar buiten, ook in de winter.")
    add_action_region(page).get_by_label("Doel").fill("Elke dag een frisse neus.")
    add_action_region(page).get_by_role("button", name="Actie toevoegen").click()
    title = add_action_region(page).get_by_label(TITLE)
    check_summary(page, "Nieuwe actie — Actie: Dit veld is verplicht.", title)
    expect(title).to_have_accessible_description(re.compile("Dit veld is verplicht"))
    expect(paragraph_text(page)).to_have_value("Wij gaan vaker naar buiten, ook in de winter.")
    expect(add_action_region(page).get_by_label("Doel")).to_have_value("Elke dag een frisse neus.")
    audit_state(page, "the paragraph page with a mistake in the new action", viewport)

    # Deleting: the text typed goes along and is saved; a page asks first; "Nee, terug" keeps the action.
    add_action_region(page).get_by_label("Doel").fill("")
    page.get_by_role("button", name="Actie „Samen koken op de afdeling” verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actie „Samen koken op de afdeling” verwijderen?")
    expect(page.get_by_text("Dit kan niet ongedaan worden gemaakt.")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("De verbeterparagraaf is opgeslagen.")
    audit_state(page, "the confirmation before deleting an action", viewport)
    page.get_by_role("link", name="Nee, terug").click()
    expect(page).to_have_url(re.compile(rf"#actie-{world.action.pk}$"))
    expect(paragraph_text(page)).to_have_value("Wij gaan vaker naar buiten, ook in de winter.")
    expect(page.get_by_role("heading", name="Samen koken op de afdeling")).to_be_visible()

    page.get_by_role("button", name="Actie „Samen koken op de afdeling” verwijderen").click()
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_role("status")).to_contain_text("De actie „Samen koken op de afdeling” is verwijderd.")
    expect(page.get_by_role("heading", name="Samen koken op de afdeling")).to_have_count(0)
    expect(page.get_by_role("heading", name="Samen wandelen")).to_be_visible()
    audit_state(page, "the paragraph page after deleting an action", viewport)
    assert not ImprovementAction.objects.filter(pk=world.action.pk).exists()


def test_the_paragraph_without_javascript(live_server, no_js_context, world):
    """The same steps through plain form posts. No axe here: it runs as a script in the page, which
    this browser does not run (the same page states are audited in the test above)."""
    log_in(no_js_context, live_server, world.people["quality"])
    page = no_js_context.new_page()
    page.goto(f"{world.plan.get_absolute_url()}verbeterparagrafen/{world.location.pk}/")

    paragraph_text(page).fill("Zonder script gaat er niets verloren.")
    add_action_region(page).get_by_label("Doel").fill("Nog zonder titel.")
    add_action_region(page).get_by_role("button", name="Actie toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Nieuwe actie — Actie: Dit veld is verplicht.")
    expect(paragraph_text(page)).to_have_value("Zonder script gaat er niets verloren.")
    expect(add_action_region(page).get_by_label("Doel")).to_have_value("Nog zonder titel.")

    add_action_region(page).get_by_label(TITLE).fill("Samen wandelen")
    add_action_region(page).get_by_role("button", name="Actie toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("De actie is toegevoegd.")
    expect(paragraph_text(page)).to_have_value("Zonder script gaat er niets verloren.")
    expect(page.get_by_role("heading", name="Samen wandelen")).to_be_visible()

    paragraph_text(page).fill("Ook de tekst bij het verwijderen blijft.")
    page.get_by_role("button", name="Actie „Samen koken op de afdeling” verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actie „Samen koken op de afdeling” verwijderen?")
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_role("status")).to_contain_text("is verwijderd.")
    expect(paragraph_text(page)).to_have_value("Ook de tekst bij het verwijderen blijft.")
    expect(page.get_by_role("heading", name="Samen koken op de afdeling")).to_have_count(0)
    assert not ImprovementAction.objects.filter(pk=world.action.pk).exists()
