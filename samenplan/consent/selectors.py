"""Reads of consent rounds, and the context the compliance checker needs for a plan."""

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from samenplan.accounts.selectors import council_ids_of, is_platform_admin, organisation_ids_of
from samenplan.compliance import (
    CheckContext,
    ConsentFacts,
    CouncilFacts,
    Finding,
    ReviewFacts,
    TopPointFacts,
    check,
)
from samenplan.organisations.models import Council
from samenplan.participation.models import Comment, PeerReview, TopPoint
from samenplan.participation.selectors import peer_candidates
from samenplan.plans.models import PlanVersion, QualityPlan
from samenplan.plans.rules import PLAN_READERS
from samenplan.plans.snapshot import build_snapshot, load_plan_for_snapshot

from .models import Adoption, ConsentCondition, ConsentDecision, ConsentRequest


# Consent requests are read with their version's number and hash, never its content: that is the
# whole frozen plan, 160 KiB for a large one, on every row.


def consent_requests_of_plan(plan: QualityPlan) -> QuerySet[ConsentRequest]:
    return (ConsentRequest.objects.filter(plan=plan)
            .select_related("council", "version", "requested_by", "decision", "decision__recorded_by",
                            "decision__lcvv_request")
            .prefetch_related(Prefetch("decision__conditions",
                                       queryset=ConsentCondition.objects.select_related("action")),
                              "decision__present")
            .defer("version__content").order_by("-version__number", "council__name"))


def latest_requests(requests) -> dict[int, ConsentRequest]:
    """Per council, its request on the newest version it was asked about."""
    latest: dict[int, ConsentRequest] = {}
    for request in requests:
        current = latest.get(request.council_id)
        if current is None or request.version.number > current.version.number:
            latest[request.council_id] = request
    return latest


def latest_refusals(plan: QualityPlan) -> list[ConsentRequest]:
    """The refusals that sent the plan back to draft and that no new round has answered yet: those
    on the newest version put before the councils, while the plan is in draft. Empty otherwise.
    The plan page tells the board why its plan is back, and what it can do next."""
    if plan.status != QualityPlan.Status.DRAFT:
        return []
    newest = ConsentRequest.objects.filter(plan=plan).order_by("-version__number").values("version_id")[:1]
    return list(ConsentRequest.objects.filter(plan=plan, version_id=Subquery(newest),
                                              decision__decision=ConsentDecision.Decision.REFUSED)
                .select_related("council", "version", "decision", "decision__lcvv_request")
                .defer("version__content").order_by("council__name"))


def mark_adopted(*, versions=(), plans=()) -> None:
    """Sets `adopted` on each version (its Adoption, or None) and on each plan (the adoption of its
    newest adopted version, or None), in one query however many there are: every list of versions
    says which one the board adopted."""
    versions, plans = [v for v in versions if v is not None], list(plans)
    if not versions and not plans:
        return
    wanted = Q(version_id__in={v.pk for v in versions}) | Q(plan_id__in={p.pk for p in plans})
    adoptions = (Adoption.objects.filter(wanted)
                 .select_related("adopted_by", "version").defer("version__content").order_by("adopted_at", "pk"))
    by_version, by_plan = {}, {}
    for adoption in adoptions:
        by_version[adoption.version_id] = by_plan[adoption.plan_id] = adoption  # the newest stays
    for version in versions:
        version.adopted = by_version.get(version.pk)
    for plan in plans:
        plan.adopted = by_plan.get(plan.pk)


def requests_for_user(user) -> QuerySet[ConsentRequest]:
    requests = (ConsentRequest.objects.select_related("plan__organisation", "council", "version", "decision")
                .defer("version__content"))
    if is_platform_admin(user):
        return requests
    return requests.filter(Q(council__in=council_ids_of(user))
                           | Q(plan__organisation__in=organisation_ids_of(user, PLAN_READERS)))


def get_request_for_user(user, request_id) -> ConsentRequest:
    request = (requests_for_user(user).select_related("plan__framework", "requested_by", "decision__recorded_by",
                                                       "decision__lcvv_request")
               .prefetch_related("decision__conditions", "decision__present").filter(pk=request_id).first())
    if request is None:
        raise Http404
    return request


def open_requests() -> QuerySet[ConsentRequest]:
    """Requests a council still has to decide on: the plan is with the councils, and the request is
    the council's newest (one on an older version is left once the council was asked about a newer)."""
    newer = ConsentRequest.objects.filter(council=OuterRef("council"), plan=OuterRef("plan"),
                                          version__number__gt=OuterRef("version__number"))
    return (ConsentRequest.objects.filter(decision__isnull=True, plan__status=QualityPlan.Status.CONSENT)
            .exclude(Exists(newer)).select_related("plan__organisation", "council", "version")
            .defer("version__content").order_by("respond_by"))


