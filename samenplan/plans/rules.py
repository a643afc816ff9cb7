import rules

from samenplan.accounts.models import COUNCIL_ROLES, Role
from samenplan.accounts.selectors import memberships_of, organisation_ids_of
from samenplan.organisations.rules import is_platform_admin, manages_organisation, organisation_id_of

PLAN_READERS = frozenset({Role.BOARD, Role.QUALITY_STAFF, Role.LOCATION_MANAGER})


@rules.predicate
def reads_plans_of_organisation(user, obj):
    return organisation_id_of(obj) in organisation_ids_of(user, PLAN_READERS)


@rules.predicate
def is_editable(user, plan):
    return plan.is_editable


@rules.predicate
def sits_on_a_council_it_was_shared_with(user, version):
    """Council members read the versions put before their council, and nothing else of the plan."""
    councils = {m.council_id for m in memberships_of(user) if m.role in COUNCIL_ROLES}
    return bool(councils) and any(share.council_id in councils for share in version.shares.all())


def invited_peer_organisation_ids(user, version) -> set[int]:
    """The person's peer-reviewer organisations that were invited to review this version."""
    mine = organisation_ids_of(user, {Role.PEER_REVIEWER})
    if not mine:
        return set()
    return {i.organisation_id for i in version.peer_invitations.all()} & mine


@rules.predicate
def is_invited_peer(user, version):
    """A peer reviewer reads the versions their organisation was invited to review, nothing else."""
    return bool(invited_peer_organisation_ids(user, version))


rules.add_perm("plans.create_plan", manages_organisation)
rules.add_perm("plans.view_plan", reads_plans_of_organisation | is_platform_admin)
rules.add_perm("plans.edit_plan", manages_organisation & is_editable)
rules.add_perm("plans.freeze_version", manages_organisation)
rules.add_perm("plans.share_version", manages_organisation)
rules.add_perm(
    "plans.view_version",
    reads_plans_of_organisation | sits_on_a_council_it_was_shared_with | is_invited_peer | is_platform_admin,
)
