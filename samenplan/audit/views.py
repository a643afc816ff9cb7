from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from samenplan.core.rendering import render_page
from samenplan.plans.selectors import get_plan_with_perm

from . import timeline as history


@login_required
@require_GET
def timeline(request, plan_id):
    plan = get_plan_with_perm(request.user, plan_id, "consent.view_timeline")
    events, total = history.events_of_plan(plan, history.TIMELINE_LIMIT)
    context = {"plan": plan, "events": events, "total": total, "limit": history.TIMELINE_LIMIT,
               "can_see_plan": request.user.has_perm("plans.view_plan", plan)}
    return render_page(request, "audit/timeline.html", context)
