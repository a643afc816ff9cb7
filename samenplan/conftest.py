"""Shared test fixtures: a small world of organisations and a person for every role.

Like healthchecks' Alice/Bob/Charlie, every test has an outsider at hand: `people["outsider"]`
works for an organisation in another region, outside the learning network.
"""

import copy

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import translation

from samenplan.core import pagecache
from samenplan.core.tests.world import World, build_world, login


@pytest.fixture(autouse=True)
def no_kept_pages():
    """A test's rolled-back writes must not live on in pages kept for the next test."""
    pagecache.clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with no request counted against a rate limit (core/ratelimit.py): the
    test cache lives as long as the process."""
    caches["default"].clear()


@pytest.fixture(autouse=True)
def dutch_to_begin_with():
    """Each test starts in Dutch: a request by an English-speaking user leaves English active in
    the thread (the middleware activates the person's language and nothing resets it), and a
    service called next would then speak English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker) -> World | None:
    """For a module marked `shared_world`: one world, built once and rolled back after its last test.

    Building a world costs a tenth of a second, and the permission matrix alone has hundreds of
    tests. A module may be marked when its tests change the world only inside their own
    transaction (the `db` fixture makes that a savepoint within this one), none of them is
    transactional (it would commit and flush), and none counts rows without it (they see it).
    """
    if request.node.get_closest_marker("shared_world") is None:
        yield None
        return
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(module_world, db) -> World:
    if module_world is None:
        return build_world()
    # Each test gets its own objects: what one test sets on them in memory does not reach the next.
    return copy.deepcopy(module_world)


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
