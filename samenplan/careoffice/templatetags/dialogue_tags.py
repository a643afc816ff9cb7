"""The dialogue's panel on the plan page: sessions and agreements, in two queries."""

from django import template

from samenplan.careoffice import dialogue_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def dialogue_panel(context, plan):
    """{% dialogue_panel plan as panel %}: None for a reader who may not follow the agreements."""
    request = context.get("request")
    if plan is None or request is None or not request.user.has_perm("careoffice.view_plan_agreements", plan):
        return None
    return dialogue_selectors.plan_panel(plan)
