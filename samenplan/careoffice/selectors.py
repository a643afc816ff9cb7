"""Reads for the care office's portal and the organisation's submission history, scoped to the
person asking: another care office's plans, and every plan never submitted to one's own care
office, are a 404.

The region overview is one query per page, whatever the number of organisations, locations and
plans: each row's plan and current submission are joined (at most one of each), its state is
computed in the database, and nothing reads a snapshot.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext, ngettext

from samenplan.accounts.selectors import is_platform_admin
from samenplan.organisations.models import CareOffice, Location, Organisation
from samenplan.organisations.selectors import get_care_office_for_user
from samenplan.plans.models import PlanVersion, QualityPlan, StaffingRow

from .models import CareOfficeYear, DialogueSession, Submission

Status = QualityPlan.Status


class PortalState:
    """The state of an organisation's plan for the year, as the care office sees it."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    CONSENT = "consent"
    ADOPTED = "adopted"
    SUBMITTED = "submitted"
    IN_DIALOGUE = "in_dialogue"

    choices = [
        (NOT_STARTED, _("Nog niet begonnen")),
        (DRAFT, _("In voorbereiding")),
        (CONSENT, _("Ter instemming bij de raden")),
        (ADOPTED, _("Vastgesteld, nog niet ingediend")),
        (SUBMITTED, _("Ingediend")),
        (IN_DIALOGUE, _("In dialoog")),
    ]
    labels = dict(choices)
    values = [value for value, _label in choices]
    # The order of the cycle, for sorting by state.
    order = {value: n for n, (value, _label) in enumerate(choices)}
    DONE = frozenset({SUBMITTED, IN_DIALOGUE})


SORTS = {
    "name": ("name",),
    "state": ("state_order", "name"),
    "submitted": ("submitted_at", "name"),
    "locations": ("location_count", "name"),
}


@dataclass(frozen=True)
class PortalFilters:
    year: int
    state: str = ""
    late: bool = False
    attention: bool = False  # submitted with warnings of the checker, or not submitted after the deadline
    q: str = ""
    sort: str = "name"
    descending: bool = False


def year_setting(care_office: CareOffice, year: int) -> CareOfficeYear | None:
    return CareOfficeYear.objects.filter(care_office=care_office, year=year).first()


def is_late(deadline: date | None, today: date | None = None) -> bool:
    """Rule 20: after the deadline, a plan that is not submitted is late."""
    return deadline is not None and (today or timezone.localdate()) > deadline


def _state_case(then) -> Case:
    """The row's PortalState, as `then(state)` of it: the state itself, or its place in the cycle."""
    return Case(
        When(submission_id__isnull=False, in_dialogue=True, then=then(PortalState.IN_DIALOGUE)),
        When(submission_id__isnull=False, then=then(PortalState.SUBMITTED)),
        When(plan_status__isnull=True, then=then(PortalState.NOT_STARTED)),
        When(plan_status__in=[Status.DRAFT, Status.PEER_REVIEW], then=then(PortalState.DRAFT)),
        When(plan_status=Status.CONSENT, then=then(PortalState.CONSENT)),
        When(plan_status=Status.ADOPTED, then=then(PortalState.ADOPTED)),
        # In progress or evaluated without a current submission: it was withdrawn.
        default=then(PortalState.ADOPTED))


# The region overview is kept per person until one of these tables is written to (core/pagecache.py;
# careoffice/tests/test_portal.py checks it reads no other). It depends on every organisation of
# the care office's regions: a submission renews the overviews of that organisation's care offices
# only. Organisations, regions and the settings of a year have no owner here: a write to them
# renews every overview.
PORTAL_TABLES = frozenset({
    # What every page's layout reads: the person's roles, councils and unread messages.
    "accounts_membership", "accounts_user", "organisations_council", "notifications_notification",
    "organisations_careoffice", "organisations_careoffice_regions", "organisations_region",
    "organisations_organisation", "organisations_location", "careoffice_careofficeyear",
    "plans_qualityplan", "plans_planversion", "careoffice_submission", "careoffice_dialoguesession",
})
PORTAL_ROW_OWNERS = {
    "careoffice.Submission": {"organisations": ("plan__organisation_id",)},
    "careoffice.DialogueSession": {"organisations": ("plan__organisation_id",)},
}


def organisation_ids_of(care_office: CareOffice) -> list[int]:
    return list(Organisation.objects.filter(region__care_offices=care_office).values_list("pk", flat=True))


