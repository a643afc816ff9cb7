"""Consent by the councils and the plan's phases over the JSON API. Every write calls the same
service as the pages do; a refused step answers 409 with the checker's blocking findings."""

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from samenplan.accounts.selectors import council_ids_of
from samenplan.participation.api import input_names
from samenplan.plans import selectors as plan_selectors
from samenplan.plans.api import FindingOut, PlanSummaryOut, finding_json
from samenplan.plans.api import _summary as plan_summary
from samenplan.plans.models import QualityPlan

from . import selectors, services
from .models import ConsentDecision

router = Router(tags=["consent"])


class RefusedOut(Schema):
    message: str
    findings: list[FindingOut]


def _refused(plan: QualityPlan, refused: services.TransitionRefused) -> Status:
    message = refused.message or _("Het plan kan nog niet naar de volgende fase. Los eerst de punten in findings op.")
    return Status(409, {"message": message, "findings": [finding_json(plan, f) for f in refused.findings]})


class CouncilOut(Schema):
    id: int
    name: str
    kind: str


class VersionHashOut(Schema):
    id: int
    number: int
    sha256: str


class ConditionOut(Schema):
    id: int
    text: str
    owner: str
    status: str


class DecisionOut(Schema):
    decision: Literal[tuple(ConsentDecision.Decision.values)]  # type: ignore[valid-type]
    meeting_date: datetime.date
    reasons: str
    conditions: list[ConditionOut]
    recorded_by: str
    recorded_at: datetime.datetime
    version_sha256: str = Field(description="The hash of the version the council decided on")


class ConsentRequestOut(Schema):
    id: int
    council: CouncilOut
    version: VersionHashOut
    respond_by: datetime.date
    stands_in_for_nursing_council: bool = Field(
        description="A works council deciding in place of a missing VAR/PAR, on the professional content")
    decision: DecisionOut | None
    stale: bool = Field(description="The decision was taken on other content than the plan has now, so it counts "
                                    "as absent until the council decides on the new version")


def _decision_json(decision: ConsentDecision) -> dict:
    return {"decision": decision.decision, "meeting_date": decision.meeting_date, "reasons": decision.reasons,
            "conditions": [{"id": c.pk, "text": c.text, "owner": c.owner, "status": c.status}
                           for c in decision.conditions.all()],
            "recorded_by": str(decision.recorded_by), "recorded_at": decision.recorded_at,
            "version_sha256": decision.version_sha256}


def _request_json(request, content_sha256: str) -> dict:
    decision = request.decision if selectors._has_decision(request) else None
    return {
        "id": request.pk,
        "council": {"id": request.council.pk, "name": request.council.name, "kind": request.council.kind},
        "version": {"id": request.version.pk, "number": request.version.number, "sha256": request.version.sha256},
        "respond_by": request.respond_by, "stands_in_for_nursing_council": request.stands_in_for_nursing_council,
        "decision": _decision_json(decision) if decision else None,
        "stale": selectors.is_stale(request, content_sha256),
    }


def _requests_json(plan: QualityPlan, requests) -> list[dict]:
    _snapshot, content_sha256 = selectors.draft_state(plan)
    return [_request_json(r, content_sha256) for r in requests]


@router.get("/plans/{plan_id}/consent-requests", response=list[ConsentRequestOut],
            summary="The consent requests of a plan, each with the council's decision and whether it is stale",
            description="The organisation's plan readers see every request; members of one of its councils see "
                        "their council's. Others get 404. Newest version first.")
def list_consent_requests(request, plan_id: int):
    # Who may follow the plan's history (its readers and the members of its councils) may see the round.
    plan = plan_selectors.get_plan_with_perm(request.user, plan_id, "consent.view_timeline")
    requests = selectors.consent_requests_of_plan(plan)
    if not request.user.has_perm("consent.view_consent", plan):
        requests = requests.filter(council__in=council_ids_of(request.user))
    return _requests_json(plan, requests)


class ConsentRequestIn(Schema):
    respond_by: datetime.date | None = Field(None, description="Default: six weeks from today")
    include_works_council: bool = Field(False, description="Ask the works council too, where it is not required")


