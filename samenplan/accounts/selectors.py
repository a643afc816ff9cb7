from .models import COUNCIL_ROLES, SECOND_FACTOR_ROLES, Membership, Role


def memberships_of(user) -> list[Membership]:
    """All roles of a person, read once per request: every permission check uses this list."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user)
            .select_related("organisation", "location", "council", "care_office")
            .prefetch_related("care_office__regions")
        )
        user._memberships = cached
    return cached


def forget_memberships(user) -> None:
    # delattr rather than __dict__: request.user is a lazy object that passes deletion on.
    try:
        del user._memberships
    except AttributeError:
        pass


def roles_of(user) -> set[str]:
    return {m.role for m in memberships_of(user)}


def is_platform_admin(user) -> bool:
    return getattr(user, "is_superuser", False) or Role.PLATFORM_ADMIN in roles_of(user)


def organisation_ids_of(user, roles=None) -> set[int]:
    return {
        m.organisation_id
        for m in memberships_of(user)
        if m.organisation_id and (roles is None or m.role in roles)
    }


def council_ids_of(user, roles=COUNCIL_ROLES) -> set[int]:
    return {m.council_id for m in memberships_of(user) if m.council_id and m.role in roles}


def care_office_ids_of(user) -> set[int]:
    return {m.care_office_id for m in memberships_of(user) if m.role == Role.CARE_OFFICE_STAFF and m.care_office_id}


def region_ids_of_care_offices(user) -> set[int]:
    return {
        region.pk
        for m in memberships_of(user)
        if m.role == Role.CARE_OFFICE_STAFF
        for region in m.care_office.regions.all()
    }


def needs_second_factor(user) -> bool:
    from django.conf import settings

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_demo and (settings.DEBUG or settings.DEMO):
        return False
    return user.is_staff or user.is_superuser or bool(roles_of(user) & SECOND_FACTOR_ROLES)
