"""The quality report's part of other pages: the panel on the plan page, last year's findings on
next year's paragraph page (rule 11), and the links on the public organisation page. Each asks
nothing of the database where it shows nothing."""

from django import template

from samenplan.plans.models import QualityPlan

from .. import report_selectors as selectors

register = template.Library()

# A report is drafted at year end for a plan that is carried out.
PANEL_STATES = frozenset({QualityPlan.Status.SUBMITTED, QualityPlan.Status.IN_PROGRESS,
                          QualityPlan.Status.EVALUATED})


@register.inclusion_tag("monitoring/report/includes/panel.html", takes_context=True)
def report_panel(context, plan):
    """One query (the report), only for a plan past submission and someone who may read the report."""
    request = context.get("request")
    if plan.status not in PANEL_STATES or request is None or not request.user.has_perm("monitoring.view_report",
                                                                                       plan):
        return {"show": False}
    return {"show": True, "plan": plan, "report": selectors.report_of(plan),
            "can_write": request.user.has_perm("monitoring.write_report", plan)}


@register.inclusion_tag("monitoring/report/includes/previous_findings.html", takes_context=True)
def previous_findings(context, plan, paragraph):
    """Last year's findings for this location and the whole organisation, each with "Begin hiermee"."""
    request = context.get("request")
    if request is None or not plan.is_editable or not request.user.has_perm("plans.edit_plan", plan):
        return {"show": False}
    report, findings = selectors.previous_findings(plan, paragraph.location_id)
    return {"show": report is not None, "report": report, "findings": findings, "plan": plan,
            "paragraph": paragraph}


@register.inclusion_tag("monitoring/public/includes/organisation_links.html")
def public_monitoring_links(organisation_id):
    """The organisation's published quality reports and "u zei, wij deden" pages (two queries)."""
    return {"organisation_id": organisation_id, "reports": selectors.published_reports_of(organisation_id),
            "pages": selectors.published_you_said_of(organisation_id)}
