import time

from django.tasks import task
from django.utils import timezone


@task()
def render_version_pdf(*, version_id: int) -> None:
    """Makes and stores the PDF of a version (WeasyPrint needs seconds for a large plan)."""
    from .models import PlanVersion, VersionPdf
    from .pdf import render_version_pdf as render

    version = PlanVersion.objects.select_related("created_by").filter(pk=version_id).first()
    if version is None or VersionPdf.objects.filter(version=version, rendered_at__isnull=False).exists():
        return
    started = time.perf_counter()
    content = render(version.snapshot, version_number=version.number, sha256=version.sha256,
                     created_at=version.created_at, created_by=str(version.created_by), note=version.note)
    VersionPdf.objects.update_or_create(version=version, defaults={
        "content": content, "rendered_at": timezone.now(), "render_seconds": time.perf_counter() - started,
        "requested_at": timezone.now()})
