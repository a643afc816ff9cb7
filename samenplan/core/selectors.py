"""What the dashboard shows: per role, what needs this person's attention."""

from django.utils import timezone

from samenplan.accounts.models import COUNCIL_ROLES, Role
from samenplan.accounts.selectors import is_platform_admin, memberships_of, roles_of
from samenplan.organisations import selectors as org_selectors
from samenplan.organisations.models import Organisation
from samenplan.organisations.rules import MANAGERS
from samenplan.plans import selectors as plan_selectors
from samenplan.plans.rules import PLAN_READERS


def dashboard_for(request) -> dict:
    user = request.user
    memberships = memberships_of(user)
    roles = roles_of(user)
    organisation = org_selectors.current_organisation(request)
    context = {
        "roles": sorted({m.get_role_display() for m in memberships}),
        "organisation": None,
        "plan_year": timezone.localdate().year + 1,
    }
    if organisation is not None:
        # The organisation comes with the memberships, which are the access to it; the dashboard
        # needs counts, not the whole structure (see bench/pages.py).
        context["organisation"] = organisation
        my_roles_here = {m.role for m in memberships if m.organisation_id == organisation.pk}
        councils = None
        if my_roles_here & (MANAGERS | COUNCIL_ROLES):
            councils = org_selectors.councils_with_counts(organisation)
        if my_roles_here & MANAGERS:
            context["attention"] = org_selectors.structure_attention(organisation, councils)
        if my_roles_here & PLAN_READERS:
            context["plans"] = list(plan_selectors.plans_for_user(user).filter(organisation=organisation)[:3])
        context["managed_locations"] = [
            m.location for m in memberships
            if m.role == Role.LOCATION_MANAGER and m.organisation_id == organisation.pk
        ]
        council_ids = {
            m.council_id for m in memberships
            if m.role in COUNCIL_ROLES and m.organisation_id == organisation.pk
        }
        context["my_councils"] = [c for c in councils or [] if c.pk in council_ids]
        if council_ids:
            context["shared_versions"] = list(
                plan_selectors.versions_for_user(user).filter(shares__council__in=council_ids)
                .distinct().order_by("-created_at")[:5])
        context["is_secretary"] = any(
            m.role == Role.COUNCIL_SECRETARY and m.organisation_id == organisation.pk for m in memberships
        )
        if Role.PEER_REVIEWER in my_roles_here:
            context["networks"] = list(org_selectors.networks_for_user(user).filter(
                organisations=organisation))
    if Role.CARE_OFFICE_STAFF in roles:
        context["care_offices"] = list(
            org_selectors.care_offices_for_user(user).prefetch_related("regions")
        )
    if is_platform_admin(user):
        context["platform"] = {"organisations": Organisation.objects.count()}
    return context
