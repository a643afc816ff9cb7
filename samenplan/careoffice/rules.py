"""Who submits to the care office, and who at the care office sees and answers what.

- The board submits the adopted plan and withdraws a submission (KK: the board is accountable).
- The organisation's plan readers follow the history of its submissions.
- Care-office staff see the organisations of their care office's regions, and the plans submitted
  to their care office; they acknowledge receipt, ask for a correction and set what they expect
  per year. The platform admin reads everything but answers nothing in a care office's name.
"""

import rules

from samenplan.accounts.models import Role
from samenplan.accounts.selectors import care_office_ids_of, organisation_ids_of
from samenplan.organisations.rules import is_platform_admin, organisation_id_of
from samenplan.plans.rules import reads_plans_of_organisation

from . import dialogue_rules  # noqa: F401  (rules autodiscovery imports this module only)


@rules.predicate
def is_board_of_organisation(user, obj):
    return organisation_id_of(obj) in organisation_ids_of(user, {Role.BOARD})


@rules.predicate
def works_for_care_office(user, care_office):
    return care_office is not None and care_office.pk in care_office_ids_of(user)


@rules.predicate
def received_the_submission(user, submission):
    return submission.care_office_id in care_office_ids_of(user)


@rules.predicate
def received_the_plan(user, plan):
    """The plan was submitted (ever) to a care office the person works for."""
    from .models import Submission

    mine = care_office_ids_of(user)
    return bool(mine) and Submission.objects.filter(plan_id=plan.pk, care_office_id__in=mine).exists()


@rules.predicate
def board_of_submission(user, submission):
    return submission.plan.organisation_id in organisation_ids_of(user, {Role.BOARD})


rules.add_perm("careoffice.submit_plan", is_board_of_organisation)
rules.add_perm("careoffice.withdraw_submission", board_of_submission)
rules.add_perm("careoffice.view_submissions", reads_plans_of_organisation | received_the_plan | is_platform_admin)
rules.add_perm("careoffice.view_portal", works_for_care_office | is_platform_admin)
rules.add_perm("careoffice.change_settings", works_for_care_office)
rules.add_perm("careoffice.view_received_plan", received_the_plan | is_platform_admin)
rules.add_perm("careoffice.respond_submission", received_the_submission)
