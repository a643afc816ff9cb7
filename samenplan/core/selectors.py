"""What the dashboard shows: per role, what needs this person's attention."""

from django.utils import timezone

from samenplan.accounts.models import COUNCIL_ROLES, Role
from samenplan.accounts.selectors import is_platform_admin, memberships_of, roles_of
from samenplan.consent.models import ConsentRequest
from samenplan.core import pagecache
from samenplan.consent.selectors import mark_adopted, open_requests_for_council_member
from samenplan.notifications.selectors import unread_count_for_request
from samenplan.organisations import selectors as org_selectors
from samenplan.organisations.models import Organisation
from samenplan.organisations.rules import MANAGERS
from samenplan.participation.selectors import plans_with_open_comments, versions_to_review_for_user
from samenplan.plans import selectors as plan_selectors
from samenplan.plans.rules import PLAN_READERS

# Every table the dashboard and its header read. A write to one of them builds the kept page anew
# (core/pagecache.py); core/tests/test_pagecache.py fails when the dashboard reads a table not here.
DASHBOARD_TABLES = frozenset({
    "accounts_membership", "accounts_user",
    "organisations_organisation", "organisations_location", "organisations_council",
    "organisations_learningnetwork", "organisations_learningnetwork_organisations",
    "organisations_careoffice", "organisations_careoffice_regions", "organisations_region",
    "frameworks_framework", "plans_qualityplan", "plans_planversion", "plans_councilshare",
    "participation_comment", "participation_peerreviewinvitation", "participation_peerreview",
    "consent_consentrequest", "consent_consentdecision", "consent_adoption",
    "notifications_notification",
})
# Whose rows these tables hold, as paths from a row to organisations and to people: a write
# renews the dashboards of those organisations and people only (core/pagecache.py). A peer's
# review concerns the reviewed organisation and the reviewing one. Tables not named here
# (frameworks, regions, care offices, networks, the organisations themselves) change rarely; a
# write to them renews every dashboard.
ROW_OWNERS = {
    "accounts.User": {"people": ("pk",)},
    "accounts.Membership": {"organisations": ("organisation_id",), "people": ("user_id",)},
    "organisations.Location": {"organisations": ("organisation_id",)},
    "organisations.Council": {"organisations": ("organisation_id",)},
    "plans.QualityPlan": {"organisations": ("organisation_id",)},
    "plans.PlanVersion": {"organisations": ("plan__organisation_id",)},
    "plans.CouncilShare": {"organisations": ("council__organisation_id",)},
    "participation.Comment": {"organisations": ("plan__organisation_id",)},
    "participation.PeerReviewInvitation": {"organisations": ("version__plan__organisation_id", "organisation_id")},
    "participation.PeerReview": {"organisations": ("version__plan__organisation_id", "organisation_id")},
    "consent.ConsentRequest": {"organisations": ("plan__organisation_id",)},
    "consent.ConsentDecision": {"organisations": ("request__plan__organisation_id",)},
    "notifications.Notification": {"people": ("recipient_id",)},
}


def dashboard_for(request) -> dict:
    user = request.user
    memberships = memberships_of(user)
    roles = roles_of(user)
    organisation = org_selectors.current_organisation(request)
    if organisation is not None:
        # Before anything of the organisation is read: its writes renew this page (kept per person).
        pagecache.depends_on(request, pagecache.for_organisation(organisation.pk))
    context = {
        "roles": sorted({m.get_role_display() for m in memberships}),
        "organisation": None,
        "plan_year": timezone.localdate().year + 1,
        # Shared with the header's count: one query for both.
        "unread_count": unread_count_for_request(request),
    }
    if organisation is not None:
        # The organisation comes with the memberships, which are the access to it; the dashboard
        # needs counts, not the whole structure (see bench/pages.py).
        context["organisation"] = organisation
        my_roles_here = {m.role for m in memberships if m.organisation_id == organisation.pk}
        councils = None
        if my_roles_here & (MANAGERS | COUNCIL_ROLES):
            councils = org_selectors.councils_with_counts(organisation)
        if my_roles_here & MANAGERS:
            context["attention"] = org_selectors.structure_attention(organisation, councils)
        if my_roles_here & PLAN_READERS:
            context["plans"] = list(plan_selectors.plans_for_user(user).filter(organisation=organisation)[:3])
            context["is_author"] = bool(my_roles_here & MANAGERS)
            if context["is_author"] and context["plans"]:
                # Every plan's unanswered comments, not only the newest plan's: last year's plan may
                # still have some while next year's is being written. One query for all plans.
                waiting = plans_with_open_comments(plan_selectors.plans_for_user(user).filter(organisation=organisation))
                counts = {p.pk: p.open_comment_count for p in waiting}
                for plan in context["plans"]:
                    plan.open_comments = counts.get(plan.pk, 0)
                context["open_comments"] = sum(counts.values())
                # Older plans than the ones listed, so none with waiting comments is left out.
                context["older_open_comment_plans"] = [p for p in waiting if p not in context["plans"]]
        context["managed_locations"] = [
            m.location for m in memberships
            if m.role == Role.LOCATION_MANAGER and m.organisation_id == organisation.pk
        ]
        council_ids = {
            m.council_id for m in memberships
            if m.role in COUNCIL_ROLES and m.organisation_id == organisation.pk
        }
        context["my_councils"] = [c for c in councils or [] if c.pk in council_ids]
        if council_ids:
            context["shared_versions"] = list(
                plan_selectors.versions_for_user(user).filter(shares__council__in=council_ids)
                .distinct().order_by("-created_at")[:5])
            context["consent_requests"] = open_consent_requests(user, organisation)
        context["is_secretary"] = any(
            m.role == Role.COUNCIL_SECRETARY and m.organisation_id == organisation.pk for m in memberships
        )
        if Role.PEER_REVIEWER in my_roles_here:
            context["networks"] = list(org_selectors.networks_for_user(user).filter(
                organisations=organisation))
            context["review_invitations"] = review_invitations(user, organisation)
        # Every listed version says whether the board adopted it, in one query. Adoptions are not
        # in ROW_OWNERS on purpose: one renews every dashboard, also those of the peers who review
        # the plan, and it happens about once a year per organisation.
        mark_adopted(versions=[*context.get("shared_versions", []),
                               *(i.version for i in context.get("review_invitations", []))],
                     plans=context.get("plans", []))
    if Role.CARE_OFFICE_STAFF in roles:
        context["care_offices"] = list(
            org_selectors.care_offices_for_user(user).prefetch_related("regions")
        )
    if is_platform_admin(user):
        context["platform"] = {"organisations": Organisation.objects.count()}
    return context


def open_consent_requests(user, organisation, limit: int = 10) -> list[ConsentRequest]:
    """Requests the person's councils still have to decide on, soonest response date first."""
    requests = list(open_requests_for_council_member(user).filter(plan__organisation=organisation)[:limit])
    today = timezone.localdate()
    for request in requests:
        request.days_left = (request.respond_by - today).days
    return requests


def review_invitations(user, organisation, limit: int = 10) -> list:
    """Versions this peer organisation was invited to review, each with where its review stands."""
    invitations = list(versions_to_review_for_user(user).filter(organisation=organisation)[:limit])
    for invitation in invitations:
        review = getattr(invitation, "review", None)
        invitation.review_state = ("submitted" if review and review.submitted_at else "draft" if review else "todo")
        invitation.submitted_at = review.submitted_at if review else None
    return invitations
