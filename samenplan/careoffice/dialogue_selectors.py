"""Reads of dialogue sessions and agreements, scoped to the person asking: another care office's
or another organisation's session is an Http404, so an answer never reveals that it exists."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samenplan.accounts.selectors import (
    care_office_ids_of,
    is_platform_admin,
    organisation_ids_of,
    region_ids_of_care_offices,
)
from samenplan.compliance import CouncilFacts
from samenplan.compliance.dialogue import DialogueFacts, check_dialogue
from samenplan.organisations.models import Council
from samenplan.plans.models import QualityPlan
from samenplan.plans.rules import PLAN_READERS

from .dialogue_rules import council_organisation_ids_of
from .models import AgendaItem, Agreement, DialogueParticipant, DialogueSession, Submission

# Last year's agreements that were closed within this time still show, so the reader sees what
# was settled since the last session; older closed ones are in last year's session.
RECENTLY_CLOSED = timedelta(days=365)


def _visible(queryset, user, *, organisation_field="organisation_id", care_office_field="care_office_id"):
    if is_platform_admin(user):
        return queryset
    return queryset.filter(
        Q(**{f"{care_office_field}__in": care_office_ids_of(user)})
        | Q(**{f"{organisation_field}__in": organisation_ids_of(user, PLAN_READERS) | council_organisation_ids_of(user)})
    )


def sessions_for_user(user) -> QuerySet[DialogueSession]:
    return _visible(DialogueSession.objects.all(), user)


def get_session_for_user(user, session_id) -> DialogueSession:
    """The session with everything its page shows, in a fixed number of queries."""
    session = (
        sessions_for_user(user)
        .select_related("plan__organisation__region", "plan__framework", "organisation", "care_office",
                        "submission__version")
        .defer("submission__version__content")
        .prefetch_related(
            "proposed_dates",
            Prefetch("participants", queryset=DialogueParticipant.objects.select_related("council")),
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("council", "added_by")),
            Prefetch("agreements", queryset=Agreement.objects.select_related("updated_by")),
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def sessions_of_care_office(care_office) -> list[DialogueSession]:
    """The care office's sessions, newest first, with what its list shows (no names of people)."""
    return list(
        DialogueSession.objects.filter(care_office=care_office)
        .select_related("organisation", "plan")
        .annotate(agreement_count=Count("agreements", distinct=True),
                  party_count=Count("participants", distinct=True))
        .order_by("-created_at", "-pk")
    )


def sessions_of_plan(plan, care_office_id) -> list[DialogueSession]:
    """The care office's sessions about one plan, newest first."""
    return list(DialogueSession.objects.filter(plan=plan, care_office_id=care_office_id).order_by("-created_at", "-pk"))


def plans_for_care_office(user) -> QuerySet[QualityPlan]:
    plans = QualityPlan.objects.select_related("organisation__region", "framework")
    if is_platform_admin(user):
        return plans
    return plans.filter(organisation__region__in=region_ids_of_care_offices(user))


def get_plan_for_care_office(user, plan_id) -> QualityPlan:
    plan = plans_for_care_office(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def get_plan_for_agreements(user, plan_id) -> QualityPlan:
    """The plan when the person may follow its agreements: its organisation's plan readers and
    council members, the care office of its region, a platform admin."""
    plan = QualityPlan.objects.select_related("organisation__region", "framework").filter(pk=plan_id).first()
    if plan is None or not user.has_perm("careoffice.view_plan_agreements", plan):
        raise Http404
    return plan


def current_submission(plan) -> Submission | None:
    return (Submission.objects.filter(plan=plan, status__in=Submission.CURRENT)
            .select_related("version", "care_office").defer("version__content").order_by("-submitted_at").first())


def agreements_of_plan(plan_id) -> list[Agreement]:
    return list(Agreement.objects.filter(plan_id=plan_id).select_related("updated_by", "session")
                .order_by("due_date", "pk"))


def tracked_from_last_year(agreements: list[Agreement]) -> list[Agreement]:
    """Of last year's agreements: the open ones, and those closed recently."""
    since = timezone.now() - RECENTLY_CLOSED
    return [a for a in agreements if a.is_open or a.updated_at >= since]


def mark_overdue(agreements) -> list:
    today = timezone.localdate()
    for agreement in agreements:
        agreement.overdue = agreement.is_open and agreement.due_date < today
    return list(agreements)


def council_facts(organisation_id) -> tuple[CouncilFacts, ...]:
    return tuple(CouncilFacts(id=c.pk, kind=c.kind, name=c.name, location_id=c.location_id)
                 for c in Council.objects.filter(organisation_id=organisation_id).order_by("name"))


def dialogue_facts(session: DialogueSession, councils=None) -> DialogueFacts:
    participants = list(session.participants.all())
    return DialogueFacts(
        board_invited=any(p.party == DialogueParticipant.Party.BOARD for p in participants),
        invited_council_ids=frozenset(p.council_id for p in participants if p.council_id),
        councils=councils if councils is not None else council_facts(session.organisation_id),
    )


def session_findings(session: DialogueSession, councils=None):
    """Rule 19 for this session: which of the three parties is not invited."""
    return check_dialogue(dialogue_facts(session, councils))


def plan_panel(plan) -> dict:
    """What the plan page shows of the dialogue: this plan's sessions and the agreements of this
    plan and of last year's, in two queries."""
    sessions = list(DialogueSession.objects.filter(plan=plan).exclude(status=DialogueSession.Status.CANCELLED)
                    .only("pk", "status", "starts_at", "held_on", "plan_id", "created_at").order_by("-created_at"))
    plan_ids = [plan.pk] + ([plan.previous_id] if plan.previous_id else [])
    agreements = mark_overdue(Agreement.objects.filter(plan_id__in=plan_ids).order_by("due_date", "pk"))
    current = [a for a in agreements if a.plan_id == plan.pk]
    earlier = tracked_from_last_year([a for a in agreements if a.plan_id != plan.pk])
    return {"sessions": sessions, "agreements": current, "earlier_agreements": earlier}
