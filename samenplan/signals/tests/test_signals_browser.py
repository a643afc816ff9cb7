"""Real-browser acceptance of signals (issue 13): someone without an account sends a signal on a
360 px phone with JavaScript off through the location's public signal page, is warned first about
the phone number in the text (the text stays) and sends it anyway; the thank-you page follows. The
council secretary enters a paper signal on someone's behalf; the client council member links that
signal to a point of the plan's top 3; the location's poster shows its QR code. Axe on every page
visited; a page seen without JavaScript is audited as served (axe itself needs JavaScript).
Helpers: core/tests/browser_support.py.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, log_in
from samenplan.core.tests.world import build_world
from samenplan.participation import services as participation
from samenplan.publishing.tests.test_public_browser import assert_accessible_as_served
from samenplan.signals.models import Signal, SignalTopPoint
from samenplan.signals.selectors import signal_page_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000  # two cores, several test runs at once
PHONE = {"width": 360, "height": 800}
PUBLIC_TEXT = "Het eten is vaak koud. Bel mijn dochter gerust: 06-12345678."
PAPER_TEXT = "Op papier in de bus: bewoners willen vaker de tuin in, ook als het regent."
POINT = "Elke dag naar buiten"


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def world():
    world = build_world()
    # The council's top 3 for the plan, as samenplan/core/demo.py records it.
    participation.record_top_points(
        plan=world.plan, council=world.client_council, by=world.people["council_member"], location=None, points=[
            {"title": POINT, "explanation": "Ook bewoners die slecht lopen willen de tuin in."},
            {"title": "Vaste gezichten op de afdeling", "explanation": "Bewoners schrikken van steeds nieuwe mensen."},
            {"title": "Lekker en samen eten", "explanation": "Eten is voor veel bewoners het fijnste moment."},
        ])
    return world


def _h1(page, text):
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def test_a_signal_from_the_hallway_to_the_top_3(live_server, new_context, page, context, world):  # noqa: F811
    organisation, location = world.organisation, world.location
    code = signal_page_of(location).code

    # A relative on a phone, JavaScript off, no account.
    visitor = new_context(java_script_enabled=False, viewport=PHONE)
    visitor.set_default_timeout(10_000)
    phone = visitor.new_page()
    phone.goto(reverse("signals:public_form", args=[code]))
    _h1(phone, "Vertel het ons")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("De Linde")
    assert_accessible_as_served(phone, new_context, "the public signal page at 360 px")

    phone.get_by_label("Wat ging er goed, of wat kan beter?").fill(PUBLIC_TEXT)
    phone.get_by_label("Wie bent u? (mag leeg blijven)").select_option(label="Familie, naaste of mantelzorger")
    phone.get_by_role("button", name="Versturen", exact=True).click()
    _h1(phone, "Vertel het ons")
    warning = phone.get_by_role("alert").filter(has_text="Staat er iets persoonlijks in de tekst?")
    expect(warning).to_contain_text("een telefoonnummer")
    expect(warning).to_contain_text("06-12345678")
    expect(phone.get_by_label("Wat ging er goed, of wat kan beter?")).to_have_value(PUBLIC_TEXT)
    assert not Signal.objects.exists(), "nothing is stored before the giver chooses"
    assert_accessible_as_served(phone, new_context, "the public signal page with the personal-data warning")

    phone.get_by_role("button", name="Toch zo versturen").click()
    _h1(phone, "Dank u wel!")
    expect(phone.get_by_text("Uw signaal over De Linde is goed aangekomen.")).to_be_visible()
    assert_accessible_as_served(phone, new_context, "the thank-you page at 360 px")
    online = Signal.objects.get()
    assert (online.location, online.channel, online.entered_by, online.text, online.giver_role,
            online.personal_data_confirmed) == (location, Signal.Channel.ONLINE, None, PUBLIC_TEXT, "relative", True)
    visitor.close()

    # The council secretary types in a signal that came in on paper.
    secretary = world.people["council_secretary"]
    log_in(context, live_server, secretary)
    page.goto(reverse("signals:list", args=[organisation.pk]))
    _h1(page, "Signalen van bewoners, naasten en medewerkers")
    assert_accessible(page, "the signal list")
    page.get_by_role("link", name="Signaal invoeren namens iemand").click()
    _h1(page, "Signaal invoeren namens iemand")
    assert_accessible(page, "the form to enter a signal on someone's behalf")
    page.get_by_label("Over welke locatie gaat het?").select_option(label="De Linde")
    page.get_by_role("radio", name="Op papier").check()
    page.get_by_label("Op welke dag kreeg u het?").fill(timezone.localdate().isoformat())
    page.get_by_label("Het signaal:", exact=True).fill(PAPER_TEXT)
    page.get_by_label("Wie gaf het signaal? (mag leeg blijven)").select_option(label="Bewoner")
    page.get_by_role("button", name="Versturen", exact=True).click()
    paper = Signal.objects.exclude(pk=online.pk).get()
    _h1(page, f"Signaal {paper.pk}")
    expect(page.get_by_text("Het signaal is opgeslagen. U staat erbij als degene die het invoerde.")).to_be_visible()
    expect(page.locator("blockquote.signal-text")).to_have_text(PAPER_TEXT)
    expect(page.locator("dl.facts")).to_contain_text(f"Op papier — ingevoerd door {secretary}")
    assert_accessible(page, "the paper signal")
    assert (paper.channel, paper.entered_by, paper.location, paper.giver_role, paper.text) == (
        Signal.Channel.PAPER, secretary, location, "resident", PAPER_TEXT)

    # The client council member links it to a point of the top 3.
    member = world.people["council_member"]
    log_in(context, live_server, member)
    page.goto(paper.get_absolute_url())
    _h1(page, f"Signaal {paper.pk}")
    expect(page.get_by_text("Dit signaal is nog niet gekoppeld aan de top 3 of aan een verbeteractie.")).to_be_visible()
    assert_accessible(page, "the paper signal for the council member")
    page.get_by_label("Punt uit de top 3 van de cliëntenraad").select_option(
        label=f"{world.plan.year}, hele organisatie: 1. {POINT}")
    page.get_by_role("button", name="Koppelen", exact=True).click()
    _h1(page, f"Signaal {paper.pk}")
    expect(page.get_by_text("Het signaal is gekoppeld.")).to_be_visible()
    expect(page.locator("#basis-kop + ul")).to_contain_text(f"Top 3-punt „{POINT}” ({world.plan.year})")
    assert_accessible(page, "the signal linked to the top 3")
    link = SignalTopPoint.objects.get(signal=paper)
    assert (link.top_point.title, link.top_point.rank, link.top_point.plan, link.linked_by) == (
        POINT, 1, world.plan, member)
    assert not SignalTopPoint.objects.filter(signal=online).exists()

    # The poster for the hallway, from the signal list.
    page.get_by_role("link", name="Signalen van De Linde").click()
    _h1(page, "Signalen van bewoners, naasten en medewerkers")
    expect(page.get_by_text(PAPER_TEXT)).to_be_visible()
    assert_accessible(page, "the signal list for the council member")
    page.get_by_role("link", name="Poster voor De Linde").click()
    _h1(page, "Wat vindt u van De Linde?")
    expect(page.get_by_role("img", name="QR-code voor de signaalpagina van De Linde")).to_be_visible()
    expect(page.locator("svg.poster-qr path").first).to_be_attached()
    expect(page.locator(".short-link")).to_have_text(f"{live_server.url.split('://', 1)[1]}/s/{code}/")
    assert_accessible(page, "the poster")
