"""The dashboard kept per person (core/pagecache.py): never older than the data it shows."""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership, create_api_token
from samenplan.accounts.tests.factories import UserFactory
from samenplan.core import pagecache
from samenplan.core.selectors import DASHBOARD_TABLES
from samenplan.notifications.models import Notification
from samenplan.notifications.services import mark_read
from samenplan.participation.models import Comment
from samenplan.participation.services import save_peer_review
from samenplan.notifications.selectors import unread_count

from .world import PERSONAS, login

DASHBOARD = reverse("core:dashboard")
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)
# Read by the middleware before the view, for every page: the session (its organisation choice is
# part of the key) and the second-factor devices (whether the person is verified is part of the key).
REQUEST_TABLES = {"django_session", "otp_totp_totpdevice", "otp_static_staticdevice"}


def _dashboard(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response


def tables_read(client, url, params=None) -> set[str]:
    """The tables one GET of `url` reads (it must answer 200): a kept page reads none of its own."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return {table for query in captured.captured_queries for table in _READ.findall(query["sql"])}


def _tables_read(client) -> set[str]:
    return tables_read(client, DASHBOARD)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_dashboard_reads_only_the_tables_it_names(world, client, persona):
    """A table read but not named would leave a kept page out of date after a write to it."""
    login(client, world.people[persona])
    pagecache.clear()
    assert _tables_read(client) - REQUEST_TABLES - DASHBOARD_TABLES == set()


# What any page reads to know who is asking; a kept page reads nothing more.
WHO_IS_ASKING = REQUEST_TABLES | {"accounts_user"}


def _nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]


def test_the_dashboard_is_kept_per_person(world, client):
    login(client, world.people["quality"])
    assert _tables_read(client) - WHO_IS_ASKING  # built
    assert _tables_read(client) <= WHO_IS_ASKING  # kept
    kept = _dashboard(client).content.decode()
    assert "Zorggroep De Linde" in kept
    # Another person never gets this person's page.
    login(client, world.people["council_member"])
    other = _dashboard(client).content.decode()
    assert other != kept and "Centrale cliëntenraad" in other


def test_a_kept_page_gets_a_fresh_nonce_and_a_working_csrf_token(world, client):
    client.handler.enforce_csrf_checks = True
    login(client, world.people["quality"])
    _dashboard(client)
    first, second = _dashboard(client), _dashboard(client)
    nonces = [_nonce(first), _nonce(second)]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces):
        assert f'nonce="{nonce}"' in response.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.content.decode())[1]
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(DASHBOARD).status_code == 302  # logged out: to the login page


def test_a_write_to_a_named_table_shows_at_once(world, client):
    person = world.people["quality"]
    login(client, person)
    unread = unread_count(person)
    assert f"{unread} nieuw" in _dashboard(client).content.decode()
    Notification.objects.create(recipient=person, kind="comment", event_key="test", subject="Nieuw commentaar")
    assert f"{unread + 1} nieuw" in _dashboard(client).content.decode()


def test_a_write_elsewhere_keeps_the_page(world, client):
    login(client, world.people["quality"])
    _dashboard(client)
    world.plan.sections.update(body="Een andere tekst.")  # plan texts are not on the dashboard
    assert _tables_read(client) <= WHO_IS_ASKING


def _shared_token(scope=pagecache.SHARED):
    # Read from the shared cache itself: generation() would settle this process's pending writes first.
    return caches["default"].get(pagecache._token_key("dashboard", scope))


@pytest.mark.django_db(transaction=True)
def test_other_processes_learn_of_a_write_after_its_commit():
    """Tokens in the shared cache change only once the write is visible to other connections."""
    person, other = UserFactory(), UserFactory()
    scopes = (pagecache.SHARED, pagecache.for_person(person.pk), pagecache.for_person(other.pk))
    pagecache.generation("dashboard", scopes[1:])
    before = {scope: _shared_token(scope) for scope in scopes}
    with transaction.atomic():
        for n in range(3):
            Notification.objects.create(recipient=person, kind="comment", event_key=f"t{n}", subject="Nieuw")
        assert {scope: _shared_token(scope) for scope in scopes} == before
        settle = pagecache._flush_at_commit(connections["default"])
        assert [entry[1] for entry in connection.run_on_commit].count(settle) == 1  # once, however many rows
    after = {scope: _shared_token(scope) for scope in scopes}
    # The recipient's pages are renewed everywhere; nobody else's are.
    assert after[scopes[1]] != before[scopes[1]]
    assert after[scopes[0]] == before[scopes[0]] and after[scopes[2]] == before[scopes[2]]


def test_a_write_to_another_table_changes_no_token(world, django_capture_on_commit_callbacks):
    pagecache.generation("dashboard")  # settles the world's own writes
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        generation = pagecache.generation("dashboard")
        world.plan.sections.update(body="Een andere tekst.")
        assert pagecache.generation("dashboard") == generation
    assert callbacks == []


def test_pages_with_messages_or_a_query_string_are_not_kept(world, client):
    login(client, world.people["quality"])
    client.get(DASHBOARD + "?waarom=1")
    assert _tables_read(client) - WHO_IS_ASKING  # the page with the query string was not kept
    with CaptureQueriesContext(connection) as captured:
        client.get(DASHBOARD + "?waarom=1")
    assert len(captured) > 4


def test_a_message_is_shown_on_a_page_built_for_it(world, client):
    person = world.people["quality"]
    token, _ = create_api_token(user=person, name="Koppeling")
    login(client, person)
    _dashboard(client)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))  # API tokens are not on the dashboard
    assert "is ingetrokken" in _dashboard(client).content.decode()
    assert "is ingetrokken" not in _dashboard(client).content.decode()  # shown once
    assert _tables_read(client) <= WHO_IS_ASKING


def test_each_language_has_its_own_page(world, client):
    person = world.people["quality"]
    login(client, person)
    assert "Overzicht" in _dashboard(client).content.decode()
    person.language = "en"
    person.save(update_fields=["language"])
    assert "Overview" in _dashboard(client).content.decode()


def _kept(client) -> bool:
    return _tables_read(client) <= WHO_IS_ASKING


def _each_with_a_kept_dashboard(world, *personas) -> dict:
    """A browser per person (signing in writes the person's row, which renews their own page)."""
    clients = {}
    for persona in personas:
        clients[persona] = login(Client(), world.people[persona])
        _dashboard(clients[persona])
    return clients


def test_a_write_in_one_organisation_leaves_the_kept_pages_of_another_in_place(world):
    clients = _each_with_a_kept_dashboard(world, "quality", "outsider")
    # A comment on our plan: our dashboard counts the open comments; the outsider's is another organisation's.
    Comment.objects.create(plan=world.plan, version=world.version, author=world.people["quality"],
                           section_key="profiel", body="Graag korter.")
    assert _kept(clients["outsider"])
    assert not _kept(clients["quality"])
    assert _kept(clients["quality"])


def test_a_write_without_a_known_owner_renews_every_page(world):
    clients = _each_with_a_kept_dashboard(world, "quality", "outsider")
    Comment.objects.filter(plan=world.plan).update(outcome="")  # a queryset update says not whose rows
    assert not _kept(clients["quality"])
    assert not _kept(clients["outsider"])


def test_an_unplaced_write_is_not_hidden_by_a_delete_of_many_rows_before_it(world):
    """A queryset delete sends a signal per row for its one statement; they place that one only."""
    clients = _each_with_a_kept_dashboard(world, "quality", "outsider")
    with transaction.atomic():
        for n in range(3):
            Notification.objects.create(recipient=world.people["quality"], kind="comment", event_key=f"x{n}",
                                        subject="Nieuw")
        Notification.objects.filter(event_key__startswith="x").delete()
        Notification.objects.filter(recipient=world.people["outsider"]).update(subject="Anders")
    assert not _kept(clients["outsider"])


def test_a_bulk_write_that_says_whose_rows_renews_only_their_pages(world):
    clients = _each_with_a_kept_dashboard(world, "quality", "board")
    mark_read(user=world.people["quality"])
    assert _kept(clients["board"])
    assert not _kept(clients["quality"])


def test_a_peer_review_renews_the_pages_of_both_organisations(world):
    """The reviewed organisation sees the review come in; the reviewing one sees where it stands."""
    clients = _each_with_a_kept_dashboard(world, "quality", "peer_reviewer", "outsider")
    save_peer_review(version=world.invitation.version, by=world.people["peer_reviewer"], section_feedback={},
                     summary="Helder.", submit=True)
    assert not _kept(clients["quality"])
    assert not _kept(clients["peer_reviewer"])
    assert _kept(clients["outsider"])


def test_a_new_role_in_another_organisation_renews_the_persons_page(world):
    clients = _each_with_a_kept_dashboard(world, "outsider")
    add_membership(user=world.people["outsider"], role=Role.PEER_REVIEWER, organisation=world.other_organisation)
    assert not _kept(clients["outsider"])
