"""The plan in short and what changed, in a real browser: the author writes a section's summary, the
client-council member reads it and the changes since the version the council decided on, at desktop
width and on a 360-pixel phone, with the axe audit clean on every page."""

import re

import pytest
from playwright.sync_api import expect

from samenplan.consent.models import ConsentDecision
from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    assert_accessible,
    assert_reflows,
    browser_context_args,
    browser_type_launch_args,
    context,
    log_in,
)
from samenplan.core.tests.world import build_world
from samenplan.plans import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "Bewoners eten samen. Wie wil, kookt ook zelf mee."
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]


@pytest.fixture
def world(monkeypatch):
    with monkeypatch.context() as patch:
        # The versions' PDFs are not what these tests are about; rendering them costs seconds.
        patch.setattr(services, "request_version_pdf", lambda version: None)
        return build_world()


def _audit(page, what):
    assert_accessible(page, what)
    assert_reflows(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_author_writes_a_summary_and_the_council_reads_what_changed(live_server, page, context, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    # The client council decided on the world's version; the author then rewrites a section.
    ConsentDecision.objects.create(request=world.consent_request, decision="granted", meeting_date="2027-01-10",
                                   recorded_by=world.people["council_secretary"], version_sha256=world.version.sha256)
    log_in(context, live_server, world.people["quality"])
    page.goto(f"{world.plan.get_absolute_url()}onderdelen/wonen-en-welzijn/")
    _audit(page, "the section editor with its summary field")
    page.get_by_label(re.compile(r"^Tekst:?$")).fill("Bewoners eten samen. Wie wil, kookt ook zelf mee. De keuken is open.")
    page.get_by_label("In het kort, voor de raden").fill(SUMMARY)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen.")).to_be_visible()
    expect(page.get_by_label("In het kort, voor de raden")).to_have_value(SUMMARY)

    newer = services.freeze_version(plan=world.plan, by=world.people["quality"], note="Na de vergadering")
    services.share_version_with_councils(version=newer, by=world.people["quality"])
    context.clear_cookies()

    log_in(context, live_server, world.people["council_member"])
    page.goto(newer.get_absolute_url())
    overview = page.locator("#in-het-kort")
    expect(overview.get_by_role("heading", name="Het plan in het kort")).to_be_visible()
    expect(overview.get_by_text(SUMMARY)).to_be_visible()
    _audit(page, "the version page with the plan in short")

    page.get_by_role("link", name="Wat is er veranderd?").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wat is er veranderd?")
    expect(page.get_by_text(f"Versie {world.version.number}: de versie waarover uw raad besloot")).to_be_visible()
    change = page.get_by_role("region", name="Wonen en welzijn")
    expect(change.get_by_text("Veranderd")).to_be_visible()
    expect(change.get_by_text(SUMMARY)).to_be_visible()
    expect(change.get_by_text("Er zijn 2 zinnen nieuw of anders geschreven.")).to_be_visible()
    expect(change.get_by_text("„De keuken is open.”")).to_be_visible()
    expect(page.get_by_role("heading", name="Niet veranderd")).to_be_visible()
    _audit(page, "what changed, in words")

    change.get_by_role("link", name="Lees „Wonen en welzijn” helemaal").click()
    expect(page.locator("#s-wonen-en-welzijn .summary-box")).to_contain_text(SUMMARY)
