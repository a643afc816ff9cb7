"""Reads of signals, scoped to the person asking, and the counts that reports build on.

`signal_counts` and `counts_per_theme_and_location` name no person and hold no text: the quarterly
report, the quality report and the public "u zei, wij deden" page may call them.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from samenplan.frameworks.models import FrameworkSection
from samenplan.organisations.models import Location, Organisation
from samenplan.participation.models import TopPoint
from samenplan.plans.models import ImprovementAction, QualityPlan

from .models import Signal, SignalAction, SignalPage, SignalTopPoint

NO_THEME = ""

# The signal list is kept per person until one of these tables is written to (core/pagecache.py;
# test_working_with_signals checks the list reads no other). A new signal of one organisation
# renews that organisation's lists only: the rows' owners below.
SIGNAL_LIST_TABLES = frozenset({
    # What every page's layout reads: the person's roles and unread messages.
    "accounts_membership", "accounts_user", "organisations_careoffice", "notifications_notification",
    "organisations_organisation", "organisations_location",
    "organisations_council", "frameworks_frameworksection", "plans_qualityplan", "plans_improvementparagraph",
    "plans_improvementaction", "participation_toppoint", "signals_signal", "signals_signaltoppoint",
    "signals_signalaction",
})
SIGNAL_ROW_OWNERS = {
    "signals.Signal": {"organisations": ("organisation_id",)},
    "signals.SignalTopPoint": {"organisations": ("signal__organisation_id",)},
    "signals.SignalAction": {"organisations": ("signal__organisation_id",)},
    "participation.TopPoint": {"organisations": ("plan__organisation_id",)},
    "plans.ImprovementParagraph": {"organisations": ("plan__organisation_id",)},
    "plans.ImprovementAction": {"organisations": ("paragraph__plan__organisation_id",)},
}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    quarter: str = ""  # "2026-Q3" when the period is a quarter


def default_period() -> Period:
    """The last twelve months up to today: long enough to see a pattern, short enough to be news."""
    today = timezone.localdate()
    return Period(start=today.replace(year=today.year - 1) + datetime.timedelta(days=1), end=today)


def organisation_of_open_location(location_id: int) -> int | None:
    """The organisation of an active location, or None. In plain SQL: the public intake asks it for
    every signal, and the ORM spent ten times the CPU of the query itself (bench/signals.py)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('organisation_id')} FROM {quote(Location._meta.db_table)} "
                       f"WHERE {quote(Location._meta.pk.column)} = %s AND {quote('is_active')}", [location_id])
        row = cursor.fetchone()
    return row[0] if row else None


def get_organisation_with_perm(user, organisation_id, perm: str) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not user.has_perm(perm, organisation):
        raise Http404
    return organisation


def get_location_with_perm(user, location_id, perm: str, organisation_id=None) -> Location:
    locations = Location.objects.select_related("organisation").filter(pk=location_id)
    if organisation_id is not None:
        locations = locations.filter(organisation_id=organisation_id)
    location = locations.first()
    if location is None or not user.has_perm(perm, location):
        raise Http404
    return location


def get_signal_for_user(user, signal_id, perm: str = "signals.view_signals") -> Signal:
    signal = (Signal.objects.select_related("location", "organisation", "entered_by", "redacted_by",
                                            "duplicate_of").filter(pk=signal_id).first())
    if signal is None or not user.has_perm(perm, signal):
        raise Http404
    return signal


def active_location_for_code(code: str) -> Location:
    """The location of a public signal page; a closed location takes no more signals."""
    page = (SignalPage.objects.select_related("location__organisation")
            .filter(code=code, location__is_active=True).first())
    if page is None:
        raise Http404
    return page.location


def signal_page_of(location: Location) -> SignalPage:
    page, _created = SignalPage.objects.get_or_create(location=location)
    return page


def locations_of(organisation: Organisation) -> QuerySet[Location]:
    return Location.objects.filter(organisation=organisation).order_by("-is_active", "name")


