"""Who may see and work with signals.

- Reading and working with stored signals (tagging, merging, linking): the organisation's quality
  staff and the members and secretaries of its councils, nobody else. Not the board or a location
  manager (they see counts in the reports, not what a resident wrote), not a peer, not the care
  office, not a platform administrator.
- Entering a signal on someone's behalf and removing a signal's text: quality staff and council
  secretaries of the organisation.
- Printing a location's poster (no signal on it): everyone who works in or for the organisation.
"""

import rules

from samenplan.accounts.models import COUNCIL_ROLES, Role
from samenplan.accounts.selectors import organisation_ids_of
from samenplan.organisations.rules import organisation_id_of

SIGNAL_READERS = frozenset({Role.QUALITY_STAFF} | COUNCIL_ROLES)
PROXY_ENTRANTS = frozenset({Role.QUALITY_STAFF, Role.COUNCIL_SECRETARY})
POSTER_PRINTERS = frozenset({Role.BOARD, Role.QUALITY_STAFF, Role.LOCATION_MANAGER} | COUNCIL_ROLES)


def _has_role_in_organisation(user, obj, roles) -> bool:
    # Council memberships carry their council's organisation (accounts.services.add_membership).
    return organisation_id_of(obj) in organisation_ids_of(user, roles)


@rules.predicate
def reads_signals_of(user, obj):
    return _has_role_in_organisation(user, obj, SIGNAL_READERS)


@rules.predicate
def enters_signals_for(user, obj):
    return _has_role_in_organisation(user, obj, PROXY_ENTRANTS)


@rules.predicate
def works_for_organisation_of(user, obj):
    return _has_role_in_organisation(user, obj, POSTER_PRINTERS)


rules.add_perm("signals.view_signals", reads_signals_of)
rules.add_perm("signals.work_with_signals", reads_signals_of)
rules.add_perm("signals.record_on_behalf", enters_signals_for)
rules.add_perm("signals.redact_signal", enters_signals_for)
rules.add_perm("signals.print_poster", works_for_organisation_of)
