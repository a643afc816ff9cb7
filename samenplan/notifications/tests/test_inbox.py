from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samenplan.accounts.tests.factories import UserFactory
from samenplan.core.tests.world import login
from samenplan.notifications.models import Notification

pytestmark = pytest.mark.shared_world

INBOX = reverse("notifications:inbox")


@pytest.fixture
def anna(db):
    return UserFactory(username="anna")


def _message(user, n, **extra):
    message = Notification.objects.create(recipient=user, event_key=f"event-{n}", kind="test",
                                          subject=f"Onderwerp {n}", body=f"Tekst {n}", url=f"/plannen/{n}/", **extra)
    # Distinct times, so the order does not depend on the clock's resolution.
    Notification.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=100 - n))
    return message


def test_the_inbox_lists_messages_newest_first(anna, client):
    for n in range(3):
        _message(anna, n)
    login(client, anna)
    page = client.get(INBOX).content.decode()
    assert page.index("Onderwerp 2") < page.index("Onderwerp 1") < page.index("Onderwerp 0")
    assert "Tekst 1" in page and 'href="/plannen/1/"' in page
    assert "U heeft 3 nieuwe berichten." in page


def test_unread_messages_are_marked_in_words(anna, client):
    _message(anna, 1)
    _message(anna, 2, read_at=timezone.now())
    login(client, anna)
    page = client.get(INBOX).content.decode()
    assert page.count(">Nieuw<") == 1
    assert page.count('<span class="muted">Gelezen</span>') == 1


def test_only_the_persons_own_messages_are_shown(anna, client):
    _message(UserFactory(username="bert"), 1)
    login(client, anna)
    assert "Onderwerp 1" not in client.get(INBOX).content.decode()


def test_an_empty_inbox_explains_what_will_come(anna, client):
    login(client, anna)
    page = client.get(INBOX).content.decode()
    assert "Nog geen berichten" in page
    assert "verzoek om instemming" in page
    assert reverse("accounts:profile") in page  # where the e-mail choice is made


def test_the_page_says_how_email_comes(anna, client):
    login(client, anna)
    assert "meteen een e-mail" in client.get(INBOX).content.decode()
    anna.notification_preference = "daily_digest"
    anna.save()
    assert "één keer per dag" in client.get(INBOX).content.decode()


def test_mark_all_read(anna, client):
    for n in range(3):
        _message(anna, n)
    other = _message(UserFactory(username="bert"), 9)
    login(client, anna)
    response = client.post(INBOX, follow=True)
    assert response.redirect_chain[-1][0] == INBOX
    assert "3 berichten zijn nu gelezen." in response.content.decode()
    assert not Notification.objects.filter(recipient=anna, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_one_read(anna, client):
    first, second = _message(anna, 1), _message(anna, 2)
    login(client, anna)
    response = client.post(reverse("notifications:mark_read", args=[first.pk]), {"next": f"{INBOX}?pagina=1"})
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?pagina=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_mark_read_ignores_a_next_address_elsewhere(anna, client):
    message = _message(anna, 1)
    login(client, anna)
    response = client.post(reverse("notifications:mark_read", args=[message.pk]), {"next": "https://example.com/"})
    assert response["Location"] == INBOX


def test_another_persons_message_is_not_found(anna, client):
    message = _message(UserFactory(username="bert"), 1)
    login(client, anna)
    assert client.post(reverse("notifications:mark_read", args=[message.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[999999])).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_read_needs_post(anna, client):
    message = _message(anna, 1)
    login(client, anna)
    assert client.get(reverse("notifications:mark_read", args=[message.pk])).status_code == 405


def test_the_inbox_is_paginated(anna, client):
    for n in range(55):
        _message(anna, n)
    login(client, anna)
    first = client.get(INBOX).content.decode()
    assert "Onderwerp 54" in first and "Onderwerp 5<" in first and "Onderwerp 4<" not in first
    assert "Pagina 1 van 2" in first and "?pagina=2" in first
    second = client.get(f"{INBOX}?pagina=2").content.decode()
    assert "Onderwerp 4<" in second and "Onderwerp 54" not in second
    assert client.get(f"{INBOX}?pagina=zomaar").status_code == 200


def test_the_inbox_makes_the_same_queries_for_more_messages(anna, client):
    login(client, anna)
    for n in range(3):
        _message(anna, n)
    client.get(INBOX)  # the first page after signing in reads the person's row; later pages keep it
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    for n in range(3, 40):
        _message(anna, n)
    with CaptureQueriesContext(connection) as many:
        client.get(INBOX)
    assert len(many) == len(few)


def test_the_header_links_to_the_inbox_with_the_unread_count(anna, client):
    _message(anna, 1)
    _message(anna, 2)
    login(client, anna)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{INBOX}"' in page
    assert '<span class="badge">2 nieuw</span>' in page


def test_the_header_counts_unread_messages_in_one_query(anna, client):
    login(client, anna)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:profile"))
    counts = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


def test_the_dashboard_shares_the_headers_count(anna, client):
    login(client, anna)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:dashboard"))
    assert len([q for q in queries if "notifications_notification" in q["sql"]]) == 1


def test_anonymous_pages_do_not_count_messages(db, client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert not [q for q in queries if "notifications_notification" in q["sql"]]