def signals_of(organisation: Organisation, *, period: Period, location_id: int | None = None,
               theme_key: str | None = None, search: str = "") -> QuerySet[Signal]:
    """The signals that count (duplicates left out, each with `duplicate_count`), newest first."""
    duplicates = (Signal.objects.filter(duplicate_of=OuterRef("pk")).order_by().values("duplicate_of")
                  .annotate(n=Count("pk")).values("n"))
    signals = (Signal.objects.filter(organisation=organisation, duplicate_of__isnull=True,
                                     received_on__gte=period.start, received_on__lte=period.end)
               .select_related("location", "entered_by")
               .annotate(duplicate_count=Coalesce(Subquery(duplicates), 0)))
    if location_id is not None:
        signals = signals.filter(location_id=location_id)
    if theme_key is not None:
        signals = signals.filter(theme_key=theme_key)
    if search:
        # Redacted signals have no text, so a search never finds what was removed.
        signals = signals.filter(text__icontains=search)
    return signals.order_by("-received_on", "-pk")


def signal_counts(organisation_id: int, *, start: datetime.date, end: datetime.date,
                  location_ids=None) -> list[tuple[int, str, int]]:
    """(location id, theme key or "", number of signals) for signals received from `start` to `end`
    inclusive. A duplicate counts as one with the signal it repeats. One query."""
    rows = Signal.objects.filter(organisation_id=organisation_id, duplicate_of__isnull=True,
                                 received_on__gte=start, received_on__lte=end)
    if location_ids is not None:
        rows = rows.filter(location_id__in=list(location_ids))
    return [(location_id, theme_key, n) for location_id, theme_key, n in
            rows.order_by().values("location_id", "theme_key").annotate(n=Count("pk"))
            .values_list("location_id", "theme_key", "n")]


def plan_for_themes(organisation: Organisation) -> QualityPlan | None:
    """The plan whose framework gives the themes: this year's, else the nearest next, else the latest."""
    year = timezone.localdate().year
    plans = QualityPlan.objects.filter(organisation=organisation).only("pk", "year", "framework_id")
    return plans.filter(year__gte=year).order_by("year").first() or plans.order_by("-year").first()


def themes_of(organisation: Organisation) -> list[tuple[str, str]]:
    """(key, title) of the themes of the organisation's current or next plan's framework."""
    plan = plan_for_themes(organisation)
    if plan is None:
        return []
    return list(FrameworkSection.objects.filter(framework_id=plan.framework_id, kind=FrameworkSection.Kind.THEME)
                .order_by("order", "pk").values_list("key", "title"))


@dataclass
class CountRow:
    label: str
    count: int
    key: str = ""


def counts_per_theme_and_location(organisation: Organisation, *, period: Period, themes: list[tuple[str, str]],
                                  locations: list[Location], location_id: int | None = None):
    """The figures of the chart and its tables: per theme, per location, and the cross table
    {location id: {theme key: n}}, from one query."""
    rows = signal_counts(organisation.pk, start=period.start, end=period.end,
                         location_ids=[location_id] if location_id else None)
    titles = dict(themes)
    per_theme: dict[str, int] = {}
    per_location: dict[int, int] = {}
    cross: dict[int, dict[str, int]] = {}
    for loc_id, theme_key, n in rows:
        key = theme_key if theme_key in titles else NO_THEME
        per_theme[key] = per_theme.get(key, 0) + n
        per_location[loc_id] = per_location.get(loc_id, 0) + n
        per_location_theme = cross.setdefault(loc_id, {})
        per_location_theme[key] = per_location_theme.get(key, 0) + n
    from django.utils.translation import gettext

    theme_rows = [CountRow(title, per_theme.get(key, 0), key) for key, title in themes if per_theme.get(key)]
    if per_theme.get(NO_THEME):
        theme_rows.append(CountRow(gettext("Nog zonder thema"), per_theme[NO_THEME], "-"))
    location_rows = [CountRow(loc.name, per_location.get(loc.pk, 0), str(loc.pk)) for loc in locations
                     if (location_id is None or loc.pk == location_id) and (loc.is_active or per_location.get(loc.pk))]
    return theme_rows, location_rows, cross


