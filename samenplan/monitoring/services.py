"""Every change to the progress through the year goes through one of these functions (pages, API,
demo and the scheduler): an action's quarterly update, a council's comment on the quarterly
report, and the reminders of rule 23. The quality report's changes live in report_services.py.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from samenplan.accounts.models import COUNCIL_ROLES, Membership, Role, User
from samenplan.accounts.selectors import memberships_of
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.core.permissions import require
from samenplan.notifications.selectors import people_of_organisation
from samenplan.notifications.services import notify
from samenplan.organisations.models import Location
from samenplan.plans.models import ImprovementAction, QualityPlan

from .models import ActionProgress, ProgressReminder, ReportComment
from .rules import FOLLOWED_STATES
from .selectors import due_quarter, is_quarter, missed_updates, quarters_of, started_quarters

# The audit trail keeps the gist of a story from the floor, not the whole of it.
AUDIT_STORY_LENGTH = 200

NOT_FOLLOWED = gettext_lazy("Dit plan is nog niet vastgesteld of al afgesloten. De voortgang houdt u bij zolang "
                            "het plan wordt uitgevoerd: na het vaststellen, tot het kwaliteitsverslag klaar is.")


def quarter_problem(quarter: str, plan: QualityPlan, today: datetime.date, *, begun: bool = True) -> str:
    """Why `quarter` is not one of the plan's year (or, with `begun`, has not begun by `today`), or ""."""
    if not is_quarter(quarter) or quarter not in quarters_of(plan.year):
        return _("Kies een kwartaal van %(year)s, bijvoorbeeld %(example)s.") % {
            "year": plan.year, "example": f"{plan.year}-Q2"}
    if begun and quarter not in started_quarters(plan.year, today):
        return _("Het kwartaal %(quarter)s is nog niet begonnen. U kunt alleen vertellen hoe het ging in een "
                 "kwartaal dat al begonnen is.") % {"quarter": quarter}
    return ""


@transaction.atomic
def record_progress(*, action: ImprovementAction, by: User, quarter: str, status: str, explanation: str,
                    figure: str = "", story: str = "") -> ActionProgress:
    """The update of `action` over `quarter`: made, or corrected when there is one already."""
    plan = action.paragraph.plan
    require(by, "monitoring.view_progress", action)
    if plan.status not in FOLLOWED_STATES:
        raise ValidationError(NOT_FOLLOWED)
    require(by, "monitoring.record_progress", action)
    explanation, figure, story = (explanation or "").strip(), (figure or "").strip(), (story or "").strip()
    errors = {}
    if message := quarter_problem(quarter, plan, timezone.localdate()):
        errors["quarter"] = message
    if status not in ActionProgress.Status.values:
        errors["status"] = _("Kies hoe het met de actie gaat.")
    if not explanation:
        errors["explanation"] = _("Schrijf in een paar zinnen hoe het gaat.")
    elif len(explanation) > 1000:
        errors["explanation"] = _("De toelichting is te lang: hoogstens 1000 tekens. Nu zijn het er %(count)s.") % {
            "count": len(explanation)}
    if len(figure) > 100:
        errors["figure"] = _("Het cijfer is te lang: hoogstens 100 tekens.")
    if len(story) > 2000:
        errors["story"] = _("Het verhaal is te lang: hoogstens 2000 tekens. Nu zijn het er %(count)s.") % {
            "count": len(story)}
    if errors:
        raise ValidationError(errors)
    # Two people may save the same quarter at once: the action's row decides who goes first.
    ImprovementAction.objects.select_for_update().filter(pk=action.pk).first()
    progress, created = ActionProgress.objects.update_or_create(
        action=action, quarter=quarter,
        defaults={"status": status, "explanation": explanation, "figure": figure, "story": story, "recorded_by": by})
    record(AuditEvent.Kind.PROGRESS_RECORDED, actor=by, plan=plan,
           data={"action_id": action.pk, "action": action.title, "quarter": quarter, "status": status,
                 "explanation": explanation, "figure": figure, "story": story[:AUDIT_STORY_LENGTH],
                 "corrected": not created})
    return progress


def _council_of(user: User, plan: QualityPlan):
    councils = sorted((m.council for m in memberships_of(user)
                       if m.role in COUNCIL_ROLES and m.council and m.council.organisation_id == plan.organisation_id),
                      key=lambda council: council.pk)
    if not councils:
        raise PermissionDenied
    return councils[0]


