import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samenplan.api import api
from samenplan.core.tests.world import login
from samenplan.participation import services
from samenplan.participation.models import Comment, PeerReview, PeerReviewInvitation
from samenplan.plans import services as plan_services

pytestmark = pytest.mark.shared_world


def _send(client, method, url, data):
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def _later_version(world):
    quality = world.people["quality"]
    section = world.plan.sections.get(key="wonen-en-welzijn")
    plan_services.update_section(plan=world.plan, key=section.key, body=section.body + " Ook zelf koken kan.",
                                 base_revision=section.revision, by=quality)
    return plan_services.freeze_version(plan=world.plan, by=quality, note="Reacties verwerkt")


# --- Listing comments -------------------------------------------------------------------------


def test_plan_readers_list_every_comment_with_its_answer(world, client):
    login(client, world.people["quality"])
    response = client.get(f"/api/v1/plans/{world.plan.pk}/comments")
    assert response.status_code == 200
    (comment,) = response.json()
    assert comment == {
        "id": world.comment.pk, "version": {"id": world.version.pk, "number": 2},
        "section_key": "wonen-en-welzijn", "quote": "", "body": "Kunnen bewoners ook zelf koken?",
        "author": str(world.people["council_member"]),
        "council": {"id": world.client_council.pk, "name": "Centrale cliëntenraad"}, "peer_organisation": None,
        "created_at": comment["created_at"], "outcome": None, "answer": "", "change_version": None,
        "answered_at": None,
    }


def test_council_members_see_their_councils_comments_and_peers_their_organisations(world, client):
    services.add_comment(version=world.version, by=world.people["peer_reviewer"], section_key="wonen-en-welzijn",
                         body="Hoe meet u dat?")
    seen = {}
    for persona in ("council_secretary", "works_council_member", "peer_reviewer"):
        login(client, world.people[persona])
        response = client.get(f"/api/v1/plans/{world.plan.pk}/comments")
        assert response.status_code == 200
        seen[persona] = [c["body"] for c in response.json()]
    assert seen == {"council_secretary": ["Kunnen bewoners ook zelf koken?"], "works_council_member": [],
                    "peer_reviewer": ["Hoe meet u dat?"]}


def test_who_reads_no_version_of_the_plan_gets_404(world, client):
    for persona in ("uninvited_peer", "outsider", "care_office"):
        login(client, world.people[persona])
        response = client.get(f"/api/v1/plans/{world.plan.pk}/comments")
        assert response.status_code == 404, persona
        assert response.json()["message"]


def test_listing_comments_takes_the_same_queries_for_more_comments(world, client):
    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/comments"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        services.add_comment(version=world.version, by=world.people["peer_reviewer"], section_key="veiligheid",
                             body=f"Vraag {n}", quote="Veilig")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == 6
    assert len(many) == len(few)


# --- Adding a comment -------------------------------------------------------------------------


def test_a_council_member_comments_for_the_council(world, client):
    login(client, world.people["council_secretary"])
    response = _send(client, "POST", f"/api/v1/versions/{world.version.pk}/comments",
                     {"section_key": "veiligheid", "body": "Wat doet u bij brand?", "quote": "brandoefening"})
    assert response.status_code == 201
    body = response.json()
    assert body["council"]["id"] == world.client_council.pk
    assert (body["section_key"], body["quote"], body["outcome"]) == ("veiligheid", "brandoefening", None)
    assert Comment.objects.get(pk=body["id"]).author == world.people["council_secretary"]


def test_a_peer_reviewer_comments_for_the_peer_organisation(world, client):
    login(client, world.people["peer_reviewer"])
    response = _send(client, "POST", f"/api/v1/versions/{world.version.pk}/comments",
                     {"section_key": "veiligheid", "body": "Goed beschreven."})
    assert response.status_code == 201
    assert response.json()["peer_organisation"] == {"id": world.peer_organisation.pk, "name": "Stichting Het Anker"}


def test_a_comment_on_an_unknown_section_names_the_field(world, client):
    login(client, world.people["council_member"])
    response = _send(client, "POST", f"/api/v1/versions/{world.version.pk}/comments",
                     {"section_key": "bestaat-niet", "body": "   "})
    assert response.status_code == 400
    assert _fields(response) == {"body.section_key", "body.body"}


def test_a_comment_without_a_body_is_refused_with_the_field(world, client):
    login(client, world.people["council_member"])
    response = _send(client, "POST", f"/api/v1/versions/{world.version.pk}/comments", {"section_key": "veiligheid"})
    assert response.status_code == 422
    assert any(f.endswith(".body") for f in _fields(response))


def test_who_may_read_but_not_comment_gets_403_and_strangers_404(world, client):
    url = f"/api/v1/versions/{world.version.pk}/comments"
    data = {"section_key": "veiligheid", "body": "Hallo"}
    login(client, world.people["platform_admin"])
    assert _send(client, "POST", url, data).status_code == 403
    login(client, world.people["uninvited_peer"])
    assert _send(client, "POST", url, data).status_code == 404
    assert Comment.objects.count() == 1


