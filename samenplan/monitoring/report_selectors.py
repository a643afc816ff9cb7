"""Reads of the quality report, scoped to the person asking, and `report_content`: the one place that
builds the report's structured contents (the page, the PDF, the API, the frozen copy at adoption
and, without people, the public page).

The chain of the report per location: signals per theme (counts only, never a signal's text) →
the client council's top-3 points → their actions → each action's final status and evaluation.
Everything is read in a fixed number of queries, whatever the number of locations, actions and
signals.
"""

import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from samenplan.careoffice.models import Agreement
from samenplan.consent.models import ConsentCondition
from samenplan.frameworks.models import FrameworkSection
from samenplan.organisations.models import Location
from samenplan.participation.models import TopPoint
from samenplan.plans.models import ImprovementAction, ImprovementParagraph, QualityPlan
from samenplan.plans.selectors import get_plan_with_perm  # noqa: F401  (the views and API ask it from here)
from samenplan.signals.models import Signal, SignalAction, SignalTopPoint
from samenplan.signals.selectors import signal_counts

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

FINAL_STATUS_LABELS = dict(ActionProgress.Status.choices)


# --- Getting things for a person ---------------------------------------------------------------


def report_of(plan: QualityPlan) -> QualityReport | None:
    return QualityReport.objects.filter(plan=plan).select_related("adopted_by", "created_by").first()


def get_report_with_perm(user, plan_id, perm: str = "monitoring.view_report") -> QualityReport:
    """The plan's report when the person has `perm` on the plan; a 404 when there is none yet."""
    plan = get_plan_with_perm(user, plan_id, perm)
    report = report_of(plan)
    if report is None:
        raise Http404(_("Er is nog geen kwaliteitsverslag van dit plan."))
    report.plan = plan
    return report


def get_action_evaluation(report: QualityReport, action_id) -> ActionEvaluation:
    evaluation = (ActionEvaluation.objects.select_related("action__paragraph__location", "action__paragraph__plan")
                  .filter(report=report, action_id=action_id).first())
    if evaluation is None:
        raise Http404
    return evaluation


def themes_of_plan(plan: QualityPlan) -> list[tuple[str, str]]:
    """(key, title) of the themes of the plan's framework, in the framework's order."""
    return list(FrameworkSection.objects.filter(framework_id=plan.framework_id, kind=FrameworkSection.Kind.THEME)
                .order_by("order", "pk").values_list("key", "title"))


def locations_of_plan(plan: QualityPlan) -> list[Location]:
    """The locations the plan has an improvement paragraph for, by name."""
    return [p.location for p in ImprovementParagraph.objects.filter(plan=plan).select_related("location")
            .order_by("location__name", "pk")]


def comments_of(report: QualityReport) -> list[ReportComment]:
    return list(ReportComment.objects.filter(plan_id=report.plan_id, kind=ReportComment.Kind.QUALITY)
                .select_related("council", "author", "location"))


def final_statuses(plan: QualityPlan) -> dict[int, str]:
    """Each action's status of its latest quarter of progress (the action's final status). One query."""
    latest = {}
    for action_id, status in (ActionProgress.objects.filter(action__paragraph__plan=plan).order_by("quarter", "pk")
                              .values_list("action_id", "status")):
        latest[action_id] = status
    return latest


# --- The report's contents ---------------------------------------------------------------------


def _count_of(model, field: str):
    return Coalesce(Subquery(model.objects.filter(**{field: OuterRef("pk")}, signal__duplicate_of__isnull=True)
                             .order_by().values(field).annotate(n=Count("pk")).values("n")), 0)


def _signal_rows(plan: QualityPlan, themes: list[tuple[str, str]]) -> dict[int | None, list[dict]]:
    """Per location: the number of signals of the plan's year per theme of the framework."""
    titles = dict(themes)
    counts: dict[int, dict[str, int]] = {}
    for location_id, theme_key, n in signal_counts(plan.organisation_id, start=datetime.date(plan.year, 1, 1),
                                                   end=datetime.date(plan.year, 12, 31)):
        key = theme_key if theme_key in titles else ""
        per_theme = counts.setdefault(location_id, {})
        per_theme[key] = per_theme.get(key, 0) + n
    rows = {}
    for location_id, per_theme in counts.items():
        rows[location_id] = [{"theme_key": key, "theme": title, "count": per_theme[key]}
                             for key, title in themes if per_theme.get(key)]
        if per_theme.get(""):
            rows[location_id].append({"theme_key": "", "theme": _("Nog zonder thema"), "count": per_theme[""]})
    return rows


