"""Pages for comments and answers, the client council's top 3 and peer feedback.

Every change goes through participation.services; these views only read, fill forms and redirect.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenplan.consent.selectors import mark_adopted
from samenplan.core.permissions import require
from samenplan.core.rendering import run_form_action
from samenplan.plans import selectors as plan_selectors
from samenplan.plans.models import CARE_TYPES, TARGET_GROUPS, ImprovementAction

from . import selectors, services
from .forms import (
    CommentAnswerForm,
    CommentForm,
    InvitePeersForm,
    LibraryCommentForm,
    LibraryCopyForm,
    LibraryShareForm,
    PeerReviewForm,
    TopPointAnswerForm,
    TopPointsForm,
    version_label,
)
from .models import Comment, PeerReview, commentable_sections


@dataclass
class SectionComments:
    key: str
    title: str
    comments: list = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for c in self.comments if c.is_open)


def _by_section(comments, titles: dict[str, str]) -> list[SectionComments]:
    """Comments grouped per section in the plan's order, the open ones first within each."""
    groups = {key: SectionComments(key, title) for key, title in titles.items()}
    for comment in comments:
        groups.setdefault(comment.section_key, SectionComments(comment.section_key, comment.section_key))
        groups[comment.section_key].comments.append(comment)
    for group in groups.values():
        group.comments.sort(key=lambda c: (not c.is_open, c.created_at, c.pk))
    return [g for g in groups.values() if g.comments]


def _comments(user, plan):
    # The comment list joins its versions; their snapshots are not shown and can be large.
    return selectors.comments_for_user(user, plan).defer("version__content", "change_version__content")


def _versions_of(user, plan) -> list:
    return list(plan_selectors.versions_for_user(user).filter(plan=plan).defer("content").order_by("number"))


def _add_diff_links(comments, visible_version_ids: set[int]) -> None:
    """A "verwerkt" answer links to the changes, for those who may see both versions."""
    for comment in comments:
        comment.diff_url = ""
        if comment.change_version_id and {comment.version_id, comment.change_version_id} <= visible_version_ids:
            comment.diff_url = (reverse("plans:version_diff", args=[comment.version_id])
                                + f"?met={comment.change_version_id}")


def _answer_prefix(comment) -> str:
    return f"reactie-{comment.pk}"


def _answer_initial(comment) -> dict:
    return {"outcome": comment.outcome, "answer": comment.answer, "change_version": comment.change_version_id}


