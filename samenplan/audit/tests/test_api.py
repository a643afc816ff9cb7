import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samenplan.api import api
from samenplan.audit.models import AuditEvent
from samenplan.core.tests.world import login
from samenplan.participation import services
from samenplan.plans import services as plan_services

pytestmark = pytest.mark.shared_world


def test_the_audit_trail_of_a_plan_comes_oldest_first_with_its_hashes(world, client):
    login(client, world.people["quality"])
    response = client.get(f"/api/v1/plans/{world.plan.pk}/audit")
    assert response.status_code == 200
    events = response.json()
    assert [e["sequence"] for e in events] == sorted(e["sequence"] for e in events)
    assert events[0]["kind"] == "plan_created"
    assert {"version_frozen", "comment_added", "peer_review_invited"} <= {e["kind"] for e in events}
    stored = {e.sequence: e for e in AuditEvent.objects.filter(plan_id=world.plan.pk)}
    assert len(events) == len(stored)
    for event in events:
        kept = stored[event["sequence"]]
        assert (event["sha256"], event["previous_sha256"]) == (kept.compute_sha256(), kept.previous_sha256)
    frozen = next(e for e in events if e["kind"] == "version_frozen" and e["version_id"] == world.version.pk)
    assert frozen["version_sha256"] == world.version.sha256
    assert frozen["actor_name"] == str(world.people["quality"])
    assert frozen["label"] and str(world.people["quality"]) in frozen["sentence"]


def test_the_audit_trail_takes_the_same_queries_for_more_events(world, client):
    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/audit"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        before = len(client.get(url).json())
    for n in range(5):
        services.add_comment(version=world.version, by=world.people["council_member"], section_key="veiligheid",
                             body=f"Vraag {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == before + 5
    assert len(many) == len(few)


def test_only_this_plans_events_are_listed(world, client):
    other_plan = plan_services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                           by=world.people["quality"])
    login(client, world.people["board"])
    events = client.get(f"/api/v1/plans/{other_plan.pk}/audit").json()
    assert [e["kind"] for e in events] == ["plan_created"]


def test_council_members_read_the_audit_trail(world, client):
    for persona in ("council_member", "works_council_member", "location_manager", "platform_admin"):
        login(client, world.people[persona])
        assert client.get(f"/api/v1/plans/{world.plan.pk}/audit").status_code == 200, persona


def test_peers_and_other_organisations_get_404(world, client):
    for persona in ("peer_reviewer", "uninvited_peer", "outsider", "care_office"):
        login(client, world.people[persona])
        response = client.get(f"/api/v1/plans/{world.plan.pk}/audit")
        assert response.status_code == 404, persona
        assert response.json()["message"]
    login(client, world.people["quality"])
    assert client.get("/api/v1/plans/987654/audit").status_code == 404
    response = client.get("/api/v1/plans/tijdlijn/audit")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.plan_id"


def test_an_anonymous_caller_gets_401(world, client):
    assert client.get(f"/api/v1/plans/{world.plan.pk}/audit").status_code == 401


def test_the_openapi_schema_documents_the_audit_route():
    operation = api.get_openapi_schema()["paths"]["/api/v1/plans/{plan_id}/audit"]["get"]
    assert operation["summary"] and operation["description"]
