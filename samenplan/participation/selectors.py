"""Reads of comments, top-3 points and peer reviews, scoped to the person asking."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from samenplan.accounts.models import Role
from samenplan.accounts.selectors import council_ids_of, is_platform_admin, organisation_ids_of
from samenplan.organisations.models import Council, Organisation
from samenplan.plans.models import ImprovementAction, PlanVersion, QualityPlan
from samenplan.plans.rules import PLAN_READERS

from .models import Comment, PeerReview, PeerReviewInvitation, TopPoint


def comments_for_user(user, plan: QualityPlan) -> QuerySet[Comment]:
    """The plan's comments this person may read: all of them for the organisation's plan readers,
    otherwise their own, their council's and their peer organisation's."""
    # The versions' content (the whole plan) is not needed for a list of comments.
    comments = (Comment.objects.filter(plan=plan)
                .select_related("version", "author", "council", "peer_organisation", "change_version", "answered_by")
                .defer("version__content", "change_version__content"))
    if is_platform_admin(user) or plan.organisation_id in organisation_ids_of(user, PLAN_READERS):
        return comments
    return comments.filter(
        Q(author=user) | Q(council__in=council_ids_of(user))
        | Q(peer_organisation__in=organisation_ids_of(user, {Role.PEER_REVIEWER}))
    )


def get_comment_for_user(user, comment_id) -> Comment:
    comment = Comment.objects.select_related("plan", "version").filter(pk=comment_id).first()
    if comment is None or not user.has_perm("participation.view_comment", comment):
        raise Http404
    return comment


def open_comment_counts(plan: QualityPlan) -> list[tuple[str, int]]:
    return list(Comment.objects.filter(plan=plan, outcome="").values("section_key").annotate(n=Count("pk"))
                .values_list("section_key", "n").order_by("section_key"))


def plans_with_open_comments(plans: QuerySet[QualityPlan]) -> list[QualityPlan]:
    """The plans among `plans` with unanswered comments, each with `open_comment_count`, in one
    query. A subquery rather than GROUP BY, so the plans' other columns need no grouping."""
    open_count = (Comment.objects.filter(plan=OuterRef("pk"), outcome="").order_by().values("plan")
                  .annotate(n=Count("pk")).values("n"))
    return list(plans.annotate(open_comment_count=Subquery(open_count)).filter(open_comment_count__gt=0))


def top_points_of_plan(plan: QualityPlan) -> QuerySet[TopPoint]:
    return (TopPoint.objects.filter(plan=plan).select_related("council", "location", "recorded_by")
            .prefetch_related("actions"))


def peer_candidates(plan: QualityPlan) -> QuerySet[Organisation]:
    """Organisations that share a learning network with the plan's organisation."""
    return (Organisation.objects.filter(learning_networks__organisations=plan.organisation_id)
            .exclude(pk=plan.organisation_id).distinct().order_by("name"))


def invitations_of_plan(plan: QualityPlan) -> QuerySet[PeerReviewInvitation]:
    return (PeerReviewInvitation.objects.filter(version__plan=plan)
            .select_related("version", "organisation", "invited_by")
            .prefetch_related(Prefetch("review", queryset=PeerReview.objects.select_related("reviewer")))
            .order_by("-version__number", "organisation__name"))


def submitted_reviews_of_plan(plan: QualityPlan) -> QuerySet[PeerReview]:
    return (PeerReview.objects.filter(version__plan=plan, submitted_at__isnull=False)
            .select_related("version", "organisation", "reviewer").order_by("organisation__name", "version__number"))


def review_invitation_for_user(user, version: PlanVersion) -> PeerReviewInvitation:
    """The invitation this peer reviewer works under for this version; 404 when there is none."""
    mine = organisation_ids_of(user, {Role.PEER_REVIEWER})
    invitation = (PeerReviewInvitation.objects.filter(version=version, organisation__in=mine)
                  .select_related("organisation", "version__plan__organisation").order_by("organisation_id").first())
    if invitation is None:
        raise Http404
    return invitation


