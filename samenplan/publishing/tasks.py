import time

from django.tasks import task
from django.utils import timezone


@task()
def render_public_pdf(*, version_id: int) -> None:
    """Makes and stores the public PDF of a version: the organisation's PDF pipeline with
    `public=True` (no names of people, DOMAIN rule 24)."""
    from samenplan.plans.models import PlanVersion
    from samenplan.plans.pdf import render_version_pdf

    from .models import PublicPdf

    version = PlanVersion.objects.filter(pk=version_id).first()
    if version is None or PublicPdf.objects.filter(version=version, rendered_at__isnull=False).exists():
        return
    started = time.perf_counter()
    content = render_version_pdf(version.snapshot, version_number=version.number, sha256=version.sha256,
                                 created_at=version.created_at, created_by="", note="", public=True)
    PublicPdf.objects.update_or_create(version=version, defaults={
        "content": content, "rendered_at": timezone.now(), "render_seconds": time.perf_counter() - started,
        "requested_at": timezone.now()})
