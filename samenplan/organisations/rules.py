"""Who may see and change organisations, locations, councils and networks.

Predicates read the person's memberships once per request (accounts.selectors.memberships_of).
"""

import rules

from samenplan.accounts.models import Role
from samenplan.accounts.selectors import (
    is_platform_admin as _is_platform_admin,
    memberships_of,
    organisation_ids_of,
    region_ids_of_care_offices,
)

from .models import CareOffice, Council, LearningNetwork, Location, Organisation

MANAGERS = frozenset({Role.BOARD, Role.QUALITY_STAFF})


def organisation_of(obj) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, (Location, Council)):
        return obj.organisation
    return None


def organisation_id_of(obj) -> int | None:
    """The organisation an object belongs to, by id only, so a check needs no extra query."""
    if isinstance(obj, Organisation):
        return obj.pk
    if hasattr(obj, "organisation_id"):
        return obj.organisation_id
    if hasattr(obj, "plan"):  # a plan version, section, …
        return obj.plan.organisation_id
    return None


@rules.predicate
def is_platform_admin(user):
    return _is_platform_admin(user)


@rules.predicate
def is_member_of_organisation(user, obj):
    return organisation_id_of(obj) in organisation_ids_of(user)


@rules.predicate
def manages_organisation(user, obj):
    return organisation_id_of(obj) in organisation_ids_of(user, MANAGERS)


@rules.predicate
def manages_this_location(user, location):
    return isinstance(location, Location) and any(
        m.role == Role.LOCATION_MANAGER and m.location_id == location.pk for m in memberships_of(user)
    )


@rules.predicate
def is_care_office_of_organisation(user, obj):
    organisation = organisation_of(obj)
    return organisation is not None and organisation.region_id in region_ids_of_care_offices(user)


@rules.predicate
def works_at_care_office(user, care_office):
    return isinstance(care_office, CareOffice) and any(
        m.role == Role.CARE_OFFICE_STAFF and m.care_office_id == care_office.pk
        for m in memberships_of(user)
    )


@rules.predicate
def is_in_network(user, network):
    if not isinstance(network, LearningNetwork):
        return False
    mine = organisation_ids_of(user)
    return any(org.pk in mine for org in network.organisations.all())


rules.add_perm(
    "organisations.view_organisation",
    is_member_of_organisation | is_care_office_of_organisation | is_platform_admin,
)
# Names and e-mail addresses of council members and staff stay inside the organisation.
rules.add_perm("organisations.view_people", is_member_of_organisation | is_platform_admin)
rules.add_perm("organisations.change_organisation", manages_organisation | is_platform_admin)
rules.add_perm(
    "organisations.change_location",
    manages_organisation | manages_this_location | is_platform_admin,
)
rules.add_perm("organisations.manage_councils", manages_organisation | is_platform_admin)
rules.add_perm("organisations.view_network", is_in_network | is_platform_admin)
rules.add_perm("organisations.view_care_office", works_at_care_office | is_platform_admin)
rules.add_perm("organisations.create_organisation", is_platform_admin)
