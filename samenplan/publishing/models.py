from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User
from samenplan.plans.models import PlanVersion, QualityPlan, RenderedPdf


class Publication(models.Model):
    """The organisation makes a plan's adopted version public (DOMAIN rule 24: without people's
    names). Unpublishing keeps the row, so the history of what was public when stays."""

    plan = models.ForeignKey(QualityPlan, on_delete=models.PROTECT, related_name="publications")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="publications")
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Not auto_now_add: seed_scale writes publications of earlier years with their own dates.
    published_at = models.DateTimeField(default=timezone.now)
    unpublished_at = models.DateTimeField(null=True, blank=True)
    unpublished_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["plan", "-published_at", "-pk"]
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(unpublished_at__isnull=True),
                                    name="one_current_publication_per_plan"),
        ]

    def __str__(self):
        return _("Openbaar: %(plan)s, versie %(number)s") % {"plan": self.plan, "number": self.version.number}

    @property
    def is_current(self) -> bool:
        return self.unpublished_at is None


class PublicPdf(RenderedPdf):
    """The public PDF of a version: the same pipeline as the organisation's PDF (plans/pdf.py),
    rendered with `public=True`, which leaves out the names of people."""

    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="public_pdf")
