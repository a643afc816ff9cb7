import json

import pytest

from samenplan.core.tests.world import login
from samenplan.plans.models import ImprovementAction, QualityPlan

pytestmark = pytest.mark.shared_world


def _send(client, method, url, data):
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def test_a_plan_is_created_from_last_years(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", "/api/v1/plans", {"organisation_id": world.organisation.pk, "year": 2028,
                                                       "framework_id": world.plan.framework_id})
    assert response.status_code == 201
    body = response.json()
    plan = QualityPlan.objects.get(pk=body["id"])
    assert plan.previous == world.plan
    assert {s["key"] for s in body["sections"]} >= {"veiligheid", "profiel"}
    assert body["content"]["improvement_paragraphs"][0]["actions"][0]["carried_over_from"]["year"] == 2027


def test_validation_errors_name_the_field(world, client):
    login(client, world.people["quality"])
    response = _send(client, "PUT", f"/api/v1/plans/{world.plan.pk}/staffing",
                     {"rows": [{"location_id": world.location.pk, "level3_fte": "-2"}]})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "body.data.rows.0.level3_fte" in fields or any(f.endswith("rows.0.level3_fte") for f in fields)

    response = _send(client, "PUT", f"/api/v1/plans/{world.plan.pk}/improvement-paragraphs/{world.location.pk}",
                     {"body": "", "actions": [{"title": "Iets", "due_quarter": "Q2 2027"}]})
    assert response.status_code == 422
    assert any(e["field"].endswith("actions.0.due_quarter") for e in response.json()["errors"])


def test_a_location_of_another_organisation_is_refused(world, client):
    login(client, world.people["quality"])
    response = _send(client, "PUT", f"/api/v1/plans/{world.plan.pk}/staffing",
                     {"rows": [{"location_id": world.other_location.pk, "level3_fte": "2"}]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body.rows.0.location_id"
    assert _send(client, "PUT", f"/api/v1/plans/{world.plan.pk}/improvement-paragraphs/{world.other_location.pk}",
                 {"body": ""}).status_code == 404


def test_a_theme_key_must_be_a_theme_of_the_plan(world, client):
    login(client, world.people["quality"])
    response = _send(client, "PUT", f"/api/v1/plans/{world.plan.pk}/improvement-paragraphs/{world.location.pk}",
                     {"body": "", "actions": [{"title": "Iets", "theme_key": "bestaat-niet"}]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body.theme_key"


def test_putting_actions_updates_adds_and_removes(world, client):
    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/improvement-paragraphs/{world.location.pk}"
    body = _send(client, "PUT", url, {"body": "Tekst", "actions": [
        {"id": world.action.pk, "title": "Samen koken, elke week", "owner": "Team", "due_quarter": "2027-Q3"},
        {"title": "Nieuwe actie", "status": "in_progress"}]}).json()
    assert [a["title"] for a in body["actions"]] == ["Samen koken, elke week", "Nieuwe actie"]
    assert body["actions"][0]["id"] == world.action.pk
    _send(client, "PUT", url, {"body": "Tekst", "actions": []})
    assert not ImprovementAction.objects.filter(paragraph__plan=world.plan, paragraph__location=world.location).exists()


def test_an_action_of_another_paragraph_cannot_be_taken_over(world, client):
    login(client, world.people["quality"])
    other_location = world.organisation.locations.exclude(pk=world.location.pk).first()
    response = _send(client, "PUT", f"/api/v1/plans/{world.plan.pk}/improvement-paragraphs/{other_location.pk}",
                     {"body": "", "actions": [{"id": world.action.pk, "title": "Overgenomen?"}]})
    assert response.status_code == 400
    world.action.refresh_from_db()
    assert world.action.title == "Samen koken op de afdeling"


def test_freezing_twice_answers_409_with_the_standing_version(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/versions", {"note": ""})
    assert response.status_code == 409
    assert response.json()["version"]["number"] == world.version.number


def test_a_version_and_its_diff(world, client):
    login(client, world.people["council_member"])
    version = client.get(f"/api/v1/versions/{world.version.pk}").json()
    assert version["sha256"] == world.version.sha256 and version["content"]["plan"]["year"] == 2027
    diff = client.get(f"/api/v1/versions/{world.version.pk}/diff?against={world.first_version.pk}").json()
    changed = [d for d in diff if d["changed"]]
    assert changed and all(d["key"].startswith("paragraph-") for d in changed)
    assert client.get(f"/api/v1/plans/{world.plan.pk}").status_code == 404  # councils read versions, not drafts
