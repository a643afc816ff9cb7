from django.tasks import task


@task()
def render_version_pdf(*, version_id: int) -> None:
    """Makes and stores the PDF of a version."""
    from .models import PlanVersion, VersionPdf
    from .pdf import render_version_pdf as render

    version = PlanVersion.objects.select_related("created_by").filter(pk=version_id).first()
    if version is not None:
        VersionPdf.make_once(version, lambda v: render(
            v.snapshot, version_number=v.number, sha256=v.sha256, created_at=v.created_at,
            created_by=str(v.created_by), note=v.note))
