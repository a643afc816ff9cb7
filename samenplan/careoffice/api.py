"""Submission to the care office, and the care office's view of its region, over the JSON API.

Every write calls the same service as the pages. A submission that the checker refuses answers
409 with the findings; a step the submission's state does not allow (answering a withdrawn one)
answers 409 with a message. Care-office routes are scoped to the caller's care offices: a person
who works for none gets 403, another care office's submission is a 404.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from samenplan.consent.api import RefusedOut, _refused
from samenplan.consent.services import TransitionRefused
from samenplan.core.schemas import MessageOut
from samenplan.plans.models import QualityPlan
from samenplan.plans.selectors import get_plan_for_user

from . import selectors, services
from .models import Submission
from .rules import care_office_ids_of

router = Router(tags=["careoffice"])


class EvidenceConsentOut(Schema):
    council: str
    kind: str
    decision: str
    date: str
    sha256: str


class EvidenceReviewOut(Schema):
    organisation: str
    number: int
    sha256: str
    date: str


class EvidenceFindingOut(Schema):
    rule: str
    code: str
    severity: str
    message: str


class EvidenceOut(Schema):
    consent: list[EvidenceConsentOut] = Field(description="The councils' decisions on the submitted hash")
    peer_reviews: list[EvidenceReviewOut]
    findings: list[EvidenceFindingOut] = Field(description="The checker's findings when the plan was submitted")


class SubmissionOut(Schema):
    id: int
    plan_id: int
    organisation: str
    year: int
    care_office: str
    version_id: int
    version_number: int
    sha256: str = Field(description="The SHA-256 of the submitted version; always the adopted version's hash")
    status: str
    note: str
    submitted_at: datetime.datetime
    replaces_id: int | None
    responded_at: datetime.datetime | None
    response_reason: str
    withdrawn_at: datetime.datetime | None
    withdrawal_reason: str
    warning_count: int
    evidence: EvidenceOut


def _json(submission: Submission) -> dict:
    evidence = submission.evidence or {}
    return {
        "id": submission.pk, "plan_id": submission.plan_id, "organisation": submission.plan.organisation.name,
        "year": submission.plan.year, "care_office": submission.care_office.name,
        "version_id": submission.version_id, "version_number": submission.version.number,
        "sha256": submission.sha256, "status": submission.status, "note": submission.note,
        "submitted_at": submission.submitted_at, "replaces_id": submission.replaces_id,
        "responded_at": submission.responded_at, "response_reason": submission.response_reason,
        "withdrawn_at": submission.withdrawn_at, "withdrawal_reason": submission.withdrawal_reason,
        "warning_count": submission.warning_count,
        "evidence": {"consent": evidence.get("consent", []), "peer_reviews": evidence.get("peer_reviews", []),
                     "findings": evidence.get("findings", [])},
    }


class SubmitIn(Schema):
    note: str = Field("", max_length=3000, description="A note for the care office")


@router.post("/plans/{plan_id}/submissions", response={201: SubmissionOut, 409: RefusedOut},
             summary="Submit the plan's adopted version to the care office of its region",
             description="For the board. Only an adopted version can be submitted, and the submitted hash is "
                         "the adopted hash (rule 17): 409 with the checker's findings otherwise. A newer adopted "
                         "version replaces the current submission. 400 when the region has no (or more than one) "
                         "care office.")
def submit(request, plan_id: int, data: SubmitIn):
    plan = get_plan_for_user(request.user, plan_id)
    try:
        submission = services.submit_plan(plan=plan, by=request.user, note=data.note)
    except TransitionRefused as refused:
        return _refused(plan, refused)
    return Status(201, _json(_reload(submission.pk)))


def _reload(submission_id: int) -> Submission:
    return (Submission.objects.select_related("plan__organisation", "version", "care_office")
            .defer("version__content").get(pk=submission_id))


@router.get("/plans/{plan_id}/submissions", response=list[SubmissionOut],
            summary="The history of the plan's submissions, newest first",
            description="For the organisation's plan readers, and for the staff of a care office the plan was "
                        "submitted to (who see their own care office's submissions only). Others get 404.")
def list_submissions(request, plan_id: int):
    from django.http import Http404

    plan = QualityPlan.objects.select_related("organisation").filter(pk=plan_id).first()
    if plan is None or not request.user.has_perm("careoffice.view_submissions", plan):
        raise Http404
    history = selectors.submissions_of_plan(plan, request.user)
    for submission in history:
        submission.plan = plan
    return [_json(s) for s in history]


class RegionPlanOut(Schema):
    organisation_id: int
    organisation: str
    region: str
    locations: int = Field(description="Active locations")
    plan_id: int | None
    state: str = Field(description="not_started, draft, consent, adopted, submitted or in_dialogue")
    late: bool = Field(description="Not submitted after the care office's deadline for the year (rule 20)")
    submission_id: int | None
    submission_status: str | None
    submitted_at: datetime.datetime | None
    submitted_version: int | None
    warning_count: int | None


class RegionOut(Schema):
    care_office_id: int
    care_office: str
    year: int
    deadline: datetime.date | None
    plan_format: str
    plans: list[RegionPlanOut]


class RegionQuery(Schema):
    year: int | None = Field(None, ge=2015, le=2100, description="The plan year; this calendar year by default")
    care_office: int | None = Field(None, description="Only for a person who works for more than one care office")


@router.get("/careoffice/plans", response=list[RegionOut],
            summary="The state of every organisation's plan for a year, in the caller's care-office regions",
            description="For care-office staff: one entry per care office the caller works for, with every "
                        "organisation of its regions. Anybody else (organisation users, councils, peers) gets 403.")
def region_plans(request, query: Query[RegionQuery]):
    from samenplan.organisations.models import CareOffice

    ids = care_office_ids_of(request.user)
    if query.care_office is not None:
        ids &= {query.care_office}
    if not care_office_ids_of(request.user):
        raise PermissionDenied
    year = query.year or timezone.localdate().year
    result = []
    for care_office in CareOffice.objects.filter(pk__in=ids).order_by("name"):
        setting = selectors.year_setting(care_office, year)
        deadline = setting.deadline if setting else None
        rows = selectors.mark_rows(list(selectors.portal_rows(care_office, selectors.PortalFilters(year=year),
                                                              deadline=deadline)), deadline)
        result.append({
            "care_office_id": care_office.pk, "care_office": care_office.name, "year": year, "deadline": deadline,
            "plan_format": setting.plan_format if setting else "framework",
            "plans": [{"organisation_id": r.pk, "organisation": r.name, "region": r.region.name,
                       "locations": r.location_count, "plan_id": r.plan_id, "state": r.state, "late": r.is_late,
                       "submission_id": r.submission_id, "submission_status": r.submission_status,
                       "submitted_at": r.submitted_at, "submitted_version": r.submitted_number,
                       "warning_count": r.warning_count} for r in rows],
        })
    return result


def _care_office_submission(request, submission_id: int) -> Submission:
    return selectors.get_submission_for_user(request.user, submission_id, "careoffice.respond_submission")


def _answer(request, submission_id: int, outcome: str, reason: str = ""):
    submission = _care_office_submission(request, submission_id)
    try:
        services.respond_to_submission(submission=submission, by=request.user, outcome=outcome, reason=reason)
    except services.SubmissionRefused as refused:
        return Status(409, {"message": refused.message})
    return Status(200, _json(_reload(submission.pk)))


@router.post("/submissions/{submission_id}/acknowledge", response={200: SubmissionOut, 409: MessageOut},
             summary="Acknowledge receipt of a submission",
             description="For the staff of the care office the plan was submitted to; the board and the quality "
                         "staff are told. 409 when the submission was withdrawn or replaced, or was acknowledged "
                         "already.")
def acknowledge(request, submission_id: int):
    return _answer(request, submission_id, Submission.Status.RECEIVED)


class CorrectionIn(Schema):
    reason: str = Field("", max_length=3000, description="What the organisation should correct (required)")


@router.post("/submissions/{submission_id}/correction", response={200: SubmissionOut, 409: MessageOut},
             summary="Ask the organisation for a correction",
             description="For the staff of the care office the plan was submitted to. `reason` is required "
                         "(400 with `body.reason`). The board and the quality staff are told.")
def correction(request, submission_id: int, data: CorrectionIn):
    return _answer(request, submission_id, Submission.Status.CORRECTION_REQUESTED, data.reason)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=3000, description="Why the submission is withdrawn (required)")


@router.post("/submissions/{submission_id}/withdraw", response={200: SubmissionOut, 409: MessageOut},
             summary="Withdraw a submission",
             description="For the board. The submission stays in the history as withdrawn and the plan is "
                         "adopted again. `reason` is required (400 with `body.reason`); 409 when it is no longer "
                         "current.")
def withdraw(request, submission_id: int, data: WithdrawIn):
    submission = selectors.get_submission_for_user(request.user, submission_id, "careoffice.withdraw_submission")
    try:
        services.withdraw_submission(submission=submission, by=request.user, reason=data.reason)
    except services.SubmissionRefused as refused:
        return Status(409, {"message": refused.message})
    return Status(200, _json(_reload(submission.pk)))
