"""Every change to the quality report (kwaliteitsverslag), the next plan's start from its findings
(rule 11) and the "u zei, wij deden" pages goes through one of these functions.

The plan moves `submitted -> in_progress` when the report is started and `in_progress -> evaluated`
when the board adopts it, both through `consent.services.transition_plan`; only `adopt_report`
takes the second step.
"""

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenplan.accounts.models import User
from samenplan.accounts.selectors import council_ids_of
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.consent.services import transition_plan
from samenplan.core.permissions import require
from samenplan.core.validators import clean_text
from samenplan.notifications.selectors import people_of_councils, people_of_organisation
from samenplan.organisations.models import Council, Location
from samenplan.participation.models import TopPoint
from samenplan.plans import services as plan_services
from samenplan.plans.models import ImprovementAction, QualityPlan

from . import report_selectors as selectors
from .models import (
    ActionEvaluation,
    ActionProgress,
    FindingAction,
    QualityReport,
    ReportComment,
    ReportFinding,
    ThemeEvaluation,
    YouSaidItem,
    YouSaidWeDid,
)

Status = QualityPlan.Status
# A report is started at year end for a plan that is carried out.
STARTABLE = frozenset({Status.SUBMITTED, Status.IN_PROGRESS})
FINDING_LIMIT = 2000
# What the next year's action takes of the finding's text as its source note.
SOURCE_NOTE_LIMIT = 500


class ReportRefused(Exception):
    """The report is not in a state that allows the step; `problems` lists why, in sentences."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def _locked(report: QualityReport) -> QualityReport:
    return QualityReport.objects.select_for_update().select_related("plan__organisation", "plan__framework").get(
        pk=report.pk)


def _draft(report: QualityReport) -> QualityReport:
    report = _locked(report)
    if report.status != QualityReport.Status.DRAFT:
        raise ReportRefused(_("Het kwaliteitsverslag is al vastgesteld. Het verandert niet meer."))
    return report


@transaction.atomic
def start_report(*, plan: QualityPlan, by: User) -> QualityReport:
    """Drafts the year's quality report from the plan: an evaluation per action with the status of
    its latest quarter (or "not started"), an empty evaluation per theme of the plan's framework.
    The plan is carried out from then on (in_progress). Calling it again gives the same report."""
    require(by, "monitoring.write_report", plan)
    plan = QualityPlan.objects.select_for_update().select_related("organisation", "framework").get(pk=plan.pk)
    existing = QualityReport.objects.filter(plan=plan).first()
    if existing is not None:
        return existing
    if plan.status not in STARTABLE:
        raise ReportRefused(_("Een kwaliteitsverslag maakt u van een plan dat is ingediend bij het zorgkantoor en "
                              "wordt uitgevoerd. Dit plan heeft de fase „%(status)s”.")
                            % {"status": plan.get_status_display()})
    if plan.status == Status.SUBMITTED:
        plan = transition_plan(plan=plan, to=Status.IN_PROGRESS, by=by,
                               note=_("Het kwaliteitsverslag wordt opgesteld."))
    report = QualityReport.objects.create(plan=plan, created_by=by)
    latest = selectors.final_statuses(plan)
    ActionEvaluation.objects.bulk_create([
        ActionEvaluation(report=report, action_id=action_id,
                         final_status=latest.get(action_id, ActionProgress.Status.NOT_STARTED))
        for action_id in ImprovementAction.objects.filter(paragraph__plan=plan).values_list("pk", flat=True)])
    ThemeEvaluation.objects.bulk_create([ThemeEvaluation(report=report, theme_key=key)
                                         for key, _title in selectors.themes_of_plan(plan)])
    record(AuditEvent.Kind.REPORT_DRAFTED, actor=by, plan=plan, data={"report": report.pk, "year": plan.year})
    return report


@transaction.atomic
def update_introduction(*, report: QualityReport, by: User, introduction: str) -> QualityReport:
    require(by, "monitoring.write_report", report.plan)
    report = _draft(report)
    report.introduction = clean_text(introduction, "introduction", limit=10000)
    report.save(update_fields=["introduction", "updated_at"])
    return report


@transaction.atomic
def update_theme_evaluation(*, report: QualityReport, by: User, theme_key: str, body: str) -> ThemeEvaluation:
    """A theme's free evaluation (Markdown; sanitised where it is shown)."""
    require(by, "monitoring.write_report", report.plan)
    report = _draft(report)
    if theme_key not in dict(selectors.themes_of_plan(report.plan)):
        raise ValidationError({"theme_key": _("Dit thema hoort niet bij het kader van het plan.")})
    body = clean_text(body, "body", limit=20000)
    evaluation, _created = ThemeEvaluation.objects.update_or_create(report=report, theme_key=theme_key,
                                                                    defaults={"body": body})
    return evaluation


