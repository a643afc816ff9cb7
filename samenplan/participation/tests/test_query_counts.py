"""The participation pages make as many queries for 30 comments, points or reviews as for 2."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.consent.tests.helpers import peer_reviewer_of, reviewed_by_two_peers
from samenplan.core.tests.world import login
from samenplan.organisations.tests.factories import LocationFactory, OrganisationFactory
from samenplan.participation import services
from samenplan.plans import services as plan_services

pytestmark = [pytest.mark.django_db, pytest.mark.shared_world]

SECTIONS = ["wonen-en-welzijn", "veiligheid", "persoonsgerichte-zorg", "leiderschap"]


def _queries(client, url) -> int:
    client.get(url)  # the steady state: the first request of a session does more
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _later_version(world):
    quality = world.people["quality"]
    plan_services.update_section(plan=world.plan, key="veiligheid", base_revision=0, by=quality, body="Veilig.")
    version = plan_services.freeze_version(plan=world.plan, by=quality)
    plan_services.share_version_with_councils(version=version, by=quality)
    return version


def _add_comments(world, count, start, later):
    """Comments by different client-council members, some answered, one in three processed."""
    quality = world.people["quality"]
    for n in range(start, start + count):
        author = UserFactory(username=f"lid{n}")
        add_membership(user=author, role=Role.COUNCIL_MEMBER, council=world.client_council)
        comment = services.add_comment(version=world.version, by=author, section_key=SECTIONS[n % len(SECTIONS)],
                                       body=f"Reactie {n}", quote="Bewoners eten samen.")
        if n % 3 == 1:
            services.answer_comment(comment=comment, by=quality, outcome="processed", change_version=later)
        elif n % 3 == 2:
            services.answer_comment(comment=comment, by=quality, outcome="not_processed", answer="Past niet.")


@pytest.mark.parametrize(("page", "persona"), [
    ("participation:plan_comments", "quality"),
    ("participation:version_comments", "council_member"),
    ("participation:version_comments", "quality"),
])
def test_comment_pages_do_not_grow_with_the_comments(world, client, page, persona):
    later = _later_version(world)
    _add_comments(world, 1, 1, later)
    login(client, world.people[persona])
    arg = world.plan.pk if page == "participation:plan_comments" else world.version.pk
    url = reverse(page, args=[arg])
    small = _queries(client, url)
    _add_comments(world, 28, 2, later)
    large = _queries(client, url)
    assert large == small, f"{page}: {small} queries with 2 comments, {large} with 30"


def test_the_peer_feedback_page_does_not_grow_with_the_reviews(world, client):
    quality = world.people["quality"]
    reviewed_by_two_peers(world, world.version)
    login(client, quality)
    url = reverse("participation:plan_peer_reviews", args=[world.plan.pk])
    small = _queries(client, url)
    for n in range(28):
        organisation = OrganisationFactory(name=f"Collega {n:02d}", region=world.organisation.region)
        world.network.organisations.add(organisation)
        services.invite_peers(version=world.version, organisations=[organisation], by=quality)
        services.save_peer_review(version=world.version, by=peer_reviewer_of(organisation, f"collega{n}"),
                                  section_feedback={"veiligheid": "Goed.", "wonen-en-welzijn": "Mooi."},
                                  summary="Helder plan.", submit=n % 4 != 0)
    large = _queries(client, url)
    assert large == small, f"{small} queries with 2 reviews, {large} with 30"


@pytest.mark.parametrize("persona", ["council_member", "quality"])
def test_the_top_3_page_does_not_grow_with_the_points(world, client, persona):
    member = world.people["council_member"]
    services.record_top_points(plan=world.plan, council=world.client_council, by=member, location=None,
                               points=[{"title": "Meer buiten zijn"}, {"title": "Vaste gezichten"}])
    login(client, world.people[persona])
    url = reverse("participation:top_points", args=[world.plan.pk])
    small = _queries(client, url)
    for n in range(10):
        location = LocationFactory(organisation=world.organisation, name=f"Locatie {n}")
        points = services.record_top_points(plan=world.plan, council=world.client_council, by=member,
                                            location=location, points=[{"title": f"Punt {n}.{r}"} for r in range(3)])
        action = plan_services.save_action(plan=world.plan, location=location, by=world.people["quality"],
                                           title=f"Actie {n}")
        services.answer_top_point(point=points[0], by=world.people["quality"], action_ids=[action.pk, world.action.pk],
                                  answer="Zo pakken we het op.")
    large = _queries(client, url)
    assert large == small, f"{small} queries with 2 points, {large} with 32"
