"""Real-browser checks of the small fixes found by testing as real users, at desktop width and at
360 px (a phone): a notification's link survives logging in with a login link; a comment posted
through the one section dropdown, then a mistake that opens at the error summary, not at the
#reactie-N anchor of the last redirect; and the date a peer is asked to give feedback by. axe-core
runs on every page state visited. Helpers: core/tests/browser_support.py.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's
    assert_accessible,
    browser_context_args,
    browser_type_launch_args,
    context,
    log_in,
)
from samenplan.core.tests.world import build_world
from samenplan.participation.models import Comment, PeerReviewInvitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 800}}


@pytest.fixture(autouse=True)
def patient_expect():
    # Two cores shared by several test runs: pages can take a few seconds.
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(params=list(WIDTHS))
def sized_page(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return page


def _path(url: str) -> str:
    return url.removeprefix(settings.SITE_URL.rstrip("/"))


def test_a_deep_link_survives_logging_in_with_a_login_link(live_server, sized_page):
    page = sized_page
    world = build_world()
    target = reverse("participation:version_comments", args=[world.version.pk])

    page.goto(target)
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="))
    expect(page.get_by_role("heading", name="Inloggen bij Samenplan")).to_be_visible()
    assert_accessible(page, "the login page with next")

    page.get_by_role("link", name="Stuur mij een inloglink").click()
    expect(page.get_by_text("Na het inloggen komt u meteen op de pagina die u wilde openen.")).to_be_visible()
    assert_accessible(page, "the login-link form with next")
    page.get_by_label("Uw e-mailadres").fill("council_member@example.nl")
    page.get_by_role("button", name="Stuur de link").click()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    assert_accessible(page, "the login link sent")

    link = next(line.strip() for line in mail.outbox[-1].body.splitlines() if "/inloggen/link/" in line)
    page.goto(_path(link))
    expect(page.get_by_role("heading", name=re.compile("^Inloggen als"))).to_be_visible()
    assert_accessible(page, "the login-link confirmation")
    page.get_by_role("button", name="Inloggen").click()

    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_role("heading", name=re.compile("^Reacties op versie 2"))).to_be_visible()
    assert_accessible(page, "the page the notification pointed at")


def test_a_comment_through_the_dropdown_then_a_mistake_opens_at_the_error_summary(live_server, sized_page):
    page = sized_page
    world = build_world()
    log_in(page.context, live_server, world.people["council_member"])
    url = reverse("participation:version_comments", args=[world.version.pk])

    page.goto(url + "?onderdeel=veiligheid")
    section = page.get_by_label("Over welk onderdeel gaat uw reactie?")
    expect(section).to_have_value("veiligheid")
    expect(page.get_by_role("button", name="Reageer op dit onderdeel")).to_have_count(0)
    assert_accessible(page, "the comment form, chosen from a section link")

    section.select_option(label="Het hele plan")
    page.get_by_role("textbox", name=re.compile("^Uw reactie")).fill("Een plan dat ik goed kan lezen.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    comment = Comment.objects.get(body="Een plan dat ik goed kan lezen.")
    expect(page).to_have_url(re.compile(f"#reactie-{comment.pk}$"))
    expect(page.get_by_text("Dank u wel. Uw reactie is geplaatst.")).to_be_visible()
    expect(page.get_by_role("heading", name="Het hele plan", exact=True)).to_be_visible()
    assert comment.section_key == Comment.WHOLE_PLAN
    assert_accessible(page, "the comments after posting")

    page.get_by_label("Over welk onderdeel gaat uw reactie?").select_option("veiligheid")
    page.get_by_role("textbox", name=re.compile(r"^Citaat")).fill("Veilig wonen")
    page.get_by_role("button", name="Reactie plaatsen").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Schrijf uw reactie.")
    assert "#" not in page.url
    expect(page.get_by_role("textbox", name=re.compile(r"^Citaat"))).to_have_value("Veilig wonen")
    expect(page.get_by_label("Over welk onderdeel gaat uw reactie?")).to_have_value("veiligheid")
    assert_accessible(page, "the comment form with a mistake")


def test_a_peer_invitation_shows_its_response_date(live_server, sized_page):
    page = sized_page
    world = build_world()
    log_in(page.context, live_server, world.people["quality"])

    page.goto(reverse("participation:plan_peer_reviews", args=[world.plan.pk]))
    table = page.get_by_role("table", name="Uitnodigingen voor versie 2")
    expect(table.get_by_role("columnheader", name="Feedback graag vóór")).to_be_attached()
    expect(table).to_contain_text(date_format(world.invitation.respond_by, "j F Y"))
    date_box = page.get_by_label("Feedback graag vóór")
    expect(date_box).to_have_value((timezone.localdate() + timedelta(weeks=4)).isoformat())
    assert_accessible(page, "the peer reviews with the invite form")

    chosen = timezone.localdate() + timedelta(days=18)
    date_box.fill(chosen.isoformat())
    page.get_by_label("Woonzorg Vijverhof").check()
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_text("1 collega-organisatie is uitgenodigd voor versie 2.")).to_be_visible()
    expect(table).to_contain_text(date_format(chosen, "j F Y"))
    assert PeerReviewInvitation.objects.get(organisation=world.second_peer_organisation).respond_by == chosen
    assert_accessible(page, "the peer reviews after inviting")

    log_in(page.context, live_server, world.people["uninvited_peer"])  # the reviewer of Woonzorg Vijverhof
    page.goto(reverse("participation:peer_review", args=[world.version.pk]))
    expect(page.get_by_text(f"Zorggroep De Linde vraagt uw feedback vóór {date_format(chosen, 'j F Y')}."))\
        .to_be_visible()
    assert_accessible(page, "the peer's review page")
    page.goto("/")
    expect(page.get_by_text(f"Graag vóór {date_format(chosen, 'j F Y')}")).to_be_visible()
    assert_accessible(page, "the peer's dashboard")


def test_the_quarter_field_speaks_of_the_plans_own_year(live_server, sized_page):
    page = sized_page
    world = build_world()
    log_in(page.context, live_server, world.people["quality"])
    page.goto(reverse("plans:action", args=[world.plan.pk, world.action.pk]))
    quarter = page.get_by_label("Klaar in kwartaal")
    expect(quarter).to_have_attribute("placeholder", "2027-Q2")
    quarter.fill("2025-Q3")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Dit is het plan voor 2027. Kies een kwartaal in 2027 of later")
    expect(summary).to_be_focused()
    expect(quarter).to_have_value("2025-Q3")
    assert_accessible(page, "the action form with a quarter before the plan year")


def test_the_dashboard_counts_the_open_comments_of_last_years_plan_too(live_server, sized_page):
    from samenplan.plans import services as plan_services

    page = sized_page
    world = build_world()
    quality = world.people["quality"]
    # Next year's plan is the newest; the world's 2027 plan still has its open comment.
    plan_services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework, by=quality)
    log_in(page.context, live_server, quality)
    page.goto("/")
    last_year = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Kwaliteitsplan 2027", exact=True))
    expect(last_year).to_contain_text("1 reactie wacht op een antwoord.")
    expect(last_year.get_by_role("link", name=re.compile(r"^Naar de reacties"))).to_have_attribute(
        "href", reverse("participation:plan_comments", args=[world.plan.pk]))
    assert_accessible(page, "the dashboard with open comments on last year's plan")
