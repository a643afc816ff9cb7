"""Permission-matrix cases of this app (gathered by samenplan/core/tests/matrix.py).

Only the organisation's board and quality staff publish or unpublish (not the platform admin:
publishing speaks for the organisation). The world's plan is not adopted, so each case adopts
its second version first (and publishes it, for unpublishing); the matrix rolls that back.
"""

from django.urls import reverse

from samenplan.core.tests.cases import PLAN_EDITORS, Case


def _adopted(w):
    from samenplan.consent.models import Adoption

    Adoption.objects.get_or_create(plan=w.plan, version=w.version, defaults={"adopted_by": w.people["board"]})


def _published(w):
    from samenplan.publishing.models import Publication

    _adopted(w)
    if not Publication.objects.filter(plan=w.plan, unpublished_at__isnull=True).exists():
        Publication.objects.create(plan=w.plan, version=w.version, published_by=w.people["board"])


def _publish_url(w):
    _adopted(w)
    return reverse("publishing:publish", args=[w.plan.pk])


def _unpublish_url(w):
    _published(w)
    return reverse("publishing:unpublish", args=[w.plan.pk])


def _publication_api(w, *, published: bool):
    if published:
        _published(w)
    else:
        _adopted(w)
    return f"/api/v1/plans/{w.plan.pk}/publication"


CASES = [
    Case("publishing:publish", _publish_url, PLAN_EDITORS, "post"),
    Case("publishing:unpublish", _unpublish_url, PLAN_EDITORS, "post"),
    Case("POST /api/v1/plans/{plan_id}/publication", lambda w: _publication_api(w, published=False), PLAN_EDITORS,
         "post", api=True),
    Case("DELETE /api/v1/plans/{plan_id}/publication", lambda w: _publication_api(w, published=True), PLAN_EDITORS,
         "delete", api=True),
]

# Routes and API routes anyone may use without logging in (test_public_pages.py checks that each
# answers anonymous visitors and every persona of the world alike).
PUBLIC_ROUTES = {"publishing:home", "publishing:plans", "publishing:organisation", "publishing:plan",
                 "publishing:plan_pdf"}
PUBLIC_API = {
    "GET /api/v1/public/organisations",
    "GET /api/v1/public/organisations/{organisation_id}/plans",
    "GET /api/v1/public/plans/{plan_id}",
    "GET /api/v1/public/plans.jsonl",
}
