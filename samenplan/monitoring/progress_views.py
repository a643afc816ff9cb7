"""Pages for the progress through the year: the plan's progress (organisation), a location's actions
over four quarters, recording an update, and the quarterly report with its PDF and the councils'
comments. Every change goes through monitoring.services; these views only read, fill forms and
redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenplan.core.permissions import require
from samenplan.core.rendering import render_page, run_form_action
from samenplan.organisations.models import Location
from samenplan.signals.charts import bar_chart

from . import selectors, services
from .forms import ProgressForm, QuarterForm, QuarterlyCommentForm
from .rules import FOLLOWED_STATES


def _choice(request, plan, *, locations=None):
    """The quarter (and location id) asked for in the query string; wrong input is shown and the
    default used."""
    form = QuarterForm(request.GET or None, quarters=selectors.quarters_of(plan.year), locations=locations)
    quarter, location_id = selectors.default_quarter(plan.year, timezone.localdate()), None
    if form.is_bound and form.is_valid():
        quarter = form.cleaned_data["quarter"] or quarter
        location_id = form.cleaned_data.get("location")
    return form, quarter, location_id


def _chart(overview):
    where = overview.location.name if overview.location else overview.plan.organisation.name
    return bar_chart("voortgang", overview.counts, title=_("Acties per stand van zaken, %(quarter)s") % {
        "quarter": overview.quarter},
        description=_("Aantal acties van %(where)s per stand van zaken in %(quarter)s, en hoeveel acties nog geen "
                      "update hebben. De tabel ernaast geeft dezelfde cijfers.")
        % {"where": where, "quarter": overview.quarter})


def _context(request, plan, overview, **extra):
    return {"plan": plan, "overview": overview, "chart": _chart(overview),
            "followed": plan.status in FOLLOWED_STATES, **extra}


def _mark_recordable(user, overview):
    for row in overview.actions:
        row.can_record = user.has_perm("monitoring.record_progress", row.action)


@login_required
@require_GET
def plan_progress(request, plan_id):
    plan = selectors.get_plan_for_progress(request.user, plan_id)
    form, quarter, _location_id = _choice(request, plan)
    overview = selectors.overview(plan, quarter=quarter, today=timezone.localdate())
    _mark_recordable(request.user, overview)
    return render_page(request, "monitoring/progress/plan.html", _context(request, plan, overview, form=form),
                       status=400 if form.errors else 200)


@login_required
@require_GET
def location_progress(request, plan_id, location_id):
    plan = selectors.get_plan_for_progress(request.user, plan_id)
    location = selectors.get_location_of_plan(plan, location_id)
    form, quarter, _location_id = _choice(request, plan)
    overview = selectors.overview(plan, quarter=quarter, today=timezone.localdate(), location=location,
                                  tracked=False)
    _mark_recordable(request.user, overview)
    context = _context(request, plan, overview, form=form, location=location,
                       quarters=selectors.quarters_of(plan.year))
    return render_page(request, "monitoring/progress/location.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def record_progress(request, action_id):
    action = selectors.get_action_for_user(request.user, action_id)
    require(request.user, "monitoring.keep_progress", action)
    plan = action.paragraph.plan
    context = {"action": action, "plan": plan, "location": action.paragraph.location,
               "followed": plan.status in FOLLOWED_STATES}
    if not context["followed"]:
        return render_page(request, "monitoring/progress/record.html", context,
                           status=400 if request.method == "POST" else 200)
    today = timezone.localdate()
    quarters = selectors.started_quarters(plan.year, today)
    asked = request.GET.get("quarter", "")
    quarter = asked if asked in quarters else selectors.default_quarter(plan.year, today)
    existing = {p.quarter: p for p in action.progress.all()}
    initial = {"quarter": quarter}
    if quarter in existing:
        progress = existing[quarter]
        initial |= {"status": progress.status, "explanation": progress.explanation, "figure": progress.figure,
                    "story": progress.story}
    form = ProgressForm(request.POST or None, quarters=quarters, initial=initial)
    context |= {"form": form, "existing": [existing[q] for q in sorted(existing)], "quarters": quarters}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        progress = run_form_action(form, lambda: services.record_progress(
            action=action, by=request.user, quarter=data["quarter"], status=data["status"],
            explanation=data["explanation"], figure=data["figure"], story=data["story"]))
        if progress:
            messages.success(request, _("De stand van zaken over %(quarter)s is opgeslagen.") % {
                "quarter": progress.quarter})
            return redirect(reverse("monitoring:location_progress", args=[plan.pk, action.paragraph.location_id])
                            + f"?quarter={progress.quarter}#actie-{action.pk}")
    return render_page(request, "monitoring/progress/record.html", context, status=400 if form.errors else 200)


def _report_context(request, plan, *, comment_form=None):
    locations = list(Location.objects.filter(organisation_id=plan.organisation_id).order_by("name"))
    form, quarter, location_id = _choice(request, plan, locations=locations)
    location = next((loc for loc in locations if loc.pk == location_id), None)
    overview = selectors.overview(plan, quarter=quarter, today=timezone.localdate(), location=location)
    user = request.user
    can_comment = user.has_perm("monitoring.comment_report", plan)
    return _context(request, plan, overview, form=form, location=location, previous=selectors.previous_quarter(quarter),
                    comments=selectors.quarterly_comments(plan, quarter, location),
                    can_comment=can_comment,
                    comment_form=comment_form or (QuarterlyCommentForm() if can_comment else None),
                    generated_at=timezone.now())


@login_required
@require_GET
def quarterly_report(request, plan_id):
    plan = selectors.get_plan_for_progress(request.user, plan_id, "monitoring.view_report")
    context = _report_context(request, plan)
    return render_page(request, "monitoring/progress/report.html", context,
                       status=400 if context["form"].errors else 200)


@login_required
@require_GET
def quarterly_report_pdf(request, plan_id):
    from samenplan.plans.pdf import html_to_pdf

    plan = selectors.get_plan_for_progress(request.user, plan_id, "monitoring.view_report")
    context = _report_context(request, plan)
    html = render_to_string("monitoring/progress/report_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = f"kwartaalrapportage-{plan.organisation_id}-{context['overview'].quarter}"
    if context["location"]:
        name += f"-locatie-{context['location'].pk}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
@require_POST
def quarterly_comment(request, plan_id):
    plan = selectors.get_plan_for_progress(request.user, plan_id, "monitoring.view_report")
    require(request.user, "monitoring.comment_report", plan)
    form = QuarterlyCommentForm(request.POST)
    quarter = request.GET.get("quarter", "")
    location_id = request.GET.get("location", "")
    location = (selectors.get_location_of_plan(plan, location_id) if location_id.isdigit() else None)
    if form.is_valid() and run_form_action(form, lambda: services.comment_on_quarterly_report(
            plan=plan, by=request.user, quarter=quarter, body=form.cleaned_data["body"], location=location)):
        messages.success(request, _("Dank u wel. Uw reactie staat bij de kwartaalrapportage."))
        return redirect(f"{reverse('monitoring:quarterly_report', args=[plan.pk])}?{request.GET.urlencode()}"
                        "#reacties")
    context = _report_context(request, plan, comment_form=form)
    return render_page(request, "monitoring/progress/report.html", context, status=400)
