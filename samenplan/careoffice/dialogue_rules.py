"""Who may plan, join and follow a dialogue session, and who tracks its agreements.

- Staff of the care office that received the plan start and run the session: dates, invitations,
  agenda picks, attendance, minutes, agreements.
- The organisation's board and quality staff pick the date and keep the agreements' status.
- The organisation's plan readers and the members of its councils read the session and the
  agreements; members of an invited council add their own points to the agenda.

Predicates read the person's memberships once per request (accounts.selectors.memberships_of), and
a session's participants from its prefetched list, so a check makes no query of its own.
"""

import rules

from samenplan.accounts.models import COUNCIL_ROLES
from samenplan.accounts.selectors import (
    care_office_ids_of,
    council_ids_of,
    memberships_of,
    region_ids_of_care_offices,
)
from samenplan.organisations.rules import (
    is_platform_admin,
    manages_organisation,
    organisation_id_of,
    works_at_care_office,
)
from samenplan.plans.rules import reads_plans_of_organisation


def council_organisation_ids_of(user) -> set[int]:
    """The organisations whose councils the person sits on."""
    return {m.council.organisation_id for m in memberships_of(user) if m.council_id and m.role in COUNCIL_ROLES}


def _care_office_id_of(obj) -> int | None:
    if hasattr(obj, "care_office_id"):  # a session
        return obj.care_office_id
    if hasattr(obj, "session"):  # an agreement
        return obj.session.care_office_id
    return None


@rules.predicate
def works_at_care_office_of_session(user, obj):
    """`obj` is a session or an agreement: its care office is the person's."""
    return _care_office_id_of(obj) in care_office_ids_of(user)


@rules.predicate
def is_care_office_of_plan(user, plan):
    return plan.organisation.region_id in region_ids_of_care_offices(user)


@rules.predicate
def sits_on_council_of_organisation(user, obj):
    return organisation_id_of(obj) in council_organisation_ids_of(user)


@rules.predicate
def sits_on_invited_council(user, session):
    mine = council_ids_of(user)
    return bool(mine) and any(p.council_id in mine for p in session.participants.all())


@rules.predicate
def session_is_open(user, session):
    return session.status in {"proposed", "planned"}


@rules.predicate
def session_is_not_cancelled(user, session):
    return session.status != "cancelled"


ORGANISATION_SIDE = reads_plans_of_organisation | sits_on_council_of_organisation

rules.add_perm("careoffice.start_dialogue", is_care_office_of_plan)
rules.add_perm("careoffice.view_dialogue", works_at_care_office_of_session | ORGANISATION_SIDE | is_platform_admin)
rules.add_perm("careoffice.manage_dialogue", works_at_care_office_of_session)
rules.add_perm("careoffice.pick_dialogue_date", manages_organisation)
rules.add_perm("careoffice.cancel_dialogue", works_at_care_office_of_session | manages_organisation)
rules.add_perm("careoffice.add_council_point", sits_on_invited_council & session_is_not_cancelled)
rules.add_perm("careoffice.record_agreement", works_at_care_office_of_session)
# The care office words the agreement; the organisation keeps its status up to date.
rules.add_perm("careoffice.word_agreement", works_at_care_office_of_session)
rules.add_perm("careoffice.track_agreement", manages_organisation)
rules.add_perm("careoffice.view_agreement", works_at_care_office_of_session | ORGANISATION_SIDE | is_platform_admin)
rules.add_perm("careoffice.view_plan_agreements", is_care_office_of_plan | ORGANISATION_SIDE | is_platform_admin)
rules.add_perm("careoffice.view_dialogue_sessions", works_at_care_office | is_platform_admin)
