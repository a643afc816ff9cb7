from django.tasks import task


@task()
def render_public_pdf(*, version_id: int) -> None:
    """Makes and stores the public PDF of a version: the organisation's PDF pipeline with
    `public=True` (no names of people, DOMAIN rule 24)."""
    from samenplan.plans.models import PlanVersion
    from samenplan.plans.pdf import render_version_pdf

    from .models import PublicPdf

    version = PlanVersion.objects.filter(pk=version_id).first()
    if version is not None:
        PublicPdf.make_once(version, lambda v: render_version_pdf(
            v.snapshot, version_number=v.number, sha256=v.sha256, created_at=v.created_at, created_by="",
            note="", public=True))
