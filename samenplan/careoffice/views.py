"""Pages of the submission (the organisation's side) and of the care office's portal.

Every change goes through `services`; these views read the form and show the outcome.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samenplan.consent.services import TransitionRefused, transition_check
from samenplan.core import pagecache
from samenplan.core.permissions import require
from samenplan.core.rendering import render_page, run_form_action
from samenplan.plans.diff import diff_snapshots
from samenplan.plans.models import CARE_TYPES, TARGET_GROUPS, ImprovementAction, PlanVersion, QualityPlan
from samenplan.plans.selectors import finding_url, get_plan_for_user

from . import charts, dialogue_selectors, exports, selectors, services
from .forms import PortalFilterForm, RespondForm, SubmitForm, WithdrawForm, YearSettingForm
from .models import CareOfficeYear, DialogueSession, Submission

PAGE_SIZE = 50


# --- The organisation's side ------------------------------------------------------------------


def _latest_adopted_version(plan):
    adoption = plan.adoptions.select_related("version").defer("version__content").order_by("-adopted_at", "-pk").first()
    return adoption.version if adoption else None


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, plan_id):
    """The board's confirmation: which version goes, with its hash, to which care office; or why
    it cannot go yet."""
    plan = get_plan_for_user(request.user, plan_id)
    require(request.user, "careoffice.submit_plan", plan)
    form = SubmitForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            submission = run_form_action(form, lambda: services.submit_plan(
                plan=plan, by=request.user, note=form.cleaned_data["note"]))
        except TransitionRefused:
            submission = None  # the page below says why
        if submission is not None:
            messages.success(request, _("Het plan is ingediend bij %(care_office)s.")
                             % {"care_office": submission.care_office.name})
            return redirect("careoffice:submissions", plan.pk)
        status = 400 if form.errors else 409
    elif request.method == "POST":
        status = 400
    refusal = transition_check(plan, QualityPlan.Status.SUBMITTED)
    try:
        care_office = services.care_office_of(plan)
        care_office_problem = ""
    except ValidationError as error:
        care_office, care_office_problem = None, " ".join(error.messages)
    current = Submission.objects.filter(plan=plan, status__in=Submission.CURRENT).select_related("version").first()
    context = {
        "plan": plan, "form": form, "refusal": refusal, "version": _latest_adopted_version(plan),
        "findings": [(f, finding_url(plan, f.target)) for f in refusal.findings] if refusal else [],
        "care_office": care_office, "care_office_problem": care_office_problem, "current": current,
    }
    return render_page(request, "careoffice/submit.html", context, status=status)


@login_required
@require_GET
def submissions(request, plan_id):
    """The history of the plan's submissions, as both sides see it."""
    plan = QualityPlan.objects.select_related("organisation").filter(pk=plan_id).first()
    if plan is None or not request.user.has_perm("careoffice.view_submissions", plan):
        raise Http404
    history = selectors.submissions_of_plan(plan, request.user)
    context = {"plan": plan, "history": history,
               "can_submit": request.user.has_perm("careoffice.submit_plan", plan),
               "can_withdraw": request.user.has_perm("careoffice.submit_plan", plan),
               "is_care_office": request.user.has_perm("careoffice.view_received_plan", plan)
               and not request.user.has_perm("plans.view_plan", plan)}
    return render_page(request, "careoffice/submissions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, submission_id):
    submission = selectors.get_submission_for_user(request.user, submission_id, "careoffice.withdraw_submission")
    require(request.user, "careoffice.withdraw_submission", submission)
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done = None
        if form.is_valid():
            try:
                done = run_form_action(form, lambda: services.withdraw_submission(
                    submission=submission, by=request.user, reason=form.cleaned_data["reason"]))
            except services.SubmissionRefused as refused:
                form.add_error(None, refused.message)
        if done is not None:
            messages.success(request, _("De indiening is ingetrokken. Het plan is weer vastgesteld en kan opnieuw "
                                        "worden ingediend."))
            return redirect("careoffice:submissions", submission.plan_id)
        status = 400
    return render_page(request, "careoffice/withdraw.html",
                       {"submission": submission, "plan": submission.plan, "form": form}, status=status)


# --- The care office's side -------------------------------------------------------------------


def _filters(request, care_office):
    form = PortalFilterForm(request.GET or None)
    values = form.values(timezone.localdate().year)
    return form, selectors.PortalFilters(**values)


@login_required
@require_GET
@pagecache.per_person("portal")
def portal(request, care_office_id):
    """Every organisation of the care office's regions, with the state of the year's plan."""
    # Building it takes about 50 ms for a care office of 74 organisations (bench/careoffice.py); it
    # is opened far more often than a plan of the region changes. Filters are never kept.
    care_office = selectors.care_office_for_portal(request.user, care_office_id)
    pagecache.depends_on(request, *map(pagecache.for_organisation, selectors.organisation_ids_of(care_office)))
    form, filters = _filters(request, care_office)
    setting = selectors.year_setting(care_office, filters.year)
    deadline = setting.deadline if setting else None
    rows = selectors.portal_rows(care_office, filters, deadline=deadline)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = selectors.mark_rows(selectors.with_locations(page.object_list), deadline)
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "care_office": care_office, "form": form, "filters": filters, "setting": setting, "deadline": deadline,
        "is_late_period": selectors.is_late(deadline), "page": page, "query": query.urlencode(),
        "years": selectors.portal_years(care_office), "states": selectors.PortalState.choices,
        "can_change_settings": request.user.has_perm("careoffice.change_settings", care_office),
    }
    return render_page(request, "careoffice/portal.html", context, partial="overview")


