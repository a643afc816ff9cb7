"""The participation pages in a real browser: axe, keyboard and 320px on every page (also with the
error summary showing), and comments, answers, the top 3 and peer feedback without JavaScript.
Helpers: core/tests/browser_support.py."""

import re

import pytest
from playwright.sync_api import expect

from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from samenplan.core.tests.browser_support import log_in
from samenplan.core.tests.test_browser import audit, no_js_page  # noqa: F401 - a fixture
from samenplan.core.tests.world import build_world
from samenplan.participation import services
from samenplan.participation.models import Comment, PeerReview, TopPoint
from samenplan.plans import services as plan_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(monkeypatch):
    # The versions' PDFs take seconds each and no page here needs them.
    with monkeypatch.context() as patch:
        patch.setattr(plan_services, "request_version_pdf", lambda version: None)
        return build_world()


def test_the_authors_pages_are_accessible(live_server, page, context, world):
    quality = world.people["quality"]
    services.add_comment(version=world.version, by=world.people["council_secretary"], section_key="veiligheid",
                         body="Wat doet u bij brand?", quote="Veilig wonen")
    services.answer_comment(comment=world.comment, by=quality, outcome="not_processed", answer="Te duur.")
    services.save_peer_review(version=world.version, by=world.people["peer_reviewer"], summary="Helder.",
                              section_feedback={"wonen-en-welzijn": "Mooi."}, submit=True)
    log_in(context, live_server, quality)

    audit(page, f"/plannen/{world.plan.pk}/reacties/")
    audit(page, f"/reacties/{world.comment.pk}/antwoord/")
    audit(page, f"/versies/{world.version.pk}/reacties/")
    audit(page, f"/plannen/{world.plan.pk}/top3/")
    audit(page, f"/top3/{world.top_point.pk}/antwoord/")
    audit(page, f"/plannen/{world.plan.pk}/collegas/")

    # The error summary of an answer without a reason.
    page.goto(f"/reacties/{world.comment.pk}/antwoord/")
    page.get_by_label("Niet verwerkt").check()
    page.get_by_label("Uw antwoord").fill("")
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Schrijf waarom")
    audit(page)


def test_the_councils_and_peers_pages_are_accessible(live_server, page, context, world):
    log_in(context, live_server, world.people["council_member"])
    audit(page, f"/versies/{world.version.pk}/reacties/")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.get_by_role("alert")).to_contain_text("Schrijf uw reactie.")
    audit(page)
    audit(page, f"/plannen/{world.plan.pk}/top3/")

    log_in(context, live_server, world.people["peer_reviewer"])
    audit(page, f"/versies/{world.version.pk}/collega-feedback/")
    page.get_by_role("button", name="Indienen").click()
    expect(page.get_by_role("alert")).to_contain_text("Schrijf een korte samenvatting")
    audit(page)


def test_commenting_answering_and_the_top_3_without_javascript(live_server, no_js_page, world):
    page = no_js_page
    log_in(page.context, live_server, world.people["council_secretary"])
    page.goto(f"/versies/{world.version.pk}/reacties/")
    page.get_by_label("Over welk onderdeel gaat uw reactie?").select_option(label="Veiligheid")
    page.get_by_label("Citaat (mag leeg blijven)").fill("Veilig wonen")
    page.get_by_label(re.compile("^Uw reactie")).fill("Wat doet u bij brand?")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw reactie is geplaatst.")
    expect(page.locator("blockquote")).to_contain_text("Veilig wonen")
    comment = Comment.objects.get(body="Wat doet u bij brand?")

    page.goto(f"/plannen/{world.plan.pk}/top3/")
    page.get_by_label(re.compile("^Verbeterpunt 2")).fill("Vaste gezichten")
    page.get_by_role("button", name="Top 3 opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De top 3 van de cliëntenraad is opgeslagen.")
    assert list(TopPoint.objects.order_by("rank").values_list("title", flat=True)) == [
        "Meer buiten zijn", "Vaste gezichten"]

    log_in(page.context, live_server, world.people["quality"])
    page.goto(f"/plannen/{world.plan.pk}/reacties/")
    answer = page.locator(f"#reactie-{comment.pk}")
    answer.get_by_label("Deels verwerkt").check()
    answer.get_by_label("Uw antwoord").fill("We oefenen twee keer per jaar; dat zetten we erbij.")
    answer.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw antwoord is opgeslagen.")
    expect(page.locator(f"#reactie-{comment.pk}")).to_contain_text("Deels verwerkt")


def test_peer_feedback_without_javascript(live_server, no_js_page, world):
    page = no_js_page
    log_in(page.context, live_server, world.people["quality"])
    page.goto(f"/plannen/{world.plan.pk}/collegas/")
    page.get_by_label("Woonzorg Vijverhof").check()
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_role("status")).to_contain_text("1 collega-organisatie is uitgenodigd voor versie 2.")

    log_in(page.context, live_server, world.people["uninvited_peer"])  # invited now
    page.goto(f"/versies/{world.version.pk}/collega-feedback/")
    page.get_by_label("Uw feedback op „Veiligheid”").fill("Noem de brandoefeningen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw feedback is opgeslagen.")
    expect(page.get_by_label("Uw feedback op „Veiligheid”")).to_have_value("Noem de brandoefeningen.")
    page.get_by_label("Samenvatting van uw feedback").fill("Een helder plan.")
    page.get_by_role("button", name="Indienen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw feedback is ingediend.")
    expect(page.get_by_text("U hebt uw feedback ingediend")).to_be_visible()
    assert PeerReview.objects.get(organisation=world.second_peer_organisation).is_submitted
