"""Permission-matrix cases of this app (gathered by samenplan/core/tests/matrix.py)."""

from django.urls import reverse

from samenplan.core.tests.cases import EVERYONE, Case


def _message_of_council_member(w):
    from samenplan.notifications.models import Notification

    message = Notification.objects.create(recipient=w.people["council_member"], event_key="matrix-test",
                                          kind="test", subject="Een bericht", url="/")
    return reverse("notifications:mark_read", args=[message.pk])


CASES = [
    Case("notifications:inbox", lambda w: reverse("notifications:inbox"), EVERYONE),
    Case("notifications:inbox", lambda w: reverse("notifications:inbox"), EVERYONE, "post"),
    # A message belongs to one person: everybody else gets a 404 for it.
    Case("notifications:mark_read", _message_of_council_member, frozenset({"council_member"}), "post"),
]