def report_content(report: QualityReport) -> dict:
    """The report as plain data (JSON-ready): what adoption freezes, and what the pages, the PDF and
    the API show. Holds the names of action owners (the people who did the work) but no signal
    text and no comment; `public_content` takes what the public may see."""
    plan = report.plan
    themes = themes_of_plan(plan)
    titles = dict(themes)
    locations = locations_of_plan(plan)
    actions = list(ImprovementAction.objects.filter(paragraph__plan=plan)
                   .annotate(signal_count=_count_of(SignalAction, "action"))
                   .values("pk", "title", "owner", "theme_key", "due_quarter", "source", "signal_count",
                           "paragraph__location_id").order_by("order", "pk"))
    progress = final_statuses(plan)
    # An unsaved report (the chain before the report is drafted) has none of its own rows yet.
    saved = report.pk is not None
    evaluations = {e.action_id: e for e in ActionEvaluation.objects.filter(report=report)} if saved else {}
    point_actions: dict[int, list[int]] = {}
    for point_id, action_id in TopPoint.actions.through.objects.filter(toppoint__plan=plan).values_list(
            "toppoint_id", "improvementaction_id").order_by("pk"):
        point_actions.setdefault(point_id, []).append(action_id)
    points = list(TopPoint.objects.filter(plan=plan).select_related("council")
                  .annotate(signal_count=_count_of(SignalTopPoint, "top_point"))
                  .order_by("council__name", "location_id", "rank", "pk"))
    signals = _signal_rows(plan, themes)
    theme_texts = dict(ThemeEvaluation.objects.filter(report=report).values_list("theme_key", "body")) if saved else {}
    findings = list(ReportFinding.objects.filter(report=report).order_by("order", "pk")) if saved else []

    def action_row(row):
        evaluation = evaluations.get(row["pk"])
        status = evaluation.final_status if evaluation else progress.get(row["pk"], ActionProgress.Status.NOT_STARTED)
        return {"id": row["pk"], "title": row["title"], "owner": row["owner"], "theme_key": row["theme_key"],
                "theme": titles.get(row["theme_key"], ""), "due_quarter": row["due_quarter"],
                "source": row["source"], "signal_count": row["signal_count"],
                "final_status": status, "final_status_label": str(FINAL_STATUS_LABELS.get(status, status)),
                "evaluation": evaluation.evaluation if evaluation else "",
                "evaluated": bool(evaluation and evaluation.evaluation.strip())}

    action_rows = {row["pk"]: action_row(row) for row in actions}
    location_of_action = {row["pk"]: row["paragraph__location_id"] for row in actions}

    def point_row(point):
        return {"id": point.pk, "rank": point.rank, "title": point.title, "council": point.council.name,
                "signal_count": point.signal_count, "answer": point.answer,
                "actions": [action_rows[a] for a in point_actions.get(point.pk, []) if a in action_rows]}

    def finding_row(finding):
        return {"id": finding.pk, "text": finding.text, "theme_key": finding.theme_key,
                "theme": titles.get(finding.theme_key, "")}

    location_blocks = []
    for location in locations:
        location_blocks.append({
            "id": location.pk, "name": location.name,
            "signals": signals.get(location.pk, []),
            "signal_total": sum(row["count"] for row in signals.get(location.pk, [])),
            "top_points": [point_row(p) for p in points if p.location_id == location.pk],
            "actions": [a for a_id, a in action_rows.items() if location_of_action[a_id] == location.pk],
            "findings": [finding_row(f) for f in findings if f.location_id == location.pk],
        })
    signal_total_per_theme = {}
    for rows in signals.values():
        for row in rows:
            signal_total_per_theme[row["theme_key"]] = signal_total_per_theme.get(row["theme_key"], 0) + row["count"]
    conditions = [
        {"text": c.text, "owner": c.owner, "status": c.status, "status_label": str(c.get_status_display()),
         "council": c.decision.request.council.name, "action_id": c.action_id, "answer": c.answer}
        for c in ConsentCondition.objects.filter(decision__request__plan=plan)
        .select_related("decision__request__council").order_by("decision__request__council__name", "order", "pk")]
    agreements = [
        {"title": a.title, "owner": a.owner, "status": a.status, "status_label": str(a.get_status_display()),
         "due_date": a.due_date.isoformat(), "status_note": a.status_note}
        for a in Agreement.objects.filter(plan=plan).order_by("due_date", "pk")]
    return {
        "plan": {"id": plan.pk, "year": plan.year, "organisation": plan.organisation.name,
                 "framework": plan.framework.name},
        "status": report.status,
        "introduction": report.introduction,
        "locations": location_blocks,
        "organisation_wide": {
            "top_points": [point_row(p) for p in points if p.location_id is None],
            "findings": [finding_row(f) for f in findings if f.location_id is None],
        },
        "themes": [{"key": key, "title": title, "evaluation": theme_texts.get(key, ""),
                    "signal_count": signal_total_per_theme.get(key, 0)} for key, title in themes],
        "conditions": conditions,
        "agreements": agreements,
    }


