"""Changes to organisations, locations and councils. Views and the API call these, never .save()."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from samenplan.accounts import services as account_services
from samenplan.accounts.models import COUNCIL_ROLES, Membership, Role, User
from samenplan.core.permissions import require

from .models import Council, Location, Organisation


def _save(instance, fields: dict):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def update_organisation(*, organisation: Organisation, by: User, name: str, kvk_number: str) -> Organisation:
    require(by, "organisations.change_organisation", organisation)
    return _save(organisation, {"name": name, "kvk_number": kvk_number})


@transaction.atomic
def create_location(*, organisation: Organisation, by: User, **fields) -> Location:
    require(by, "organisations.change_organisation", organisation)
    return _save(Location(organisation=organisation), fields)


@transaction.atomic
def update_location(*, location: Location, by: User, **fields) -> Location:
    require(by, "organisations.change_location", location)
    return _save(location, fields)


@transaction.atomic
def create_council(*, organisation: Organisation, by: User, kind: str, name: str,
                   location: Location | None = None) -> Council:
    require(by, "organisations.manage_councils", organisation)
    return _save(Council(organisation=organisation), {"kind": kind, "name": name, "location": location})


@transaction.atomic
def update_council(*, council: Council, by: User, name: str, location: Location | None) -> Council:
    require(by, "organisations.manage_councils", council)
    return _save(council, {"name": name, "location": location})


@transaction.atomic
def add_council_member(*, council: Council, by: User | None, full_name: str, email: str,
                       role: str = Role.COUNCIL_MEMBER) -> Membership:
    """Adds a person to a council; a new person gets an account without a password.

    Council members log in with an e-mailed link, so nobody has to invent a password for them.
    `by=None` is for the demo loader and data imports, which run outside a request.
    """
    if by is not None:
        require(by, "organisations.manage_councils", council)
    if role not in COUNCIL_ROLES:
        raise ValueError(role)
    user = account_services.find_or_create_person(full_name=full_name, email=email)
    membership, _ = Membership.objects.get_or_create(
        user=user, role=role, council=council, organisation=council.organisation,
    )
    return membership


@transaction.atomic
def remove_council_member(*, membership: Membership, by: User) -> None:
    require(by, "organisations.manage_councils", membership.council)
    membership.delete()


@transaction.atomic
def create_organisation(*, by: User, name: str, kvk_number: str, region) -> Organisation:
    # New tenants are created by the platform's administrators, not by other tenants.
    if not by.has_perm("organisations.create_organisation"):
        raise PermissionDenied
    return _save(Organisation(), {"name": name, "kvk_number": kvk_number, "region": region})
