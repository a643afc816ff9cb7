import json

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from samenplan.api import api

from .matrix import CASES, PUBLIC_API, PUBLIC_ROUTES
from .world import PERSONAS, login

# Every case reads the one world; what a case changes is rolled back with its test.
pytestmark = pytest.mark.shared_world


OWN_APPS = {"core", "accounts", "organisations", "frameworks", "plans", "participation", "consent", "audit",
            "notifications", "careoffice", "publishing", "signals", "monitoring"}


def _request(client, case, world):
    url = case.url(world)
    data = case.data(world) if case.data else {}
    if case.method == "get":
        return client.get(url)
    if case.api:
        return client.generic(case.method.upper(), url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def _outcome(case, persona, response) -> str | None:
    """What is wrong with this response for this persona, or None."""
    if persona in case.allowed:
        expected = case.allowed_status or ({200} if case.method == "get" else {200, 201, 302})
        if response.status_code not in expected:
            return f"{persona} should be allowed, got {response.status_code}"
        if response.status_code == 302 and "/inloggen" in response["Location"]:
            return f"{persona} was sent to the login page"
        return None
    if response.status_code not in {403, 404}:
        return f"{persona} must be refused, got {response.status_code}"
    if case.api and "message" not in response.json():
        return f"{persona} got an API error without a message"
    return None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_matrix(case, world, client):
    problems = []
    for persona in PERSONAS:
        # Each persona starts from the same world: what an allowed POST changed is rolled back.
        savepoint = transaction.savepoint_create()
        try:
            login(client, world.people[persona])
            problems.append(_outcome(case, persona, _request(client, case, world)))
        finally:
            transaction.savepoint_rollback(savepoint)
            client.logout()
    assert [p for p in problems if p] == []


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
    # Routes without a namespace (healthz, readyz) are ours too.
    names = {n for n in _named_routes(get_resolver().url_patterns) if n.split(":")[0] in OWN_APPS or ":" not in n}
    covered = {c.route for c in CASES if not c.api} | PUBLIC_ROUTES
    assert names - covered == set(), "add these routes to core/tests/matrix.py"


def test_every_api_route_is_in_the_matrix():
    schema = api.get_openapi_schema()
    routes = {f"{method.upper()} /api/v1{path.removeprefix('/api/v1')}"
              for path, methods in schema["paths"].items() for method in methods}
    covered = {c.route for c in CASES if c.api} | PUBLIC_API
    assert routes - covered == set(), "add these API routes to core/tests/matrix.py"
