"""The public pages: readable by anyone without logging in, and only while a plan is published."""

import re

import pytest
from django.urls import reverse

from samenplan.core.tests.world import PERSONAS, login
from samenplan.plans.models import ImprovementAction
from samenplan.publishing import services

from .helpers import publish_world_plan
from .matrix_cases import PUBLIC_API, PUBLIC_ROUTES

pytestmark = pytest.mark.shared_world


@pytest.fixture
def published(world):
    _adoption, publication = publish_world_plan(world)
    return publication


def _pages(world):
    return {
        "publishing:home": reverse("publishing:home"),
        "publishing:plans": reverse("publishing:plans"),
        "publishing:organisation": reverse("publishing:organisation", args=[world.organisation.pk]),
        "publishing:plan": reverse("publishing:plan", args=[world.plan.pk]),
    }


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_public_pages_show_the_published_plan_without_login(world, published, client):
    pages = _pages(world)
    for name in ("publishing:home", "publishing:plans"):
        response = client.get(pages[name])
        assert response.status_code == 200, name
        assert "Zorggroep De Linde" in _text(response)
    organisation = _text(client.get(pages["publishing:organisation"]))
    assert "Kwaliteitsplan 2027" in organisation
    assert published.version.sha256 in organisation
    assert "Lerend netwerk Rivierenland" in organisation
    assert "Samen koken op de afdeling" in organisation  # the action, with its status
    assert "Gepland" in organisation
    plan = _text(client.get(pages["publishing:plan"]))
    assert published.version.sha256[:12] in plan
    assert "Bewoners eten samen." in plan


def test_the_action_status_shown_is_the_status_of_today(world, published, client):
    ImprovementAction.objects.filter(pk=world.action.pk).update(status=ImprovementAction.Status.DONE)
    html = _text(client.get(reverse("publishing:organisation", args=[world.organisation.pk])))
    assert re.search(r"Samen koken op de afdeling</th><td>[^<]*</td><td>Klaar</td>", html)


def test_an_organisation_with_nothing_published_has_no_public_page(world, client):
    assert client.get(reverse("publishing:organisation", args=[world.organisation.pk])).status_code == 404
    assert client.get(reverse("publishing:plan", args=[world.plan.pk])).status_code == 404
    assert client.get(reverse("publishing:plan_pdf", args=[world.plan.pk])).status_code == 404
    assert "Zorggroep De Linde" not in _text(client.get(reverse("publishing:home")))
    assert "Zorggroep De Linde" not in _text(client.get(reverse("publishing:plans")))


def test_an_unpublished_plan_vanishes_from_every_public_page(world, published, client):
    services.unpublish_plan(plan=world.plan, by=world.people["board"])
    pages = _pages(world)
    assert client.get(pages["publishing:organisation"]).status_code == 404
    assert client.get(pages["publishing:plan"]).status_code == 404
    assert client.get(reverse("publishing:plan_pdf", args=[world.plan.pk])).status_code == 404
    for name in ("publishing:home", "publishing:plans"):
        assert "Zorggroep De Linde" not in _text(client.get(pages[name])), name


def test_a_draft_plan_of_a_published_organisation_is_not_public(world, published, client):
    from samenplan.plans import services as plan_services

    draft = plan_services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                      by=world.people["quality"])
    assert client.get(reverse("publishing:plan", args=[draft.pk])).status_code == 404
    assert "Kwaliteitsplan 2028" not in _text(client.get(reverse("publishing:organisation",
                                                                 args=[world.organisation.pk])))


def test_the_organisations_can_be_searched_by_name(world, published, client):
    found = _text(client.get(reverse("publishing:home"), {"zoek": "linde"}))
    assert "Zorggroep De Linde" in found and "1 organisatie gevonden" in found
    missing = _text(client.get(reverse("publishing:home"), {"zoek": "Anker"}))
    assert "Geen organisatie gevonden" in missing


def test_the_plan_list_filters_by_year_region_and_name(world, published, client):
    url = reverse("publishing:plans")
    region = world.organisation.region_id
    assert "Zorggroep De Linde" in _text(client.get(url, {"jaar": "2027", "regio": str(region), "zoek": "Linde"}))
    assert "Geen openbare plannen gevonden" in _text(client.get(url, {"zoek": "Elders"}))


def test_a_filter_that_does_not_hold_says_so_next_to_the_field(world, published, client):
    response = client.get(reverse("publishing:plans"), {"jaar": "twintig", "zoek": "Linde", "regio": "x"})
    assert response.status_code == 400
    html = _text(response)
    assert "Kies een jaar uit de lijst." in html and "Kies een regio uit de lijst." in html
    assert 'class="error-summary"' in html
    assert 'value="Linde"' in html  # what was typed stays
    assert "Zorggroep De Linde" in html  # the name filter still applies


def test_the_plan_list_is_paginated_and_keeps_its_filters(world, published, client, monkeypatch):
    from samenplan.publishing import views

    from .helpers import published_plan

    monkeypatch.setattr(views, "PLANS_PER_PAGE", 1)
    published_plan(world.organisation, year=2026, framework=world.plan.framework)
    first = _text(client.get(reverse("publishing:plans"), {"zoek": "Linde"}))
    assert "pagina 1 van 2" in first
    assert "?zoek=Linde&amp;pagina=2" in first
    second = _text(client.get(reverse("publishing:plans"), {"zoek": "Linde", "pagina": "2"}))
    assert "Kwaliteitsplan 2026" in second and "Kwaliteitsplan 2027" not in second


