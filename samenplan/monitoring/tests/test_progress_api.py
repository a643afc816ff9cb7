"""POST /api/v1/actions/{id}/progress and GET /api/v1/plans/{id}/quarterly-report."""

import pytest

from samenplan.core.tests.world import login
from samenplan.monitoring import services
from samenplan.monitoring.models import ActionProgress

from .matrix_progress_cases import follow_plan

pytestmark = pytest.mark.shared_world


def _post(client, world, **data):
    body = {"quarter": f"{world.plan.year}-Q2", "status": "on_track", "explanation": "Het loopt.", **data}
    return client.post(f"/api/v1/actions/{world.action.pk}/progress", body, content_type="application/json")


def test_it_records_progress(world, client):
    follow_plan(world)
    login(client, world.people["location_manager"])
    response = _post(client, world, figure="3 van 5", story="Iedereen at mee.")
    assert response.status_code == 201
    body = response.json()
    assert (body["quarter"], body["status"], body["status_label"], body["figure"]) == (
        f"{world.plan.year}-Q2", "on_track", "Op schema", "3 van 5")
    assert ActionProgress.objects.get().story == "Iedereen at mee."


def test_a_plan_not_carried_out_is_a_400_with_a_message(world, client):
    login(client, world.people["quality"])
    response = _post(client, world)
    assert response.status_code == 400
    assert "nog niet vastgesteld" in response.json()["errors"][0]["message"]


def test_an_empty_explanation_is_a_400_naming_the_field(world, client):
    follow_plan(world)
    login(client, world.people["quality"])
    response = _post(client, world, explanation="  ")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body.explanation"


def test_a_wrong_status_or_quarter_is_a_422_naming_the_field(world, client):
    follow_plan(world)
    login(client, world.people["quality"])
    response = _post(client, world, status="great", quarter="soon")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"body.data.status", "body.data.quarter"}


def test_a_council_member_gets_403_and_an_outsider_404(world, client):
    follow_plan(world)
    login(client, world.people["council_member"])
    assert _post(client, world).status_code == 403
    client.logout()
    login(client, world.people["outsider"])
    assert _post(client, world).status_code == 404


def test_the_quarterly_report(world, client):
    follow_plan(world)
    services.record_progress(action=world.action, by=world.people["quality"], quarter=f"{world.plan.year}-Q1",
                             status="on_track", explanation="Begonnen.")
    services.record_progress(action=world.action, by=world.people["quality"], quarter=f"{world.plan.year}-Q2",
                             status="delayed", explanation="Keuken dicht.")
    services.comment_on_quarterly_report(plan=world.plan, by=world.people["council_member"],
                                         quarter=f"{world.plan.year}-Q2", body="Jammer van de keuken.")
    login(client, world.people["council_secretary"])
    response = client.get(f"/api/v1/plans/{world.plan.pk}/quarterly-report?quarter={world.plan.year}-Q2")
    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["delayed"] == 1 and body["previous_quarter"] == f"{world.plan.year}-Q1"
    (location,) = body["locations"]
    (action,) = location["actions"]
    assert (action["progress"]["status"], action["previous_status"]) == ("delayed", "on_track")
    assert {item["kind"] for item in body["tracked"]} == {"action", "top_point"}
    assert [c["body"] for c in body["comments"]] == ["Jammer van de keuken."]


def test_a_quarter_of_another_year_is_a_400(world, client):
    follow_plan(world)
    login(client, world.people["quality"])
    response = client.get(f"/api/v1/plans/{world.plan.pk}/quarterly-report?quarter=2001-Q1")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body.quarter"


def test_the_api_is_documented():
    from samenplan.api import api

    paths = api.get_openapi_schema()["paths"]
    post = paths["/api/v1/actions/{action_id}/progress"]["post"]
    assert post["description"] and "201" in {str(code) for code in post["responses"]}
    assert "/api/v1/plans/{plan_id}/quarterly-report" in paths
