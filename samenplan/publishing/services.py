"""Making a plan's adopted version public, and taking it back.

Both are the organisation's choice per plan (issue 12, point 4), recorded in the audit trail.
What the public then sees is built by `content.py` from the published version alone, without the
names of people (DOMAIN rule 24).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.core.permissions import require
from samenplan.plans.models import PlanVersion, QualityPlan

from .models import Publication, PublicPdf

NOT_ADOPTED = _("Dit plan heeft nog geen vastgestelde versie. Pas als de bestuurder een versie heeft vastgesteld, "
                "kunt u het plan openbaar maken.")
NOT_PUBLISHED = _("Dit plan is niet openbaar. Er is niets om terug te nemen.")
# A public PDF asked for but not made within this time is asked for again (the worker may have stopped).
PDF_RETRY_AFTER = timedelta(minutes=10)


class PublishRefused(Exception):
    """The step cannot be taken in the plan's present state (the pages show the message, the API
    answers 409)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def adopted_version(plan: QualityPlan) -> PlanVersion | None:
    """The version of the plan's newest adoption: the one that is published."""
    from samenplan.consent.models import Adoption

    adoption = (Adoption.objects.filter(plan=plan).select_related("version").defer("version__content")
                .order_by("-adopted_at", "-pk").first())
    return adoption.version if adoption else None


def current_publication(plan: QualityPlan) -> Publication | None:
    return (Publication.objects.filter(plan=plan, unpublished_at__isnull=True).select_related("version")
            .defer("version__content").first())


@transaction.atomic
def publish_plan(*, plan: QualityPlan, by: User) -> Publication:
    """Publishes the plan's newest adopted version, whatever the plan's phase since (submitted, in
    progress, evaluated, or back in draft for a revision: the adopted text stays valid). A plan
    published with an older adopted version gets the newer one in its place."""
    require(by, "publishing.publish_plan", plan)
    # The lock makes two clicks at once one publication (the partial unique constraint backs it up).
    plan = QualityPlan.objects.select_for_update().get(pk=plan.pk)
    version = adopted_version(plan)
    if version is None:
        raise PublishRefused(NOT_ADOPTED)
    current = current_publication(plan)
    if current is not None and current.version_id == version.pk:
        return current
    now = timezone.now()
    replaced = None
    if current is not None:
        Publication.objects.filter(pk=current.pk).update(unpublished_at=now, unpublished_by=by)
        replaced = current.version.number
    publication = Publication.objects.create(plan=plan, version=version, published_by=by, published_at=now)
    record(AuditEvent.Kind.PLAN_PUBLISHED, actor=by, plan=plan, version=version,
           data={"number": version.number, "year": plan.year, "replaced_number": replaced})
    # Made ahead, so the first visitor who asks for the PDF gets it at once.
    transaction.on_commit(lambda: request_public_pdf(version))
    return publication


@transaction.atomic
def unpublish_plan(*, plan: QualityPlan, by: User) -> Publication:
    """Takes the plan off the public pages, the open data and the bulk export at once."""
    require(by, "publishing.publish_plan", plan)
    plan = QualityPlan.objects.select_for_update().get(pk=plan.pk)
    current = current_publication(plan)
    if current is None:
        raise PublishRefused(NOT_PUBLISHED)
    current.unpublished_at, current.unpublished_by = timezone.now(), by
    current.save(update_fields=["unpublished_at", "unpublished_by"])
    record(AuditEvent.Kind.PLAN_UNPUBLISHED, actor=by, plan=plan, version=current.version,
           data={"number": current.version.number, "year": plan.year})
    return current


def request_public_pdf(version: PlanVersion) -> PublicPdf:
    """The public PDF of a version: ready, or asked of the worker (once; again only if it seems lost)."""
    from .tasks import render_public_pdf

    now = timezone.now()
    with transaction.atomic():
        pdf, created = PublicPdf.objects.defer("content").get_or_create(version=version,
                                                                        defaults={"requested_at": now})
        lost = not pdf.is_ready and now - pdf.requested_at > PDF_RETRY_AFTER
        if lost:
            PublicPdf.objects.filter(pk=pdf.pk).update(requested_at=now)
    if created or lost:
        render_public_pdf.enqueue(version_id=version.pk)
        pdf.refresh_from_db(fields=["rendered_at"])  # an immediate backend has made it already
    return pdf
