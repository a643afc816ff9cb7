"""Reads of the progress through the year, scoped to the person asking: the plan's progress page,
a location's page, the quarterly report and the plan-page panel. Every read here takes a fixed
number of queries, however many locations, actions, updates or comments the plan has.

Quarters are strings like "2027-Q2" (plans.models.QUARTER).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from samenplan.careoffice.models import Agreement
from samenplan.consent.models import ConsentCondition
from samenplan.organisations.models import Location
from samenplan.participation.models import TopPoint
from samenplan.plans.models import QUARTER, ImprovementAction, QualityPlan
from samenplan.plans.selectors import get_plan_with_perm
from samenplan.signals.forms import quarter_bounds
from samenplan.signals.selectors import CountRow

from .models import ActionProgress, ReportComment
from .rules import FOLLOWED_STATES

Status = ActionProgress.Status
# Rule 23: a quarter's update counts as missed this long after the quarter ended, so the owner
# has the first weeks of the next quarter to write it down.
MISSED_AFTER = datetime.timedelta(days=14)
# An action that is done or stopped needs no more updates.
FINISHED = frozenset({Status.DONE, Status.STOPPED})
# Plans whose progress the panel, the reminders and rule 23 follow: being carried out, or closed
# with a quality report (the report still reads the progress).
SHOWN_STATES = FOLLOWED_STATES | {QualityPlan.Status.EVALUATED}


# --- Quarters ----------------------------------------------------------------------------------


def quarters_of(year: int) -> list[str]:
    return [f"{year}-Q{n}" for n in range(1, 5)]


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def previous_quarter(quarter: str) -> str:
    """The quarter before, within the same plan year ("" for Q1: last year's is another plan)."""
    year, number = int(quarter[:4]), int(quarter[-1])
    return f"{year}-Q{number - 1}" if number > 1 else ""


def started_quarters(year: int, today: datetime.date) -> list[str]:
    """The quarters of `year` that have begun by `today`: progress is only told afterwards."""
    return [q for q in quarters_of(year) if quarter_bounds(q)[0] <= today]


def default_quarter(year: int, today: datetime.date) -> str:
    """The current quarter during the plan's year; its last once the year is over."""
    if today.year > year:
        return f"{year}-Q4"
    if today.year < year:
        return f"{year}-Q1"
    return quarter_of(today)


def due_quarter(year: int, today: datetime.date) -> str:
    """The newest quarter of `year` whose update is overdue by `today` (rule 23), or ""."""
    due = [q for q in quarters_of(year) if quarter_bounds(q)[1] + MISSED_AFTER < today]
    return due[-1] if due else ""


def is_quarter(value: str) -> bool:
    return bool(QUARTER.match(value or ""))


# --- Rule 23 -----------------------------------------------------------------------------------


def _missed(updates: dict[str, str], quarter: str) -> bool:
    """Whether an action with these updates ({quarter: status}) missed `quarter`."""
    if not quarter or quarter in updates:
        return False
    earlier = [q for q in updates if q < quarter]
    return not earlier or updates[max(earlier)] not in FINISHED


def missed_updates(plan: QualityPlan, today: datetime.date) -> tuple[int, ...]:
    """The ids of the plan's actions without an update over the newest overdue quarter (rule 23),
    in one query. Empty for a plan that is not being carried out."""
    quarter = due_quarter(plan.year, today) if plan.status in FOLLOWED_STATES else ""
    if not quarter:
        return ()
    updates: dict[int, dict[str, str]] = {}
    for action_id, progress_quarter, status in (
            ImprovementAction.objects.filter(paragraph__plan=plan).order_by("pk")
            .values_list("pk", "progress__quarter", "progress__status")):
        updates.setdefault(action_id, {})
        if progress_quarter:
            updates[action_id][progress_quarter] = status
    return tuple(action_id for action_id, by_quarter in updates.items() if _missed(by_quarter, quarter))


# --- Getting the objects -----------------------------------------------------------------------


def get_plan_for_progress(user, plan_id, perm: str = "monitoring.view_progress") -> QualityPlan:
    return get_plan_with_perm(user, plan_id, perm)


def get_action_for_user(user, action_id) -> ImprovementAction:
    action = (ImprovementAction.objects.select_related("paragraph__plan__organisation", "paragraph__location")
              .filter(pk=action_id).first())
    if action is None or not user.has_perm("monitoring.view_progress", action):
        raise Http404
    return action


def get_location_of_plan(plan: QualityPlan, location_id) -> Location:
    location = Location.objects.filter(pk=location_id, organisation_id=plan.organisation_id).first()
    if location is None:
        raise Http404
    return location


# --- The overview ------------------------------------------------------------------------------


@dataclass
class ActionRow:
    action: ImprovementAction
    by_quarter: dict[str, ActionProgress]
    quarter: str
    missed: bool = False

    @property
    def current(self) -> ActionProgress | None:
        return self.by_quarter.get(self.quarter)

    @property
    def previous(self) -> ActionProgress | None:
        before = previous_quarter(self.quarter)
        return self.by_quarter.get(before) if before else None

    @property
    def latest(self) -> ActionProgress | None:
        shown = [q for q in self.by_quarter if q <= self.quarter]
        return self.by_quarter[max(shown)] if shown else None

    @property
    def changed(self) -> bool:
        """Whether the status differs from the quarter before (an action without either is unchanged)."""
        return bool(self.current and self.previous and self.current.status != self.previous.status)

    @property
    def location(self) -> Location:
        return self.action.paragraph.location


@dataclass
class LocationRow:
    location: Location
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(status, label, number of actions with that status in the quarter), in the order of Status."""
        found = [row.current.status for row in self.actions if row.current]
        return [(value, label, found.count(value)) for value, label in Status.choices]

    @property
    def without_update(self) -> int:
        return sum(1 for row in self.actions if row.current is None)

    @property
    def missed(self) -> int:
        return sum(1 for row in self.actions if row.missed)


@dataclass(frozen=True)
class TrackedItem:
    kind: str  # "action" | "condition" | "agreement" | "top_point"
    kind_label: str
    title: str
    status_label: str
    url: str
    location: str = ""
    missed: bool = False


@dataclass
class Overview:
    plan: QualityPlan
    quarter: str
    quarters: list[str]
    due_quarter: str
    locations: list[LocationRow]
    tracked: list[TrackedItem]
    location: Location | None = None

    @property
    def actions(self) -> list[ActionRow]:
        return [row for location in self.locations for row in location.actions]

    @property
    def status_labels(self) -> list[str]:
        return list(Status.labels)

    @property
    def counts(self) -> list[CountRow]:
        """For the whole selection: the actions per status in the quarter, and those without update."""
        rows = [CountRow(label=str(label), count=sum(loc.counts[n][2] for loc in self.locations), key=value)
                for n, (value, label) in enumerate(Status.choices)]
        return [*rows, CountRow(label=_("Nog geen update"), count=sum(loc.without_update for loc in self.locations),
                                key="none")]

    @property
    def missed(self) -> int:
        return sum(loc.missed for loc in self.locations)

    @property
    def changed(self) -> list[ActionRow]:
        return [row for row in self.actions if row.changed]


def _top_point_items(plan, latest: dict[int, ActionProgress]) -> list[TrackedItem]:
    # Points and their actions in one query: a row per linked action, one with None for a point without.
    points: dict[int, tuple[str, str, list[int]]] = {}
    for point_id, title, answer, action_id in (
            TopPoint.objects.filter(plan=plan).order_by("council__name", "location__name", "rank", "pk")
            .values_list("pk", "title", "answer", "actions")):
        _title, _answer, action_ids = points.setdefault(point_id, (title, answer, []))
        if action_id is not None:
            action_ids.append(action_id)
    url = reverse("participation:top_points", args=[plan.pk])
    items = []
    for title, answer, action_ids in points.values():
        statuses = [latest[a].get_status_display() for a in action_ids if a in latest]
        if statuses:
            status = ", ".join(dict.fromkeys(statuses))
        elif action_ids:
            status = _("Actie nog zonder update")
        elif answer:
            status = _("Schriftelijk beantwoord")
        else:
            status = _("Nog bij geen actie")
        items.append(TrackedItem("top_point", _("Top 3 van de cliëntenraad"), title, status, url))
    return items


def overview(plan: QualityPlan, *, quarter: str, today: datetime.date, location: Location | None = None,
             tracked: bool = True) -> Overview:
    """Every action of the plan (or of one location) with its updates, per location, and the
    tracked list: actions, council conditions, care-office agreements and the top 3. Five queries."""
    actions = (ImprovementAction.objects.filter(paragraph__plan=plan).select_related("paragraph__location")
               .order_by("paragraph__location__name", "order", "pk"))
    progress = ActionProgress.objects.filter(action__paragraph__plan=plan).order_by("quarter")
    if location is not None:
        actions = actions.filter(paragraph__location=location)
        progress = progress.filter(action__paragraph__location=location)
    updates: dict[int, dict[str, ActionProgress]] = {}
    for item in progress:
        updates.setdefault(item.action_id, {})[item.quarter] = item
    overdue = due_quarter(plan.year, today) if plan.status in FOLLOWED_STATES else ""
    locations: dict[int, LocationRow] = {}
    for action in actions:
        action.paragraph.plan = plan  # the permission checks read it; no query per action
        by_quarter = updates.get(action.pk, {})
        row = ActionRow(action, by_quarter, quarter,
                        missed=_missed({q: p.status for q, p in by_quarter.items()}, overdue))
        paragraph_location = action.paragraph.location
        locations.setdefault(paragraph_location.pk, LocationRow(paragraph_location)).actions.append(row)
    result = Overview(plan=plan, quarter=quarter, quarters=started_quarters(plan.year, today), due_quarter=overdue,
                      locations=list(locations.values()), tracked=[], location=location)
    if tracked:
        result.tracked = _tracked(result)
    return result


def _tracked(result: Overview) -> list[TrackedItem]:
    plan = result.plan
    latest = {row.action.pk: row.latest for row in result.actions if row.latest}
    items = [
        TrackedItem("action", _("Verbeteractie"), row.action.title,
                    row.latest.get_status_display() if row.latest else _("Nog geen update"),
                    reverse("monitoring:location_progress", args=[plan.pk, row.location.pk]) + f"#actie-{row.action.pk}",
                    location=row.location.name, missed=row.missed)
        for row in result.actions
    ]
    if result.location is not None:
        return items
    consent_url = reverse("consent:overview", args=[plan.pk])
    items += [TrackedItem("condition", _("Voorwaarde van een raad"), condition.text, condition.get_status_display(),
                          consent_url)
              for condition in ConsentCondition.objects.filter(decision__request__plan=plan).order_by("order", "pk")]
    agreements_url = reverse("careoffice:agreements", args=[plan.pk])
    items += [TrackedItem("agreement", _("Afspraak met het zorgkantoor"), agreement.title,
                          agreement.get_status_display(), agreements_url)
              for agreement in Agreement.objects.filter(plan=plan).only("title", "status").order_by("due_date", "pk")]
    return items + _top_point_items(plan, latest)


def quarterly_comments(plan: QualityPlan, quarter: str, location: Location | None = None) -> list[ReportComment]:
    comments = (ReportComment.objects.filter(plan=plan, kind=ReportComment.Kind.QUARTERLY, quarter=quarter)
                .select_related("council", "author", "location"))
    if location is not None:
        comments = comments.filter(location=location)
    return list(comments)


# --- The plan page's panel ---------------------------------------------------------------------


@dataclass(frozen=True)
class PanelSummary:
    quarter: str
    actions: int
    counts: list[tuple[str, int]]  # (label, number) of the statuses that occur
    without_update: int


def panel_summary(plan: QualityPlan, today: datetime.date) -> PanelSummary:
    """The quarter's numbers for the plan page, in one query."""
    quarter = default_quarter(plan.year, today)
    in_quarter = Q(progress__quarter=quarter)
    numbers = ImprovementAction.objects.filter(paragraph__plan=plan).aggregate(
        actions=Count("pk", distinct=True), updated=Count("progress", filter=in_quarter),
        **{value: Count("progress", filter=in_quarter & Q(progress__status=value)) for value in Status.values})
    counts = [(str(label), numbers[value]) for value, label in Status.choices if numbers[value]]
    return PanelSummary(quarter=quarter, actions=numbers["actions"], counts=counts,
                        without_update=numbers["actions"] - numbers["updated"])