def portal_rows(care_office: CareOffice, filters: PortalFilters, *, deadline: date | None) -> QuerySet[Organisation]:
    """Every organisation of the care office's regions with its year's plan: its state, the
    current submission and whether it is late. Filtered and sorted in the database."""
    # An organisation has at most one plan a year and a plan at most one current submission (both
    # are constraints), so these joins never repeat a row. Joins rather than one subquery per
    # column: the state and its order refer to these columns several times each, and a subquery
    # would be written (and run) again at every mention. No GROUP BY either (the locations are
    # counted in a subquery), so the paginator's count leaves out whatever it does not filter on.
    active_locations = (Location.objects.filter(organisation=OuterRef("pk"), is_active=True).order_by()
                        .values("organisation").annotate(n=Count("pk")).values("n"))
    dialogue = DialogueSession.objects.filter(
        plan=OuterRef("plan_id"), care_office=care_office,
        status__in=[DialogueSession.Status.PLANNED, DialogueSession.Status.HELD])
    rows = (
        Organisation.objects.filter(region__care_offices=care_office)
        .select_related("region")
        .annotate(
            year_plan=FilteredRelation("plans", condition=Q(plans__year=filters.year)),
            current_submission=FilteredRelation("year_plan__submissions", condition=Q(
                year_plan__submissions__care_office=care_office,
                year_plan__submissions__status__in=Submission.CURRENT)),
        )
        .annotate(
            location_count=Coalesce(Subquery(active_locations, output_field=IntegerField()), 0),
            plan_id=F("year_plan__id"),
            plan_status=F("year_plan__status"),
            submission_id=F("current_submission__id"),
            submission_status=F("current_submission__status"),
            submitted_at=F("current_submission__submitted_at"),
            submitted_number=F("current_submission__version__number"),
            warning_count=F("current_submission__warning_count"),
        )
        .annotate(in_dialogue=Exists(dialogue))
        .annotate(state=_state_case(lambda state: Value(state, output_field=CharField())),
                  state_order=_state_case(lambda state: Value(PortalState.order[state],
                                                              output_field=IntegerField())))
    )
    late = is_late(deadline)
    if filters.state in PortalState.values:
        rows = rows.filter(state=filters.state)
    if filters.late:
        rows = rows.exclude(state__in=PortalState.DONE) if late else rows.none()
    if filters.attention:
        attention = Q(warning_count__gt=0)
        if late:
            attention |= ~Q(state__in=PortalState.DONE)
        rows = rows.filter(attention)
    if filters.q.strip():
        term = filters.q.strip()
        rows = rows.filter(Q(name__icontains=term) | Exists(
            Location.objects.filter(organisation=OuterRef("pk"), name__icontains=term)))
    fields = SORTS.get(filters.sort, SORTS["name"])
    return rows.order_by(*(f"-{f}" if filters.descending else f for f in fields), "pk")


class ActiveLocation(NamedTuple):
    name: str
    places: int | None

    @property
    def label(self) -> str:
        # Built here rather than with {% blocktranslate count %} per location: at a page of 50
        # organisations that tag was a third of the overview's rendering time.
        if not self.places:
            return self.name
        return ngettext("%(name)s (%(count)s plaats)", "%(name)s (%(count)s plaatsen)", self.places) % {
            "name": self.name, "count": self.places}


def with_locations(organisations) -> list[Organisation]:
    """Adds `active_location_list` (name, places) to each row of a page: one query for the page,
    plain tuples rather than model instances."""
    organisations = list(organisations)
    by_org: dict[int, list[ActiveLocation]] = {o.pk: [] for o in organisations}
    for organisation_id, name, places in (
            Location.objects.filter(organisation_id__in=list(by_org), is_active=True)
            .order_by("name", "pk").values_list("organisation_id", "name", "places")):
        by_org[organisation_id].append(ActiveLocation(name, places))
    for organisation in organisations:
        organisation.active_location_list = by_org[organisation.pk]
    return organisations


def mark_rows(rows, deadline: date | None) -> list:
    """What each row shows besides its fields: the state's label and whether it is late."""
    late = is_late(deadline)
    for row in rows:
        row.state_label = PortalState.labels[row.state]
        row.is_late = late and row.state not in PortalState.DONE
        row.submission_status_label = Submission.Status(row.submission_status).label if row.submission_status else ""
        # Labels made here, not with {% blocktranslate %} per row: that tag is slow on a page of 50.
        row.version_label = gettext("versie %(number)s") % {"number": row.submitted_number} if row.submitted_at else ""
        row.warning_label = ngettext("%(count)s punt", "%(count)s punten", row.warning_count or 0) % {
            "count": row.warning_count} if row.warning_count else ""
    return rows


def portal_years(care_office: CareOffice) -> list[int]:
    """The years to switch between: this year, next year, and every year a setting or plan exists."""
    today = timezone.localdate()
    years = {today.year, today.year + 1}
    years.update(CareOfficeYear.objects.filter(care_office=care_office).values_list("year", flat=True))
    return sorted(years, reverse=True)


# --- One plan, for the care office ---------------------------------------------------------------


