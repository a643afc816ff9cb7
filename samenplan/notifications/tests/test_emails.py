"""Immediate e-mail and the daily digest. Tests run tasks with the immediate backend and keep
e-mail in Django's locmem outbox."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from samenplan.accounts.models import User
from samenplan.accounts.tests.factories import UserFactory
from samenplan.notifications import tasks
from samenplan.notifications.models import Notification

from .helpers import tell

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DIGEST = User.NotificationPreference.DAILY_DIGEST


@pytest.fixture
def anna(db):
    return UserFactory(username="anna", first_name="Anna", email="anna@example.nl")


@pytest.fixture
def bert(db):
    return UserFactory(username="bert", first_name="Bert", email="bert@example.nl", notification_preference=DIGEST)


def _announce(capture, *people, **kwargs):
    with capture(execute=True):
        return tell(*people, **kwargs)


def test_immediate_email_once_per_person_per_event(anna, mailoutbox, django_capture_on_commit_callbacks):
    _announce(django_capture_on_commit_callbacks, anna, key="comment-answered-7")
    _announce(django_capture_on_commit_callbacks, anna, key="comment-answered-7")
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["anna@example.nl"]
    assert email.subject == "Er is iets gebeurd met het plan"
    assert "Beste Anna," in email.body and "Lees het in Samenplan." in email.body
    assert "http://" in email.body  # the link is absolute
    assert Notification.objects.get(recipient=anna).emailed_at is not None


def test_a_retried_task_sends_nothing_twice(anna, mailoutbox, django_capture_on_commit_callbacks):
    _announce(django_capture_on_commit_callbacks, anna, key="once")
    assert tasks.send_notification_emails.call(event_key="once", user_ids=[anna.pk]) == 0
    assert len(mailoutbox) == 1


def test_every_person_gets_their_own_email(anna, mailoutbox, django_capture_on_commit_callbacks):
    carla = UserFactory(username="carla", email="carla@example.nl")
    _announce(django_capture_on_commit_callbacks, anna, carla)
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.nl", "carla@example.nl"]


def test_the_person_who_caused_the_event_gets_no_email(anna, mailoutbox, django_capture_on_commit_callbacks):
    carla = UserFactory(username="carla", email="carla@example.nl")
    _announce(django_capture_on_commit_callbacks, anna, carla, exclude=anna)
    assert [m.to for m in mailoutbox] == [["carla@example.nl"]]


def test_a_digest_reader_gets_no_immediate_email(bert, mailoutbox, django_capture_on_commit_callbacks):
    _announce(django_capture_on_commit_callbacks, bert)
    assert mailoutbox == []
    assert Notification.objects.get(recipient=bert).emailed_at is None


def test_a_person_without_an_address_gets_the_message_but_no_email(db, mailoutbox, django_capture_on_commit_callbacks):
    nobody = UserFactory(username="zonder", email="")
    _announce(django_capture_on_commit_callbacks, nobody)
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=nobody).exists()


def test_the_email_text_is_not_html_escaped(anna, mailoutbox, django_capture_on_commit_callbacks):
    _announce(django_capture_on_commit_callbacks, anna, params={"what": "Zorg & Welzijn 'De Linde'"})
    assert "Zorg & Welzijn 'De Linde'" in mailoutbox[0].body
    assert mailoutbox[0].subject == "Er is iets gebeurd met Zorg & Welzijn 'De Linde'"


def test_a_failed_email_is_sent_later_by_the_scheduler(anna, mailoutbox, django_capture_on_commit_callbacks):
    with mock.patch("samenplan.notifications.tasks.send_mail", side_effect=OSError("mail server down")):
        _announce(django_capture_on_commit_callbacks, anna)
    assert mailoutbox == []
    assert Notification.objects.get(recipient=anna).emailed_at is None
    # Too soon: the task enqueued on commit may still be on its way.
    assert tasks.send_unsent_immediate() == 0
    assert tasks.send_unsent_immediate(timezone.now() + timedelta(minutes=11)) == 1
    assert len(mailoutbox) == 1
    assert tasks.send_unsent_immediate(timezone.now() + timedelta(minutes=11)) == 0


def test_the_digest_groups_waiting_messages_in_one_email_per_person(
        anna, bert, mailoutbox, django_capture_on_commit_callbacks):
    dora = UserFactory(username="dora", email="dora@example.nl", notification_preference=DIGEST)
    for n in range(3):
        _announce(django_capture_on_commit_callbacks, anna, bert, dora, key=f"event-{n}",
                  params={"what": f"onderwerp {n}"}, url=f"/plannen/{n}/")
    mailoutbox.clear()  # anna's three immediate e-mails
    assert tasks.send_daily_digests() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["bert@example.nl", "dora@example.nl"]
    digest = next(m for m in mailoutbox if m.to == ["bert@example.nl"])
    assert digest.subject == "Samenplan: 3 nieuwe berichten"
    for n in range(3):
        assert f"onderwerp {n}" in digest.body
        assert f"/plannen/{n}/" in digest.body
    assert not Notification.objects.filter(recipient__in=[bert, dora], emailed_at__isnull=True).exists()
    assert tasks.send_daily_digests() == 0  # nothing new waiting


def test_the_digest_skips_immediate_readers_and_people_without_messages(anna, bert, mailoutbox):
    tell(anna)
    assert tasks.send_daily_digests() == 0
    assert mailoutbox == []


def test_the_digest_goes_out_once_a_day_at_the_digest_hour(bert, mailoutbox, settings):
    settings.DIGEST_HOUR = 7
    tell(bert, key="monday-early", params={"what": "de vroege zaak"})
    with time_machine.travel(datetime(2027, 3, 1, 6, 30, tzinfo=AMSTERDAM), tick=False):
        assert "digests" not in tasks.run_jobs()  # before seven
    with time_machine.travel(datetime(2027, 3, 1, 7, 5, tzinfo=AMSTERDAM), tick=False):
        assert tasks.run_jobs()["digests"] == 1
        tell(bert, key="monday-later", params={"what": "de late zaak"})
    with time_machine.travel(datetime(2027, 3, 1, 15, 0, tzinfo=AMSTERDAM), tick=False):
        assert "digests" not in tasks.run_jobs()  # once a day
    with time_machine.travel(datetime(2027, 3, 2, 7, 20, tzinfo=AMSTERDAM), tick=False):
        assert tasks.run_jobs()["digests"] == 1
        assert "digests" not in tasks.run_jobs()
    assert len(mailoutbox) == 2
    assert "de vroege zaak" in mailoutbox[0].body and "de late zaak" not in mailoutbox[0].body
    assert "de late zaak" in mailoutbox[1].body
    assert mailoutbox[1].subject == "Samenplan: 1 nieuw bericht"


def test_a_failed_digest_leaves_the_messages_waiting(bert, mailoutbox):
    tell(bert)
    with mock.patch("samenplan.notifications.tasks.send_mail", side_effect=OSError("mail server down")):
        assert tasks.send_daily_digests() == 0
    assert Notification.objects.get(recipient=bert).emailed_at is None
    assert tasks.send_daily_digests() == 1


def test_an_english_speaking_digest_reader_gets_a_digest(db, mailoutbox):
    emma = UserFactory(username="emma", email="emma@example.nl", language="en", notification_preference=DIGEST)
    tell(emma)
    assert tasks.send_daily_digests() == 1
    assert isinstance(mailoutbox[0].subject, str) and mailoutbox[0].subject
