import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.api import api
from samenplan.consent import services
from samenplan.consent.models import Adoption, ConsentDecision, ConsentRequest
from samenplan.core.tests.world import login
from samenplan.organisations.models import Council
from samenplan.organisations.tests.factories import CouncilFactory, LocationFactory
from samenplan.plans import services as plan_services
from samenplan.plans.models import QualityPlan

from .helpers import complete_plan, reviewed_by_two_peers

pytestmark = pytest.mark.shared_world

TODAY = timezone.localdate

# What the checker finds blocking in the world's plan: its contents are incomplete, the councils
# have not decided and no peer has reviewed it.
INCOMPLETE_PLAN = {"consent-pending", "improvement-paragraph-missing", "peer-reviews-missing",
                   "profile-care-intensity-missing", "profile-care-types-missing", "profile-target-groups-missing",
                   "section-empty", "staffing-missing", "summary-missing"}
INCOMPLETE_CONTENTS = INCOMPLETE_PLAN - {"consent-pending", "peer-reviews-missing"}


def _send(client, method, url, data):
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def _codes(response) -> list[str]:
    return sorted(f["code"] for f in response.json()["findings"])


def _var_secretary(world):
    user = UserFactory(username="var_secretary")
    add_membership(user=user, role=Role.COUNCIL_SECRETARY, council=world.nursing_council)
    return user


def _granted(**extra) -> dict:
    return {"decision": "granted", "meeting_date": TODAY().isoformat(), **extra}


def _frozen_complete_plan(world):
    complete_plan(world.plan, world.people["quality"])
    return plan_services.freeze_version(plan=world.plan, by=world.people["quality"], note="Compleet")


def _decide(client, user, request_id, data):
    login(client, user)
    return _send(client, "POST", f"/api/v1/consent-requests/{request_id}/decision", data)


# --- Listing the requests ---------------------------------------------------------------------


def test_plan_readers_list_every_request_with_council_version_and_decision(world, client):
    login(client, world.people["location_manager"])
    response = client.get(f"/api/v1/plans/{world.plan.pk}/consent-requests")
    assert response.status_code == 200
    body = response.json()
    assert [r["council"]["name"] for r in body] == ["Centrale cliëntenraad", "VAR"]
    assert body[0] == {
        "id": world.consent_request.pk,
        "council": {"id": world.client_council.pk, "name": "Centrale cliëntenraad", "kind": "client_council"},
        "version": {"id": world.version.pk, "number": 2, "sha256": world.version.sha256},
        "respond_by": world.consent_request.respond_by.isoformat(), "stands_in_for_nursing_council": False,
        "decision": None, "stale": False,
    }


def test_council_members_list_their_own_councils_requests(world, client):
    for persona, councils in [("council_member", ["Centrale cliëntenraad"]), ("works_council_member", [])]:
        login(client, world.people[persona])
        response = client.get(f"/api/v1/plans/{world.plan.pk}/consent-requests")
        assert response.status_code == 200
        assert [r["council"]["name"] for r in response.json()] == councils


def test_peers_and_other_organisations_get_404_for_the_requests(world, client):
    for persona in ("peer_reviewer", "uninvited_peer", "outsider", "care_office"):
        login(client, world.people[persona])
        assert client.get(f"/api/v1/plans/{world.plan.pk}/consent-requests").status_code == 404, persona


def test_listing_requests_takes_the_same_queries_for_more_councils_and_decisions(world, client):
    secretary = world.people["council_secretary"]

    def decide(request):
        services.record_consent_decision(
            request=request, by=secretary, decision="granted_with_conditions", meeting_date=TODAY(),
            conditions=[{"text": "Meer uitjes", "owner": "Team"}, {"text": "Elke week", "owner": "Team"}],
            present_ids=[secretary.pk])

    decide(world.consent_request)
    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/consent-requests"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        location = LocationFactory(organisation=world.organisation, name=f"Locatie {n}")
        council = CouncilFactory(organisation=world.organisation, kind=Council.Kind.CLIENT_COUNCIL, location=location,
                                 name=f"Lokale raad {n}")
        add_membership(user=secretary, role=Role.COUNCIL_SECRETARY, council=council)
        decide(ConsentRequest.objects.create(plan=world.plan, version=world.version, council=council,
                                             respond_by=TODAY() + datetime.timedelta(days=30),
                                             requested_by=world.people["quality"]))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == 5
    assert len(many) == len(few)