@router.post("/plans/{plan_id}/consent-requests", response={201: list[ConsentRequestOut], 409: RefusedOut},
             summary="Send the current version to every council that must consent",
             description="For the plan's authors. The latest frozen version goes to the client council and the "
                         "VAR/PAR (or the works council where there is no VAR/PAR), and the plan moves to the "
                         "consent phase. 409 with the blocking findings while the plan is incomplete or has "
                         "changes that are not frozen. The answer lists every request on that version.")
def request_consent(request, plan_id: int, data: ConsentRequestIn):
    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    try:
        services.request_consent(plan=plan, by=request.user, respond_by=data.respond_by,
                                 include_works_council=data.include_works_council)
    except services.TransitionRefused as refused:
        return _refused(plan, refused)
    latest = plan.versions.order_by("-number").first()
    return Status(201, _requests_json(plan, selectors.consent_requests_of_plan(plan).filter(version=latest)))


class ConditionIn(Schema):
    text: str = Field(max_length=2000)
    owner: str = Field(max_length=200, description="Who sees to it that the condition is met")


class DecisionIn(Schema):
    decision: Literal[tuple(ConsentDecision.Decision.values)]  # type: ignore[valid-type]
    meeting_date: datetime.date = Field(description="The day of the meeting in which the council decided")
    reasons: str = Field("", max_length=10000, description="Required for `refused`")
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=50,
                                          description="Required for `granted_with_conditions`, empty otherwise")
    present_ids: list[int] = Field(default_factory=list, max_length=200,
                                   description="User ids of the council members present")
    present_note: str = Field("", max_length=500, description="Others present, e.g. members without an account")


class AlreadyDecidedOut(Schema):
    message: str
    decision: DecisionOut


@router.post("/consent-requests/{request_id}/decision", response={201: ConsentRequestOut, 409: AlreadyDecidedOut},
             summary="Record the council's decision on a consent request",
             description="For the secretary of the requested council. The decision is bound to the hash of the "
                         "version asked about. A refusal sends the plan back to draft. 409 when the request has a "
                         "decision already (of two recorded at the same moment, exactly one stays).")
def record_decision(request, request_id: int, data: DecisionIn):
    consent_request = selectors.get_request_for_user(request.user, request_id)
    try:
        with input_names(present="present_ids"):
            services.record_consent_decision(
                request=consent_request, by=request.user, decision=data.decision, meeting_date=data.meeting_date,
                reasons=data.reasons, conditions=[c.dict() for c in data.conditions], present_ids=data.present_ids,
                present_note=data.present_note)
    except services.DecisionAlreadyRecorded as already:
        return Status(409, {"message": _("De raad heeft al een besluit over dit verzoek. Dat besluit blijft staan."),
                            "decision": _decision_json(already.decision)})
    plan = consent_request.plan
    (fresh,) = _requests_json(plan, selectors.consent_requests_of_plan(plan).filter(pk=consent_request.pk))
    return Status(201, fresh)


class TransitionIn(Schema):
    to: Literal[tuple(QualityPlan.Status.values)]  # type: ignore[valid-type]
    respond_by: datetime.date | None = Field(None, description="Going to `consent`: the councils' response date")
    include_works_council: bool = Field(False, description="Going to `consent`: ask the works council too")
    note: str = Field("", max_length=500, description="Kept in the audit trail")


@router.post("/plans/{plan_id}/transition", response={200: PlanSummaryOut, 409: RefusedOut},
             summary="Move the plan to another phase",
             description="draft → peer_review → consent → adopted, and back to draft. Going to `consent` sends the "
                         "latest version to the councils; going to `adopted` (board only) adopts it. 409 with the "
                         "blocking findings of the compliance checker when the step is not allowed yet.")
def transition(request, plan_id: int, data: TransitionIn):
    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    try:
        plan = services.transition_plan(plan=plan, to=data.to, by=request.user, respond_by=data.respond_by,
                                        include_works_council=data.include_works_council, note=data.note)
    except services.TransitionRefused as refused:
        return _refused(plan, refused)
    return plan_summary(plan)