def care_office_for_portal(user, care_office_id) -> CareOffice:
    care_office = get_care_office_for_user(user, care_office_id)
    if not user.has_perm("careoffice.view_portal", care_office):
        raise Http404
    return care_office


def get_received_plan_for_user(user, plan_id) -> QualityPlan:
    """A plan submitted (at some time) to a care office the person works for; 404 otherwise."""
    plan = QualityPlan.objects.select_related("organisation__region", "framework").filter(pk=plan_id).first()
    if plan is None or not user.has_perm("careoffice.view_received_plan", plan):
        raise Http404
    return plan


def submissions_of_plan(plan: QualityPlan, user=None) -> list[Submission]:
    """The plan's submissions, newest first, without the versions' content. A care office's
    person sees only those to their own care office."""
    from .rules import care_office_ids_of

    submissions = (Submission.objects.filter(plan=plan).select_related("version", "care_office", "adoption")
                   .defer("version__content").order_by("-submitted_at", "-pk"))
    if user is not None and not (user.has_perm("plans.view_plan", plan) or is_platform_admin(user)):
        submissions = submissions.filter(care_office_id__in=care_office_ids_of(user))
    return list(submissions)


def get_submission_for_user(user, submission_id, perm: str) -> Submission:
    submission = (Submission.objects.select_related("plan__organisation", "version", "care_office")
                  .defer("version__content").filter(pk=submission_id).first())
    if submission is None or not (user.has_perm(perm, submission)
                                  or user.has_perm("careoffice.view_submissions", submission.plan)):
        raise Http404
    return submission


def submitted_version(user, plan: QualityPlan, version_id) -> PlanVersion:
    """A version of the plan that was submitted to the person's care office (404 otherwise)."""
    ids = {s.version_id for s in submissions_of_plan(plan, user)}
    try:
        version_id = int(version_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if version_id not in ids:
        raise Http404
    return PlanVersion.objects.get(pk=version_id)


# --- The staffing comparison ----------------------------------------------------------------------

LEVEL_KEYS = [f"level{n}_fte" for n in StaffingRow.LEVELS] + ["other_care_fte"]


@dataclass
class StaffingLine:
    organisation: Organisation
    places: int
    version: PlanVersion | None
    submitted: bool
    fte: dict  # level key -> Decimal
    per_place: dict  # level key -> Decimal | None

    @property
    def total_fte(self) -> Decimal:
        return sum(self.fte.values(), Decimal(0))

    @property
    def total_per_place(self) -> Decimal | None:
        return (self.total_fte / self.places).quantize(Decimal("0.01")) if self.places else None


def staffing_comparison(care_office: CareOffice) -> list[StaffingLine]:
    """FTE per qualification level per place (36-hour basis), per organisation of the regions, from
    the version submitted to this care office, else the newest adopted one. Three queries."""
    organisations = list(
        Organisation.objects.filter(region__care_offices=care_office)
        .annotate(places_total=Coalesce(Sum("locations__places", filter=Q(locations__is_active=True)), 0))
        .order_by("name", "pk"))
    org_ids = [o.pk for o in organisations]
    chosen: dict[int, tuple[int, bool, int]] = {}  # organisation -> (version id, submitted, year)
    for org_id, version_id, year in (Submission.objects.filter(plan__organisation_id__in=org_ids, care_office=care_office,
                                                               status__in=Submission.CURRENT)
                                     .order_by("plan__year", "submitted_at")
                                     .values_list("plan__organisation_id", "version_id", "plan__year")):
        chosen[org_id] = (version_id, True, year)  # the newest year wins
    from samenplan.consent.models import Adoption

    for org_id, version_id, year in (Adoption.objects.filter(plan__organisation_id__in=org_ids)
                                     .order_by("plan__year", "adopted_at")
                                     .values_list("plan__organisation_id", "version_id", "plan__year")):
        if org_id not in chosen or (not chosen[org_id][1] and year >= chosen[org_id][2]):
            chosen[org_id] = (version_id, False, year)
    versions = {v.pk: v for v in PlanVersion.objects.filter(pk__in=[c[0] for c in chosen.values()])
                .select_related("plan")}
    lines = []
    for organisation in organisations:
        version_id, submitted, _year = chosen.get(organisation.pk, (None, False, None))
        version = versions.get(version_id)
        totals = ((version.snapshot.get("staffing") or {}).get("totals") or {}) if version else {}
        fte = {key: _decimal(totals.get(key)) for key in LEVEL_KEYS}
        places = organisation.places_total or 0
        per_place = {key: (value / places).quantize(Decimal("0.001")) if places and version else None
                     for key, value in fte.items()}
        lines.append(StaffingLine(organisation, places, version, submitted, fte, per_place))
    return lines


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)

