"""The public pages make as many queries for many organisations, locations and plans as for few
(the plan list is what the benchmark measures with 450 organisations)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samenplan.core import pagecache
from samenplan.core.tests.world import login

from .helpers import grow_public, publish_world_plan

pytestmark = pytest.mark.shared_world


def _queries(client, url) -> int:
    pagecache.clear()
    client.get(url)
    pagecache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _pages(world):
    return [reverse("publishing:home"), reverse("publishing:home") + "?zoek=zorg",
            reverse("publishing:plans"), reverse("publishing:plans") + f"?jaar=2027&regio={world.organisation.region_id}",
            reverse("publishing:organisation", args=[world.organisation.pk]),
            reverse("publishing:plan", args=[world.plan.pk]),
            reverse("publishing:plans") + "?zoek=zorg&pagina=2", reverse("publishing:plans") + "?jaar=2027",
            "/api/v1/public/organisations", "/api/v1/public/organisations?page=1&page_size=2",
            f"/api/v1/public/organisations/{world.organisation.pk}/plans",
            f"/api/v1/public/plans/{world.plan.pk}"]


@pytest.mark.parametrize("persona", [None, "quality"])
def test_public_pages_make_as_many_queries_for_many_organisations_locations_and_plans(world, client, persona,
                                                                                        settings):
    settings.OPEN_DATA_RATE_LIMIT = 10_000
    publish_world_plan(world)
    if persona:
        login(client, world.people[persona])
    small = {url: _queries(client, url) for url in _pages(world)}
    grow_public(world)
    large = {url: _queries(client, url) for url in _pages(world)}
    assert large == small


def test_a_large_published_plan_page_makes_as_many_queries_as_a_small_one(world, client):
    from .helpers import published_plan

    small = published_plan(world.peer_organisation, year=2027, framework=world.plan.framework, locations=1, actions=1)
    large = published_plan(world.second_peer_organisation, year=2027, framework=world.plan.framework, locations=12,
                           actions=6)
    for name in ("publishing:plan", "publishing:organisation"):
        args = {"publishing:plan": (small.pk, large.pk),
                "publishing:organisation": (small.organisation_id, large.organisation_id)}[name]
        counts = [_queries(client, reverse(name, args=[pk])) for pk in args]
        assert counts[0] == counts[1], name


def test_the_bulk_export_makes_a_fixed_number_of_queries_per_batch(world, client, monkeypatch):
    from samenplan.publishing import selectors

    from .helpers import published_plan

    monkeypatch.setattr(selectors, "EXPORT_BATCH", 100)
    publish_world_plan(world)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/public/plans.jsonl?year=2027")
            b"".join(response.streaming_content)
        return len(queries)

    small = count()
    for organisation in (world.peer_organisation, world.second_peer_organisation, world.other_organisation):
        published_plan(organisation, year=2027, framework=world.plan.framework, locations=4, actions=3)
    assert count() == small


def _publishing_queries(client, url) -> int:
    pagecache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('"publishing_' in q["sql"] for q in queries.captured_queries)


def test_the_plan_page_panel_adds_one_query_and_none_before_adoption(world, client):
    from samenplan.consent.tests.adopted import adopt_plan_of_world
    from samenplan.publishing import services

    login(client, world.people["board"])
    url = reverse("plans:detail", args=[world.plan.pk])
    assert _publishing_queries(client, url) == 0
    adopt_plan_of_world(world)
    assert _publishing_queries(client, url) == 1
    services.publish_plan(plan=world.plan, by=world.people["board"])
    assert _publishing_queries(client, url) == 1


def test_the_plan_list_counts_every_published_plan_the_filters_find(world, client, settings):
    """The list's number comes from its own query (selectors.PlanRows): it matches its rows."""
    from samenplan.publishing import selectors

    publish_world_plan(world)
    grow_public(world, organisations=14)
    for filters in ({}, {"year": 2025}, {"region_id": world.organisation.region_id}, {"search": "extra 1"}):
        rows = selectors.published_plan_rows(**filters)
        assert rows.count() == len(list(rows.rows)) == len(list(rows)) > 0, filters
    response = client.get(reverse("publishing:plans"))
    assert response.context["page"].paginator.count == selectors.current_publications().count() > 25
    assert len(response.context["page"].object_list) == 25