@transaction.atomic
def evaluate_action(*, evaluation: ActionEvaluation, by: User, final_status: str, text: str) -> ActionEvaluation:
    """The owner's evaluation of one action: how it ended and what it brought."""
    require(by, "monitoring.evaluate_action", evaluation.action)
    _draft(evaluation.report)
    errors = {}
    if final_status not in ActionProgress.Status.values:
        errors["final_status"] = _("Kies hoe de actie is geëindigd.")
    try:
        text = clean_text(text, "evaluation", required=_("Schrijf op wat de actie heeft opgeleverd."), limit=3000)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    evaluation.final_status, evaluation.evaluation, evaluation.updated_by = final_status, text, by
    evaluation.save(update_fields=["final_status", "evaluation", "updated_by", "updated_at"])
    return evaluation


def _clean_finding(report: QualityReport, *, location_id, theme_key: str, text: str) -> tuple:
    errors = {}
    location = None
    if location_id:
        location = Location.objects.filter(pk=location_id, organisation_id=report.plan.organisation_id).first()
        if location is None:
            errors["location"] = _("Kies een locatie van uw organisatie, of de hele organisatie.")
    if theme_key and theme_key not in dict(selectors.themes_of_plan(report.plan)):
        errors["theme_key"] = _("Kies een thema uit de lijst, of laat het leeg.")
    try:
        text = clean_text(text, "text", required=_("Schrijf de bevinding op: wat heeft u dit jaar geleerd?"),
                          limit=FINDING_LIMIT)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return location, theme_key or "", text


@transaction.atomic
def add_finding(*, report: QualityReport, by: User, text: str, location_id=None, theme_key: str = "") -> ReportFinding:
    """A finding of the report, for one location or (without one) the whole organisation."""
    require(by, "monitoring.write_report", report.plan)
    report = _draft(report)
    location, theme_key, text = _clean_finding(report, location_id=location_id, theme_key=theme_key, text=text)
    last = report.findings.aggregate(last=Max("order"))["last"] or 0
    return ReportFinding.objects.create(report=report, location=location, theme_key=theme_key, text=text,
                                        order=last + 1)


@transaction.atomic
def change_finding(*, finding: ReportFinding, by: User, text: str, location_id=None,
                   theme_key: str = "") -> ReportFinding:
    require(by, "monitoring.write_report", finding.report.plan)
    report = _draft(finding.report)
    finding.location, finding.theme_key, finding.text = _clean_finding(
        report, location_id=location_id, theme_key=theme_key, text=text)
    finding.save(update_fields=["location", "theme_key", "text"])
    return finding


@transaction.atomic
def remove_finding(*, finding: ReportFinding, by: User) -> None:
    require(by, "monitoring.write_report", finding.report.plan)
    _draft(finding.report)
    finding.delete()


@transaction.atomic
def comment_on_report(*, report: QualityReport, by: User, body: str) -> ReportComment:
    """A council's comment on the draft report, made for the (first) council of the organisation the
    person sits on; the board and quality staff are told."""
    plan = report.plan
    require(by, "monitoring.comment_report", plan)
    council = (Council.objects.filter(pk__in=council_ids_of(by), organisation_id=plan.organisation_id)
               .order_by("name", "pk").first())
    if council is None:
        raise PermissionDenied
    _draft(report)
    body = clean_text(body, "body", required=_("Schrijf uw reactie op het kwaliteitsverslag."), limit=5000)
    comment = ReportComment.objects.create(plan=plan, kind=ReportComment.Kind.QUALITY, council=council,
                                           location=council.location, author=by, body=body)
    # The trail says that a council commented, never what it wrote.
    record(AuditEvent.Kind.REPORT_COMMENTED, actor=by, plan=plan,
           data={"kind": ReportComment.Kind.QUALITY, "council": council.name, "comment": comment.pk})
    notify_people = people_of_organisation(plan.organisation_id)
    _notify(notify_people, f"report-comment-{comment.pk}", "report_commented", by,
            gettext_lazy("%(council)s heeft gereageerd op het kwaliteitsverslag %(year)s"),
            {"council": council.name, "year": plan.year}, reverse("monitoring:report", args=[plan.pk]))
    return comment


