"""No page makes more queries for an organisation with more locations, councils or members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samenplan.core import pagecache

from .matrix import CASES
from .world import PERSONAS, grow_world, login

# Every case reads the one world; what a case changes is rolled back with its test.
pytestmark = pytest.mark.shared_world


GET_CASES = [c for c in CASES if c.method == "get"]


def _count(client, url):
    pagecache.clear()  # count the page as it is built, not as it is kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


COUNTING_PERSONAS = ["quality", "council_member", "care_office", "platform_admin", "peer_reviewer"]
# Each page as each of these personas that may open it (the matrix tests the refusals).
PAGES_AS = [pytest.param(case, persona, id=f"{persona}-{case.id}")
            for persona in COUNTING_PERSONAS for case in GET_CASES if persona in case.allowed]
# Pages only the board may open (the adoption confirmation) are counted as the board.
BOARD_ONLY = [case for case in GET_CASES if not case.allowed & set(COUNTING_PERSONAS) and "board" in case.allowed]
PAGES_AS += [pytest.param(case, "board", id=f"board-{case.id}") for case in BOARD_ONLY]


@pytest.mark.parametrize(("case", "persona"), PAGES_AS)
def test_query_count_does_not_grow(case, persona, world, client):
    login(client, world.people[persona])
    url = case.url(world)
    client.get(url)  # the first download of a PDF also makes it; compare steady states
    small = _count(client, url)
    grow_world(world)
    large = _count(client, url)
    assert large == small, f"{case.id} as {persona}: {small} queries with 2 locations, {large} with 10"


def test_personas_cover_every_page():
    for case in GET_CASES:
        assert case.allowed & set(COUNTING_PERSONAS) or case in BOARD_ONLY
    assert set(PERSONAS) >= set(COUNTING_PERSONAS)
