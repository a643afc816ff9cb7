"""The plan page's publishing panel (templates/publishing/includes/plan_panel.html): at most one query."""

from django import template

from .. import services

register = template.Library()


@register.simple_tag
def publication_of(plan):
    """The plan's current publication, or None. The plan page has already looked up the adoption
    (`plan.adopted`, consent.selectors.mark_adopted): a plan never adopted was never published,
    so it costs no query."""
    if hasattr(plan, "adopted") and plan.adopted is None:
        return None
    return services.current_publication(plan)
