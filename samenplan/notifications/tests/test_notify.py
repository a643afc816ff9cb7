import pytest
from django.utils import translation

from samenplan.accounts.tests.factories import UserFactory
from samenplan.notifications.models import Notification

from .helpers import tell


@pytest.fixture
def person(db):
    return UserFactory(username="anna")


def test_one_message_per_person_for_one_event(person):
    tell(person, key="comment-answered-1")
    tell(person, key="comment-answered-1")
    assert Notification.objects.filter(recipient=person).count() == 1


def test_the_same_person_listed_twice_gets_one_message(person):
    tell(person, person, key="twice")
    assert Notification.objects.filter(recipient=person).count() == 1


def test_another_event_gives_another_message(person):
    tell(person, key="event-1")
    tell(person, key="event-2")
    assert Notification.objects.filter(recipient=person).count() == 2


def test_the_person_who_caused_the_event_is_not_told(person):
    other = UserFactory(username="bert")
    tell(person, other, exclude=person)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["bert"]


def test_inactive_people_are_not_told(person):
    person.is_active = False
    person.save()
    assert tell(person) == []
    assert not Notification.objects.exists()


def test_the_subject_is_filled_in(person):
    tell(person, params={"what": "het kwaliteitsplan 2027"})
    message = Notification.objects.get(recipient=person)
    assert message.subject == "Er is iets gebeurd met het kwaliteitsplan 2027"
    assert message.body == "Lees het in Samenplan."
    assert message.read_at is None and message.emailed_at is None


def test_each_message_is_written_in_the_language_of_its_recipient(person, monkeypatch):
    """The English translations come later; what counts now is that each message is written out
    with the recipient's language switched on."""
    english = UserFactory(username="emma", language="en")
    used = []
    real_override = translation.override

    def spy(language, *args, **kwargs):
        used.append(language)
        return real_override(language, *args, **kwargs)

    monkeypatch.setattr("samenplan.notifications.services.translation.override", spy)
    messages = tell(person, english)
    assert sorted(used) == ["en", "nl"]
    assert all(isinstance(m.subject, str) and m.subject for m in messages)


def test_an_english_speaking_recipient_gets_a_message(person):
    english = UserFactory(username="emma", language="en")
    (message,) = tell(english)
    assert isinstance(message.subject, str) and message.subject


def test_a_long_event_key_still_prevents_duplicates(person):
    key = "x" * 250
    tell(person, key=key)
    tell(person, key=key)
    assert Notification.objects.filter(recipient=person).count() == 1