def _notify(recipients, event_key, kind, by, subject, params, url):
    from samenplan.notifications.services import notify

    notify(recipients=recipients, event_key=event_key, kind=kind, exclude=by, subject=subject, params=params, url=url)


def adoption_problems(report: QualityReport) -> list[str]:
    """Why the board cannot adopt the report now (empty when it can): for the confirmation page."""
    if report.status != QualityReport.Status.DRAFT:
        return [_("Het kwaliteitsverslag is al vastgesteld.")]
    return selectors.what_is_missing(selectors.report_content(report))


@transaction.atomic
def adopt_report(*, report: QualityReport, by: User) -> QualityReport:
    """The board adopts the report: its contents and their SHA-256 are frozen, the plan is
    evaluated and the councils are told. Refused while a finding or an evaluation is missing."""
    require(by, "monitoring.adopt_report", report.plan)
    report = _draft(report)
    content = selectors.report_content(report)
    if problems := selectors.what_is_missing(content):
        raise ReportRefused(_("Het kwaliteitsverslag kan nog niet worden vastgesteld."), problems)
    content["status"] = QualityReport.Status.ADOPTED
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    report.status, report.content = QualityReport.Status.ADOPTED, content
    report.sha256 = hashlib.sha256(canonical.encode()).hexdigest()
    report.adopted_by, report.adopted_at = by, timezone.now()
    report.save(update_fields=["status", "content", "sha256", "adopted_by", "adopted_at", "updated_at"])
    plan = transition_plan(plan=report.plan, to=Status.EVALUATED, by=by, report_step=True,
                           note=_("Het kwaliteitsverslag is vastgesteld."))
    record(AuditEvent.Kind.REPORT_ADOPTED, actor=by, plan=plan,
           data={"report": report.pk, "year": plan.year, "sha256": report.sha256})
    councils = Council.objects.filter(organisation_id=plan.organisation_id).values_list("pk", flat=True)
    _notify([*people_of_organisation(plan.organisation_id), *people_of_councils(councils)],
            f"report-adopted-{report.pk}", "report_adopted", by,
            gettext_lazy("Het kwaliteitsverslag %(year)s is vastgesteld"), {"year": plan.year},
            reverse("monitoring:report", args=[plan.pk]))
    return report


@transaction.atomic
def set_report_published(*, report: QualityReport, by: User, published: bool) -> QualityReport:
    """Puts the adopted report on the public page of the organisation, or takes it off."""
    require(by, "monitoring.publish_you_said", report.plan)
    report = _locked(report)
    if report.status != QualityReport.Status.ADOPTED:
        raise ReportRefused(_("Alleen een vastgesteld kwaliteitsverslag kan openbaar worden."))
    if published == (report.published_at is not None):
        return report
    report.published_at = timezone.now() if published else None
    report.save(update_fields=["published_at", "updated_at"])
    kind = AuditEvent.Kind.REPORT_PUBLISHED if published else AuditEvent.Kind.REPORT_UNPUBLISHED
    record(kind, actor=by, plan=report.plan, data={"report": report.pk, "year": report.plan.year})
    return report


# --- The next plan (rule 11) -------------------------------------------------------------------


