"""The care office's part of other pages: the submission panel on the plan page, the portal link
in the menu."""

from django import template

from samenplan.accounts.models import Role
from samenplan.accounts.selectors import memberships_of

from ..models import Submission

register = template.Library()


@register.inclusion_tag("careoffice/includes/submission_panel.html", takes_context=True)
def submission_panel(context, plan):
    """Nothing for a plan that was never adopted (no query); else one query for its newest submission."""
    request = context.get("request")
    adopted = getattr(plan, "adopted", None)
    if adopted is None:
        return {"show": False}
    user = request.user
    latest = (Submission.objects.filter(plan=plan).select_related("version", "care_office")
              .defer("version__content").order_by("-submitted_at", "-pk").first())
    return {"show": True, "plan": plan, "latest": latest, "request": request,
            "can_submit": plan.status == "adopted" and user.has_perm("careoffice.submit_plan", plan),
            "can_withdraw": latest is not None and latest.is_current
            and user.has_perm("careoffice.withdraw_submission", latest)}


@register.simple_tag(takes_context=True)
def my_care_offices(context):
    """The care offices the signed-in person works for, from the memberships read for the request."""
    request = context.get("request")
    if request is None or not getattr(request.user, "is_authenticated", False):
        return []
    return [m.care_office for m in memberships_of(request.user) if m.role == Role.CARE_OFFICE_STAFF and m.care_office]


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def consent_decision_label(value):
    from samenplan.consent.models import ConsentDecision

    try:
        return ConsentDecision.Decision(value).label
    except ValueError:
        return value


@register.filter
def iso_date(value):
    """A date kept as text in a submission's evidence, written out as the pages write dates."""
    from datetime import date

    from django.template.defaultfilters import date as date_filter

    try:
        return date_filter(date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return value or ""