def open_requests_for_council_member(user) -> QuerySet[ConsentRequest]:
    return open_requests().filter(council__in=council_ids_of(user))


def is_stale(request: ConsentRequest, content_sha256: str) -> bool:
    """A decision given on other content than the plan has now counts as absent (DOMAIN rule 4)."""
    return _has_decision(request) and request.decision.version_sha256 != content_sha256


def draft_state(plan: QualityPlan) -> tuple[dict, str]:
    """The plan as it is now: its snapshot and the hash a version of it would get."""
    snapshot = build_snapshot(load_plan_for_snapshot(plan.pk))
    return snapshot, PlanVersion.hash_of(PlanVersion.canonical(snapshot))


def check_context_for(plan: QualityPlan, content_sha256: str, *,
                      latest_version_sha256: str | None = None, submitting: bool = False) -> CheckContext:
    """Everything around the plan that the checker reads, in a fixed number of queries.

    A caller that has read the plan's versions already passes the newest one's hash ("" when there
    is none), which saves a query."""
    if latest_version_sha256 is None:
        latest_version = plan.versions.order_by("-number").only("sha256").first()
        latest_version_sha256 = latest_version.sha256 if latest_version else ""
    # Rule 26's setting rides along on the councils' rows (a subquery), which saves every page that
    # runs the checker a query; only an organisation without councils asks for it on its own.
    council_rows = list(Council.objects.filter(organisation_id=plan.organisation_id).order_by("name")
                        .annotate(plan_format=_plan_format_subquery(plan),
                                  previous_report=_previous_report_subquery(plan)))
    councils = tuple(CouncilFacts(id=c.pk, kind=c.kind, name=c.name, location_id=c.location_id)
                     for c in council_rows)
    # Without the version's content: a whole frozen plan per request, which the GROUP BY of the
    # count below would otherwise carry along too. In order of id, not the default order, which joins
    # the plan and the council only to sort: latest_requests() does not depend on the order.
    requests = list(ConsentRequest.objects.filter(plan=plan).select_related("version", "decision__lcvv_request")
                    .defer("version__content").order_by("pk")
                    .annotate(open_conditions=Count("decision__conditions",
                                                    filter=Q(decision__conditions__status=ConsentCondition.Status.OPEN))))
    consent = []
    for request in latest_requests(requests).values():
        decision = getattr(request, "decision", None) if _has_decision(request) else None
        lcvv = getattr(decision, "lcvv_request", None) if decision and _has_lcvv(decision) else None
        consent.append(ConsentFacts(
            council_id=request.council_id, request_id=request.pk, request_sha256=request.version.sha256,
            decision=decision.decision if decision else "", decision_sha256=decision.version_sha256 if decision else "",
            substitute_consent=bool(lcvv and lcvv.outcome == lcvv.Outcome.SUBSTITUTE_CONSENT),
            open_conditions=request.open_conditions if decision else 0,
            stands_in_for_nursing_council=request.stands_in_for_nursing_council,
        ))
    network_peers = set(peer_candidates(plan).values_list("pk", flat=True))
    reviews = tuple(
        ReviewFacts(organisation_id=r.organisation_id, organisation_name=r.organisation.name,
                    shares_network=r.organisation_id in network_peers, version_sha256=r.version.sha256,
                    version_number=r.version.number)
        for r in PeerReview.objects.filter(version__plan=plan, submitted_at__isnull=False)
        .select_related("organisation", "version").only("organisation__name", "version__sha256", "version__number")
        .order_by("pk")  # the checker sorts them itself; the default order joins the plan to sort
    )
    open_comments = tuple(
        Comment.objects.filter(plan=plan, outcome="").values("section_key").annotate(n=Count("pk"))
        .order_by("section_key").values_list("section_key", "n"))
    # Points and their actions in one query: a row per linked action, one row with None for a point
    # without actions.
    points: dict[int, tuple[str, bool, list[int]]] = {}
    for point_id, title, answer, action_id in (
            TopPoint.objects.filter(plan=plan).order_by("council__name", "location__name", "rank", "pk")
            .values_list("pk", "title", "answer", "actions")):
        _title, _answered, action_ids = points.setdefault(point_id, (title, bool(answer), []))
        if action_id is not None:
            action_ids.append(action_id)
    top_points = tuple(TopPointFacts(id=point_id, title=title, action_ids=tuple(action_ids), answered=answered)
                       for point_id, (title, answered, action_ids) in points.items())
    adopted_sha256 = ""
    if submitting:
        newest = Adoption.objects.filter(plan=plan).select_related("version").only("version__sha256") \
            .order_by("-adopted_at", "-pk").first()
        adopted_sha256 = newest.version.sha256 if newest else ""
    return CheckContext(
        process=True, organisation_id=plan.organisation_id, content_sha256=content_sha256,
        latest_version_sha256=latest_version_sha256, councils=councils,
        consent=tuple(consent), peer_reviews=reviews, open_comments=open_comments, top_points=top_points,
        submitting=submitting, plan_status=plan.status, adopted_sha256=adopted_sha256,
        plan_format=(council_rows[0].plan_format if council_rows else plan_format_for(plan)) or "framework",
        locations_with_input=_locations_with_input(plan),
        missed_updates=_missed_updates(plan),
        previous_report_exists=(council_rows[0].previous_report if council_rows
                                else _previous_report_subquery(plan, query=True)),
    )