# --- Answering --------------------------------------------------------------------------------


def test_the_author_answers_processed_with_the_version_of_the_change(world, client):
    later = _later_version(world)
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/comments/{world.comment.pk}/answer",
                     {"outcome": "processed", "answer": "Ja, op elke afdeling.", "change_version_id": later.pk})
    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["change_version"], body["answer"]) == (
        "processed", {"id": later.pk, "number": later.number}, "Ja, op elke afdeling.")
    assert body["answered_at"]


def test_processed_needs_a_later_version_of_the_plan(world, client):
    login(client, world.people["quality"])
    url = f"/api/v1/comments/{world.comment.pk}/answer"
    response = _send(client, "POST", url, {"outcome": "processed", "change_version_id": world.first_version.pk})
    assert response.status_code == 400
    assert _fields(response) == {"body.change_version_id"}
    response = _send(client, "POST", url, {"outcome": "processed"})
    assert _fields(response) == {"body.change_version_id"}
    # A version of another plan is not even looked at.
    other_plan = plan_services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                           by=world.people["quality"])
    other = plan_services.freeze_version(plan=other_plan, by=world.people["quality"])
    response = _send(client, "POST", url, {"outcome": "processed", "change_version_id": other.pk})
    assert _fields(response) == {"body.change_version_id"}


