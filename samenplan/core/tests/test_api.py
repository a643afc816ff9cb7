import pytest

from samenplan.core.tests.world import login

pytestmark = pytest.mark.shared_world


def test_the_openapi_document_lists_the_routes(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    assert "/api/v1/organisations/{organisation_id}" in schema["paths"]
    assert schema["components"]["securitySchemes"]


def test_me_lists_every_role(world, client):
    from samenplan.accounts.models import Role
    from samenplan.accounts.services import add_membership

    member = world.people["council_member"]
    add_membership(user=member, role=Role.LOCATION_MANAGER, location=world.location)
    login(client, member)
    roles = client.get("/api/v1/me").json()["roles"]
    assert {(r["role"], r["council_id"], r["location_id"]) for r in roles} == {
        ("council_member", world.client_council.pk, None), ("location_manager", None, world.location.pk)}


def test_an_organisation_with_its_locations_and_councils(world, client):
    login(client, world.people["quality"])
    body = client.get(f"/api/v1/organisations/{world.organisation.pk}").json()
    assert {loc["name"] for loc in body["locations"]} == {"De Linde", "Het Wilgenhof"}
    assert {c["kind"] for c in body["councils"]} == {"client_council", "nursing_council", "works_council"}
    client_council = next(c for c in body["councils"] if c["kind"] == "client_council")
    assert {m["role"] for m in client_council["members"]} == {"council_member", "council_secretary"}


def test_the_organisation_list_is_scoped(world, client):
    login(client, world.people["outsider"])
    names = {o["name"] for o in client.get("/api/v1/organisations").json()}
    assert names == {"Zorgcentrum Elders"}


def test_errors_are_json_with_a_field_path(world, client):
    login(client, world.people["quality"])
    response = client.get("/api/v1/organisations/niet-een-getal")
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert body["errors"][0]["field"] == "path.organisation_id"
    assert body["errors"][0]["message"] == "Geef een heel getal."
    missing = client.get("/api/v1/organisations/999999")
    assert missing.status_code == 404 and missing.json() == {"message": "Niet gevonden."}


def test_field_errors_say_in_dutch_what_is_wrong_with_the_limit_filled_in(world, client):
    from samenplan.careoffice.tests.dialogue_helpers import quickly_submitted

    submission = quickly_submitted(world)
    login(client, world.people["care_office"])
    response = client.post("/api/v1/dialogue-sessions", {
        "plan_id": submission.plan_id, "proposed_dates": ["morgen"], "place": "x" * 301,
        "invite_board": "misschien"}, content_type="application/json")
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages["body.data.place"] == "Dit is te lang: hoogstens 300 tekens."
    assert messages["body.data.invite_board"] == "Geef true of false."
    assert messages["body.data.proposed_dates.0"].startswith("Geef een datum en tijd")
