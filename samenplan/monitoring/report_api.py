"""The quality report over the JSON API: the same contents as the report page (report_content for a
draft, the frozen contents of an adopted report), for those who may read the report."""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from . import report_selectors as selectors

router = Router(tags=["monitoring"])


class ReportOut(Schema):
    id: int
    plan_id: int
    year: int
    status: str = Field(description="draft or adopted")
    sha256: str = Field(description="The SHA-256 of the adopted contents; empty for a draft")
    adopted_at: str | None
    published: bool
    content: dict = Field(description="Per location the chain signals per theme (counts only) → top-3 points → "
                                      "actions → final status and evaluation; themes, conditions, agreements, "
                                      "findings")


@router.get("/plans/{plan_id}/report", response=ReportOut, summary="The plan's quality report",
            description="For everyone who may read the report (the organisation's staff and its councils). "
                        "404 for another organisation's plan, and when the report is not drafted yet.")
def get_report(request, plan_id: int):
    plan = selectors.get_plan_with_perm(request.user, plan_id, "monitoring.view_report")
    report = selectors.report_of(plan)
    if report is None:
        raise HttpError(404, _("Er is nog geen kwaliteitsverslag van dit plan."))
    report.plan = plan
    return {"id": report.pk, "plan_id": plan.pk, "year": plan.year, "status": report.status, "sha256": report.sha256,
            "adopted_at": report.adopted_at.isoformat() if report.adopted_at else None,
            "published": report.published_at is not None, "content": selectors.content_of(report)}
