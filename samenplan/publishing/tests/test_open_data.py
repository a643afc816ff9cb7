"""Open data: the published plans as JSON without login, with ETags, a rate limit and a streamed
bulk export per year."""

import json

import pytest
from django.http import StreamingHttpResponse

from samenplan.api import api
from samenplan.plans.models import ImprovementAction
from samenplan.publishing import selectors, services

from .helpers import publish_world_plan, published_plan

pytestmark = pytest.mark.shared_world


@pytest.fixture
def published(world):
    _adoption, publication = publish_world_plan(world)
    return publication


def _lines(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


def test_the_organisations_list_holds_only_organisations_with_a_published_plan(world, published, client):
    response = client.get("/api/v1/public/organisations")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None
    (organisation,) = body["results"]
    assert organisation["name"] == "Zorggroep De Linde"
    assert organisation["region"]["name"] == "Rivierenland"
    assert [n["name"] for n in organisation["learning_networks"]] == ["Lerend netwerk Rivierenland"]


def test_the_organisations_list_is_paginated(world, published, client):
    for name in ("Stichting Het Anker", "Woonzorg Vijverhof"):
        organisation = type(world.organisation).objects.get(name=name)
        published_plan(organisation, year=2027, framework=world.plan.framework)
    first = client.get("/api/v1/public/organisations", {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert [o["name"] for o in second["results"]] == ["Zorggroep De Linde"] and second["next"] is None


def test_a_page_size_out_of_bounds_names_the_field(world, client):
    response = client.get("/api/v1/public/organisations", {"page_size": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.page_size"


def test_the_plans_of_an_organisation_name_version_and_hash(world, published, client):
    body = client.get(f"/api/v1/public/organisations/{world.organisation.pk}/plans").json()
    (plan,) = body["plans"]
    assert plan == {"id": world.plan.pk, "year": 2027, "version_number": published.version.number,
                    "sha256": published.version.sha256, "published_at": published.published_at.isoformat(),
                    "url": f"/api/v1/public/plans/{world.plan.pk}"}


def test_a_published_plan_holds_its_structured_contents(world, published, client):
    body = client.get(f"/api/v1/public/plans/{world.plan.pk}").json()
    assert body["version"] == {"number": published.version.number, "sha256": published.version.sha256}
    assert body["framework"]["key"] == "kwaliteitskader-verpleeghuiszorg-2017"
    sections = {s["key"]: s for s in body["sections"]}
    assert sections["wonen-en-welzijn"]["text"].startswith("Bewoners eten samen.")
    assert sections["wonen-en-welzijn"]["summary"]
    assert body["organisation_profile"]["target_groups"] == ["psychogeriatrie"]
    assert body["staffing"]["basis_hours_per_week"] == 36
    assert {row["location"] for row in body["staffing"]["rows"]} == {"De Linde", "Het Wilgenhof"}
    paragraph = next(p for p in body["improvement_paragraphs"] if p["location"] == "De Linde")
    action = next(a for a in paragraph["actions"] if a["title"] == "Samen koken op de afdeling")
    assert action["status"] == "planned" and "owner" not in action and "source_note" not in action


def test_the_action_status_is_the_status_of_today_beside_the_adopted_one(world, published, client):
    ImprovementAction.objects.filter(pk=world.action.pk).update(status=ImprovementAction.Status.IN_PROGRESS)
    body = client.get(f"/api/v1/public/plans/{world.plan.pk}").json()
    action = next(a for p in body["improvement_paragraphs"] for a in p["actions"] if a["id"] == world.action.pk)
    assert (action["status"], action["status_in_plan"]) == ("in_progress", "planned")


def test_an_etag_sent_back_gets_a_304_without_body(world, published, client):
    url = f"/api/v1/public/plans/{world.plan.pk}"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"iets anders"'}).status_code == 200


def test_the_etag_changes_with_what_the_answer_depends_on(world, published, client):
    urls = [f"/api/v1/public/plans/{world.plan.pk}", "/api/v1/public/organisations",
            f"/api/v1/public/organisations/{world.organisation.pk}/plans"]
    before = {url: client.get(url)["ETag"] for url in urls}
    ImprovementAction.objects.filter(pk=world.action.pk).update(status=ImprovementAction.Status.DONE)
    world.organisation.name = "Zorggroep De Linde en Wilgenhof"
    world.organisation.save()
    after = {url: client.get(url)["ETag"] for url in urls}
    assert all(before[url] != after[url] for url in urls)


def test_too_many_requests_get_429_with_retry_after(world, published, client, settings):
    settings.OPEN_DATA_RATE_LIMIT = 2
    settings.OPEN_DATA_RATE_WINDOW = 60
    url = f"/api/v1/public/plans/{world.plan.pk}"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "seconden" in response.json()["message"]
    assert client.get("/api/v1/public/plans.jsonl?year=2027").status_code == 429
    # Another client address has its own count.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_bulk_export_streams_one_parsable_line_per_published_plan(world, published, client):
    other = type(world.organisation).objects.get(name="Stichting Het Anker")
    published_plan(other, year=2027, framework=world.plan.framework)
    published_plan(other, year=2026, framework=world.plan.framework)
    response = client.get("/api/v1/public/plans.jsonl", {"year": 2027})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = _lines(response)
    assert [line["organisation"]["name"] for line in lines] == ["Stichting Het Anker", "Zorggroep De Linde"]
    assert all(line["year"] == 2027 for line in lines)
    assert lines[1] == client.get(f"/api/v1/public/plans/{world.plan.pk}").json()


def test_the_bulk_export_reads_in_batches(world, monkeypatch):
    monkeypatch.setattr(selectors, "EXPORT_BATCH", 2)
    for name in ("Stichting Het Anker", "Woonzorg Vijverhof", "Zorgcentrum Elders"):
        published_plan(type(world.organisation).objects.get(name=name), year=2027, framework=world.plan.framework)
    names = [doc["organisation"]["name"] for doc in selectors.published_documents_of_year(2027)]
    assert names == ["Stichting Het Anker", "Woonzorg Vijverhof", "Zorgcentrum Elders"]


@pytest.mark.parametrize("query", [{}, {"year": "twintig"}, {"year": 1999}])
def test_the_bulk_export_needs_a_valid_year(world, client, query):
    response = client.get("/api/v1/public/plans.jsonl", query)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.year"


def test_an_unpublished_plan_vanishes_from_the_open_data_and_the_export(world, published, client):
    services.unpublish_plan(plan=world.plan, by=world.people["quality"])
    assert client.get("/api/v1/public/organisations").json()["count"] == 0
    assert client.get(f"/api/v1/public/organisations/{world.organisation.pk}/plans").status_code == 404
    response = client.get(f"/api/v1/public/plans/{world.plan.pk}")
    assert response.status_code == 404 and response.json()["message"]
    assert _lines(client.get("/api/v1/public/plans.jsonl", {"year": 2027})) == []


def test_a_plan_never_published_is_not_in_the_open_data(world, client):
    assert client.get(f"/api/v1/public/plans/{world.plan.pk}").status_code == 404
    assert _lines(client.get("/api/v1/public/plans.jsonl", {"year": 2027})) == []


def test_the_open_data_is_documented_in_the_openapi():
    paths = json.loads(json.dumps(api.get_openapi_schema()))["paths"]
    plan = paths["/api/v1/public/plans/{plan_id}"]["get"]
    assert plan["summary"] and plan["description"]
    assert {"200", "304", "404", "429"} <= set(plan["responses"])
    assert "Retry-After" in plan["responses"]["429"]["headers"]
    organisations = paths["/api/v1/public/organisations"]["get"]
    assert "Paginated" in organisations["description"]
    export = paths["/api/v1/public/plans.jsonl"]["get"]
    assert any(p["name"] == "year" and p["required"] for p in export["parameters"])
    assert not plan.get("security") and not export.get("security")


def test_the_organisation_publishes_and_unpublishes_through_the_api(world, client):
    from samenplan.consent.tests.adopted import adopt_plan_of_world
    from samenplan.core.tests.world import login

    login(client, world.people["quality"])
    url = f"/api/v1/plans/{world.plan.pk}/publication"
    refused = client.post(url)
    assert refused.status_code == 409 and "vastgestelde versie" in refused.json()["message"]
    adoption = adopt_plan_of_world(world)
    created = client.post(url)
    assert created.status_code == 201
    assert created.json()["sha256"] == adoption.version.sha256
    assert client.delete(url).json()["unpublished_at"]
    assert client.delete(url).status_code == 409


def test_ids_and_pages_beyond_any_range_are_a_4xx_never_a_500(world, published, client):
    huge = 2**63 + 5
    assert client.get(f"/api/v1/public/plans/{huge}").status_code == 404
    assert client.get(f"/api/v1/public/organisations/{huge}/plans").status_code == 404
    assert client.get(f"/openbaar/organisaties/{huge}/").status_code == 404
    response = client.get("/api/v1/public/organisations", {"page": huge})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.page"
