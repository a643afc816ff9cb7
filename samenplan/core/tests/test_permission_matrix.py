import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from samenplan.api import api

from .matrix import CASES, PUBLIC_API, PUBLIC_ROUTES
from .world import PERSONAS, login

OWN_APPS = {"core", "accounts", "organisations"}


def _request(client, case, world):
    url = case.url(world)
    data = case.data(world) if case.data else {}
    if case.method == "get":
        return client.get(url)
    return client.post(url, data)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_matrix(case, persona, world, client):
    login(client, world.people[persona])
    response = _request(client, case, world)
    if persona in case.allowed:
        expected = {200} if case.method == "get" else {200, 302}
        assert response.status_code in expected, f"{persona} should be allowed: {response.status_code}"
        if response.status_code == 302:
            assert "/inloggen" not in response["Location"]
    else:
        assert response.status_code in {403, 404}, f"{persona} must be refused: {response.status_code}"
        if case.api:
            assert "message" in response.json()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_anonymous_visitor_is_sent_to_login(case, world, client):
    response = _request(client, case, world)
    if case.api:
        assert response.status_code == 401
        assert response.json()["message"]
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/")


def _named_routes(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_page_is_in_the_matrix():
    names = {n for n in _named_routes(get_resolver().url_patterns) if n.split(":")[0] in OWN_APPS or n == "healthz"}
    covered = {c.route for c in CASES if not c.api} | PUBLIC_ROUTES
    assert names - covered == set(), "add these routes to core/tests/matrix.py"


def test_every_api_route_is_in_the_matrix():
    schema = api.get_openapi_schema()
    routes = {f"{method.upper()} /api/v1{path.removeprefix('/api/v1')}"
              for path, methods in schema["paths"].items() for method in methods}
    covered = {c.route for c in CASES if c.api} | PUBLIC_API
    assert routes - covered == set(), "add these API routes to core/tests/matrix.py"
