"""Who may follow the plan through the year and write its report.

- Reading progress, the quarterly reports and the draft quality report: everyone who works in the
  organisation (board, quality staff, location managers) and the members and secretaries of its
  councils. Not peers, not the care office, not another organisation.
- Recording an action's quarterly progress and writing its evaluation: board and quality staff, and
  the location manager of the action's own location.
- Commenting on a quarterly report or the draft quality report: members and secretaries of the
  organisation's councils.
- Drafting and editing the quality report, its findings and "u zei, wij deden": board and quality
  staff. Adopting the report: the board only, as with the plan (rule 18).
"""

import rules

from samenplan.accounts.models import COUNCIL_ROLES, Role
from samenplan.accounts.selectors import memberships_of, organisation_ids_of
from samenplan.organisations.rules import MANAGERS, organisation_id_of
from samenplan.plans.models import QualityPlan

FOLLOWERS = frozenset({Role.BOARD, Role.QUALITY_STAFF, Role.LOCATION_MANAGER} | COUNCIL_ROLES)
# Progress is recorded on a plan that is being carried out.
FOLLOWED_STATES = frozenset({QualityPlan.Status.ADOPTED, QualityPlan.Status.SUBMITTED,
                             QualityPlan.Status.IN_PROGRESS})


def _plan_of(obj):
    # An action belongs to a plan through its paragraph.
    return obj.paragraph.plan if hasattr(obj, "paragraph") else obj


@rules.predicate
def follows_plan_of(user, obj):
    return organisation_id_of(_plan_of(obj)) in organisation_ids_of(user, FOLLOWERS)


@rules.predicate
def manages_plan_of(user, obj):
    return organisation_id_of(_plan_of(obj)) in organisation_ids_of(user, MANAGERS)


@rules.predicate
def manages_location_of_action(user, action):
    location_id = action.paragraph.location_id
    return any(m.role == Role.LOCATION_MANAGER and m.location_id == location_id for m in memberships_of(user))


@rules.predicate
def sits_on_council_of(user, obj):
    return organisation_id_of(_plan_of(obj)) in organisation_ids_of(user, COUNCIL_ROLES)


@rules.predicate
def is_board_of(user, obj):
    return organisation_id_of(_plan_of(obj)) in organisation_ids_of(user, {Role.BOARD})


@rules.predicate
def plan_is_followed(user, obj):
    return _plan_of(obj).status in FOLLOWED_STATES


rules.add_perm("monitoring.view_progress", follows_plan_of)
# Who keeps an action's progress; recording it also needs a plan that is being carried out.
keeps_progress_of = manages_plan_of | manages_location_of_action
rules.add_perm("monitoring.keep_progress", keeps_progress_of)
rules.add_perm("monitoring.record_progress", keeps_progress_of & plan_is_followed)
rules.add_perm("monitoring.comment_report", sits_on_council_of)
rules.add_perm("monitoring.view_report", follows_plan_of)
rules.add_perm("monitoring.write_report", manages_plan_of)
rules.add_perm("monitoring.evaluate_action", manages_plan_of | manages_location_of_action)
rules.add_perm("monitoring.adopt_report", is_board_of)
rules.add_perm("monitoring.publish_you_said", manages_plan_of)