def content_of(report: QualityReport) -> dict:
    """The frozen contents of an adopted report; the live ones of a draft."""
    return report.content if report.status == QualityReport.Status.ADOPTED and report.content else report_content(
        report)


# What the public sees of an action, a point, a condition and an agreement: an allow-list, so a
# field added to report_content stays private until it is added here (DOMAIN rule 24). Owners and
# the council's written answers may name people; comments are never in the contents at all.
PUBLIC_ACTION_FIELDS = ("id", "title", "theme_key", "theme", "due_quarter", "signal_count", "final_status",
                        "final_status_label", "evaluation")
PUBLIC_POINT_FIELDS = ("id", "rank", "title", "council", "signal_count")
PUBLIC_FINDING_FIELDS = ("id", "text", "theme_key", "theme")


def _pick(data: dict, fields) -> dict:
    return {name: data.get(name) for name in fields}


def _public_point(point: dict) -> dict:
    return {**_pick(point, PUBLIC_POINT_FIELDS),
            "actions": [_pick(a, PUBLIC_ACTION_FIELDS) for a in point.get("actions", [])]}


def public_content(content: dict) -> dict:
    """The report without people: no owners, no notes that may name someone (rule 24)."""
    return {
        "plan": _pick(content.get("plan") or {}, ("id", "year", "organisation", "framework")),
        "introduction": content.get("introduction", ""),
        "locations": [{
            "id": block.get("id"), "name": block.get("name"), "signals": block.get("signals", []),
            "signal_total": block.get("signal_total", 0),
            "top_points": [_public_point(p) for p in block.get("top_points", [])],
            "actions": [_pick(a, PUBLIC_ACTION_FIELDS) for a in block.get("actions", [])],
            "findings": [_pick(f, PUBLIC_FINDING_FIELDS) for f in block.get("findings", [])],
        } for block in content.get("locations", [])],
        "organisation_wide": {
            "top_points": [_public_point(p) for p in (content.get("organisation_wide") or {}).get("top_points", [])],
            "findings": [_pick(f, PUBLIC_FINDING_FIELDS)
                         for f in (content.get("organisation_wide") or {}).get("findings", [])],
        },
        "themes": [_pick(t, ("key", "title", "evaluation", "signal_count")) for t in content.get("themes", [])],
        "conditions": [_pick(c, ("text", "status", "status_label", "council")) for c in content.get("conditions", [])],
        "agreements": [_pick(a, ("title", "status", "status_label", "due_date")) for a in content.get("agreements", [])],
    }


def what_is_missing(content: dict) -> list[str]:
    """What the board cannot adopt the report without, in sentences: no finding at all, or an
    action without an evaluation."""
    missing = []
    if not any(block["findings"] for block in content["locations"]) and not content["organisation_wide"]["findings"]:
        missing.append(_("Er is nog geen bevinding. Schrijf op wat u dit jaar hebt geleerd, per locatie of voor de "
                         "hele organisatie."))
    for block in content["locations"]:
        for action in block["actions"]:
            if not action["evaluated"]:
                missing.append(_("De actie „%(title)s” van %(location)s heeft nog geen evaluatie.")
                               % {"title": action["title"], "location": block["name"]})
    return missing


def published_report(organisation_id: int, year: int) -> QualityReport:
    """The organisation's adopted and published report of that year, or a 404."""
    report = (QualityReport.objects.select_related("plan__organisation")
              .filter(plan__organisation_id=organisation_id, plan__year=year, status=QualityReport.Status.ADOPTED,
                      published_at__isnull=False).first())
    if report is None:
        raise Http404
    return report


def published_reports_of(organisation_id: int) -> list[QualityReport]:
    return list(QualityReport.objects.filter(plan__organisation_id=organisation_id, published_at__isnull=False,
                                             status=QualityReport.Status.ADOPTED)
                .select_related("plan").only("plan__year", "published_at").order_by("-plan__year"))


# --- The next plan (rule 11) -------------------------------------------------------------------


