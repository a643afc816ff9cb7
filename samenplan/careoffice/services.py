"""Submission of the adopted plan to the care office, and the care office's answer.

The board submits; the plan moves `adopted -> submitted` through `consent.services.transition_plan`,
which runs the checker with rule 17 (only the adopted version, with exactly the adopted hash).
A submission keeps what it rested on (`evidence`), so the care office reads it as it was sent,
whatever happens to the plan afterwards.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenplan.accounts.models import User
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.consent.models import Adoption, ConsentDecision
from samenplan.consent.selectors import plan_findings
from samenplan.consent.services import transition_plan
from samenplan.core.permissions import require
from samenplan.core.validators import clean_text
from samenplan.notifications.selectors import people_of_care_office, people_of_organisation
from samenplan.notifications.services import notify
from samenplan.organisations.models import CareOffice
from samenplan.participation.models import PeerReview
from samenplan.plans.models import QualityPlan

from .models import CareOfficeYear, Submission

Status = QualityPlan.Status


class SubmissionRefused(Exception):
    """The submission is not in a state that allows the step (answered 409 by the API)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def care_office_of(plan: QualityPlan) -> CareOffice:
    """The care office of the organisation's region: exactly one, or a clear message."""
    offices = list(CareOffice.objects.filter(regions__organisations=plan.organisation_id).distinct()[:2])
    if not offices:
        raise ValidationError(_("Er is geen zorgkantoor bekend voor de regio van uw organisatie. Vraag de "
                                "beheerder van Samenplan om het zorgkantoor toe te voegen."))
    if len(offices) > 1:
        raise ValidationError(_("Voor de regio van uw organisatie zijn meer zorgkantoren bekend. Vraag de beheerder "
                                "van Samenplan welk zorgkantoor uw plan ontvangt."))
    return offices[0]


def evidence_of(plan: QualityPlan, version) -> dict:
    """What the submission rests on, with organisation and council names only, never people's."""
    decisions = (ConsentDecision.objects.filter(request__plan=plan, version_sha256=version.sha256)
                 .select_related("request__council").order_by("request__council__name", "-recorded_at"))
    consent, seen = [], set()
    for decision in decisions:
        council = decision.request.council
        if council.pk in seen:
            continue
        seen.add(council.pk)
        consent.append({"council": council.name, "kind": council.kind, "decision": decision.decision,
                        "date": decision.meeting_date.isoformat(), "sha256": decision.version_sha256})
    reviews = [
        {"organisation": r.organisation.name, "number": r.version.number, "sha256": r.version.sha256,
         "date": timezone.localdate(r.submitted_at).isoformat()}
        for r in PeerReview.objects.filter(version__plan=plan, submitted_at__isnull=False)
        .select_related("organisation", "version").defer("version__content").order_by("submitted_at", "pk")
    ]
    _snapshot, _sha256, found = plan_findings(plan, latest_version_sha256=version.sha256)
    findings = [{"rule": f.rule, "code": f.code, "severity": str(f.severity), "message": f.message} for f in found]
    return {"consent": consent, "peer_reviews": reviews, "findings": findings}


@transaction.atomic
def submit_plan(*, plan: QualityPlan, by: User, note: str = "") -> Submission:
    """Sends the plan's adopted version to the care office of its region. A newer adopted version
    replaces the submission that is current (the history keeps both)."""
    require(by, "careoffice.submit_plan", plan)
    note = clean_text(note, "note")
    care_office = care_office_of(plan)
    # transition_plan locks the plan and refuses (TransitionRefused, with the findings) unless
    # rule 17 and everything adoption needed still hold.
    plan = transition_plan(plan=plan, to=Status.SUBMITTED, by=by, note=note, care_office_step=True)
    adoption = (Adoption.objects.filter(plan=plan).select_related("version").defer("version__content")
                .order_by("-adopted_at", "-pk").first())
    version = adoption.version
    previous = Submission.objects.select_for_update().filter(plan=plan, status__in=Submission.CURRENT).first()
    if previous is not None:
        previous.status = Submission.Status.REPLACED
        previous.save(update_fields=["status"])
    evidence = evidence_of(plan, version)
    submission = Submission.objects.create(
        plan=plan, version=version, adoption=adoption, care_office=care_office, sha256=version.sha256,
        evidence=evidence, warning_count=len(evidence["findings"]), note=note, submitted_by=by, replaces=previous)
    record(AuditEvent.Kind.PLAN_SUBMITTED, actor=by, plan=plan, version=version,
           data={"care_office": care_office.name, "number": version.number, "sha256": version.sha256,
                 "submission": submission.pk, "replaces": previous.pk if previous else None})
    notify(recipients=people_of_care_office(care_office.pk), event_key=f"plan-submitted-{submission.pk}",
           kind="plan_submitted", exclude=by,
           subject=gettext_lazy("%(organisation)s heeft het kwaliteitsplan %(year)s ingediend (versie %(number)s)"),
           params={"organisation": plan.organisation.name, "year": plan.year, "number": version.number},
           url=reverse("careoffice:plan", args=[plan.pk]))
    return submission


def _locked(submission: Submission) -> Submission:
    return (Submission.objects.select_for_update().select_related("plan__organisation", "version", "care_office")
            .defer("version__content").get(pk=submission.pk))