# --- Recording a decision ---------------------------------------------------------------------


def test_the_secretary_records_a_decision_with_conditions(world, client):
    secretary, member = world.people["council_secretary"], world.people["council_member"]
    response = _decide(client, secretary, world.consent_request.pk, {
        "decision": "granted_with_conditions", "meeting_date": TODAY().isoformat(), "reasons": "Goed plan.",
        "conditions": [{"text": "Elke dag naar buiten", "owner": "Teamleider De Linde"}],
        "present_ids": [secretary.pk, member.pk]})
    assert response.status_code == 201
    body = response.json()
    decision = body["decision"]
    assert (decision["decision"], decision["meeting_date"], decision["reasons"], decision["version_sha256"]) == (
        "granted_with_conditions", TODAY().isoformat(), "Goed plan.", world.version.sha256)
    assert [(c["text"], c["owner"], c["status"]) for c in decision["conditions"]] == [
        ("Elke dag naar buiten", "Teamleider De Linde", "open")]
    assert body["stale"] is False
    assert set(ConsentDecision.objects.get().present.all()) == {secretary, member}


def test_a_decision_turns_stale_after_any_change_of_the_plan(world, client):
    assert _decide(client, world.people["council_secretary"], world.consent_request.pk, _granted()).status_code == 201
    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/consent-requests"
    stale = {r["id"]: r["stale"] for r in client.get(url).json()}
    assert stale == {world.consent_request.pk: False, world.nursing_consent_request.pk: False}

    section = world.plan.sections.get(key="veiligheid")
    plan_services.update_section(plan=world.plan, key="veiligheid", body="Eén zin erbij.",
                                 base_revision=section.revision, by=world.people["quality"])
    stale = {r["id"]: r["stale"] for r in client.get(url).json()}
    # Without a decision there is nothing to go stale.
    assert stale == {world.consent_request.pk: True, world.nursing_consent_request.pk: False}


def test_a_second_decision_on_a_request_gets_409(world, client):
    secretary = world.people["council_secretary"]
    assert _decide(client, secretary, world.consent_request.pk, _granted()).status_code == 201
    response = _decide(client, secretary, world.consent_request.pk,
                       {"decision": "refused", "meeting_date": TODAY().isoformat(), "reasons": "Toch niet."})
    assert response.status_code == 409
    assert response.json()["message"]
    assert response.json()["decision"]["decision"] == "granted"
    assert ConsentDecision.objects.get().decision == "granted"


def test_a_bad_decision_names_the_field(world, client):
    secretary = world.people["council_secretary"]
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    for data, field in [
        (_granted(decision="granted_with_conditions"), "body.conditions"),
        (_granted(decision="granted_with_conditions", conditions=[{"text": "Iets", "owner": " "}]), "body.conditions"),
        (_granted(conditions=[{"text": "Iets", "owner": "Iemand"}]), "body.conditions"),
        (_granted(decision="refused"), "body.reasons"),
        (_granted(meeting_date=tomorrow), "body.meeting_date"),
        (_granted(present_ids=[world.people["outsider"].pk]), "body.present_ids"),
    ]:
        response = _decide(client, secretary, world.consent_request.pk, data)
        assert (response.status_code, _fields(response)) == (400, {field}), data
    for data, field in [({"decision": "granted"}, "meeting_date"), (_granted(decision="ja"), "decision"),
                        (_granted(meeting_date="gisteren"), "meeting_date")]:
        response = _decide(client, secretary, world.consent_request.pk, data)
        assert response.status_code == 422
        assert any(f.endswith(field) for f in _fields(response)), data
    assert not ConsentDecision.objects.exists()


