"""The submission and the care office's region over the JSON API."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from samenplan.consent.tests.adopted import adopt_plan_of_world
from samenplan.core.tests.world import login

from .helpers import submit_plan_of_world
from .region import grow_region, set_deadline

pytestmark = pytest.mark.shared_world


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_a_plan_that_is_not_adopted_answers_409_with_the_findings(world, client):
    login(client, world.people["board"])
    response = _post(client, f"/api/v1/plans/{world.plan.pk}/submissions")
    assert response.status_code == 409
    body = response.json()
    assert any(f["rule"] == "R17" and f["code"] == "not-adopted" for f in body["findings"])
    assert body["message"]


def test_the_board_submits_and_the_hash_is_the_adopted_one(world, client):
    adoption = adopt_plan_of_world(world)
    login(client, world.people["board"])
    response = _post(client, f"/api/v1/plans/{world.plan.pk}/submissions", {"note": "Voor u"})
    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == adoption.version.sha256
    assert body["status"] == "submitted" and body["care_office"] == "Zorgkantoor Rivierenland"
    assert {c["council"] for c in body["evidence"]["consent"]} == {"Centrale cliëntenraad", "VAR"}


def test_the_plain_transition_route_cannot_submit(world, client):
    adopt_plan_of_world(world)
    login(client, world.people["board"])
    response = _post(client, f"/api/v1/plans/{world.plan.pk}/transition", {"to": "submitted"})
    assert response.status_code == 409
    world.plan.refresh_from_db()
    assert world.plan.status == "adopted"


def test_the_history_shows_withdrawn_and_replaced_submissions(world, client):
    first = submit_plan_of_world(world)
    login(client, world.people["board"])
    response = _post(client, f"/api/v1/submissions/{first.pk}/withdraw", {"reason": ""})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body.reason"
    assert _post(client, f"/api/v1/submissions/{first.pk}/withdraw", {"reason": "Fout"}).status_code == 200
    assert _post(client, f"/api/v1/submissions/{first.pk}/withdraw", {"reason": "Fout"}).status_code == 409
    second = submit_plan_of_world(world)  # the same version, submitted again
    third = submit_plan_of_world(world)  # a revision, adopted and submitted
    history = client.get(f"/api/v1/plans/{world.plan.pk}/submissions").json()
    assert [(h["id"], h["status"]) for h in history] == [
        (third.pk, "submitted"), (second.pk, "replaced"), (first.pk, "withdrawn")]
    assert history[0]["replaces_id"] == second.pk
    login(client, world.people["care_office"])
    assert len(client.get(f"/api/v1/plans/{world.plan.pk}/submissions").json()) == 3


def test_a_correction_needs_a_reason(world, client):
    submission = submit_plan_of_world(world)
    login(client, world.people["care_office"])
    response = _post(client, f"/api/v1/submissions/{submission.pk}/correction", {"reason": " "})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "body.reason", "message": "Schrijf op wat de organisatie moet "
                                                                              "verbeteren."}]
    response = _post(client, f"/api/v1/submissions/{submission.pk}/correction", {"reason": "Begroting ontbreekt"})
    assert response.status_code == 200
    assert response.json()["status"] == "correction_requested"


def test_acknowledging_twice_is_a_conflict(world, client):
    submission = submit_plan_of_world(world)
    login(client, world.people["care_office"])
    assert _post(client, f"/api/v1/submissions/{submission.pk}/acknowledge").status_code == 200
    assert _post(client, f"/api/v1/submissions/{submission.pk}/acknowledge").status_code == 409


def test_another_care_office_gets_404_for_a_submission(world, client):
    submission = submit_plan_of_world(world)
    login(client, world.people["other_care_office"])
    assert _post(client, f"/api/v1/submissions/{submission.pk}/acknowledge").status_code == 404
    assert client.get(f"/api/v1/plans/{world.plan.pk}/submissions").status_code == 404


def test_the_region_list_is_scoped_to_the_callers_care_office(world, client):
    year = timezone.localdate().year
    grow_region(world, 6, year=year)
    set_deadline(world, year, timezone.localdate() - timedelta(days=1))
    login(client, world.people["care_office"])
    (region,) = client.get(f"/api/v1/careoffice/plans?year={year}").json()
    names = {p["organisation"]: p for p in region["plans"]}
    assert "Zorgcentrum Elders" not in names
    assert names["Regio-organisatie 003 adopted"]["late"] is True
    assert names["Regio-organisatie 004 submitted"]["late"] is False
    assert names["Regio-organisatie 005 dialogue"]["state"] == "in_dialogue"
    login(client, world.people["other_care_office"])
    (other,) = client.get(f"/api/v1/careoffice/plans?year={year}").json()
    assert [p["organisation"] for p in other["plans"]] == ["Zorgcentrum Elders"]


@pytest.mark.parametrize("persona", ["board", "quality", "council_member", "peer_reviewer", "outsider",
                                     "platform_admin"])
def test_organisation_users_get_403_from_the_region_list(world, client, persona):
    login(client, world.people[persona])
    response = client.get("/api/v1/careoffice/plans")
    assert response.status_code == 403
    assert response.json()["message"]


def test_a_wrong_year_is_a_4xx_naming_the_field(world, client):
    login(client, world.people["care_office"])
    response = client.get("/api/v1/careoffice/plans?year=abc")
    assert response.status_code == 422
    assert "year" in json.dumps(response.json()["errors"])


def test_the_routes_are_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, method in [("/api/v1/plans/{plan_id}/submissions", "post"), ("/api/v1/careoffice/plans", "get"),
                         ("/api/v1/submissions/{submission_id}/correction", "post")]:
        operation = schema["paths"][path][method]
        assert operation["summary"] and operation["description"]
