from django.db.models import QuerySet

from samenplan.accounts.models import COUNCIL_ROLES, Role, User

from .models import Notification

AUTHORS = frozenset({Role.BOARD, Role.QUALITY_STAFF})


def people_of_organisation(organisation_id: int, roles=AUTHORS) -> list[User]:
    return list(User.objects.filter(memberships__organisation_id=organisation_id, memberships__role__in=roles,
                                    is_active=True).distinct())


def people_of_care_office(care_office_id: int) -> list[User]:
    return list(User.objects.filter(memberships__care_office_id=care_office_id,
                                    memberships__role=Role.CARE_OFFICE_STAFF, is_active=True).distinct())


def people_of_councils(council_ids, roles=COUNCIL_ROLES) -> list[User]:
    return list(User.objects.filter(memberships__council_id__in=list(council_ids), memberships__role__in=roles,
                                    is_active=True).distinct())


def notifications_for_user(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_count_for_request(request) -> int:
    """The person's unread count, counted once per request: the header and the dashboard share it."""
    cached = getattr(request, "_unread_notification_count", None)
    if cached is None:
        cached = request._unread_notification_count = unread_count(getattr(request, "user", None))
    return cached


def forget_unread_count(request) -> None:
    request.__dict__.pop("_unread_notification_count", None)