def links_of(signal_ids) -> tuple[dict[int, list[TopPoint]], dict[int, list[ImprovementAction]]]:
    """The top-3 points and actions each signal is the basis of, in two queries."""
    points: dict[int, list[TopPoint]] = {}
    actions: dict[int, list[ImprovementAction]] = {}
    for link in SignalTopPoint.objects.filter(signal_id__in=signal_ids).select_related("top_point__plan"):
        points.setdefault(link.signal_id, []).append(link.top_point)
    for link in (SignalAction.objects.filter(signal_id__in=signal_ids)
                 .select_related("action__paragraph__location", "action__paragraph__plan")):
        actions.setdefault(link.signal_id, []).append(link.action)
    return points, actions


def open_plans_of(organisation: Organisation) -> QuerySet[QualityPlan]:
    """Plans whose top 3 and actions a signal can still be the basis of: not evaluated yet."""
    return QualityPlan.objects.filter(organisation=organisation).exclude(status=QualityPlan.Status.EVALUATED)


def top_point_choices(organisation: Organisation) -> list[tuple[int, str]]:
    points = (TopPoint.objects.filter(plan__in=open_plans_of(organisation))
              .select_related("plan", "location").order_by("-plan__year", "location__name", "rank", "pk"))
    return [(p.pk, _top_point_label(p)) for p in points]


def _top_point_label(point: TopPoint) -> str:
    from django.utils.translation import gettext

    where = point.location.name if point.location_id else gettext("hele organisatie")
    return gettext("%(year)s, %(where)s: %(rank)s. %(title)s") % {
        "year": point.plan.year, "where": where, "rank": point.rank, "title": point.title}


def action_choices(organisation: Organisation) -> list[tuple[int, str]]:
    actions = (ImprovementAction.objects.filter(paragraph__plan__in=open_plans_of(organisation))
               .select_related("paragraph__plan", "paragraph__location")
               .order_by("-paragraph__plan__year", "paragraph__location__name", "order", "pk"))
    return [(a.pk, f"{a.paragraph.plan.year}, {a.paragraph.location.name}: {a.title}") for a in actions]


def merge_candidates(signal: Signal, limit: int = 200) -> list[tuple[int, str]]:
    """Other signals of the same location that count, newest first, by number, date and opening words."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    others = (Signal.objects.filter(location_id=signal.location_id, duplicate_of__isnull=True)
              .exclude(pk=signal.pk).order_by("-received_on", "-pk").only("pk", "received_on", "text", "redacted_at")
              [:limit])
    choices = []
    for other in others:
        opening = other.text[:60] if other.text else gettext("tekst weggehaald")
        choices.append((other.pk, gettext("Signaal %(number)s van %(date)s: %(opening)s") % {
            "number": other.pk, "date": date_format(other.received_on, "j F Y"), "opening": opening}))
    return choices


def locations_with_input(plan: QualityPlan, *, since: datetime.date) -> frozenset[int]:
    """DOMAIN rule 22: the plan's locations that have a signal received since `since`, a top-3 point
    of their own, or a comment on the plan by their local council. One query."""
    from samenplan.participation.models import Comment

    with_signals = Signal.objects.filter(organisation_id=plan.organisation_id, received_on__gte=since)
    with_points = TopPoint.objects.filter(plan=plan, location__isnull=False)
    with_comments = Comment.objects.filter(plan=plan, council__location__isnull=False)
    return frozenset(Location.objects.filter(organisation_id=plan.organisation_id).filter(
        Q(pk__in=with_signals.values("location_id")) | Q(pk__in=with_points.values("location_id"))
        | Q(pk__in=with_comments.values("council__location_id"))).order_by().values_list("pk", flat=True))


def signal_query_for_api(location: Location, *, period: Period) -> QuerySet[Signal]:
    return (Signal.objects.filter(location=location, received_on__gte=period.start, received_on__lte=period.end)
            .select_related("entered_by").order_by("-received_on", "-pk"))