@login_required
@require_GET
def portal_export(request, care_office_id):
    care_office = selectors.care_office_for_portal(request.user, care_office_id)
    _form, filters = _filters(request, care_office)
    setting = selectors.year_setting(care_office, filters.year)
    deadline = setting.deadline if setting else None
    rows = selectors.portal_rows(care_office, filters, deadline=deadline)
    kind = request.GET.get("format", "csv")
    name = f"kwaliteitsplannen-{filters.year}"
    if kind == "xlsx":
        body = exports.overview_xlsx(rows, deadline, title=str(filters.year))
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if kind != "csv":
        raise Http404
    response = HttpResponse(exports.overview_csv(rows, deadline), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request, care_office_id):
    """Rule 26: per year the deadline and the form the care office expects."""
    care_office = selectors.care_office_for_portal(request.user, care_office_id)
    require(request.user, "careoffice.change_settings", care_office)
    form = YearSettingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        saved = form.is_valid() and run_form_action(form, lambda: services.set_care_office_year(
            care_office=care_office, by=request.user, year=form.cleaned_data["year"],
            deadline=form.cleaned_data["deadline"], plan_format=form.cleaned_data["plan_format"]))
        if saved:
            messages.success(request, _("De afspraken voor %(year)s zijn opgeslagen.") % {"year": saved.year})
            return redirect("careoffice:settings", care_office.pk)
        status = 400
    context = {"care_office": care_office, "form": form,
               "years": list(CareOfficeYear.objects.filter(care_office=care_office).order_by("-year"))}
    return render_page(request, "careoffice/settings.html", context, status=status)


@login_required
@require_GET
def received_plan(request, plan_id):
    """The completeness view: what the care office received, what it rests on, and what the
    checker says of it then and now."""
    from samenplan.consent.selectors import plan_findings

    plan = selectors.get_received_plan_for_user(request.user, plan_id)
    history = selectors.submissions_of_plan(plan, request.user)
    if not history:
        raise Http404
    shown = history[0]
    version = PlanVersion.objects.get(pk=shown.version_id)
    snapshot = version.snapshot
    _snapshot, _sha256, now = plan_findings(plan)
    sessions = dialogue_selectors.sessions_of_plan(plan, shown.care_office_id)
    context = {
        "plan": plan, "submission": shown, "history": history, "version": version, "snapshot": snapshot,
        "findings_then": shown.evidence.get("findings", []), "findings_now": now,
        "consent": shown.evidence.get("consent", []), "peer_reviews": shown.evidence.get("peer_reviews", []),
        "target_group_choices": TARGET_GROUPS, "care_type_choices": CARE_TYPES,
        "status_choices": ImprovementAction.Status.choices,
        "can_respond": request.user.has_perm("careoffice.respond_submission", shown) and shown.is_current,
        "sessions": sessions,
        # One session at a time is prepared (dialogue_services.start_dialogue): the link to it instead.
        "can_plan_dialogue": plan.status in DialogueSession.PLAN_STATES and shown.is_current and not any(
            s.status in DialogueSession.PREPARING for s in sessions),
        "versions": sorted({s.version_id: s.version for s in history}.values(), key=lambda v: v.number),
    }
    return render_page(request, "careoffice/plan.html", context)


@login_required
@require_GET
def compare(request, plan_id):
    """The difference between two versions submitted to this care office."""
    plan = selectors.get_received_plan_for_user(request.user, plan_id)
    history = selectors.submissions_of_plan(plan, request.user)
    versions = sorted({s.version_id: s.version for s in history}.values(), key=lambda v: v.number)
    diffs, old, new = None, None, None
    if request.GET.get("a") and request.GET.get("b"):
        first = selectors.submitted_version(request.user, plan, request.GET["a"])
        second = selectors.submitted_version(request.user, plan, request.GET["b"])
        old, new = sorted([first, second], key=lambda v: v.number)
        diffs = diff_snapshots(old.snapshot, new.snapshot)
    elif len(versions) >= 2:
        old, new = (PlanVersion.objects.get(pk=versions[-2].pk), PlanVersion.objects.get(pk=versions[-1].pk))
        diffs = diff_snapshots(old.snapshot, new.snapshot)
    context = {"plan": plan, "versions": versions, "old": old, "new": new, "diffs": diffs,
               "old_label": _("Versie %(number)s") % {"number": old.number} if old else "",
               "new_label": _("Versie %(number)s") % {"number": new.number} if new else ""}
    return render_page(request, "careoffice/compare.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def respond(request, submission_id):
    """The care office acknowledges receipt or asks for a correction."""
    submission = selectors.get_submission_for_user(request.user, submission_id, "careoffice.respond_submission")
    require(request.user, "careoffice.respond_submission", submission)
    form = RespondForm(request.POST or None, initial={"outcome": request.GET.get("antwoord", "")})
    status = 200
    if request.method == "POST":
        done = None
        if form.is_valid():
            try:
                done = run_form_action(form, lambda: services.respond_to_submission(
                    submission=submission, by=request.user, outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"]))
            except services.SubmissionRefused as refused:
                form.add_error(None, refused.message)
        if done is not None:
            messages.success(request, _("Uw antwoord is verstuurd naar %(organisation)s.")
                             % {"organisation": submission.plan.organisation.name})
            return redirect("careoffice:plan", submission.plan_id)
        status = 400
    return render_page(request, "careoffice/respond.html",
                       {"submission": submission, "plan": submission.plan, "form": form}, status=status)


@login_required
@require_GET
def staffing(request, care_office_id):
    """Staffing profiles of the region's organisations side by side: FTE per level per place."""
    care_office = selectors.care_office_for_portal(request.user, care_office_id)
    lines = selectors.staffing_comparison(care_office)
    context = {"care_office": care_office, "lines": lines, "levels": charts.LEVELS,
               "chart": charts.staffing_chart(lines)}
    return render_page(request, "careoffice/staffing.html", context)