def test_the_public_pdf_is_made_by_the_worker_and_then_served(world, published, client, monkeypatch):
    from samenplan.plans import pdf

    calls = []

    def fake_render(snapshot, **version):
        calls.append(version)
        return b"%PDF-1.7 openbaar"

    monkeypatch.setattr(pdf, "render_version_pdf", fake_render)
    response = client.get(reverse("publishing:plan_pdf", args=[world.plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 openbaar"
    assert calls and calls[0]["public"] is True and calls[0]["created_by"] == "" and calls[0]["note"] == ""


def test_the_plan_page_offers_publishing_to_the_board(world, client):
    from samenplan.consent.tests.adopted import adopt_plan_of_world

    adoption = adopt_plan_of_world(world)
    login(client, world.people["board"])
    page = _text(client.get(reverse("plans:detail", args=[world.plan.pk])))
    assert f"Versie {adoption.version.number} openbaar maken" in page
    response = client.post(reverse("publishing:publish", args=[world.plan.pk]))
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert "is nu openbaar" in page
    assert reverse("publishing:plan", args=[world.plan.pk]) in page
    assert "Niet meer openbaar maken" in page
    response = client.post(reverse("publishing:unpublish", args=[world.plan.pk]))
    assert "is niet meer openbaar" in _text(client.get(response["Location"]))


def test_publishing_a_plan_that_is_not_adopted_says_why(world, client):
    login(client, world.people["board"])
    response = client.post(reverse("publishing:publish", args=[world.plan.pk]), follow=True)
    assert "nog geen vastgestelde versie" in _text(response)


def test_the_plan_page_shows_no_panel_before_adoption(world, client):
    login(client, world.people["quality"])
    assert 'id="openbaar"' not in client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()


def _public_urls(world):
    urls = {**_pages(world), "publishing:plan_pdf": reverse("publishing:plan_pdf", args=[world.plan.pk])}
    api = {
        "GET /api/v1/public/organisations": "/api/v1/public/organisations",
        "GET /api/v1/public/organisations/{organisation_id}/plans":
            f"/api/v1/public/organisations/{world.organisation.pk}/plans",
        "GET /api/v1/public/plans/{plan_id}": f"/api/v1/public/plans/{world.plan.pk}",
        "GET /api/v1/public/plans.jsonl": "/api/v1/public/plans.jsonl?year=2027",
    }
    assert set(urls) == PUBLIC_ROUTES and set(api) == PUBLIC_API
    return {**urls, **api}


def test_every_public_route_answers_anonymous_visitors_and_every_persona_alike(world, published, client,
                                                                                monkeypatch, settings):
    from samenplan.plans import pdf

    settings.OPEN_DATA_RATE_LIMIT = 10_000
    monkeypatch.setattr(pdf, "render_version_pdf", lambda snapshot, **version: b"%PDF-1.7")
    urls = _public_urls(world)

    def answers():
        found = {}
        for name, url in urls.items():
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            found[name] = (response.status_code, body if name.startswith("GET ") or name.endswith("pdf") else None)
        return found

    anonymous = answers()
    assert {status for status, _body in anonymous.values()} == {200}
    for persona in PERSONAS:
        login(client, world.people[persona])
        assert answers() == anonymous, persona
        client.logout()


# --- The plan list kept for everyone (core/pagecache.py) --------------------------------------


def test_the_plan_list_reads_only_the_tables_it_names(world, published, client):
    """A table read but not named would leave the kept list out of date after a write to it."""
    from samenplan.core.tests.test_pagecache import tables_read
    from samenplan.publishing.selectors import PUBLIC_PLAN_LIST_TABLES

    from .helpers import grow_public

    grow_public(world, organisations=3)
    for params in (None, {"jaar": "2026", "regio": str(world.organisation.region_id), "zoek": "a"}):
        assert tables_read(client, reverse("publishing:plans"), params) - PUBLIC_PLAN_LIST_TABLES == set()


def test_the_plan_list_is_kept_for_everyone_until_a_plan_is_published_or_taken_back(world, published, client):
    from django.test import Client

    from samenplan.core.tests.test_pagecache import tables_read

    from .helpers import published_plan

    url = reverse("publishing:plans")
    assert "Zorggroep De Linde" in _text(client.get(url))
    assert tables_read(Client(), url) == set()  # another visitor gets the same page
    assert tables_read(client, url, {"zoek": "Linde"})  # a filter is a page of its own
    assert tables_read(client, url, {"zoek": "Linde"}) == set()
    published_plan(world.other_organisation, year=2026, framework=world.plan.framework)
    assert "Zorgcentrum Elders" in _text(client.get(url))
    services.unpublish_plan(plan=world.plan, by=world.people["board"])
    assert "Zorggroep De Linde" not in _text(client.get(url))
    assert "Zorggroep De Linde" not in _text(client.get(url, {"zoek": "Linde"}))
    # Someone logged in sees the page with their own header, built for them.
    login(client, world.people["quality"])
    assert tables_read(client, url)
