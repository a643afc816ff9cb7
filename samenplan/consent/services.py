"""Consent by the councils, adoption and the plan's state machine.

Every phase change goes through `transition_plan`: it locks the plan row, runs the compliance
checker, refuses while a finding blocks the step, writes the audit event and notifies. Pages, API
and tests all call these functions; nothing sets `plan.status` elsewhere.
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from samenplan.accounts.models import COUNCIL_ROLES, Role, User
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.compliance import CouncilFacts, Finding, blocking, required_councils
from samenplan.core.permissions import require
from samenplan.notifications.selectors import people_of_councils, people_of_organisation
from samenplan.notifications.services import notify
from samenplan.organisations.models import Council
from samenplan.plans.models import CouncilShare, ImprovementAction, QualityPlan

from .models import Adoption, ConsentCondition, ConsentDecision, ConsentRequest, LcvvRequest
from .selectors import open_requests, plan_findings

Status = QualityPlan.Status
DEFAULT_RESPONSE_TIME = timedelta(weeks=6)
REMINDER_DAYS = (7, 1)

# Where a plan may go from where it is. Refusal by a council sends it from consent back to draft;
# an adopted plan goes back to draft for a revision that gets its own consent round.
TRANSITIONS = {
    Status.DRAFT: {Status.PEER_REVIEW, Status.CONSENT},
    Status.PEER_REVIEW: {Status.CONSENT, Status.DRAFT},
    Status.CONSENT: {Status.ADOPTED, Status.DRAFT},
    Status.ADOPTED: {Status.DRAFT, Status.SUBMITTED},
    # Back to adopted when the board withdraws the submission; back to draft for a revision, whose
    # newer adopted version then replaces the submission. Carried out through the year, then
    # evaluated once the board adopts the quality report (monitoring.report_services).
    Status.SUBMITTED: {Status.ADOPTED, Status.DRAFT, Status.IN_PROGRESS},
    Status.IN_PROGRESS: {Status.EVALUATED},
}
# Carrying out and evaluating the adopted plan decide nothing about its text: the checker's findings
# do not stop these steps.
FOLLOW_UP_STATES = frozenset({Status.IN_PROGRESS, Status.EVALUATED})


class TransitionRefused(Exception):
    """The plan cannot go to the asked phase; `findings` says why (or `message` when no finding does)."""

    def __init__(self, findings: list[Finding], message: str = ""):
        super().__init__(message or "; ".join(f.message for f in findings))
        self.findings = findings
        self.message = message


class DecisionAlreadyRecorded(Exception):
    def __init__(self, decision: ConsentDecision):
        super().__init__(decision.pk)
        self.decision = decision


def _locked(plan: QualityPlan) -> QualityPlan:
    return QualityPlan.objects.select_for_update().select_related("organisation", "framework").get(pk=plan.pk)


def _status_label(status: str) -> str:
    return str(Status(status).label)


def _latest_version(plan: QualityPlan):
    # Without the content: the whole frozen plan, which no step here reads.
    return plan.versions.order_by("-number").defer("content").first()


def _refusal(plan: QualityPlan, to: str, findings: list[Finding], version) -> TransitionRefused | None:
    """Why the plan may not go to `to` now, or None. Asked by the state machine under its lock and,
    without one, by the pages that show what a step will do before it is taken."""
    if plan.status == Status.SUBMITTED and to == Status.ADOPTED:
        # A withdrawal: the version stays adopted as it was; nothing new is decided.
        return None
    if to in FOLLOW_UP_STATES:
        return _follow_up_refusal(plan, to)
    stopping = blocking(findings, to)
    if to == Status.ADOPTED and not plan.is_editable:
        return TransitionRefused([], _("Het plan is al vastgesteld. Wilt u iets veranderen, bewerk het plan dan "
                                       "opnieuw: de nieuwe versie krijgt een eigen ronde langs de raden."))
    # A new version may go to the councils while the plan is with them already.
    if to not in TRANSITIONS.get(plan.status, set()) and not (to == plan.status == Status.CONSENT):
        return TransitionRefused(stopping, _("Een plan met de fase „%(from)s” kan niet naar „%(to)s”.")
                                 % {"from": _status_label(plan.status), "to": _status_label(to)})
    if stopping:
        return TransitionRefused(stopping)
    if to == Status.ADOPTED and version is not None and Adoption.objects.filter(version=version).exists():
        return TransitionRefused([], _("Deze versie is al vastgesteld."))
    return None


def _follow_up_refusal(plan: QualityPlan, to: str) -> TransitionRefused | None:
    if to not in TRANSITIONS.get(plan.status, set()):
        return TransitionRefused([], _("Een plan met de fase „%(from)s” kan niet naar „%(to)s”.")
                                 % {"from": _status_label(plan.status), "to": _status_label(to)})
    if to == Status.EVALUATED:
        # Imported here: monitoring's models import the plans, and its services import this module.
        from samenplan.monitoring.models import QualityReport

        if not QualityReport.objects.filter(plan=plan, status=QualityReport.Status.ADOPTED).exists():
            return TransitionRefused([], _("Het plan is pas geëvalueerd als het bestuur het kwaliteitsverslag "
                                           "heeft vastgesteld."))
    return None


class AdoptionCheck(NamedTuple):
    version: object  # the PlanVersion the board would adopt (None before the first freeze)
    content_sha256: str  # the draft's hash, to tell which decisions are stale
    refusal: TransitionRefused | None


def adoption_check(plan: QualityPlan) -> AdoptionCheck:
    """What adopting the plan now would fix, and why it cannot when it cannot: the question
    `transition_plan` asks, for the confirmation page (the adoption itself asks it again, locked)."""
    version = _latest_version(plan)
    _snapshot, sha256, findings = plan_findings(plan, latest_version_sha256=version.sha256 if version else "")
    return AdoptionCheck(version, sha256, _refusal(plan, Status.ADOPTED, findings, version))


def transition_check(plan: QualityPlan, to: str) -> TransitionRefused | None:
    """Why `transition_plan` would refuse to move the plan to `to` now, or None: for a page that
    shows a step before it is taken (the step itself asks again, locked)."""
    version = _latest_version(plan)
    _snapshot, _sha256, findings = plan_findings(plan, latest_version_sha256=version.sha256 if version else "",
                                                 submitting=to == Status.SUBMITTED)
    return _refusal(plan, to, findings, version)


@transaction.atomic
def transition_plan(*, plan: QualityPlan, to: str, by: User, respond_by: date | None = None,
                    include_works_council: bool = False, note: str = "",
                    expected_version: int | None = None, care_office_step: bool = False,
                    report_step: bool = False) -> QualityPlan:
    """Moves the plan to phase `to`. Going to consent sends the current version to the councils
    that must consent; going to adopted records the board's adoption of that version.

    `expected_version` is the number of the version the person confirmed: when another one was
    frozen meanwhile, nothing happens, so nobody adopts a version they did not see."""
    plan = _locked(plan)
    if to not in Status.values:
        raise ValidationError({"to": _("Onbekende fase.")})
    require(by, _permission_for(plan, to), plan)
    if _is_care_office_step(plan, to) and not care_office_step:
        # Submitting and withdrawing keep a Submission: only careoffice.services takes these steps.
        raise TransitionRefused([], _("Dien het plan in, of trek de indiening in, op de pagina „Naar het "
                                      "zorgkantoor” van het plan."))
    if to == Status.EVALUATED and not report_step:
        # Evaluated means the quality report is adopted: only monitoring.report_services takes this step.
        raise TransitionRefused([], _("Het plan wordt geëvalueerd als het bestuur het kwaliteitsverslag vaststelt, "
                                      "op de pagina van het kwaliteitsverslag."))
    version = _latest_version(plan)
    if expected_version is not None and (version is None or version.number != expected_version):
        raise TransitionRefused([], _("Er is intussen een andere versie vastgelegd: versie %(number)s. Er is niets "
                                      "veranderd. Bekijk die versie eerst.")
                                % {"number": version.number if version else "-"})
    _snapshot, _sha256, findings = plan_findings(plan, latest_version_sha256=version.sha256 if version else "",
                                                 submitting=to == Status.SUBMITTED)
    if refused := _refusal(plan, to, findings, version):
        raise refused

    before = plan.status
    if to == Status.CONSENT:
        _send_to_councils(plan=plan, version=version, by=by, respond_by=respond_by,
                          include_works_council=include_works_council)
    if to == Status.ADOPTED and before != Status.SUBMITTED:
        Adoption.objects.create(plan=plan, version=version, adopted_by=by)
    if before != to:
        plan.status = to
        plan.save(update_fields=["status"])
        _record_transition(plan, before, to, by, version=version, note=note)
    return plan


def _is_care_office_step(plan: QualityPlan, to: str) -> bool:
    return to == Status.SUBMITTED or (to == Status.ADOPTED and plan.status == Status.SUBMITTED)


def _permission_for(plan: QualityPlan, to: str) -> str:
    # The board submits to the care office and withdraws a submission (careoffice.rules); only
    # the board adopts (rule 18).
    if _is_care_office_step(plan, to):
        return "careoffice.submit_plan"
    return "consent.adopt_plan" if to == Status.ADOPTED else "consent.transition_plan"


def _record_transition(plan, before, to, by, *, version=None, note="", data=None):
    if to == Status.SUBMITTED or before == Status.SUBMITTED and to == Status.ADOPTED:
        # careoffice.services records the submission or the withdrawal itself, with what it holds.
        return
    kind = AuditEvent.Kind.PLAN_ADOPTED if to == Status.ADOPTED else AuditEvent.Kind.PLAN_TRANSITIONED
    record(kind, actor=by, plan=plan, version=version,
           data={"from": before, "to": to, "note": note[:500], "number": version.number if version else None,
                 **(data or {})})
    if to == Status.ADOPTED:
        councils = Council.objects.filter(organisation_id=plan.organisation_id).values_list("pk", flat=True)
        notify(recipients=[*people_of_organisation(plan.organisation_id), *people_of_councils(councils)],
               event_key=f"plan-adopted-{version.pk}", kind="plan_adopted", exclude=by,
               subject=gettext_lazy("Het kwaliteitsplan %(year)s is vastgesteld (versie %(number)s)"),
               params={"year": plan.year, "number": version.number}, url=reverse("plans:version", args=[version.pk]))


def adopt_plan(*, plan: QualityPlan, by: User) -> Adoption:
    plan = transition_plan(plan=plan, to=Status.ADOPTED, by=by)
    return plan.adoptions.select_related("version").order_by("-adopted_at").first()


@transaction.atomic
def request_consent(*, plan: QualityPlan, by: User, respond_by: date | None = None,
                    include_works_council: bool = False) -> list[ConsentRequest]:
    """Sends the current version to every council that must consent (and the works council when
    asked). Moves the plan to the consent phase."""
    transition_plan(plan=plan, to=Status.CONSENT, by=by, respond_by=respond_by,
                    include_works_council=include_works_council)
    version = _latest_version(plan)
    return list(ConsentRequest.objects.filter(version=version).select_related("council", "version"))


def councils_to_ask(plan: QualityPlan, include_works_council: bool = False) -> list[tuple[Council, bool]]:
    """The councils a consent request goes to, each with whether it stands in for a VAR/PAR."""
    councils = list(Council.objects.filter(organisation_id=plan.organisation_id).order_by("name"))
    facts = [CouncilFacts(id=c.pk, kind=c.kind, name=c.name, location_id=c.location_id) for c in councils]
    required, _missing = required_councils(facts, plan.framework.rule_settings)
    required_ids = {f.id for f in required}
    has_nursing = any(c.kind == Council.Kind.NURSING_COUNCIL for c in councils)
    chosen = []
    for council in councils:
        stands_in = council.kind == Council.Kind.WORKS_COUNCIL and not has_nursing and council.pk in required_ids
        if council.pk in required_ids:
            chosen.append((council, stands_in))
        elif include_works_council and council.kind == Council.Kind.WORKS_COUNCIL and council.location_id is None:
            chosen.append((council, False))
    return chosen


def _send_to_councils(*, plan, version, by, respond_by, include_works_council):
    today = timezone.localdate()
    respond_by = respond_by or today + DEFAULT_RESPONSE_TIME
    if respond_by <= today:
        raise ValidationError({"respond_by": _("Kies een datum in de toekomst.")})
    created = []
    for council, stands_in in councils_to_ask(plan, include_works_council):
        request, is_new = ConsentRequest.objects.get_or_create(
            version=version, council=council,
            defaults={"plan": plan, "respond_by": respond_by, "requested_by": by,
                      "stands_in_for_nursing_council": stands_in})
        # The council reads what it is asked to consent to.
        CouncilShare.objects.get_or_create(version=version, council=council, defaults={"shared_by": by})
        if is_new:
            created.append(request)
    for request in created:
        council = request.council
        record(AuditEvent.Kind.CONSENT_REQUESTED, actor=by, plan=plan, version=version,
               data={"council": council.name, "respond_by": request.respond_by.isoformat(),
                     "number": version.number, "stands_in": request.stands_in_for_nursing_council})
        if request.stands_in_for_nursing_council:
            body = gettext_lazy("Uw raad beslist in plaats van een VAR/PAR. Kijk vooral naar de inhoud van de zorg, "
                                "niet naar arbeidsvoorwaarden. Reageer vóór %(date)s.")
        else:
            body = gettext_lazy("Reageer vóór %(date)s. De raad neemt het besluit in een vergadering; de secretaris "
                                "legt het vast.")
        notify(recipients=people_of_councils([council.pk]), event_key=f"consent-requested-{request.pk}",
               kind="consent_requested", body=body,
               subject=gettext_lazy("%(organisation)s vraagt de instemming van %(council)s met het kwaliteitsplan "
                                    "%(year)s"),
               params={"organisation": plan.organisation.name, "council": council.name, "year": plan.year,
                       "date": request.respond_by},
               url=reverse("consent:request", args=[request.pk]))
    return created


@transaction.atomic
def change_respond_by(*, request: ConsentRequest, by: User, respond_by: date) -> ConsentRequest:
    require(by, "consent.request_consent", request.plan)
    if ConsentDecision.objects.filter(request=request).exists():
        raise ValidationError({"respond_by": _("De raad heeft al besloten; de datum doet er niet meer toe.")})
    if respond_by <= timezone.localdate():
        raise ValidationError({"respond_by": _("Kies een datum in de toekomst.")})
    before = request.respond_by
    ConsentRequest.objects.filter(pk=request.pk).update(respond_by=respond_by)
    request.respond_by = respond_by
    record(AuditEvent.Kind.CONSENT_DEADLINE_CHANGED, actor=by, plan=request.plan, version=request.version,
           data={"council": request.council.name, "before": before.isoformat(), "after": respond_by.isoformat()})
    return request


def _condition_error(message: str, rows: list[tuple[int, str]]) -> ValidationError:
    """An error about the conditions, saying which rows it concerns: (index in the list the caller
    gave, "text" or "owner"), so a form can put it on the box to correct."""
    return ValidationError(message, params={"rows": rows})


def _clean_decision(request, decision, meeting_date, reasons, conditions, present_ids) -> list[User]:
    """`conditions` are the filled rows as (index in the caller's list, condition) pairs."""
    errors = {}
    if decision not in ConsentDecision.Decision.values:
        errors["decision"] = _("Kies het besluit van de raad.")
    if meeting_date is None:
        errors["meeting_date"] = _("Vul de datum van de vergadering in.")
    elif meeting_date > timezone.localdate():
        errors["meeting_date"] = _("De vergadering kan niet in de toekomst liggen.")
    if decision == ConsentDecision.Decision.GRANTED_WITH_CONDITIONS:
        incomplete = [(n, "owner" if (c.get("text") or "").strip() else "text") for n, c in conditions
                      if not (c.get("text") or "").strip() or not (c.get("owner") or "").strip()]
        too_long = [(n, "text" if len(c["text"]) > 2000 else "owner") for n, c in conditions
                    if len(c["text"]) > 2000 or len(c["owner"]) > 200]
        if not conditions:
            errors["conditions"] = _condition_error(_("Schrijf minstens één voorwaarde op, met wie ervoor zorgt."),
                                                    [(0, "text")])
        elif incomplete:
            errors["conditions"] = _condition_error(
                _("Schrijf bij elke voorwaarde wat er moet gebeuren en wie ervoor zorgt."), incomplete)
        elif too_long:
            errors["conditions"] = _condition_error(
                _("Houd elke voorwaarde onder de 2000 tekens en de naam onder de 200."), too_long)
    elif conditions and decision in ConsentDecision.Decision.values:
        first, condition = conditions[0]
        errors["conditions"] = _condition_error(_("Alleen bij „instemming met voorwaarden” horen voorwaarden."),
                                                [(first, "text" if (condition.get("text") or "").strip() else "owner")])
    if decision == ConsentDecision.Decision.REFUSED and not reasons.strip():
        errors["reasons"] = _("Schrijf op waarom de raad niet instemt. Dan weet de organisatie wat er anders moet.")
    if len(reasons) > 10000:
        errors["reasons"] = _("De toelichting is te lang: houd het onder de 10.000 tekens.")
    members = list(User.objects.filter(pk__in=present_ids, memberships__council=request.council,
                                       memberships__role__in=COUNCIL_ROLES).distinct())
    if len(members) != len(set(present_ids)):
        errors["present"] = _("Kies alleen leden van deze raad.")
    if errors:
        raise ValidationError(errors)
    return members


def _filled(conditions) -> list[tuple[int, dict]]:
    """The rows with something in them, each with its index: empty rows of a form do not count."""
    return [(n, c) for n, c in enumerate(conditions or [])
            if (c.get("text") or "").strip() or (c.get("owner") or "").strip()]


def _check_decision(request, *, decision, meeting_date, reasons, conditions, present_ids) -> list[User]:
    """Every rule a decision must meet, for a request that has none yet. Returns who was present."""
    if ConsentRequest.objects.filter(council=request.council_id, plan=request.plan_id,
                                     version__number__gt=request.version.number).exists():
        raise ValidationError({"decision": _("Er is de raad intussen een nieuwere versie voorgelegd. Leg het "
                                             "besluit over die nieuwere versie vast.")})
    return _clean_decision(request, decision, meeting_date, reasons, _filled(conditions), present_ids or [])


def check_consent_decision(*, request: ConsentRequest, by: User, decision: str, meeting_date: date | None,
                           reasons: str = "", conditions: list[dict] | None = None,
                           present_ids: list[int] | None = None, present_note: str = "") -> list[User]:
    """The checks of `record_consent_decision` without recording anything, so the secretary is
    shown what will be recorded only when it can be. Returns the members who were present."""
    require(by, "consent.record_decision", request)
    existing = ConsentDecision.objects.filter(request=request).first()
    if existing is not None:
        raise DecisionAlreadyRecorded(existing)
    return _check_decision(request, decision=decision, meeting_date=meeting_date, reasons=reasons,
                           conditions=conditions, present_ids=present_ids)


@transaction.atomic
def record_consent_decision(*, request: ConsentRequest, by: User, decision: str, meeting_date: date | None,
                            reasons: str = "", conditions: list[dict] | None = None,
                            present_ids: list[int] | None = None, present_note: str = "") -> ConsentDecision:
    """The council's decision, recorded by its secretary, bound to the hash of the version asked
    about. A refusal sends the plan back to draft."""
    require(by, "consent.record_decision", request)
    # Lock the request: of two decisions recorded at the same moment, the second waits and then
    # finds the first.
    request = ConsentRequest.objects.select_for_update().select_related("version", "council", "plan").get(pk=request.pk)
    existing = ConsentDecision.objects.filter(request=request).first()
    if existing is not None:
        raise DecisionAlreadyRecorded(existing)
    present = _check_decision(request, decision=decision, meeting_date=meeting_date, reasons=reasons,
                              conditions=conditions, present_ids=present_ids)
    conditions = [c for _n, c in _filled(conditions)]
    try:
        with transaction.atomic():
            result = ConsentDecision.objects.create(
                request=request, decision=decision, version_sha256=request.version.sha256, meeting_date=meeting_date,
                reasons=reasons.strip(), present_note=present_note.strip()[:500], recorded_by=by)
    except IntegrityError:
        raise DecisionAlreadyRecorded(ConsentDecision.objects.get(request=request)) from None
    result.present.set(present)
    ConsentCondition.objects.bulk_create([
        ConsentCondition(decision=result, text=c["text"].strip(), owner=c["owner"].strip(), order=n)
        for n, c in enumerate(conditions, start=1)])
    plan = request.plan
    record(AuditEvent.Kind.CONSENT_DECIDED, actor=by, plan=plan, version=request.version,
           data={"council": request.council.name, "decision": decision, "meeting_date": meeting_date.isoformat(),
                 "present": len(present), "conditions": len(conditions), "number": request.version.number})
    notify(recipients=[*people_of_organisation(plan.organisation_id), *people_of_councils([request.council_id])],
           event_key=f"consent-decided-{result.pk}", kind="decision_recorded", exclude=by,
           subject=gettext_lazy("%(council)s besloot over het kwaliteitsplan %(year)s: %(decision)s"),
           params={"council": request.council.name, "year": plan.year,
                   "decision": result.get_decision_display().lower()},
           url=reverse("consent:request", args=[request.pk]))
    if decision == ConsentDecision.Decision.REFUSED:
        locked = _locked(plan)
        if locked.status == Status.CONSENT:
            locked.status = Status.DRAFT
            locked.save(update_fields=["status"])
            _record_transition(locked, Status.CONSENT, Status.DRAFT, by, version=request.version,
                               data={"because": "refused", "council": request.council.name})
    return result


@transaction.atomic
def update_condition(*, condition: ConsentCondition, by: User, status: str, answer: str = "",
                     action: ImprovementAction | None = None, owner: str | None = None) -> ConsentCondition:
    """Tracks a condition: link it to an improvement action or answer it in writing, and mark it met."""
    plan = condition.decision.request.plan
    require(by, "consent.manage_conditions", plan)
    errors = {}
    if status not in ConsentCondition.Status.values:
        errors["status"] = _("Kies hoe het met de voorwaarde staat.")
    if action is not None and action.paragraph.plan.organisation_id != plan.organisation_id:
        errors["action"] = _("Kies een actie uit een plan van uw organisatie.")
    if len(answer) > 3000:
        errors["answer"] = _("Het antwoord is te lang: hoogstens 3000 tekens.")
    if owner is not None and not owner.strip():
        errors["owner"] = _("Schrijf op wie voor de voorwaarde zorgt.")
    if errors:
        raise ValidationError(errors)
    before = condition.status
    condition.status, condition.answer, condition.action = status, answer.strip(), action
    if owner is not None:
        condition.owner = owner.strip()[:200]
    condition.save()
    record(AuditEvent.Kind.CONDITION_UPDATED, actor=by, plan=plan,
           data={"condition": condition.text[:200], "before": before, "after": status,
                 "action": action.title if action else ""})
    return condition


@transaction.atomic
def record_lcvv_request(*, decision: ConsentDecision, by: User, submitted_on: date, outcome: str,
                        outcome_on: date | None = None, note: str = "") -> LcvvRequest:
    """After a refusal: the request to the Landelijke Commissie van Vertrouwenslieden and its ruling."""
    plan = decision.request.plan
    require(by, "consent.record_lcvv", plan)
    errors = {}
    if decision.decision != ConsentDecision.Decision.REFUSED:
        errors["decision"] = _("Alleen na een weigering kunt u de commissie om vervangende toestemming vragen.")
    if outcome not in LcvvRequest.Outcome.values:
        errors["outcome"] = _("Kies de uitspraak van de commissie.")
    if submitted_on is None:
        errors["submitted_on"] = _("Vul in wanneer het verzoek is ingediend.")
    elif submitted_on < decision.meeting_date:
        errors["submitted_on"] = _("Het verzoek kan niet vóór het besluit van de raad zijn ingediend.")
    if outcome != LcvvRequest.Outcome.PENDING and outcome_on is None:
        errors["outcome_on"] = _("Vul de datum van de uitspraak in.")
    elif outcome_on is not None and submitted_on is not None and outcome_on < submitted_on:
        errors["outcome_on"] = _("De uitspraak kan niet vóór het verzoek liggen.")
    if errors:
        raise ValidationError(errors)
    lcvv, _created = LcvvRequest.objects.update_or_create(
        decision=decision, defaults={"submitted_on": submitted_on, "outcome": outcome, "outcome_on": outcome_on,
                                     "note": note.strip()[:5000], "recorded_by": by})
    record(AuditEvent.Kind.LCVV_RECORDED, actor=by, plan=plan, version=decision.request.version,
           data={"council": decision.request.council.name, "outcome": outcome,
                 "submitted_on": submitted_on.isoformat(), "outcome_on": outcome_on.isoformat() if outcome_on else None})
    return lcvv


def send_deadline_reminders(*, today: date) -> int:
    """Reminds councils 7 days and 1 day before the response date of an open consent request.
    The event key makes a second run on the same day send nothing new."""
    sent = 0
    due = open_requests().filter(respond_by__gte=today, respond_by__lte=today + timedelta(days=max(REMINDER_DAYS)))
    for request in due:
        days_left = (request.respond_by - today).days
        # The nearest reminder that is due: at 7 days (or fewer) and at 1 day (or on the day).
        days = min(d for d in REMINDER_DAYS if days_left <= d) if days_left <= max(REMINDER_DAYS) else None
        if days is None:
            continue
        created = notify(
            recipients=[*people_of_councils([request.council_id]),
                        *people_of_organisation(request.plan.organisation_id, {Role.QUALITY_STAFF})],
            event_key=f"consent-deadline-{request.pk}-{days}d", kind="deadline",
            subject=ngettext_lazy("Nog %(days)s dag: het besluit van %(council)s over het kwaliteitsplan %(year)s",
                                  "Nog %(days)s dagen: het besluit van %(council)s over het kwaliteitsplan %(year)s",
                                  "days"),
            body=gettext_lazy("Reageer vóór %(date)s. De raad neemt het besluit in een vergadering; de secretaris "
                              "legt het vast."),
            params={"days": days_left, "council": request.council.name, "year": request.plan.year,
                    "date": request.respond_by},
            url=reverse("consent:request", args=[request.pk]))
        sent += len(created)
    return sent
