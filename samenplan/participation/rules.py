"""Who may comment, answer, review and record the top 3.

- Comments on a version: the organisation's plan readers, members of a council the version was put
  before, and peer reviewers of an organisation invited to review that version.
- Council members see the comments of their council together; peers those of their organisation.
- The plan's authors (board, quality staff) answer comments and invite peers.
- Client-council members record the council's top 3.
"""

import rules

from samenplan.accounts.models import COUNCIL_ROLES, Role
from samenplan.accounts.selectors import council_ids_of, organisation_ids_of
from samenplan.organisations.rules import is_platform_admin, manages_organisation
from samenplan.plans.rules import (
    invited_peer_organisation_ids,
    is_invited_peer,
    reads_plans_of_organisation,
    sits_on_a_council_it_was_shared_with,
)

__all__ = ["invited_peer_organisation_ids"]


@rules.predicate
def may_see_comment(user, comment):
    if comment.author_id == user.pk:
        return True
    if comment.council_id and comment.council_id in council_ids_of(user):
        return True
    if comment.peer_organisation_id and comment.peer_organisation_id in organisation_ids_of(user, {Role.PEER_REVIEWER}):
        return True
    return False


@rules.predicate
def sits_on_client_council_of(user, plan):
    from samenplan.organisations.models import Council

    return Council.objects.filter(pk__in=council_ids_of(user), organisation_id=plan.organisation_id,
                                  kind=Council.Kind.CLIENT_COUNCIL).exists()


@rules.predicate
def sits_on_a_council_of(user, plan):
    from samenplan.organisations.models import Council

    return Council.objects.filter(pk__in=council_ids_of(user, COUNCIL_ROLES), organisation_id=plan.organisation_id).exists()


rules.add_perm("participation.comment_on_version",
               reads_plans_of_organisation | sits_on_a_council_it_was_shared_with | is_invited_peer)
rules.add_perm("participation.view_comment", may_see_comment | reads_plans_of_organisation | is_platform_admin)
rules.add_perm("participation.answer_comment", manages_organisation)
rules.add_perm("participation.view_top_points", reads_plans_of_organisation | sits_on_a_council_of | is_platform_admin)
rules.add_perm("participation.record_top_points", sits_on_client_council_of)
rules.add_perm("participation.answer_top_points", manages_organisation)
rules.add_perm("participation.invite_peers", manages_organisation)
rules.add_perm("participation.view_peer_reviews", reads_plans_of_organisation | is_platform_admin)
rules.add_perm("participation.review_version", is_invited_peer)


# --- The learning network's library -----------------------------------------------------------
# Peers read, comment and copy: the board, quality staff, location managers and peer reviewers of
# member organisations. Council members and everyone outside the network see nothing.

LIBRARY_ROLES = frozenset({Role.BOARD, Role.QUALITY_STAFF, Role.LOCATION_MANAGER, Role.PEER_REVIEWER})


def library_organisation_ids(user, network) -> set[int]:
    """The person's organisations (in a library role) that are members of the network."""
    from samenplan.organisations.models import LearningNetwork

    mine = organisation_ids_of(user, LIBRARY_ROLES)
    if not mine or not isinstance(network, LearningNetwork):
        return set()
    return {org.pk for org in network.organisations.all()} & mine


def _network_of(obj):
    return getattr(obj, "network", obj)


@rules.predicate
def reads_network_library(user, obj):
    return bool(library_organisation_ids(user, _network_of(obj)))


@rules.predicate
def entry_is_open(user, entry):
    return not entry.is_withdrawn


rules.add_perm("participation.view_library", reads_network_library | is_platform_admin)
rules.add_perm("participation.view_library_entry", (reads_network_library | is_platform_admin) & entry_is_open)
# The platform admin reads, but speaks for no organisation.
rules.add_perm("participation.comment_in_library", reads_network_library & entry_is_open)
rules.add_perm("participation.share_in_library", manages_organisation)
rules.add_perm("participation.withdraw_library_entry", manages_organisation & entry_is_open)