def _locations_with_input(plan: QualityPlan) -> frozenset[int] | None:
    """Rule 22, only while the plan is drafted: its locations with a signal since the start of the
    year before the plan year, a top-3 point of their own or a comment by their local council."""
    if plan.status != QualityPlan.Status.DRAFT:
        return None
    import datetime

    from samenplan.signals.selectors import locations_with_input

    return locations_with_input(plan, since=datetime.date(plan.year - 1, 1, 1))


def _missed_updates(plan: QualityPlan) -> tuple[tuple[int, str], ...] | None:
    """Rule 23: (action id, quarter) of the actions without an update over the last quarter, for a
    plan being carried out; None otherwise."""
    from django.utils import timezone

    from samenplan.monitoring.rules import FOLLOWED_STATES
    from samenplan.monitoring.selectors import due_quarter, missed_updates

    if plan.status not in FOLLOWED_STATES:
        return None
    today = timezone.localdate()
    quarter = due_quarter(plan.year, today)
    return tuple((action_id, quarter) for action_id in missed_updates(plan, today))


def _previous_report_subquery(plan: QualityPlan, *, query: bool = False):
    """Rule 11: whether the organisation's plan of the year before has an adopted quality report;
    an Exists to ride along on another query, or (`query`) asked on its own."""
    from samenplan.monitoring.models import QualityReport

    reports = QualityReport.objects.filter(plan__organisation_id=plan.organisation_id, plan__year=plan.year - 1,
                                           status=QualityReport.Status.ADOPTED)
    return reports.exists() if query else Exists(reports)


def _plan_format_subquery(plan: QualityPlan):
    from samenplan.careoffice.models import CareOfficeYear

    # Where several care offices share the region, the strictest expectation holds: "framework"
    # sorts before "free", so the smallest value is the strictest.
    return Subquery(CareOfficeYear.objects.filter(care_office__regions__organisations=plan.organisation_id,
                                                  year=plan.year)
                    .order_by().values("year").annotate(strictest=Min("plan_format")).values("strictest")[:1])


def plan_format_for(plan: QualityPlan) -> str:
    """Rule 26: the form the care office of the organisation's region expects for the plan's year
    ("framework" unless it set "free"). One query."""
    from samenplan.organisations.models import Organisation

    row = Organisation.objects.filter(pk=plan.organisation_id).annotate(
        plan_format=_plan_format_subquery(plan)).values_list("plan_format", flat=True).first()
    return row or "framework"


def _has_decision(request) -> bool:
    try:
        return request.decision is not None
    except ConsentDecision.DoesNotExist:
        return False


def _has_lcvv(decision) -> bool:
    from .models import LcvvRequest

    try:
        return decision.lcvv_request is not None
    except LcvvRequest.DoesNotExist:
        return False


def plan_findings(plan: QualityPlan, *, latest_version_sha256: str | None = None,
                  submitting: bool = False) -> tuple[dict, str, list[Finding]]:
    """The draft's snapshot, its hash and every finding of the checker for it (with rule 17's when
    `submitting`)."""
    snapshot, sha256, findings, _refusals = plan_page_state(plan, latest_version_sha256=latest_version_sha256,
                                                            with_refusals=False, submitting=submitting)
    return snapshot, sha256, findings


def plan_page_state(plan: QualityPlan, *, latest_version_sha256: str | None = None,
                    with_refusals: bool = True,
                    submitting: bool = False) -> tuple[dict, str, list[Finding], list[ConsentRequest]]:
    """What `plan_findings` gives, and `latest_refusals`: read only when the checker's context
    shows a council whose latest decision is a refusal, so a plan without one pays no query."""
    snapshot, sha256 = draft_state(plan)
    context = check_context_for(plan, sha256, latest_version_sha256=latest_version_sha256, submitting=submitting)
    refused = with_refusals and any(c.decision == ConsentDecision.Decision.REFUSED for c in context.consent)
    return snapshot, sha256, check(snapshot, context), latest_refusals(plan) if refused else []
