"""Real-browser acceptance of the learning network's library: Stichting Het Anker's quality staff
opens the library, reads De Linde's shared plan and how it was made, comments, copies a section
into its own draft and finds the note on the section editor; De Linde's quality staff downloads
the adopted version as a Word file. At desktop width and at 360 px, axe on every page state.
Helpers: core/tests/browser_support.py.
"""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.consent.tests.adopted import adopt_plan_of_world
from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import assert_accessible, log_in
from samenplan.core.tests.world import build_world
from samenplan.frameworks.models import Framework
from samenplan.participation import services
from samenplan.participation.models import SectionCopy
from samenplan.plans import services as plan_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]
COMMENT = "Hoe kregen jullie de teams van de avonddienst erbij?"


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def shared(monkeypatch):
    """The world's plan adopted and shared; the peer organisation's quality staff with a draft."""
    monkeypatch.setattr(plan_services, "request_version_pdf", lambda version: None)
    world = build_world()
    adoption = adopt_plan_of_world(world)
    (entry,) = services.share_in_library(plan=world.plan, by=world.people["quality"],
                                         who_took_part="De cliëntenraad schreef mee.",
                                         how_signals="Gesprekken aan tafel in de huiskamer.")
    peer = UserFactory(username="kwaliteit-anker", first_name="Fatma", last_name="Yilmaz")
    add_membership(user=peer, role=Role.QUALITY_STAFF, organisation=world.peer_organisation)
    framework = Framework.objects.get(key="kwaliteitskader-verpleeghuiszorg-2017", organisation=None)
    draft = plan_services.create_plan(organisation=world.peer_organisation, year=2027, framework=framework, by=peer)
    return world, adoption, entry, peer, draft


@pytest.mark.parametrize("width", WIDTHS)
def test_a_peer_reads_comments_and_copies_from_the_library(shared, context, live_server, width):
    world, adoption, entry, peer, draft = shared
    log_in(context, live_server, peer)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800 if width < 600 else 900})

    page.goto(f"/netwerken/{world.network.pk}/")
    page.get_by_role("link", name="Bibliotheek: gedeelde plannen en hoe ze zijn gemaakt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bibliotheek van het lerend netwerk")
    assert_accessible(page, "library")

    page.get_by_role("link", name="Kwaliteitsplan 2027 van Zorggroep De Linde").click()
    expect(page.get_by_text("Gesprekken aan tafel in de huiskamer.")).to_be_visible()
    assert_accessible(page, "library entry")

    page.get_by_label("Uw reactie").fill(COMMENT)
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    expect(page.get_by_text("Stichting Het Anker").first).to_be_visible()
    assert_accessible(page, "entry with comment")

    page.get_by_role("link", name="Tekst overnemen in uw eigen plan").click()
    page.get_by_label("Welk onderdeel wilt u overnemen?").select_option("wonen-en-welzijn")
    assert_accessible(page, "copy")
    page.get_by_role("button", name="Tekst overnemen").click()
    expect(page.get_by_text("Een deel van deze tekst komt uit het kwaliteitsplan 2027 van Zorggroep De Linde."))\
        .to_be_visible()
    assert_accessible(page, "section editor with the note")
    assert SectionCopy.objects.filter(target_plan=draft).count() == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_the_word_file_is_downloaded_from_the_version_page(shared, context, live_server, width):
    world, adoption, entry, peer, draft = shared
    log_in(context, live_server, world.people["quality"])
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800 if width < 600 else 900})
    page.goto(f"/versies/{adoption.version.pk}/")
    assert_accessible(page, "version page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als Word-bestand").click()
    download = download_info.value
    assert download.suggested_filename == f"kwaliteitsplan-2027-versie-{adoption.version.number}.docx"
    document = Document(io.BytesIO(open(download.path(), "rb").read()))
    assert document.core_properties.title.startswith("Kwaliteitsplan 2027")
