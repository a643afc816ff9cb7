"""What the dashboard shows each person for the consent round, comments and peer reviews."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from samenplan.consent.models import ConsentDecision, ConsentRequest
from samenplan.core import pagecache
from samenplan.notifications.models import Notification
from samenplan.participation import services as participation
from samenplan.plans import services as plan_services
from samenplan.plans.models import QualityPlan

from .world import grow_world, login

pytestmark = pytest.mark.shared_world

DASHBOARD = reverse("core:dashboard")


def _page(client, user) -> str:
    login(client, user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def _with_the_councils(world):
    QualityPlan.objects.filter(pk=world.plan.pk).update(status=QualityPlan.Status.CONSENT)


def test_a_council_member_sees_the_open_consent_request(world, client):
    _with_the_councils(world)
    ConsentRequest.objects.filter(pk=world.consent_request.pk).update(
        respond_by=timezone.localdate() + timedelta(days=5))
    page = _page(client, world.people["council_member"])
    assert reverse("consent:request", args=[world.consent_request.pk]) in page
    assert "Centrale cliëntenraad: instemming met Kwaliteitsplan 2027, versie 2" in page
    assert "nog 5 dagen" in page
    # The VAR's request is not this member's business.
    assert reverse("consent:request", args=[world.nursing_consent_request.pk]) not in page


def test_the_secretary_is_told_to_record_the_decision(world, client):
    _with_the_councils(world)
    assert "Als secretaris legt u het besluit" in _page(client, world.people["council_secretary"])
    assert "Als secretaris legt u het besluit" not in _page(client, world.people["council_member"])


def test_no_open_request_is_explained(world, client):
    page = _page(client, world.people["council_member"])  # the plan is still a draft
    assert reverse("consent:request", args=[world.consent_request.pk]) not in page
    assert "Er is nu geen verzoek om instemming." in page


def test_a_decided_request_is_not_shown(world, client):
    _with_the_councils(world)
    ConsentDecision.objects.create(request=world.consent_request, decision=ConsentDecision.Decision.GRANTED,
                                   version_sha256=world.version.sha256, meeting_date=timezone.localdate(),
                                   recorded_by=world.people["council_secretary"])
    assert "Er is nu geen verzoek om instemming." in _page(client, world.people["council_member"])


def test_a_request_on_an_older_version_gives_way_to_the_newer_one(world, client):
    _with_the_councils(world)
    quality = world.people["quality"]
    plan_services.update_section(plan=world.plan, key="wonen-en-welzijn", base_revision=1, by=quality,
                                 body="Bewoners koken samen.")
    newer_version = plan_services.freeze_version(plan=world.plan, by=quality, note="Na de reacties")
    newer = ConsentRequest.objects.create(plan=world.plan, version=newer_version, council=world.client_council,
                                          respond_by=timezone.localdate() + timedelta(weeks=6), requested_by=quality)
    page = _page(client, world.people["council_member"])
    assert reverse("consent:request", args=[newer.pk]) in page
    assert reverse("consent:request", args=[world.consent_request.pk]) not in page


def test_a_council_member_is_offered_to_comment_on_shared_versions(world, client):
    page = _page(client, world.people["council_member"])
    assert reverse("participation:version_comments", args=[world.version.pk]) in page
    assert reverse("participation:version_comments", args=[world.first_version.pk]) in page


def test_a_peer_reviewer_sees_the_invitation_and_where_the_review_stands(world, client):
    reviewer = world.people["peer_reviewer"]
    page = _page(client, reviewer)
    assert reverse("participation:peer_review", args=[world.version.pk]) in page
    assert "Zorggroep De Linde: Kwaliteitsplan 2027, versie 2" in page
    assert "nog geen feedback gegeven" in page

    participation.save_peer_review(version=world.version, by=reviewer, section_feedback={}, summary="Mooi plan.")
    assert "uw feedback is opgeslagen, maar nog niet verstuurd" in _page(client, reviewer)

    participation.save_peer_review(version=world.version, by=reviewer, section_feedback={}, summary="Mooi plan.",
                                   submit=True)
    assert "uw feedback is verstuurd op" in _page(client, reviewer)


def test_a_peer_reviewer_sees_the_date_the_feedback_is_asked_by_until_it_is_sent(world, client):
    reviewer = world.people["peer_reviewer"]
    asked_by = f"Graag vóór {date_format(world.invitation.respond_by, 'j F Y')}"
    assert asked_by in _page(client, reviewer)
    participation.save_peer_review(version=world.version, by=reviewer, section_feedback={}, summary="Mooi plan.",
                                   submit=True)
    assert asked_by not in _page(client, reviewer)


def test_an_uninvited_peer_is_told_nothing_waits(world, client):
    page = _page(client, world.people["uninvited_peer"])
    assert reverse("participation:peer_review", args=[world.version.pk]) not in page
    assert "Er zijn nu geen verzoeken om feedback." in page


def test_authors_see_the_open_comments_and_the_phase_of_their_plan(world, client):
    for persona in ("quality", "board"):
        page = _page(client, world.people[persona])
        assert "fase: In voorbereiding" in page
        assert "1 reactie wacht op een antwoord." in page
        assert reverse("participation:plan_comments", args=[world.plan.pk]) in page
    participation.answer_comment(comment=world.comment, by=world.people["quality"], outcome="not_processed",
                                 answer="Dat past niet in dit jaar.")
    assert "Er zijn geen reacties die nog een antwoord nodig hebben." in _page(client, world.people["quality"])


def _next_years_plan(world, year=2028):
    return plan_services.create_plan(organisation=world.organisation, year=year, framework=world.plan.framework,
                                     by=world.people["quality"])


def test_last_years_open_comments_are_counted_while_next_years_plan_is_written(world, client):
    next_plan = _next_years_plan(world)
    page = _page(client, world.people["quality"])
    assert "1 reactie wacht op een antwoord." in page
    assert reverse("participation:plan_comments", args=[world.plan.pk]) in page
    assert "Er zijn geen reacties die nog een antwoord nodig hebben." not in page

    quality = world.people["quality"]
    version = plan_services.freeze_version(plan=next_plan, by=quality, note="Eerste opzet")
    for body in ("Wat gebeurt er met de tuin?", "Is er budget?"):
        participation.add_comment(version=version, by=world.people["board"], section_key="veiligheid", body=body)
    page = _page(client, quality)
    assert "2 reacties wachten op een antwoord." in page and "1 reactie wacht op een antwoord." in page
    assert reverse("participation:plan_comments", args=[next_plan.pk]) in page
    assert reverse("participation:plan_comments", args=[world.plan.pk]) in page


def test_an_old_plan_beyond_the_newest_three_still_shows_its_open_comments(world, client):
    for year in (2028, 2029, 2030):
        _next_years_plan(world, year)
    page = _page(client, world.people["quality"])
    assert "Kwaliteitsplan 2027" in page and "1 reactie wacht op een antwoord." in page
    assert reverse("participation:plan_comments", args=[world.plan.pk]) in page


def test_the_open_comments_of_every_plan_take_the_same_queries(world, client):
    login(client, world.people["quality"])
    one_plan = _count(client, world.people["quality"])
    for year in (2028, 2029):
        plan = _next_years_plan(world, year)
        version = plan_services.freeze_version(plan=plan, by=world.people["quality"], note="Opzet")
        participation.add_comment(version=version, by=world.people["board"], section_key="veiligheid", body="?")
    assert _count(client, world.people["quality"]) == one_plan


def test_a_location_manager_is_not_asked_to_answer_comments(world, client):
    page = _page(client, world.people["location_manager"])
    assert reverse("participation:plan_comments", args=[world.plan.pk]) not in page


@pytest.mark.parametrize("persona", ["quality", "council_member", "peer_reviewer", "care_office", "outsider"])
def test_everyone_sees_the_unread_count_with_a_link_to_the_inbox(world, client, persona):
    person = world.people[persona]
    Notification.objects.filter(recipient=person).delete()
    page = _page(client, person)
    assert "U heeft geen nieuwe berichten." in page
    assert reverse("notifications:inbox") in page
    for n in range(2):
        Notification.objects.create(recipient=person, event_key=f"e{n}", kind="test", subject="Iets")
    assert "U heeft 2 nieuwe berichten." in _page(client, person)


def _count(client, user):
    pagecache.clear()  # count the page as it is built, not as it is kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return len(queries)


def _grow_participation(world):
    """More comments, requests, invitations and messages than before."""
    quality = world.people["quality"]
    _with_the_councils(world)
    for n in range(5):
        participation.add_comment(version=world.version, by=world.people["council_member"],
                                  section_key="wonen-en-welzijn", body=f"Vraag {n}")
    participation.invite_peers(version=world.first_version, organisations=[world.peer_organisation], by=quality)
    participation.save_peer_review(version=world.version, by=world.people["peer_reviewer"], section_feedback={},
                                   summary="Goed.", submit=True)
    ConsentRequest.objects.create(plan=world.plan, version=world.first_version, council=world.client_council,
                                  respond_by=timezone.localdate() + timedelta(days=3), requested_by=quality)
    for person in world.people.values():
        for n in range(5):
            Notification.objects.create(recipient=person, event_key=f"grow-{n}", kind="test", subject="Iets")


@pytest.mark.parametrize("persona", ["quality", "board", "council_member", "council_secretary", "peer_reviewer"])
def test_the_dashboard_makes_the_same_queries_as_participation_grows(world, client, persona):
    _with_the_councils(world)
    login(client, world.people[persona])
    client.get(DASHBOARD)
    small = _count(client, world.people[persona])
    _grow_participation(world)
    grow_world(world)
    assert _count(client, world.people[persona]) == small