def test_only_the_councils_secretary_records_its_decision(world, client):
    for persona, status in [("council_member", 403), ("quality", 403), ("works_council_member", 404),
                            ("outsider", 404)]:
        assert _decide(client, world.people[persona], world.consent_request.pk, _granted()).status_code == status
    # The client council's secretary does not decide for the VAR.
    secretary = world.people["council_secretary"]
    assert _decide(client, secretary, world.nursing_consent_request.pk, _granted()).status_code == 404
    assert not ConsentDecision.objects.exists()


def test_a_refusal_sends_the_plan_back_to_draft(world, client):
    _frozen_complete_plan(world)
    login(client, world.people["quality"])
    requests = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/consent-requests", {}).json()
    var_request = next(r for r in requests if r["council"]["kind"] == "nursing_council")
    response = _decide(client, _var_secretary(world), var_request["id"],
                       _granted(decision="refused", reasons="De personeelsinzet klopt niet."))
    assert response.status_code == 201
    world.plan.refresh_from_db()
    assert world.plan.status == QualityPlan.Status.DRAFT


# --- Asking for consent -----------------------------------------------------------------------


def test_consent_is_asked_for_the_latest_version_of_a_complete_plan(world, client):
    version = _frozen_complete_plan(world)
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/consent-requests", {})
    assert response.status_code == 201
    body = response.json()
    assert [(r["council"]["name"], r["version"]["sha256"], r["decision"]) for r in body] == [
        ("Centrale cliëntenraad", version.sha256, None), ("VAR", version.sha256, None)]
    assert {r["respond_by"] for r in body} == {(TODAY() + services.DEFAULT_RESPONSE_TIME).isoformat()}
    world.plan.refresh_from_db()
    assert world.plan.status == QualityPlan.Status.CONSENT


def test_the_works_council_can_be_asked_too_with_a_response_date(world, client):
    _frozen_complete_plan(world)
    login(client, world.people["board"])
    respond_by = (TODAY() + datetime.timedelta(days=30)).isoformat()
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/consent-requests",
                     {"respond_by": respond_by, "include_works_council": True})
    assert response.status_code == 201
    assert sorted((r["council"]["name"], r["respond_by"]) for r in response.json()) == [
        ("Centrale cliëntenraad", respond_by), ("OR", respond_by), ("VAR", respond_by)]


