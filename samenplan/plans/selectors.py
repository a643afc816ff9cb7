"""Reads of plans and versions, scoped to the person asking (404 for what they may not see)."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from samenplan.accounts.models import COUNCIL_ROLES, Role
from samenplan.accounts.selectors import is_platform_admin, memberships_of, organisation_ids_of
from samenplan.frameworks.models import FrameworkSection

from . import readability
from .models import CouncilShare, ImprovementAction, ImprovementParagraph, PlanVersion, QualityPlan
from .rules import PLAN_READERS


def next_free_plan_year(organisation) -> int:
    """The year a new plan is most likely for: next year, or the first after it without a plan."""
    taken = set(QualityPlan.objects.filter(organisation=organisation).values_list("year", flat=True))
    year = timezone.localdate().year + 1
    while year in taken:
        year += 1
    return year


def plans_for_user(user) -> QuerySet[QualityPlan]:
    plans = QualityPlan.objects.select_related("organisation", "framework")
    if is_platform_admin(user):
        return plans
    return plans.filter(organisation__in=organisation_ids_of(user, PLAN_READERS))


def get_plan_for_user(user, plan_id) -> QualityPlan:
    plan = plans_for_user(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def get_plan_with_perm(user, plan_id, perm: str) -> QualityPlan:
    """The plan when the person has `perm` on it: for pages that people reach who may not read the
    plan itself (council members: the top 3, the timeline). Others get a 404, which does not reveal
    the plan."""
    plan = QualityPlan.objects.select_related("organisation", "framework").filter(pk=plan_id).first()
    if plan is None or not user.has_perm(perm, plan):
        raise Http404
    return plan


def versions_of_plan(plan: QualityPlan) -> list[PlanVersion]:
    """The plan's versions, newest first, for a list: without their content, which is the whole
    frozen plan (160 KiB for a large one)."""
    return list(plan.versions.select_related("created_by").defer("content").order_by("-number"))


def plan_page_data(snapshot: dict) -> dict:
    """What the plan page lists besides the checklist and the versions. `snapshot` is the draft's
    (the checker needs it anyway): its sections and paragraphs are what the page lists, so they are
    not read twice, and the page shows exactly what the checker judged."""
    sections = [
        {"key": s["key"], "kind": s["kind"], "title": s["title"], "group": s["group"], "required": s["required"],
         "readability": readability.figures(s["body"]) if s["kind"] in FrameworkSection.TEXT_KINDS else None}
        for s in snapshot["sections"]
    ]
    paragraphs = [
        {"location_id": p["location_id"], "location": p["location"], "action_count": len(p["actions"])}
        for p in snapshot["improvement_paragraphs"]
    ]
    return {
        "sections": sections,
        "paragraphs": paragraphs,
        "readability": readability.summarise({s["key"]: s["body"] for s in snapshot["sections"]
                                              if s["kind"] in FrameworkSection.TEXT_KINDS}),
        "totals": snapshot["staffing"]["totals"],
    }


def paragraph_with_actions(plan: QualityPlan, location_id) -> ImprovementParagraph:
    paragraph = (
        ImprovementParagraph.objects.filter(plan=plan, location_id=location_id).select_related("location")
        .prefetch_related(Prefetch("actions", queryset=ImprovementAction.objects.select_related(
            "carried_over_from__paragraph__plan")))
        .first()
    )
    if paragraph is None:
        raise Http404
    return paragraph


def _shared_council_ids(user) -> set[int]:
    return {m.council_id for m in memberships_of(user) if m.role in COUNCIL_ROLES}


def versions_for_user(user) -> QuerySet[PlanVersion]:
    versions = PlanVersion.objects.select_related("plan__organisation", "plan__framework", "created_by")
    if is_platform_admin(user):
        return versions
    readable = versions.filter(plan__organisation__in=organisation_ids_of(user, PLAN_READERS))
    shared = versions.filter(shares__council__in=_shared_council_ids(user))
    invited = versions.filter(peer_invitations__organisation__in=organisation_ids_of(user, {Role.PEER_REVIEWER}))
    return (readable | shared | invited).distinct()


def get_version_for_user(user, version_id) -> PlanVersion:
    version = (
        versions_for_user(user)
        .prefetch_related(Prefetch("shares", queryset=CouncilShare.objects.select_related("council")),
                          "peer_invitations")
        .filter(pk=version_id).first()
    )
    if version is None or not user.has_perm("plans.view_version", version):
        raise Http404
    return version


def finding_url(plan: QualityPlan, target) -> str:
    """Where to fix a finding of the compliance checker."""
    if target.kind == "section" and target.key:
        return reverse("plans:section", args=[plan.pk, target.key])
    if target.kind == "profile":
        return reverse("plans:profile", args=[plan.pk])
    if target.kind == "staffing":
        return reverse("plans:staffing", args=[plan.pk])
    if target.kind in {"paragraph", "action"} and target.location_id:
        url = reverse("plans:paragraph", args=[plan.pk, target.location_id])
        return url + (f"#actie-{target.action_id}" if target.action_id else "")
    elsewhere = {
        "versions": ("plans:detail", "#versies"),
        "organisation": ("organisations:detail", ""),
        "consent": ("consent:overview", f"#raad-{target.key}" if target.key else ""),
        "peer_review": ("participation:plan_peer_reviews", ""),
        "top_points": ("participation:top_points", ""),
        "comments": ("participation:plan_comments", f"#onderdeel-{target.key}" if target.key else ""),
    }
    if target.kind in elsewhere:
        name, anchor = elsewhere[target.kind]
        arg = plan.organisation_id if target.kind == "organisation" else plan.pk
        return reverse(name, args=[arg]) + anchor
    return plan.get_absolute_url()


def comparison_bases(user, version: PlanVersion) -> list[tuple[str, PlanVersion]]:
    """The versions a person most likely wants to compare `version` with, each with its reason:
    the one their council decided on, the version before it, and last year's (the adopted one, or
    the newest). Only versions the person may read; each version once."""
    from samenplan.consent.models import ConsentDecision

    readable = versions_for_user(user).defer("content")
    plan = version.plan
    decided = (readable.filter(consent_requests__decision__in=ConsentDecision.objects.filter(
        request__plan=plan, request__council__in=_shared_council_ids(user)))
        .exclude(pk=version.pk).order_by("-number").first())
    before = readable.filter(plan=plan, number__lt=version.number).order_by("-number").first()
    last_year = None
    if plan.previous_id:
        earlier = readable.filter(plan_id=plan.previous_id)
        last_year = earlier.filter(adoption__isnull=False).order_by("-number").first() or earlier.order_by(
            "-number").first()
    bases, seen = [], set()
    for reason, base in (("decided", decided), ("previous", before), ("last_year", last_year)):
        if base is not None and base.pk not in seen:
            seen.add(base.pk)
            bases.append((reason, base))
    return bases