@transaction.atomic
def comment_on_quarterly_report(*, plan: QualityPlan, by: User, quarter: str, body: str,
                                location: Location | None = None) -> ReportComment:
    """A council member's comment on the quarterly report of `quarter` (of one location or of the
    whole organisation). The quality staff and the board hear of it."""
    require(by, "monitoring.comment_report", plan)
    council = _council_of(by, plan)
    body = (body or "").strip()
    errors = {}
    if message := quarter_problem(quarter, plan, timezone.localdate()):
        errors["quarter"] = message
    if not body:
        errors["body"] = _("Schrijf uw reactie.")
    elif len(body) > 5000:
        errors["body"] = _("Uw reactie is te lang: houd het onder de 5000 tekens.")
    if location is not None and location.organisation_id != plan.organisation_id:
        errors["location"] = _("Kies een locatie van deze organisatie.")
    if errors:
        raise ValidationError(errors)
    comment = ReportComment.objects.create(plan=plan, kind=ReportComment.Kind.QUARTERLY, quarter=quarter,
                                           location=location, council=council, author=by, body=body)
    record(AuditEvent.Kind.REPORT_COMMENTED, actor=by, plan=plan,
           data={"comment_id": comment.pk, "kind": comment.kind, "quarter": quarter, "council": council.name,
                 "location": location.name if location else ""})
    url = reverse("monitoring:quarterly_report", args=[plan.pk]) + f"?quarter={quarter}"
    notify(recipients=people_of_organisation(plan.organisation_id, {Role.BOARD, Role.QUALITY_STAFF}),
           event_key=f"quarterly-comment-{comment.pk}", kind="report_commented", exclude=by,
           subject=gettext_lazy("%(council)s reageerde op de kwartaalrapportage %(quarter)s"),
           body=gettext_lazy("Lees de reactie bij de kwartaalrapportage."),
           params={"council": council.name, "quarter": quarter}, url=url)
    return comment


@transaction.atomic
def send_progress_reminders(*, today: datetime.date) -> int:
    """Rule 23: a quarter's update missed (MISSED_AFTER after its end) reminds the location managers
    of the action's location and whoever updated the action before, once per action and quarter;
    the quality staff get one notice per plan and quarter. Run hourly by the scheduler
    (notifications.tasks.run_jobs): the ProgressReminder rows and the event keys make a second run
    send nothing. Returns the number of messages sent."""
    sent = 0
    # A plan of two years ago is not followed any more, even when nobody closed it.
    plans = (QualityPlan.objects.filter(status__in=FOLLOWED_STATES, year__gte=today.year - 1, year__lte=today.year)
             .select_related("organisation").order_by("pk"))
    for plan in plans:
        quarter = due_quarter(plan.year, today)
        missed = set(missed_updates(plan, today))
        if not missed:
            continue
        already = set(ProgressReminder.objects.filter(action_id__in=missed, quarter=quarter)
                      .values_list("action_id", flat=True))
        new = sorted(missed - already)
        if not new:
            continue
        ProgressReminder.objects.bulk_create([ProgressReminder(action_id=pk, quarter=quarter) for pk in new],
                                             ignore_conflicts=True)
        actions = list(ImprovementAction.objects.filter(pk__in=new).select_related("paragraph__location")
                       .order_by("pk"))
        managers = _managers_of_locations({a.paragraph.location_id for a in actions})
        recorders = _recorders_of(new)
        for action in actions:
            location = action.paragraph.location
            sent += len(notify(
                recipients=[*managers.get(location.pk, []), *recorders.get(action.pk, [])],
                event_key=f"progress-missed-{action.pk}-{quarter}", kind="progress_reminder",
                subject=gettext_lazy("Geen update over %(quarter)s: %(action)s"),
                body=gettext_lazy("Over de actie „%(action)s” van %(location)s staat nog niet hoe het ging in "
                                  "%(quarter)s. Schrijf het op, ook als er weinig gebeurde."),
                params={"quarter": quarter, "action": action.title, "location": location.name},
                url=reverse("monitoring:record_progress", args=[action.pk]) + f"?quarter={quarter}"))
        sent += len(notify(
            recipients=people_of_organisation(plan.organisation_id, {Role.QUALITY_STAFF}),
            event_key=f"progress-missed-plan-{plan.pk}-{quarter}", kind="progress_reminder",
            subject=ngettext_lazy("%(count)s actie zonder update over %(quarter)s",
                                  "%(count)s acties zonder update over %(quarter)s", "count"),
            body=ngettext_lazy("In het kwaliteitsplan %(year)s staat bij %(count)s actie nog niet hoe het ging in "
                               "%(quarter)s. De locatiemanagers kregen een herinnering.",
                               "In het kwaliteitsplan %(year)s staat bij %(count)s acties nog niet hoe het ging in "
                               "%(quarter)s. De locatiemanagers kregen een herinnering.", "count"),
            params={"count": len(missed), "quarter": quarter, "year": plan.year},
            url=reverse("monitoring:plan_progress", args=[plan.pk]) + f"?quarter={quarter}"))
    return sent


def _managers_of_locations(location_ids) -> dict[int, list[User]]:
    managers: dict[int, list[User]] = {}
    for membership in (Membership.objects.filter(location_id__in=list(location_ids), role=Role.LOCATION_MANAGER,
                                                 user__is_active=True).select_related("user").order_by("pk")):
        managers.setdefault(membership.location_id, []).append(membership.user)
    return managers


def _recorders_of(action_ids) -> dict[int, list[User]]:
    recorders: dict[int, list[User]] = {}
    for progress in (ActionProgress.objects.filter(action_id__in=list(action_ids)).select_related("recorded_by")
                     .order_by("pk")):
        recorders.setdefault(progress.action_id, []).append(progress.recorded_by)
    return recorders
