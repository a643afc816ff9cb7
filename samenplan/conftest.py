"""Shared test fixtures: a small world of organisations and a person for every role.

Like healthchecks' Alice/Bob/Charlie, every test has an outsider at hand: `people["outsider"]`
works for an organisation in another region, outside the learning network.
"""

import pytest

from samenplan.core import pagecache
from samenplan.core.tests.world import World, build_world, login


@pytest.fixture(autouse=True)
def no_kept_pages():
    """A test's rolled-back writes must not live on in pages kept for the next test."""
    pagecache.clear()


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def people(world):
    return world.people


@pytest.fixture
def login_as(client):
    """Logs the test client in as a person, with the second factor done where it is required."""

    def _login(user):
        login(client, user)
        return client

    return _login