def versions_to_review_for_user(user) -> QuerySet[PeerReviewInvitation]:
    mine = organisation_ids_of(user, {Role.PEER_REVIEWER})
    return (PeerReviewInvitation.objects.filter(organisation__in=mine)
            .select_related("version__plan__organisation", "organisation")
            .prefetch_related("review").order_by("-invited_at"))


def get_top_point_for_user(user, point_id) -> TopPoint:
    point = (TopPoint.objects.select_related("plan__organisation", "council", "location")
             .prefetch_related("actions").filter(pk=point_id).first())
    if point is None or not user.has_perm("participation.view_top_points", point.plan):
        raise Http404
    return point


def client_councils_of(user, plan: QualityPlan) -> QuerySet[Council]:
    """The client councils of the plan's organisation this person sits on."""
    return Council.objects.filter(pk__in=council_ids_of(user), organisation_id=plan.organisation_id,
                                  kind=Council.Kind.CLIENT_COUNCIL).order_by("name")


def actions_of_plan(plan: QualityPlan) -> QuerySet[ImprovementAction]:
    return (ImprovementAction.objects.filter(paragraph__plan=plan).select_related("paragraph__location")
            .order_by("paragraph__location__name", "order", "pk"))


def review_of_invitation(invitation: PeerReviewInvitation) -> PeerReview | None:
    return PeerReview.objects.filter(invitation=invitation).first()


# --- The learning network's library -----------------------------------------------------------


def get_library_network_for_user(user, network_id):
    from samenplan.organisations.models import LearningNetwork

    network = LearningNetwork.objects.prefetch_related("organisations").filter(pk=network_id).first()
    if network is None or not user.has_perm("participation.view_library", network):
        raise Http404
    return network


def library_entries(network, *, year: int | None = None, theme: str = "") -> QuerySet:
    """The network's shared plans that are not withdrawn, newest year first; the version's content
    (the whole plan) is not read for a list."""
    from .models import LibraryEntry

    entries = (LibraryEntry.objects.filter(network=network, withdrawn_at__isnull=True)
               .select_related("organisation", "version", "shared_by").defer("version__content")
               .annotate(comment_count=Count("comments", distinct=True)))
    if year:
        entries = entries.filter(year=year)
    if theme:
        entries = entries.filter(theme_keys__contains=f"|{theme}|")
    return entries.order_by("-year", "organisation__name", "pk")


def library_filters(network) -> tuple[list[int], list[tuple[str, str]]]:
    """The years and the themes ({key, title}) found among the network's shared plans, in one query."""
    from .models import LibraryEntry

    years, themes = set(), {}
    for year, titles in (LibraryEntry.objects.filter(network=network, withdrawn_at__isnull=True)
                         .values_list("year", "theme_titles")):
        years.add(year)
        themes.update(titles or {})
    return sorted(years, reverse=True), sorted(themes.items(), key=lambda item: item[1])


def get_library_entry_for_user(user, entry_id):
    from .models import LibraryEntry

    entry = (LibraryEntry.objects.select_related("organisation", "version", "plan", "shared_by")
             .prefetch_related("network__organisations").filter(pk=entry_id).first())
    if entry is None or not user.has_perm("participation.view_library_entry", entry):
        raise Http404
    return entry


def library_comments(entry) -> QuerySet:
    from .models import LibraryComment

    return LibraryComment.objects.filter(entry=entry).select_related("author", "organisation").order_by(
        "created_at", "pk")


def copy_targets_for_user(user) -> list[QualityPlan]:
    """The plans this person may edit, to copy a section's text into."""
    from samenplan.organisations.rules import MANAGERS

    return list(QualityPlan.objects.filter(organisation__in=organisation_ids_of(user, MANAGERS),
                                           status__in=QualityPlan.EDITABLE)
                .select_related("organisation").order_by("organisation__name", "-year"))


def library_entries_of_plan(plan) -> QuerySet:
    from .models import LibraryEntry

    return (LibraryEntry.objects.filter(plan=plan, withdrawn_at__isnull=True).select_related("network", "version")
            .defer("version__content").order_by("network__name"))


def copies_into_section(plan_id: int, key: str) -> QuerySet:
    from .models import SectionCopy

    return SectionCopy.objects.filter(target_plan_id=plan_id, target_section_key=key).order_by("copied_at", "pk")