def test_consent_is_not_asked_for_an_incomplete_plan(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/consent-requests", {})
    assert response.status_code == 409
    body = response.json()
    assert body["message"]
    assert set(_codes(response)) == INCOMPLETE_CONTENTS
    assert all(f["severity"] == "block" and f["url"].startswith("/") for f in body["findings"])
    assert ConsentRequest.objects.count() == 2
    world.plan.refresh_from_db()
    assert world.plan.status == QualityPlan.Status.DRAFT


def test_a_response_date_must_lie_ahead(world, client):
    _frozen_complete_plan(world)
    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/consent-requests"
    response = _send(client, "POST", url, {"respond_by": TODAY().isoformat()})
    assert (response.status_code, _fields(response)) == (400, {"body.respond_by"})
    response = _send(client, "POST", url, {"respond_by": "over zes weken"})
    assert response.status_code == 422
    assert any(f.endswith("respond_by") for f in _fields(response))
    assert ConsentRequest.objects.count() == 2


def test_only_the_plan_authors_ask_for_consent(world, client):
    _frozen_complete_plan(world)
    url = f"/api/v1/plans/{world.plan.pk}/consent-requests"
    login(client, world.people["location_manager"])
    assert _send(client, "POST", url, {}).status_code == 403
    login(client, world.people["council_member"])
    assert _send(client, "POST", url, {}).status_code == 404
    assert ConsentRequest.objects.count() == 2


# --- Moving the plan along --------------------------------------------------------------------


def test_a_draft_goes_to_peer_review(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/transition", {"to": "peer_review"})
    assert response.status_code == 200
    assert response.json() == {"id": world.plan.pk, "organisation_id": world.organisation.pk, "year": 2027,
                               "status": "peer_review", "framework_id": world.plan.framework_id,
                               "framework": str(world.plan.framework)}


def test_adopting_an_incomplete_plan_lists_every_blocking_finding(world, client):
    login(client, world.people["board"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/transition", {"to": "adopted"})
    assert response.status_code == 409
    assert set(_codes(response)) == INCOMPLETE_PLAN
    world.plan.refresh_from_db()
    assert world.plan.status == QualityPlan.Status.DRAFT


def test_adopting_without_consent_round_or_peer_reviews_names_exactly_those(world, client):
    _frozen_complete_plan(world)
    ConsentRequest.objects.filter(plan=world.plan).delete()
    login(client, world.people["board"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/transition", {"to": "adopted"})
    assert response.status_code == 409
    assert _codes(response) == ["consent-not-requested", "consent-not-requested", "peer-reviews-missing"]
    targets = {f["target"]["key"] for f in response.json()["findings"] if f["code"] == "consent-not-requested"}
    assert targets == {str(world.client_council.pk), str(world.nursing_council.pk)}


def test_the_whole_way_to_adoption(world, client):
    version = _frozen_complete_plan(world)
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/transition", {"to": "consent"})
    assert (response.status_code, response.json()["status"]) == (200, "consent")
    requests = {r.council_id: r.pk for r in ConsentRequest.objects.filter(version=version)}
    assert _decide(client, world.people["council_secretary"], requests[world.client_council.pk],
                   _granted()).status_code == 201
    assert _decide(client, _var_secretary(world), requests[world.nursing_council.pk], _granted()).status_code == 201

    login(client, world.people["board"])
    url = f"/api/v1/plans/{world.plan.pk}/transition"
    response = _send(client, "POST", url, {"to": "adopted"})
    assert (response.status_code, _codes(response)) == (409, ["peer-reviews-missing"])

    reviewed_by_two_peers(world, version)
    login(client, world.people["board"])
    response = _send(client, "POST", url, {"to": "adopted", "note": "Vastgesteld in de vergadering."})
    assert (response.status_code, response.json()["status"]) == (200, "adopted")
    assert Adoption.objects.get().version == version


def test_an_unknown_phase_is_refused_with_the_field(world, client):
    login(client, world.people["quality"])
    response = _send(client, "POST", f"/api/v1/plans/{world.plan.pk}/transition", {"to": "klaar"})
    assert response.status_code == 422
    assert any(f.endswith(".to") for f in _fields(response))


def test_only_the_board_adopts_and_only_authors_move_the_plan(world, client):
    url = f"/api/v1/plans/{world.plan.pk}/transition"
    for persona, to, status in [("quality", "adopted", 403), ("location_manager", "peer_review", 403),
                                ("council_member", "peer_review", 404), ("outsider", "peer_review", 404)]:
        login(client, world.people[persona])
        response = _send(client, "POST", url, {"to": to})
        assert response.status_code == status, persona
        assert response.json()["message"]
    world.plan.refresh_from_db()
    assert world.plan.status == QualityPlan.Status.DRAFT


def test_the_openapi_schema_documents_the_consent_routes():
    paths = api.get_openapi_schema()["paths"]
    for path, method in [("/api/v1/plans/{plan_id}/consent-requests", "get"),
                         ("/api/v1/plans/{plan_id}/consent-requests", "post"),
                         ("/api/v1/consent-requests/{request_id}/decision", "post"),
                         ("/api/v1/plans/{plan_id}/transition", "post")]:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"], path
    assert 409 in paths["/api/v1/plans/{plan_id}/transition"]["post"]["responses"]
    assert 409 in paths["/api/v1/consent-requests/{request_id}/decision"]["post"]["responses"]