def previous_findings(plan: QualityPlan, location_id: int) -> tuple[QualityReport | None, list[ReportFinding]]:
    """The adopted report of the organisation's plan of the year before, and its findings for this
    location and for the whole organisation, each with `started` (the ids of this plan's actions
    started from it). Two queries."""
    report = (QualityReport.objects.filter(plan__organisation_id=plan.organisation_id, plan__year=plan.year - 1,
                                           status=QualityReport.Status.ADOPTED).select_related("plan").first())
    if report is None:
        return None, []
    findings = list(ReportFinding.objects.filter(Q(location_id=location_id) | Q(location__isnull=True), report=report))
    started: dict[int, list[int]] = {}
    for finding_id, action_id in FindingAction.objects.filter(
            finding__in=findings, action__paragraph__plan=plan).values_list("finding_id", "action_id"):
        started.setdefault(finding_id, []).append(action_id)
    for finding in findings:
        finding.started = started.get(finding.pk, [])
    return report, findings


# --- "U zei, wij deden" ------------------------------------------------------------------------


def you_said_page(plan: QualityPlan, location: Location) -> YouSaidWeDid | None:
    return YouSaidWeDid.objects.filter(plan=plan, location=location).first()


def you_said_proposals(plan: QualityPlan, location: Location) -> list[dict]:
    """What the data propose for a location's page: per signal theme its count, and per top-3 point
    of the location (or the whole organisation) its actions with their latest status and
    evaluation. Staff write the sentences; nothing here is a resident's own words."""
    report = report_of(plan)
    content = content_of(report) if report else _chain_without_report(plan)
    block = next((b for b in content["locations"] if b["id"] == location.pk), None)
    proposals = []
    for row in (block or {}).get("signals", []):
        if row["theme_key"]:
            proposals.append({"theme_key": row["theme_key"], "top_point": None, "count": row["count"],
                              "label": row["theme"], "actions": []})
    points = [*(block or {}).get("top_points", []), *content["organisation_wide"]["top_points"]]
    for point in points:
        proposals.append({"theme_key": "", "top_point": point["id"], "count": point["signal_count"],
                          "label": point["title"], "actions": point["actions"]})
    return proposals


def _chain_without_report(plan: QualityPlan) -> dict:
    # Before the report is drafted the same chain is built on an unsaved, empty report.
    return report_content(QualityReport(plan=plan))


def you_said_items(page: YouSaidWeDid) -> list[YouSaidItem]:
    return list(page.items.select_related("top_point"))


def published_you_said(location_id: int) -> YouSaidWeDid:
    """The location's latest published page, or a 404."""
    page = (YouSaidWeDid.objects.select_related("location__organisation", "plan")
            .filter(location_id=location_id, published_at__isnull=False).order_by("-plan__year").first())
    if page is None:
        raise Http404
    return page


def published_you_said_of(organisation_id: int) -> list[YouSaidWeDid]:
    """Per location its latest published page (for the public organisation page)."""
    latest = {}
    for page in (YouSaidWeDid.objects.filter(location__organisation_id=organisation_id, published_at__isnull=False)
                 .select_related("location", "plan").order_by("location__name", "-plan__year")):
        latest.setdefault(page.location_id, page)
    return list(latest.values())


def signal_texts(organisation_id: int, year: int) -> set[str]:
    """The texts of the organisation's signals of the year, normalised, to tell a summary from a
    quotation."""
    return {normalise(text) for text in Signal.objects.filter(
        organisation_id=organisation_id, received_on__year=year).exclude(text="").values_list("text", flat=True)}


def normalise(text: str) -> str:
    return " ".join((text or "").lower().split()).strip(" .!?")


def public_you_said(page: YouSaidWeDid) -> dict:
    """What the public page and the poster show: per item staff's sentences, the theme or top-3
    point it comes from with its number of signals, and the point's actions with their outcome,
    without people (the report's public contents)."""
    plan = page.plan
    report = report_of(plan)
    content = public_content(content_of(report) if report else _chain_without_report(plan))
    block = next((b for b in content["locations"] if b["id"] == page.location_id), {})
    themes = {row["theme_key"]: row for row in block.get("signals", [])}
    titles = {t["key"]: t["title"] for t in content["themes"]}
    points = {p["id"]: p for p in [*block.get("top_points", []), *content["organisation_wide"]["top_points"]]}
    items = []
    for item in you_said_items(page):
        point = points.get(item.top_point_id) if item.top_point_id else None
        items.append({
            "you_said": item.you_said, "we_did": item.we_did,
            "theme": titles.get(item.theme_key, ""),
            "signal_count": (point or {}).get("signal_count") if point else themes.get(item.theme_key, {}).get("count", 0),
            "top_point": point["title"] if point else "",
            "actions": point["actions"] if point else [],
        })
    return {"year": plan.year, "location": page.location.name, "organisation": page.location.organisation.name,
            "items": items}
