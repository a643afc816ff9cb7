"""Telling people what concerns them: a message in the inbox, and an e-mail at once or in the
daily digest, as each person chose (accounts.User.notification_preference)."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone, translation

from samenplan.accounts.models import User
from samenplan.core import pagecache
from samenplan.core.formats import long_date

from .models import Notification


def notify(*, recipients: Iterable[User], event_key: str, kind: str, subject, body="", params: dict | None = None,
           url: str = "", exclude: User | None = None) -> list[Notification]:
    """One message per person for this event. `subject` and `body` are lazy translations with
    %(name)s placeholders, written out in each recipient's language (a `date` in `params` too). The person who caused the
    event (`exclude`) is not told about it."""
    params = params or {}
    # The key as stored: the duplicate check and the e-mail task must look for the same one.
    event_key = event_key[:200]
    people = {u.pk: u for u in recipients if u is not None and u.is_active and (exclude is None or u.pk != exclude.pk)}
    if not people:
        return []
    already = set(Notification.objects.filter(recipient__in=list(people), event_key=event_key)
                  .values_list("recipient_id", flat=True))
    messages = []
    for user in people.values():
        if user.pk in already:
            continue
        with translation.override(user.language or "nl"):
            # A date is written out here, so each person reads "31 december 2027" in their own language.
            written = {name: long_date(value) if isinstance(value, date) else value for name, value in params.items()}
            messages.append(Notification(
                recipient=user, event_key=event_key, kind=kind, url=url,
                subject=str(subject % written)[:300], body=str(body % written) if body else "",
            ))
    # ignore_conflicts: the same event announced twice at once still gives one message per person.
    with pagecache.writing_for(*(pagecache.for_person(m.recipient_id) for m in messages)):
        Notification.objects.bulk_create(messages, ignore_conflicts=True)
    immediate = [u.pk for u in people.values() if u.pk not in already
                 and u.notification_preference == User.NotificationPreference.IMMEDIATE and u.email]
    if immediate:
        transaction.on_commit(lambda: _enqueue_emails(event_key, immediate))
    return messages


def _enqueue_emails(event_key: str, user_ids: list[int]) -> None:
    from .tasks import send_notification_emails

    send_notification_emails.enqueue(event_key=event_key, user_ids=user_ids)


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Marks the person's messages as read: the ones named, or all of them."""
    messages = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        messages = messages.filter(pk__in=list(notification_ids))
    with pagecache.writing_for(pagecache.for_person(user.pk)):
        return messages.update(read_at=timezone.now())
