"""The signed-in person's row is kept between requests (accounts/backends.py), never past a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samenplan.accounts.backends import LoginLinkBackend, ModelBackend
from samenplan.accounts.models import User
from samenplan.core.tests.world import login

pytestmark = pytest.mark.shared_world

PROFILE = reverse("accounts:profile")


def _reads_the_user(client) -> bool:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PROFILE).status_code == 200
    return any('FROM "accounts_user"' in query["sql"] for query in captured.captured_queries)


def test_the_row_is_read_once_and_then_kept(world, client):
    login(client, world.people["council_member"])
    assert _reads_the_user(client) is True
    assert _reads_the_user(client) is False


def test_a_new_password_signs_out_the_other_sessions_at_once(world, client):
    person = world.people["council_member"]
    login(client, person)
    assert client.get(PROFILE).status_code == 200
    person.set_password("een-heel-ander-wachtwoord")
    person.save()
    assert client.get(PROFILE).status_code == 302  # to the login page


def test_a_deactivated_person_is_signed_out_at_once(world, client):
    person = world.people["council_member"]
    login(client, person)
    assert client.get(PROFILE).status_code == 200
    User.objects.filter(pk=person.pk).update(is_active=False)  # no save(), no signal: the SQL is seen
    assert client.get(PROFILE).status_code == 302


def test_a_changed_name_shows_on_the_next_page(world, client):
    person = world.people["council_member"]
    login(client, person)
    client.get(PROFILE)
    User.objects.filter(pk=person.pk).update(first_name="Gerritje")
    assert "Gerritje" in client.get(PROFILE).content.decode()


@pytest.mark.parametrize("backend", [ModelBackend, LoginLinkBackend])
def test_every_request_gets_its_own_copy(world, backend):
    person = world.people["council_member"]
    first = backend().get_user(person.pk)
    first.first_name = "changed in one request only"
    second = backend().get_user(person.pk)
    assert second is not first
    assert second.first_name == person.first_name


def test_nobody_is_kept_for_an_unknown_id(db):
    assert ModelBackend().get_user(987654) is None


def test_a_session_of_before_the_change_of_backend_signs_in_again(world, client):
    """Sessions name their backend; one that is no longer listed is signed out, not an error."""
    login(client, world.people["council_member"])
    session = client.session
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get(PROFILE).status_code == 302
