"""Real-browser acceptance of "writing the plan": write, check readability, freeze, compare, download.

The issue's acceptance test: write a section, see the readability score change, freeze a version,
view the diff, download the PDF; axe audit clean on these pages. Around it: an edit conflict as a
writer sees it, the same path with JavaScript switched off, and the axe/keyboard/320px audit of
every page for writing the plan and adapting a framework. Helpers: core/tests/browser_support.py.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

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
    tab_until,
)
from samenplan.core.tests.test_browser import audit, no_js_page  # noqa: F401 - a fixture
from samenplan.core.tests.world import build_world
from samenplan.plans import services
from samenplan.plans.models import PlanSection, PlanVersion, VersionPdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = re.compile(r"^Tekst:?$")  # the label of the section text
PLAIN = "Wij letten goed op bewoners. Valt iemand, dan praten we erover. Zo leren we."
JARGON = (
    "In het kader van de integrale multidisciplinaire ketenbenadering wordt binnen de intramurale "
    "psychogeriatrie conform de Wzd methodisch geborgd dat vrijheidsbeperkende interventies door het "
    "MDO periodiek systematisch geëvalueerd en in het ECD geregistreerd worden."
)


@pytest.fixture
def world(monkeypatch):
    """The shared test world, without rendering the PDFs of its two versions (seconds each): the
    tests here make the PDF of the version they freeze themselves."""
    with monkeypatch.context() as patch:
        patch.setattr(services, "request_version_pdf", lambda version: None)
        return build_world()


def section_url(plan, key):
    return f"{plan.get_absolute_url()}onderdelen/{key}/"


def readability_panel(page):
    return page.locator("#leesbaarheid")


def shown_score(page) -> float:
    text = readability_panel(page).get_by_text(re.compile(r"score -?\d")).inner_text()
    return float(re.search(r"score (-?\d+(?:[.,]\d+)?)", text).group(1).replace(",", "."))


# --- 1. The acceptance path --------------------------------------------------------------------


def test_write_check_readability_freeze_compare_and_download(live_server, page, context, world):
    plan = world.plan
    log_in(context, live_server, world.people["quality"])

    page.goto(plan.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kwaliteitsplan 2027")
    assert_accessible(page, "the plan page")

    page.get_by_role("table").get_by_role("link", name="Veiligheid", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Veiligheid")
    assert_accessible(page, "the section editor")

    # Plain text: a score and the B1 verdict, checked without saving.
    text = page.get_by_label(TEXT)
    text.fill(PLAIN)
    page.get_by_role("button", name="Leesbaarheid controleren").click()
    panel = readability_panel(page)
    expect(panel.locator("strong").first).to_have_text("Goed te lezen (B1)")
    plain_score = shown_score(page)
    assert plain_score >= 60
    expect(page).to_have_url(re.compile(rf"{section_url(plan, 'veiligheid')}$"))  # still on the editor
    expect(text).to_have_value(PLAIN)

    # One long sentence full of jargon: the score drops, the verdict changes, the sentence is marked.
    text.fill(f"{PLAIN}\n\n{JARGON}")
    page.get_by_role("button", name="Leesbaarheid controleren").click()
    expect(panel.locator("strong").first).to_have_text("Moeilijk")
    assert shown_score(page) < plain_score
    expect(panel.locator("mark")).to_have_count(1)
    expect(panel.locator("mark")).to_contain_text("integrale multidisciplinaire ketenbenadering")
    expect(panel.get_by_role("heading", name="Vaktaal")).to_be_visible()
    expect(panel).to_contain_text("MDO")
    assert_accessible(page, "the section editor with a readability report")
    assert_reflows(page)

    # Saved with the keyboard: htmx swaps the form, and focus stays on the button that was pressed.
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#editor").get_by_role("status")).to_have_text("Opgeslagen.")
    expect(page.get_by_role("button", name="Opslaan")).to_be_focused()
    expect(page.get_by_label(TEXT)).to_have_value(f"{PLAIN}\n\n{JARGON}")
    assert PlanSection.objects.get(plan=plan, key="veiligheid").body == f"{PLAIN}\n\n{JARGON}"
    assert_accessible(page, "the section editor after saving")

    # Freeze: a new version with the note, shown on its own page.
    page.get_by_role("link", name="Kwaliteitsplan 2027").first.click()
    expect(page.get_by_role("table").get_by_role("row", name=re.compile("^Veiligheid"))).to_contain_text("Moeilijk")
    page.get_by_label("Notitie bij deze versie").fill("Met veiligheid")
    page.get_by_role("button", name="Versie vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("Versie 3 is vastgelegd.")
    new_version = PlanVersion.objects.get(plan=plan, number=3)
    expect(page).to_have_url(f"{live_server.url}{new_version.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("versie 3")
    expect(page.locator("#s-veiligheid")).to_contain_text("Zo leren we.")
    assert_accessible(page, "the new version")

    # Compare with version 2: the section shows as changed, in words, with the new text marked.
    page.get_by_label("Vergelijk met").select_option(str(world.version.pk))
    page.get_by_role("button", name="Vergelijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat is er veranderd tussen versie 2 en versie 3?")
    section = page.get_by_role("region", name="Veiligheid", exact=True)
    table = section.get_by_role("table", name="Wijzigingen in Veiligheid")
    expect(table.get_by_role("columnheader")).to_have_text(["Wijziging", "Versie 2", "Versie 3"])
    changed_rows = table.locator("tbody tr").filter(has=page.locator("ins"))
    expect(changed_rows.first).to_be_visible()
    markers = changed_rows.locator("td.diff-marker").all_inner_texts()
    assert markers and all(m.strip() in ("gewijzigd", "toegevoegd") for m in markers), markers
    expect(table.locator("ins").first).to_contain_text("toegevoegd:")  # spoken, not only underlined
    expect(table.locator("ins").filter(has_text="Zo leren we.")).to_have_count(1)
    # Unchanged parts fold away, named in words.
    expect(page.get_by_role("region", name="Wonen en welzijn")).to_contain_text("Geen wijzigingen")
    assert_accessible(page, "the diff page")

    # The PDF of the new version: made when it was frozen, downloaded as a file.
    page.get_by_role("link", name="Versie 3", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als PDF").click()
    download = download_info.value
    assert download.suggested_filename == "kwaliteitsplan-2027-versie-3.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


# --- 2. An edit conflict -----------------------------------------------------------------------


def test_an_edit_conflict_keeps_both_texts(live_server, page, context, world):
    plan, quality, board = world.plan, world.people["quality"], world.people["board"]
    log_in(context, live_server, quality)
    page.goto(section_url(plan, "veiligheid"))
    mine = "Mijn tekst over veiligheid. Wij oefenen elk jaar met brand."
    page.get_by_label(TEXT).fill(mine)

    # Meanwhile someone else saves the same section.
    theirs = "Tekst van de bestuurder. Elke val wordt besproken."
    section = PlanSection.objects.get(plan=plan, key="veiligheid")
    services.update_section(plan=plan, key="veiligheid", body=theirs, base_revision=section.revision, by=board)

    page.get_by_role("button", name="Opslaan").click()
    conflict = page.get_by_role("alert")
    expect(conflict).to_contain_text("Iemand anders heeft deze tekst intussen opgeslagen")
    expect(conflict.locator("pre").first).to_have_text(theirs)
    expect(conflict.locator("pre").last).to_have_text(mine)
    expect(conflict).to_be_focused()
    expect(page.get_by_label(TEXT)).to_have_value(mine)
    assert PlanSection.objects.get(pk=section.pk).body == theirs  # nothing overwritten
    assert_accessible(page, "the section editor showing a conflict")
    assert_keyboard_reachable(page)
    assert_reflows(page)

    # Saving again on top of the newest text is what the writer means, and it works.
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#editor").get_by_role("status")).to_have_text("Opgeslagen.")
    assert PlanSection.objects.get(pk=section.pk).body == mine


# --- 3. Without JavaScript ---------------------------------------------------------------------


def test_writing_and_freezing_without_javascript(live_server, no_js_page, world):
    page, plan = no_js_page, world.plan
    log_in(page.context, live_server, world.people["quality"])
    page.goto(section_url(plan, "veiligheid"))
    page.get_by_label(TEXT).fill(PLAIN)
    page.get_by_role("button", name="Opslaan").click()

    expect(page).to_have_url(f"{live_server.url}{section_url(plan, 'veiligheid')}")
    expect(page.get_by_role("status")).to_contain_text("De tekst is opgeslagen.")
    expect(page.get_by_label(TEXT)).to_have_value(PLAIN)
    expect(readability_panel(page).locator("strong").first).to_have_text("Goed te lezen (B1)")

    page.goto(plan.get_absolute_url())
    page.get_by_label("Notitie bij deze versie").fill("Zonder script")
    page.get_by_role("button", name="Versie vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("Versie 3 is vastgelegd.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("versie 3")
    assert PlanVersion.objects.get(plan=plan, number=3).note == "Zonder script"


def test_checking_readability_without_javascript_stays_on_the_editor(live_server, no_js_page, world):
    page, plan = no_js_page, world.plan
    log_in(page.context, live_server, world.people["quality"])
    page.goto(section_url(plan, "veiligheid"))
    page.get_by_label(TEXT).fill(JARGON)
    page.get_by_role("button", name="Leesbaarheid controleren").click()
    expect(page).to_have_title(re.compile("^Veiligheid"), timeout=2_000)
    expect(page.get_by_label(TEXT)).to_have_value(JARGON, timeout=2_000)
    expect(readability_panel(page).locator("strong").first).to_have_text("Moeilijk", timeout=2_000)


# --- 4. Every page: axe, keyboard, 320px -------------------------------------------------------


def test_plan_pages_are_accessible(live_server, page, context, world):
    plan, location = world.plan, world.location
    log_in(context, live_server, world.people["quality"])
    base = plan.get_absolute_url()

    audit(page, "/plannen/")
    audit(page, base)
    audit(page, section_url(plan, "veiligheid"))
    audit(page, f"{base}profiel/")

    # Staffing: three rows of nineteen number fields, in a grid that must fold to one column.
    page.goto(f"{base}personeel/")
    assert_accessible(page)
    assert_reflows(page)
    # Chromium's date field takes four Tab presses (day, month, year, calendar button), more than
    # the two spare presses the helper's walk round the page allows. So the walk over all controls
    # runs with it as a plain text box, and then the real date field is reached with Tab.
    page.evaluate("() => { document.querySelector('#id_reference_date').type = 'text'; }")
    assert_keyboard_reachable(page)
    page.reload()
    tab_until(page, lambda f: f["id"] == "id_reference_date", limit=12)

    paragraph = f"{base}verbeterparagrafen/{location.pk}/"
    audit(page, paragraph)
    expect(page.get_by_role("heading", name="Samen koken op de afdeling")).to_be_visible()
    add_action = page.get_by_role("region", name="Actie toevoegen")
    add_action.get_by_role("button", name="Actie toevoegen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Er is iets niet goed ingevuld")
    expect(summary).to_be_focused()
    audit(page)

    audit(page, f"{base}acties/{world.action.pk}/")
    audit(page, world.version.get_absolute_url())
    audit(page, f"{world.version.get_absolute_url()}vergelijken/?met={world.first_version.pk}")

    # A PDF the worker has not made yet: a waiting page that asks again every three seconds. A
    # keyboard user on its button keeps focus when htmx swaps the box.
    VersionPdf.objects.create(version=world.version, requested_at=timezone.now())
    audit(page, f"{world.version.get_absolute_url()}pdf/", status=202)
    page.locator("#pdf-status").evaluate("(box) => { box.dataset.before = 'poll'; }")
    check = page.get_by_role("link", name="Kijk of de PDF klaar is")
    check.focus()
    expect(page.locator("#pdf-status[data-before]")).to_have_count(0, timeout=5_000)  # swapped
    expect(page.get_by_role("status")).to_contain_text("Bij een groot plan duurt dat even")
    expect(check).to_be_focused()


def test_framework_pages_are_accessible(live_server, page, context, world):
    log_in(context, live_server, world.people["quality"])
    own = world.own_framework
    audit(page, "/kaders/")
    audit(page, f"/kaders/{world.plan.framework_id}/")
    expect(page.get_by_role("button", name="Eigen versie maken")).to_be_visible()
    audit(page, f"/kaders/{own.pk}/")
    expect(page.get_by_role("heading", name="Eigen thema toevoegen")).to_be_visible()
    audit(page, f"/kaders/{own.pk}/onderdelen/{world.own_theme.pk}/")


# --- 5. A council member ------------------------------------------------------------------------


def test_council_member_reads_a_shared_version_but_not_the_plan(live_server, page, context, world):
    log_in(context, live_server, world.people["council_member"])
    audit(page, world.version.get_absolute_url())
    expect(page.get_by_role("link", name="Download als PDF")).to_be_visible()
    expect(page.get_by_role("link", name=str(world.plan))).to_have_count(0)
    response = page.goto(world.plan.get_absolute_url())
    assert response.status == 404
