"""The dialogue over the JSON API: the same steps as the pages, 4xx naming the field, no names."""

import json

import pytest
from django.utils import timezone

from samenplan.careoffice.models import DialogueSession
from samenplan.core.tests.world import login

from .dialogue_helpers import agreement_row, in_days, quickly_submitted, session_rows

pytestmark = pytest.mark.shared_world


def _send(client, method, url, data):
    return client.generic(method, url, json.dumps(data, default=str), content_type="application/json")


def test_the_care_office_proposes_a_session_and_the_organisation_picks_the_date(world, client):
    submission = quickly_submitted(world)
    login(client, world.people["care_office"])
    response = _send(client, "POST", "/api/v1/dialogue-sessions", {
        "plan_id": submission.plan_id, "proposed_dates": [in_days(9).isoformat(), in_days(10).isoformat()],
        "place": "https://video.example/zaal", "invite_board": True,
        "invite_council_ids": [world.client_council.pk]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [f["code"] for f in body["findings"]] == ["dialogue-nursing-council-not-invited"]
    session_id = body["id"]
    response = _send(client, "PATCH", f"/api/v1/dialogue-sessions/{session_id}",
                     {"invite_council_ids": [world.nursing_council.pk]})
    assert response.json()["findings"] == []
    client.logout()
    login(client, world.people["quality"])
    date_id = body["proposed_dates"][0]["id"]
    response = _send(client, "PATCH", f"/api/v1/dialogue-sessions/{session_id}", {"proposed_date_id": date_id})
    assert response.status_code == 200 and response.json()["status"] == "planned"


def test_a_session_for_a_plan_not_submitted_answers_409(world, client):
    login(client, world.people["care_office"])
    response = _send(client, "POST", "/api/v1/dialogue-sessions",
                     {"plan_id": world.plan.pk, "proposed_dates": [in_days(9).isoformat()], "place": "Kantoor"})
    assert response.status_code == 409 and response.json()["message"]


def test_held_without_a_required_party_answers_400_naming_the_reason(world, client):
    session = session_rows(world)
    parties = {p.party: p.pk for p in session.participants.all()}
    login(client, world.people["care_office"])
    attendance = [{"participant_id": pk, "attended": party != "nursing_council"} for party, pk in parties.items()]
    url = f"/api/v1/dialogue-sessions/{session.pk}"
    response = _send(client, "PATCH", url, {"held_on": timezone.localdate().isoformat(), "attendance": attendance})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["body.missing_party_reason"]
    response = _send(client, "PATCH", url, {"held_on": timezone.localdate().isoformat(), "attendance": attendance,
                                            "missing_party_reason": "De VAR was verhinderd."})
    assert response.status_code == 200
    assert response.json()["status"] == "held"


def test_another_place_on_its_own_keeps_the_date_and_tells_those_invited(world, client):
    from samenplan.notifications.models import Notification

    session = session_rows(world)
    login(client, world.people["care_office"])
    url = f"/api/v1/dialogue-sessions/{session.pk}"
    response = _send(client, "PATCH", url, {"place": "Zaal 2, Stationsplein 1"})
    assert response.status_code == 200, response.content
    session.refresh_from_db()
    assert session.place == "Zaal 2, Stationsplein 1" and session.status == "planned"
    assert session.starts_at == in_days(7)
    assert Notification.objects.filter(recipient=world.people["council_member"], subject__contains="andere plek").exists()
    response = _send(client, "PATCH", url, {"place": "  "})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["body.place"]


def test_another_place_for_a_held_session_answers_409(world, client):
    session = session_rows(world, status=DialogueSession.Status.HELD)
    login(client, world.people["care_office"])
    response = _send(client, "PATCH", f"/api/v1/dialogue-sessions/{session.pk}", {"place": "Zaal 3"})
    assert response.status_code == 409 and response.json()["message"]


def test_agreements_are_recorded_and_tracked_over_the_api(world, client):
    session = session_rows(world, DialogueSession.Status.HELD)
    login(client, world.people["care_office"])
    response = _send(client, "POST", f"/api/v1/dialogue-sessions/{session.pk}/agreements",
                     {"title": "", "owner": "Teamleider"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"body.title", "body.due_date"}
    response = _send(client, "POST", f"/api/v1/dialogue-sessions/{session.pk}/agreements",
                     {"title": "Elke dag naar buiten", "owner": "Teamleider", "due_date": "2030-01-31"})
    assert response.status_code == 201
    agreement_id = response.json()["id"]
    assert _send(client, "PATCH", f"/api/v1/agreements/{agreement_id}", {"status": "done"}).status_code == 403
    client.logout()
    login(client, world.people["quality"])
    response = _send(client, "PATCH", f"/api/v1/agreements/{agreement_id}",
                     {"status": "in_progress", "status_note": "Begonnen."})
    assert response.status_code == 200 and response.json()["status"] == "in_progress"


def test_the_session_answer_names_no_person(world, client):
    session = session_rows(world, DialogueSession.Status.HELD)
    agreement_row(world, session)
    login(client, world.people["care_office"])
    text = client.get(f"/api/v1/dialogue-sessions/{session.pk}").content.decode()
    for user in world.people.values():
        assert user.get_full_name() and user.get_full_name() not in text
        assert user.email not in text


@pytest.mark.parametrize("persona", ["other_care_office", "outsider"])
def test_another_care_office_or_organisation_gets_404(world, client, persona):
    session = session_rows(world, DialogueSession.Status.HELD)
    agreement = agreement_row(world, session)
    login(client, world.people[persona])
    assert client.get(f"/api/v1/dialogue-sessions/{session.pk}").status_code == 404
    assert _send(client, "PATCH", f"/api/v1/dialogue-sessions/{session.pk}", {"minutes": "x"}).status_code == 404
    assert _send(client, "PATCH", f"/api/v1/agreements/{agreement.pk}", {"status": "done"}).status_code == 404
    assert _send(client, "POST", f"/api/v1/dialogue-sessions/{session.pk}/agreements",
                 {"title": "x", "owner": "y", "due_date": "2030-01-01"}).status_code == 404


def test_an_id_beyond_the_databases_range_is_a_400_naming_the_field(world, client):
    session = session_rows(world)
    login(client, world.people["care_office"])
    response = _send(client, "PATCH", f"/api/v1/dialogue-sessions/{session.pk}", {"invite_council_ids": [2**63 + 5]})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "body.invite_council_ids",
                                          "message": "Kies alleen raden van deze organisatie."}]
    assert _send(client, "PATCH", f"/api/v1/dialogue-sessions/{2**63 + 5}", {}).status_code == 404