@transaction.atomic
def withdraw_submission(*, submission: Submission, by: User, reason: str) -> Submission:
    """The board takes the submission back; it stays in the history as withdrawn, and a plan that
    was submitted is adopted again (and can be submitted again)."""
    require(by, "careoffice.withdraw_submission", submission)
    reason = clean_text(reason, "reason", required=_("Schrijf op waarom u de indiening intrekt."))
    submission = _locked(submission)
    if not submission.is_current:
        raise SubmissionRefused(_("Deze indiening is al ingetrokken of vervangen."))
    submission.status = Submission.Status.WITHDRAWN
    submission.withdrawn_by, submission.withdrawn_at, submission.withdrawal_reason = by, timezone.now(), reason
    submission.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason"])
    plan = submission.plan
    if plan.status == Status.SUBMITTED:
        transition_plan(plan=plan, to=Status.ADOPTED, by=by, note=reason, care_office_step=True)
    record(AuditEvent.Kind.SUBMISSION_WITHDRAWN, actor=by, plan=plan, version=submission.version,
           data={"care_office": submission.care_office.name, "number": submission.version.number,
                 "submission": submission.pk, "reason": reason[:500]})
    notify(recipients=people_of_care_office(submission.care_office_id), event_key=f"submission-withdrawn-{submission.pk}",
           kind="submission_withdrawn", exclude=by,
           subject=gettext_lazy("%(organisation)s heeft de indiening van het kwaliteitsplan %(year)s ingetrokken"),
           params={"organisation": plan.organisation.name, "year": plan.year},
           url=reverse("careoffice:plan", args=[plan.pk]))
    return submission


RECEIVED = Submission.Status.RECEIVED
CORRECTION = Submission.Status.CORRECTION_REQUESTED


@transaction.atomic
def respond_to_submission(*, submission: Submission, by: User, outcome: str, reason: str = "") -> Submission:
    """The care office acknowledges receipt, or asks for a correction with a reason. The board and
    the quality staff are told."""
    require(by, "careoffice.respond_submission", submission)
    if outcome not in (RECEIVED, CORRECTION):
        raise ValidationError({"outcome": _("Kies: ontvangst bevestigen of om een correctie vragen.")})
    reason = clean_text(reason, "reason", required=_(
        "Schrijf op wat de organisatie moet verbeteren.") if outcome == CORRECTION else "")
    submission = _locked(submission)
    if not submission.is_current:
        raise SubmissionRefused(_("Deze indiening is ingetrokken of vervangen. Er valt niets meer op te antwoorden."))
    if submission.status == outcome == RECEIVED:
        raise SubmissionRefused(_("De ontvangst van deze indiening is al bevestigd."))
    submission.status, submission.response_reason = outcome, reason
    submission.responded_by, submission.responded_at = by, timezone.now()
    submission.save(update_fields=["status", "response_reason", "responded_by", "responded_at"])
    plan = submission.plan
    kind = AuditEvent.Kind.SUBMISSION_RECEIVED if outcome == RECEIVED else AuditEvent.Kind.CORRECTION_REQUESTED
    record(kind, actor=by, plan=plan, version=submission.version,
           data={"care_office": submission.care_office.name, "number": submission.version.number,
                 "submission": submission.pk, "reason": reason[:500]})
    if outcome == RECEIVED:
        subject = gettext_lazy("%(care_office)s heeft het kwaliteitsplan %(year)s ontvangen")
        body = ""
    else:
        subject = gettext_lazy("%(care_office)s vraagt een correctie van het kwaliteitsplan %(year)s")
        body = gettext_lazy("Het zorgkantoor schrijft: %(reason)s")
    notify(recipients=people_of_organisation(plan.organisation_id), event_key=f"submission-{outcome}-{submission.pk}-"
           f"{submission.responded_at.timestamp():.0f}", kind=f"submission_{outcome}", exclude=by,
           subject=subject, body=body,
           params={"care_office": submission.care_office.name, "year": plan.year, "reason": reason},
           url=reverse("careoffice:submissions", args=[plan.pk]))
    return submission


@transaction.atomic
def set_care_office_year(*, care_office: CareOffice, by: User, year: int, deadline: date | None,
                         plan_format: str) -> CareOfficeYear:
    """Rule 26: when the care office wants the plans of a year, and in which form."""
    require(by, "careoffice.change_settings", care_office)
    errors = {}
    if not isinstance(year, int) or not 2015 <= year <= 2100:
        errors["year"] = _("Kies een planjaar tussen 2015 en 2100.")
    if deadline is None:
        errors["deadline"] = _("Vul de datum in waarvóór de plannen binnen moeten zijn.")
    if plan_format not in CareOfficeYear.PlanFormat.values:
        errors["plan_format"] = _("Kies welke vorm van het plan u verwacht.")
    if errors:
        raise ValidationError(errors)
    setting, _created = CareOfficeYear.objects.update_or_create(
        care_office=care_office, year=year, defaults={"deadline": deadline, "plan_format": plan_format})
    record(AuditEvent.Kind.CARE_OFFICE_YEAR_SET, actor=by,
           data={"care_office": care_office.name, "year": year, "deadline": deadline.isoformat(),
                 "plan_format": plan_format})
    return setting
