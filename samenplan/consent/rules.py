"""Who may ask for consent, record a council's decision, adopt and move the plan along.

- The plan's authors (board, quality staff) send a version to the councils and move the plan
  between phases; only a board member adopts (DOMAIN rule 18).
- The council's secretary records the council's decision (taken in a meeting).
- Council members read their council's requests; the organisation's plan readers read all.
"""

import rules

from samenplan.accounts.models import Role
from samenplan.accounts.selectors import council_ids_of, organisation_ids_of
from samenplan.organisations.rules import is_platform_admin, manages_organisation, organisation_id_of
from samenplan.plans.rules import reads_plans_of_organisation


@rules.predicate
def is_board_of_plan_organisation(user, plan):
    return organisation_id_of(plan) in organisation_ids_of(user, {Role.BOARD})


@rules.predicate
def sits_on_requested_council(user, request):
    return request.council_id in council_ids_of(user)


@rules.predicate
def is_secretary_of_requested_council(user, request):
    return request.council_id in council_ids_of(user, {Role.COUNCIL_SECRETARY})


@rules.predicate
def sits_on_a_council_of_organisation(user, plan):
    from samenplan.organisations.models import Council

    mine = council_ids_of(user)
    return bool(mine) and Council.objects.filter(pk__in=mine, organisation_id=organisation_id_of(plan)).exists()


rules.add_perm("consent.request_consent", manages_organisation)
rules.add_perm("consent.view_consent", reads_plans_of_organisation | is_platform_admin)
rules.add_perm("consent.view_request", sits_on_requested_council | reads_plans_of_organisation | is_platform_admin)
rules.add_perm("consent.record_decision", is_secretary_of_requested_council)
rules.add_perm("consent.manage_conditions", manages_organisation)
rules.add_perm("consent.record_lcvv", manages_organisation)
rules.add_perm("consent.transition_plan", manages_organisation)
# Only the board adopts (rule 18). Whether the plan is ready is the state machine's question, so a
# board member asking too early hears why (409 with the findings) instead of a bare 403.
rules.add_perm("consent.adopt_plan", is_board_of_plan_organisation)
rules.add_perm("consent.view_timeline",
               reads_plans_of_organisation | sits_on_a_council_of_organisation | is_platform_admin)