def test_not_processed_needs_a_reason(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/comments/{world.comment.pk}/answer", {"outcome": "not_processed"})
    assert response.status_code == 400
    assert _fields(response) == {"body.answer"}


def test_an_unknown_outcome_is_refused_with_the_field(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/comments/{world.comment.pk}/answer", {"outcome": "maybe"})
    assert response.status_code == 422
    assert any(f.endswith(".outcome") for f in _fields(response))


def test_only_the_plan_authors_answer(world, client):
    url = f"/api/v1/comments/{world.comment.pk}/answer"
    data = {"outcome": "not_processed", "answer": "Nee."}
    login(client, world.people["council_member"])  # sees the comment, may not answer it
    assert _send(client, "POST", url, data).status_code == 403
    assert _send(client, "POST", url, {"outcome": "processed", "change_version_id": 987654}).status_code == 403
    login(client, world.people["outsider"])
    assert _send(client, "POST", url, data).status_code == 404
    world.comment.refresh_from_db()
    assert world.comment.outcome == ""


# --- Peer review invitations ------------------------------------------------------------------


def test_peers_are_invited_to_review_the_latest_version_by_default(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/peer-review-invitations",
                     {"organisation_ids": [world.second_peer_organisation.pk, world.peer_organisation.pk]})
    assert response.status_code == 201
    body = response.json()
    assert sorted((i["organisation"]["name"], i["version"]["id"]) for i in body) == [
        ("Stichting Het Anker", world.version.pk), ("Woonzorg Vijverhof", world.version.pk)]
    assert world.invitation.pk in {i["id"] for i in body}  # invited already: nothing new
    assert PeerReviewInvitation.objects.filter(version=world.version).count() == 2


def test_peers_can_be_invited_for_a_chosen_version(world, client):
    login(client, world.people["board"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/peer-review-invitations",
                     {"version_id": world.first_version.pk, "organisation_ids": [world.peer_organisation.pk]})
    assert response.status_code == 201
    assert response.json()[0]["version"] == {"id": world.first_version.pk, "number": 1}


def test_only_organisations_of_the_learning_network_are_invited(world, client):
    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/peer-review-invitations"
    for ids in ([world.other_organisation.pk], [world.organisation.pk], [], [987654]):
        response = _send(client, "POST", url, {"organisation_ids": ids})
        assert response.status_code == 400, ids
        assert _fields(response) == {"body.organisation_ids"}
    response = _send(client, "POST", url, {"version_id": 987654, "organisation_ids": [world.peer_organisation.pk]})
    assert _fields(response) == {"body.version_id"}
    assert PeerReviewInvitation.objects.count() == 1


def test_only_the_plan_authors_invite_peers(world, client):
    url = f"/api/v1/plans/{world.plan.pk}/peer-review-invitations"
    data = {"organisation_ids": [world.second_peer_organisation.pk]}
    login(client, world.people["location_manager"])
    assert _send(client, "POST", url, data).status_code == 403
    assert _send(client, "POST", url, {"organisation_ids": [987654]}).status_code == 403
    login(client, world.people["council_member"])
    assert _send(client, "POST", url, data).status_code == 404
    assert PeerReviewInvitation.objects.count() == 1


def test_an_invitation_takes_and_returns_its_response_date(world, client):
    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/peer-review-invitations"
    chosen = timezone.localdate() + timedelta(days=10)
    response = _send(client, "POST", url, {"organisation_ids": [world.second_peer_organisation.pk],
                                           "respond_by": chosen.isoformat()})
    assert response.status_code == 201
    assert response.json()[0]["respond_by"] == chosen.isoformat()
    assert PeerReviewInvitation.objects.get(organisation=world.second_peer_organisation).respond_by == chosen


def test_an_invitation_without_a_date_gets_four_weeks(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/peer-review-invitations",
                     {"organisation_ids": [world.second_peer_organisation.pk]})
    assert response.json()[0]["respond_by"] == (timezone.localdate() + timedelta(weeks=4)).isoformat()


@pytest.mark.parametrize("respond_by", [-1, 400])
def test_a_response_date_in_the_past_or_far_ahead_is_a_field_error(world, client, respond_by):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/peer-review-invitations",
                     {"organisation_ids": [world.second_peer_organisation.pk],
                      "respond_by": (timezone.localdate() + timedelta(days=respond_by)).isoformat()})
    assert response.status_code == 400
    assert _fields(response) == {"body.respond_by"}
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/peer-review-invitations",
                     {"organisation_ids": [world.second_peer_organisation.pk], "respond_by": "morgen"})
    assert response.status_code == 422
    assert any(field.endswith("respond_by") for field in _fields(response))


# --- Peer reviews -----------------------------------------------------------------------------


def test_a_peer_reviewer_saves_a_draft_then_submits(world, client):
    login(client, world.people["peer_reviewer"])
    url = f"/api/v1/versions/{world.version.pk}/peer-reviews"
    response = _send(client, "POST", url, {"section_feedback": {"wonen-en-welzijn": "Concreet."}, "summary": ""})
    assert response.status_code == 201
    body = response.json()
    assert (body["section_feedback"], body["submitted_at"], body["organisation"]["id"]) == (
        {"wonen-en-welzijn": "Concreet."}, None, world.peer_organisation.pk)

    response = _send(client, "POST", url, {"section_feedback": {"wonen-en-welzijn": "Concreet.", "veiligheid": ""},
                                           "summary": "Een helder plan.", "submit": True})
    assert response.status_code == 200
    body = response.json()
    assert body["submitted_at"] and body["summary"] == "Een helder plan."
    assert body["section_feedback"] == {"wonen-en-welzijn": "Concreet."}
    assert PeerReview.objects.get().is_submitted


def test_submitted_feedback_cannot_change(world, client):
    services.save_peer_review(version=world.version, by=world.people["peer_reviewer"], section_feedback={},
                              summary="Klaar.", submit=True)
    login(client, world.people["peer_reviewer"])
    response = _send(client, "POST", f"/api/v1/versions/{world.version.pk}/peer-reviews", {"summary": "Toch anders."})
    assert response.status_code == 400
    assert _fields(response) == {"body.summary"}
    assert PeerReview.objects.get().summary == "Klaar."


def test_bad_feedback_names_the_field(world, client):
    login(client, world.people["peer_reviewer"])
    url = f"/api/v1/versions/{world.version.pk}/peer-reviews"
    response = _send(client, "POST", url, {"section_feedback": {"bestaat-niet": "x"}, "summary": "x"})
    assert (response.status_code, _fields(response)) == (400, {"body.section_feedback"})
    response = _send(client, "POST", url, {"summary": " ", "submit": True})
    assert (response.status_code, _fields(response)) == (400, {"body.summary"})
    response = _send(client, "POST", url, {"section_feedback": ["lijst"], "summary": "x"})
    assert response.status_code == 422
    assert any("section_feedback" in f for f in _fields(response))
    assert not PeerReview.objects.exists()


def test_only_invited_peers_review(world, client):
    url = f"/api/v1/versions/{world.version.pk}/peer-reviews"
    data = {"summary": "Goed."}
    login(client, world.people["quality"])  # reads the version, is not a peer
    assert _send(client, "POST", url, data).status_code == 403
    login(client, world.people["uninvited_peer"])
    assert _send(client, "POST", url, data).status_code == 404
    login(client, world.people["peer_reviewer"])  # invited for the second version, not the first
    assert _send(client, "POST", f"/api/v1/versions/{world.first_version.pk}/peer-reviews", data).status_code == 404
    assert not PeerReview.objects.exists()


def test_the_openapi_schema_documents_the_participation_routes():
    paths = api.get_openapi_schema()["paths"]
    for path, method in [("/api/v1/plans/{plan_id}/comments", "get"),
                         ("/api/v1/versions/{version_id}/comments", "post"),
                         ("/api/v1/comments/{comment_id}/answer", "post"),
                         ("/api/v1/plans/{plan_id}/peer-review-invitations", "post"),
                         ("/api/v1/versions/{version_id}/peer-reviews", "post")]:
        assert paths[path][method]["summary"], path
    assert "CommentIn" in json.dumps(paths["/api/v1/versions/{version_id}/comments"])
