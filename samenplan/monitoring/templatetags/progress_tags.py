"""The progress's part of other pages: the panel on the plan page (one query, only when shown)."""

from django import template
from django.utils import timezone

from ..selectors import SHOWN_STATES, panel_summary

register = template.Library()


@register.inclusion_tag("monitoring/progress/includes/panel.html", takes_context=True)
def progress_panel(context, plan):
    """Nothing, and no query, for a plan that is not carried out yet or for someone who may not
    follow it; else the quarter's numbers in one query."""
    request = context.get("request")
    if plan.status not in SHOWN_STATES or request is None or not request.user.has_perm("monitoring.view_progress",
                                                                                       plan):
        return {"show": False}
    return {"show": True, "plan": plan, "summary": panel_summary(plan, timezone.localdate())}


@register.filter
def get_progress(by_quarter, quarter):
    return (by_quarter or {}).get(quarter)