@transaction.atomic
def start_action_from_finding(*, plan: QualityPlan, location: Location, finding: ReportFinding,
                              by: User) -> ImprovementAction:
    """A new action in the location's paragraph that starts from a finding of last year's report:
    its source says so (rule 11) and a FindingAction keeps the trace."""
    report = finding.report
    if (report.plan.organisation_id != plan.organisation_id or report.plan.year != plan.year - 1
            or report.status != QualityReport.Status.ADOPTED
            or finding.location_id not in (None, location.pk)):
        raise PermissionDenied
    text = " ".join(finding.text.split())
    title = text if len(text) <= 80 else text[:79].rstrip() + "…"
    action = plan_services.save_action(
        plan=plan, location=location, by=by, title=title, theme_key=finding.theme_key,
        source=ImprovementAction.Source.REPORT_FINDING, source_note=text[:SOURCE_NOTE_LIMIT])
    FindingAction.objects.create(finding=finding, action=action)
    return action


# --- "U zei, wij deden" ------------------------------------------------------------------------


class VerbatimSignal(Exception):
    """A "u zei" sentence is a signal's own text: staff write their own summary instead."""

    def __init__(self, rows: list[int]):
        super().__init__(rows)
        self.rows = rows


@transaction.atomic
def save_you_said(*, plan: QualityPlan, location: Location, by: User, items: list[dict]) -> YouSaidWeDid:
    """Replaces the items of the location's page. Each item: `you_said` (staff's own summary, never a
    resident's words), `we_did`, and the `theme_key` or `top_point` it comes from. Empty rows are
    left out."""
    require(by, "monitoring.publish_you_said", plan)
    if location.organisation_id != plan.organisation_id:
        raise PermissionDenied
    themes = dict(selectors.themes_of_plan(plan))
    points = set(TopPoint.objects.filter(plan=plan).values_list("pk", flat=True))
    quotes = selectors.signal_texts(plan.organisation_id, plan.year)
    errors, kept, verbatim = {}, [], []
    for index, item in enumerate(items):
        you_said = (item.get("you_said") or "").strip()
        we_did = (item.get("we_did") or "").strip()
        if not you_said and not we_did:
            continue
        if not you_said:
            errors[f"you_said_{index}"] = _("Schrijf in eigen woorden wat mensen zeiden.")
        elif len(you_said) > 500:
            errors[f"you_said_{index}"] = _("Houd „U zei” kort: hoogstens 500 tekens.")
        elif selectors.normalise(you_said) in quotes:
            verbatim.append(index)
        if len(we_did) > 1000:
            errors[f"we_did_{index}"] = _("Houd „Wij deden” kort: hoogstens 1000 tekens.")
        theme_key = item.get("theme_key") or ""
        top_point = item.get("top_point") or None
        top_point = int(top_point) if str(top_point).isdigit() else top_point
        if (theme_key and theme_key not in themes) or (top_point is not None and top_point not in points):
            errors[f"you_said_{index}"] = _("Deze regel hoort niet bij dit plan. Laad de pagina opnieuw.")
        kept.append(YouSaidItem(theme_key=theme_key, top_point_id=top_point, you_said=you_said, we_did=we_did,
                                order=index))
    if verbatim:
        raise VerbatimSignal(verbatim)
    if errors:
        raise ValidationError(errors)
    page, _created = YouSaidWeDid.objects.get_or_create(plan=plan, location=location)
    page.items.all().delete()
    for item in kept:
        item.page = page
    YouSaidItem.objects.bulk_create(kept)
    page.save(update_fields=["updated_at"])
    return page


@transaction.atomic
def set_you_said_published(*, page: YouSaidWeDid, by: User, published: bool) -> YouSaidWeDid:
    require(by, "monitoring.publish_you_said", page.plan)
    page = YouSaidWeDid.objects.select_for_update().select_related("plan", "location").get(pk=page.pk)
    if published and not page.items.exists():
        raise ValidationError(_("Schrijf eerst minstens één regel „U zei, wij deden”."))
    if published == (page.published_at is not None):
        return page
    page.published_at, page.published_by = (timezone.now(), by) if published else (None, None)
    page.save(update_fields=["published_at", "published_by", "updated_at"])
    kind = AuditEvent.Kind.YOU_SAID_PUBLISHED if published else AuditEvent.Kind.YOU_SAID_UNPUBLISHED
    record(kind, actor=by, plan=page.plan, data={"location": page.location.name, "year": page.plan.year})
    return page