@login_required
@require_GET
def plan_comments(request, plan_id):
    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    comments = list(_comments(request.user, plan))
    versions = _versions_of(request.user, plan)
    _add_diff_links(comments, {v.pk for v in versions})
    can_answer = request.user.has_perm("participation.answer_comment", plan)
    if can_answer:
        labelled = sorted(versions, key=lambda v: -v.number)
        for version in labelled:
            version.label = version_label(version)
        for comment in comments:
            if comment.is_open:
                comment.answer_prefix = _answer_prefix(comment)
                comment.later_versions = [v for v in labelled if v.number > comment.version.number]
    titles = commentable_sections({s.key: s.title for s in plan.sections.only("key", "title")})
    context = {"plan": plan, "groups": _by_section(comments, titles), "can_answer": can_answer,
               "outcome_choices": Comment.Outcome.choices,
               "comment_count": len(comments), "open_count": sum(1 for c in comments if c.is_open)}
    return render(request, "participation/plan_comments.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def version_comments(request, version_id):
    version = plan_selectors.get_version_for_user(request.user, version_id)
    plan = version.plan
    sections = version.snapshot.get("sections") or []
    can_comment = request.user.has_perm("participation.comment_on_version", version)
    form = CommentForm(request.POST or None, sections=sections,
                       initial={"section_key": request.GET.get("onderdeel", "")})
    if request.method == "POST":
        require(request.user, "participation.comment_on_version", version)
        comment = form.is_valid() and run_form_action(form, lambda: services.add_comment(
            version=version, by=request.user, **form.cleaned_data))
        if comment:
            messages.success(request, _("Dank u wel. Uw reactie is geplaatst."))
            return redirect(reverse("participation:version_comments", args=[version.pk]) + f"#reactie-{comment.pk}")
    comments = list(_comments(request.user, plan).filter(version=version))
    _add_diff_links(comments, {v.pk for v in _versions_of(request.user, plan)})
    context = {
        "version": version, "plan": plan, "form": form, "can_comment": can_comment,
        "groups": _by_section(comments, commentable_sections({s["key"]: s["title"] for s in sections})),
        "can_see_plan": request.user.has_perm("plans.view_plan", plan),
        "reviews_version": request.user.has_perm("participation.review_version", version),
    }
    return render(request, "participation/version_comments.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def comment_answer(request, comment_id):
    comment = selectors.get_comment_for_user(request.user, comment_id)
    plan = comment.plan
    require(request.user, "participation.answer_comment", plan)
    comment = _comments(request.user, plan).get(pk=comment.pk)
    later = [v for v in _versions_of(request.user, plan) if v.number > comment.version.number]
    form = CommentAnswerForm(request.POST or None, prefix=_answer_prefix(comment), later_versions=later,
                             initial=_answer_initial(comment))
    if request.method == "POST" and form.is_valid() and run_form_action(form, lambda: services.answer_comment(
            comment=comment, by=request.user, **form.cleaned_data)):
        messages.success(request, _("Uw antwoord is opgeslagen. De schrijver van de reactie krijgt een bericht."))
        return redirect(reverse("participation:plan_comments", args=[plan.pk]) + f"#reactie-{comment.pk}")
    titles = commentable_sections({s.key: s.title for s in plan.sections.only("key", "title")})
    context = {"plan": plan, "comment": comment, "form": form, "later_versions": later,
               "section_title": titles.get(comment.section_key, comment.section_key)}
    return render(request, "participation/comment_answer.html", context, status=400 if form.errors else 200)


# --- The client council's top 3 ---------------------------------------------------------------


@dataclass
class TopPointGroup:
    council: object
    location: object
    points: list = field(default_factory=list)


def _top_point_groups(points) -> list[TopPointGroup]:
    groups: dict[tuple, TopPointGroup] = {}
    for point in points:
        key = (point.council_id, point.location_id)
        groups.setdefault(key, TopPointGroup(point.council, point.location)).points.append(point)
    # The whole organisation first, then the locations by name.
    return sorted(groups.values(), key=lambda g: (g.location is not None, g.location.name if g.location else "",
                                                  g.council.name))


def _top_points_form(request, plan, points) -> TopPointsForm:
    """The form of a client-council member, filled with the council's points for the location
    chosen with ?locatie= (none: the whole organisation)."""
    councils = selectors.client_councils_of(request.user, plan)
    locations = plan.organisation.locations.filter(is_active=True).order_by("name")
    council_id = _int_or_none(request.GET.get("raad"))
    council_id = council_id if council_id in {c.pk for c in councils} else councils[0].pk
    location_id = _int_or_none(request.GET.get("locatie"))
    initial = {"council": council_id, "location": location_id}
    for point in points:
        if (point.council_id, point.location_id) == (council_id, location_id):
            initial |= {f"title_{point.rank}": point.title, f"explanation_{point.rank}": point.explanation}
    return TopPointsForm(request.POST or None, councils=councils, locations=locations, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def top_points(request, plan_id):
    plan = plan_selectors.get_plan_with_perm(request.user, plan_id, "participation.view_top_points")
    can_record = request.user.has_perm("participation.record_top_points", plan)
    points = list(selectors.top_points_of_plan(plan).prefetch_related(None).prefetch_related(
        Prefetch("actions", queryset=ImprovementAction.objects.select_related("paragraph__location"))))
    form = _top_points_form(request, plan, points) if can_record else None
    if request.method == "POST":
        require(request.user, "participation.record_top_points", plan)
        if form.is_valid() and run_form_action(form, lambda: services.record_top_points(
                plan=plan, council=form.cleaned_data["council"], by=request.user,
                location=form.cleaned_data["location"], points=form.points())):
            messages.success(request, _("De top 3 van de cliëntenraad is opgeslagen."))
            return redirect("participation:top_points", plan.pk)
    context = {
        "plan": plan, "groups": _top_point_groups(points), "form": form, "can_record": can_record,
        "can_answer": request.user.has_perm("participation.answer_top_points", plan),
        "can_see_plan": request.user.has_perm("plans.view_plan", plan),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "participation/top_points.html", context, status=status)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def top_point_answer(request, point_id):
    point = selectors.get_top_point_for_user(request.user, point_id)
    plan = point.plan
    require(request.user, "participation.answer_top_points", plan)
    actions = list(selectors.actions_of_plan(plan))
    initial = {"action_ids": [a.pk for a in point.actions.all()], "answer": point.answer}
    form = TopPointAnswerForm(request.POST or None, actions=actions, initial=initial)
    if request.method == "POST" and form.is_valid() and run_form_action(form, lambda: services.answer_top_point(
            point=point, by=request.user, **form.cleaned_data)):
        messages.success(request, _("Uw antwoord op „%(title)s” is opgeslagen.") % {"title": point.title})
        return redirect(reverse("participation:top_points", args=[plan.pk]) + f"#punt-{point.pk}")
    context = {"plan": plan, "point": point, "form": form, "has_actions": bool(actions)}
    return render(request, "participation/top_point_answer.html", context, status=400 if form.errors else 200)


# --- Peer feedback ----------------------------------------------------------------------------


@dataclass
class VersionInvitations:
    version: object
    invitations: list = field(default_factory=list)


def _review_of(invitation):
    try:
        return invitation.review
    except PeerReview.DoesNotExist:
        return None


def _review_status(review) -> str:
    if review is None:
        return _("Nog niet begonnen")
    if review.is_submitted:
        return _("Ingediend")
    return _("Bezig, nog niet ingediend")


@login_required
@require_http_methods(["GET", "POST"])
def plan_peer_reviews(request, plan_id):
    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    require(request.user, "participation.view_peer_reviews", plan)
    can_invite = request.user.has_perm("participation.invite_peers", plan)
    candidates = selectors.peer_candidates(plan)
    form = None
    if can_invite:
        versions = sorted(_versions_of(request.user, plan), key=lambda v: -v.number)
        mark_adopted(versions=versions)
        form = InvitePeersForm(request.POST or None, versions=versions, candidates=candidates)
    if request.method == "POST":
        require(request.user, "participation.invite_peers", plan)
        invitations = form.is_valid() and run_form_action(form, lambda: services.invite_peers(
            version=form.cleaned_data["version"], organisations=list(form.cleaned_data["organisations"]),
            by=request.user, respond_by=form.cleaned_data["respond_by"]))
        if invitations:
            messages.success(request, ngettext(
                "%(count)s collega-organisatie is uitgenodigd voor versie %(number)s.",
                "%(count)s collega-organisaties zijn uitgenodigd voor versie %(number)s.", len(invitations))
                % {"count": len(invitations), "number": form.cleaned_data["version"].number})
            return redirect("participation:plan_peer_reviews", plan.pk)

    per_version: dict[int, VersionInvitations] = {}
    for invitation in selectors.invitations_of_plan(plan).defer("version__content"):
        review = _review_of(invitation)
        invitation.status = _review_status(review)
        invitation.submitted_review = review if review and review.is_submitted else None
        per_version.setdefault(invitation.version_id, VersionInvitations(invitation.version)).invitations.append(
            invitation)
    mark_adopted(versions=[group.version for group in per_version.values()])
    titles = {s.key: s.title for s in plan.sections.only("key", "title")}
    reviews = list(selectors.submitted_reviews_of_plan(plan).defer("version__content"))
    for review in reviews:
        given = review.section_feedback
        review.feedback = [(title, given[key]) for key, title in titles.items() if key in given]
        review.feedback += [(key, text) for key, text in given.items() if key not in titles]
    # KK: only other organisations of the learning network count, and one organisation counts once.
    network = set(candidates.values_list("pk", flat=True))
    counted = {r.organisation_id for r in reviews if r.organisation_id in network}
    rules = plan.framework.rule_settings
    context = {
        "plan": plan, "invitations": list(per_version.values()), "reviews": reviews, "form": form,
        "can_invite": can_invite, "counted": len(counted),
        "needed": max(rules.min_peer_reviews, rules.min_peer_organisations),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "participation/plan_peer_reviews.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def peer_review(request, version_id):
    version = plan_selectors.get_version_for_user(request.user, version_id)
    invitation = selectors.review_invitation_for_user(request.user, version)
    review = selectors.review_of_invitation(invitation)
    sections = version.snapshot.get("sections") or []
    initial = {"summary": review.summary if review else ""}
    if review:
        initial |= {PeerReviewForm.field_name(k): text for k, text in review.section_feedback.items()}
    form = PeerReviewForm(request.POST or None, sections=sections, initial=initial)
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        saved = form.is_valid() and run_form_action(form, lambda: services.save_peer_review(
            version=version, by=request.user, section_feedback=form.section_feedback(),
            summary=form.cleaned_data["summary"], submit=submit), field_names=form.service_field_names)
        if saved:
            messages.success(request, _("Dank u wel. Uw feedback is ingediend.") if submit
                             else _("Uw feedback is opgeslagen. U kunt later verder gaan."))
            return redirect("participation:peer_review", version.pk)
    context = {
        "version": version, "plan": version.plan, "organisation": version.plan.organisation,
        "invitation": invitation, "review": review, "form": form, "snapshot": version.snapshot,
        "submitted": bool(review and review.is_submitted),
        "given": [(s, review.section_feedback.get(s["key"], "")) for s in sections] if review else [],
        "target_group_choices": TARGET_GROUPS, "care_type_choices": CARE_TYPES,
        "status_choices": ImprovementAction.Status.choices,
    }
    return render(request, "participation/peer_review.html", context, status=400 if form.errors else 200)


# --- The learning network's library -----------------------------------------------------------


def _int_or_none_value(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def library(request, network_id):
    network = selectors.get_library_network_for_user(request.user, network_id)
    years, themes = selectors.library_filters(network)
    year = _int_or_none_value(request.GET.get("jaar"))
    theme = request.GET.get("thema", "")
    theme = theme if theme in dict(themes) else ""
    entries = list(selectors.library_entries(network, year=year, theme=theme))
    context = {"network": network, "entries": entries, "years": years, "themes": themes, "year": year,
               "theme": theme, "filtered": bool(year or theme)}
    return render(request, "participation/library/list.html", context)


def _copyable_sections(entry) -> list[dict]:
    from samenplan.frameworks.models import FrameworkSection

    return [s for s in entry.version.snapshot.get("sections") or []
            if s.get("kind") in FrameworkSection.TEXT_KINDS and (s.get("body") or "").strip()]


@login_required
@require_http_methods(["GET", "POST"])
def library_entry(request, entry_id):
    entry = selectors.get_library_entry_for_user(request.user, entry_id)
    can_comment = request.user.has_perm("participation.comment_in_library", entry)
    form = LibraryCommentForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "participation.comment_in_library", entry)
        comment = form.is_valid() and run_form_action(form, lambda: services.comment_in_library(
            entry=entry, by=request.user, body=form.cleaned_data["body"]))
        if comment:
            messages.success(request, _("Dank u wel. Uw reactie is geplaatst."))
            return redirect(reverse("participation:library_entry", args=[entry.pk]) + f"#reactie-{comment.pk}")
    snapshot = entry.version.snapshot
    context = {"entry": entry, "version": entry.version, "snapshot": snapshot, "form": form,
               "comments": list(selectors.library_comments(entry)), "can_comment": can_comment,
               "can_copy": bool(selectors.copy_targets_for_user(request.user)) and bool(_copyable_sections(entry)),
               "can_withdraw": request.user.has_perm("participation.withdraw_library_entry", entry),
               "target_group_choices": TARGET_GROUPS, "care_type_choices": CARE_TYPES,
               "status_choices": ImprovementAction.Status.choices}
    return render(request, "participation/library/entry.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def library_copy(request, entry_id):
    from samenplan.plans.services import EditConflict

    entry = selectors.get_library_entry_for_user(request.user, entry_id)
    plans = selectors.copy_targets_for_user(request.user)
    if not plans:
        raise PermissionDenied
    sections = _copyable_sections(entry)
    form = LibraryCopyForm(request.POST or None, sections=sections, plans=plans,
                           initial={"section_key": request.GET.get("onderdeel", "")})
    if request.method == "POST" and form.is_valid():
        target = next(p for p in plans if p.pk == form.cleaned_data["plan"])
        try:
            copy = run_form_action(form, lambda: services.copy_from_library(
                entry=entry, by=request.user, section_key=form.cleaned_data["section_key"], target_plan=target))
        except EditConflict:
            form.add_error(None, _("Iemand anders sloeg dit onderdeel net op. Er is niets veranderd. Probeer het "
                                   "opnieuw."))
            copy = None
        if copy:
            messages.success(request, _("De tekst staat nu onderaan „%(section)s” in uw plan. Pas hem aan waar "
                                        "nodig.") % {"section": copy.section_title})
            return redirect(reverse("plans:section", args=[target.pk, copy.target_section_key]))
    context = {"entry": entry, "form": form}
    return render(request, "participation/library/copy.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def library_share(request, plan_id):
    from samenplan.organisations.models import LearningNetwork

    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    require(request.user, "participation.share_in_library", plan)
    mark_adopted(plans=[plan])
    networks = LearningNetwork.objects.filter(organisations=plan.organisation_id).order_by("name")
    form = LibraryShareForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid() and run_form_action(form, lambda: services.share_in_library(
            plan=plan, by=request.user, who_took_part=form.cleaned_data["who_took_part"],
            how_signals=form.cleaned_data["how_signals"], do_differently=form.cleaned_data["do_differently"],
            networks=list(form.cleaned_data["networks"]))):
        messages.success(request, _("Het plan staat nu in de bibliotheek van uw lerend netwerk."))
        return redirect(plan)
    context = {"plan": plan, "form": form, "adoption": plan.adopted, "has_networks": networks.exists()}
    return render(request, "participation/library/share.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def library_withdraw(request, entry_id):
    entry = selectors.get_library_entry_for_user(request.user, entry_id)
    services.withdraw_from_library(entry=entry, by=request.user)
    messages.success(request, _("Het plan staat niet meer in de bibliotheek van %(network)s.")
                     % {"network": entry.network.name})
    return redirect(entry.plan)
