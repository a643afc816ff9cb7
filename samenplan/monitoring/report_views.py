"""Pages of the quality report: the report itself, drafting it, the evaluations and findings, the
councils' comments, the board's adoption, publishing and the PDF; and starting next year's actions
from its findings. Every change goes through `report_services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenplan.accounts.models import Role
from samenplan.accounts.selectors import roles_of
from samenplan.core.permissions import require
from samenplan.core.rendering import render_page, run_form_action
from samenplan.plans import readability

from . import report_selectors as selectors
from . import report_services as services
from .models import ActionProgress, QualityReport, ReportFinding
from .report_forms import CommentForm, ConfirmForm, EvaluationForm, FindingForm, ReportTextForm


def _can(request, plan):
    user = request.user
    return {"can_write": user.has_perm("monitoring.write_report", plan),
            "can_comment": user.has_perm("monitoring.comment_report", plan),
            "can_adopt": user.has_perm("monitoring.adopt_report", plan),
            "can_publish": user.has_perm("monitoring.publish_you_said", plan)}


def _attempt(form, action):
    """Runs the service for a valid form; a refusal or a ValidationError lands on the form. None when
    nothing happened."""
    if not form.is_valid():
        return None
    try:
        return run_form_action(form, action)
    except services.ReportRefused as refused:
        form.add_error(None, refused.message)
        return None


@login_required
@require_GET
def report(request, plan_id):
    """The report: the chain per location, the themes, the conditions and agreements, the findings
    and the councils' comments. Before it is drafted, a page that says so."""
    plan = selectors.get_plan_with_perm(request.user, plan_id, "monitoring.view_report")
    quality_report = selectors.report_of(plan)
    context = {"plan": plan, "report": quality_report, **_can(request, plan)}
    if quality_report is not None:
        quality_report.plan = plan
        context.update({
            "content": selectors.content_of(quality_report), "comments": selectors.comments_of(quality_report),
            "is_draft": quality_report.status == QualityReport.Status.DRAFT,
            "locations": selectors.locations_of_plan(plan) if context["can_publish"] else [],
        })
        # The links to the evaluations; the page of each says who may write it (a location manager
        # only for the own location's actions).
        context["can_evaluate"] = context["is_draft"] and (context["can_write"] or Role.LOCATION_MANAGER in roles_of(
            request.user))
    return render_page(request, "monitoring/report/report.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def start_report(request, plan_id):
    """What starting the report does (the plan is carried out from then on), and the button."""
    plan = selectors.get_plan_with_perm(request.user, plan_id, "monitoring.view_report")
    require(request.user, "monitoring.write_report", plan)
    problem = ""
    if request.method == "POST":
        try:
            services.start_report(plan=plan, by=request.user)
        except services.ReportRefused as refused:
            problem = refused.message
        else:
            messages.success(request, _("Het kwaliteitsverslag is opgesteld. Vul nu de evaluaties en bevindingen in."))
            return redirect("monitoring:report", plan.pk)
    elif plan.status not in services.STARTABLE and selectors.report_of(plan) is None:
        problem = _("Een kwaliteitsverslag maakt u van een plan dat is ingediend bij het zorgkantoor en wordt "
                    "uitgevoerd. Dit plan heeft de fase „%(status)s”.") % {"status": plan.get_status_display()}
    return render_page(request, "monitoring/report/start.html", {"plan": plan, "problem": problem},
                       status=409 if problem and request.method == "POST" else 200)


def _theme_readability(form):
    """The B1 check of each theme's evaluation as typed (or saved), as on a plan's sections."""
    return {key: readability.analyse(field.value() or "") for key, _title, field in form.theme_fields()
            if (field.value() or "").strip()}


@login_required
@require_http_methods(["GET", "POST"])
def edit_report(request, plan_id):
    """The introduction and the evaluation per theme, with their readability; "Leesbaarheid
    controleren" shows it for what was typed without saving."""
    quality_report = selectors.get_report_with_perm(request.user, plan_id)
    plan = quality_report.plan
    require(request.user, "monitoring.write_report", plan)
    themes = selectors.themes_of_plan(plan)
    saved = dict(quality_report.theme_evaluations.values_list("theme_key", "body"))
    initial = {"introduction": quality_report.introduction, **{f"theme_{k}": saved.get(k, "") for k, _t in themes}}
    form = ReportTextForm(request.POST or None, initial=initial, themes=themes)
    status = 200
    if request.method == "POST" and "check" not in request.POST:
        if _attempt(form, lambda: _save_texts(request, quality_report, form, themes)):
            messages.success(request, _("Het kwaliteitsverslag is opgeslagen."))
            return redirect("monitoring:report", plan.pk)
        status = 400
    elif request.method == "POST":
        form.is_valid()
    context = {"plan": plan, "report": quality_report, "form": form, "readability": _theme_readability(form)}
    return render_page(request, "monitoring/report/edit.html", context, status=status)


def _save_texts(request, quality_report, form, themes) -> QualityReport:
    report = services.update_introduction(report=quality_report, by=request.user,
                                          introduction=form.cleaned_data["introduction"])
    for key, _title in themes:
        services.update_theme_evaluation(report=report, by=request.user, theme_key=key,
                                         body=form.cleaned_data[f"theme_{key}"])
    return report


@login_required
@require_http_methods(["GET", "POST"])
def evaluate_action(request, plan_id, action_id):
    """The owner's evaluation of one action: how it ended and what it brought."""
    quality_report = selectors.get_report_with_perm(request.user, plan_id)
    evaluation = selectors.get_action_evaluation(quality_report, action_id)
    require(request.user, "monitoring.evaluate_action", evaluation.action)
    form = EvaluationForm(request.POST or None, initial={"final_status": evaluation.final_status,
                                                         "evaluation": evaluation.evaluation})
    status = 200
    if request.method == "POST":
        done = _attempt(form, lambda: services.evaluate_action(
            evaluation=evaluation, by=request.user, final_status=form.cleaned_data["final_status"],
            text=form.cleaned_data["evaluation"]))
        if done is not None:
            messages.success(request, _("De evaluatie van „%(title)s” is opgeslagen.") % {"title": evaluation.action.title})
            return redirect(reverse("monitoring:report", args=[plan_id]) + f"#actie-{evaluation.action_id}")
        status = 400
    latest = selectors.final_statuses(quality_report.plan).get(evaluation.action_id)
    context = {"plan": quality_report.plan, "report": quality_report, "evaluation": evaluation, "form": form,
               "latest_status": ActionProgress.Status(latest).label if latest else ""}
    return render_page(request, "monitoring/report/evaluate.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def findings(request, plan_id):
    """The report's findings: add one, change one (?bevinding=id), remove one."""
    quality_report = selectors.get_report_with_perm(request.user, plan_id)
    plan = quality_report.plan
    require(request.user, "monitoring.write_report", plan)
    locations, themes = selectors.locations_of_plan(plan), selectors.themes_of_plan(plan)
    all_findings = list(quality_report.findings.select_related("location"))
    chosen_id = request.POST.get("finding") or request.GET.get("bevinding")
    chosen = None
    if chosen_id:
        chosen = next((f for f in all_findings if str(f.pk) == chosen_id), None)
        if chosen is None:
            raise Http404
    initial = {"text": chosen.text, "location": chosen.location_id, "theme_key": chosen.theme_key} if chosen else {}
    form = FindingForm(request.POST or None, initial=initial, locations=locations, themes=themes)
    status = 200
    if request.method == "POST":
        if _finding_step(request, quality_report, chosen, form):
            return redirect("monitoring:findings", plan.pk)
        status = 400
    context = {"plan": plan, "report": quality_report, "findings": all_findings, "form": form, "chosen": chosen,
               "theme_titles": dict(themes)}
    return render_page(request, "monitoring/report/findings.html", context, status=status)


def _finding_step(request, quality_report, chosen: ReportFinding | None, form) -> bool:
    """Removes, changes or adds a finding; False when the form or a service said no (the message is on the form)."""
    if "remove" in request.POST and chosen is not None:
        try:
            services.remove_finding(finding=chosen, by=request.user)
        except services.ReportRefused as refused:
            form.add_error(None, refused.message)
            return False
        messages.success(request, _("De bevinding is verwijderd."))
        return True

    def save():
        fields = {"text": form.cleaned_data["text"], "location_id": form.cleaned_data["location"],
                  "theme_key": form.cleaned_data["theme_key"]}
        if chosen is not None:
            return services.change_finding(finding=chosen, by=request.user, **fields)
        return services.add_finding(report=quality_report, by=request.user, **fields)

    done = _attempt(form, save)
    if done is not None:
        messages.success(request, _("De bevinding is opgeslagen."))
    return done is not None


@login_required
@require_http_methods(["GET", "POST"])
def comment(request, plan_id):
    """A council's comment on the draft report."""
    quality_report = selectors.get_report_with_perm(request.user, plan_id, "monitoring.comment_report")
    plan = quality_report.plan
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done = _attempt(form, lambda: services.comment_on_report(
            report=quality_report, by=request.user, body=form.cleaned_data["body"]))
        if done is not None:
            messages.success(request, _("Uw reactie is opgeslagen. Het bestuur en de kwaliteitsmedewerkers krijgen "
                                        "bericht."))
            return redirect(reverse("monitoring:report", args=[plan.pk]) + "#reacties")
        status = 400
    return render_page(request, "monitoring/report/comment.html",
                       {"plan": plan, "report": quality_report, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def adopt_report(request, plan_id):
    """The board's confirmation: what adopting does, or what is still missing."""
    quality_report = selectors.get_report_with_perm(request.user, plan_id)
    plan = quality_report.plan
    require(request.user, "monitoring.adopt_report", plan)
    form = ConfirmForm(request.POST or None)
    status = 200
    problems = services.adoption_problems(quality_report)
    if request.method == "POST":
        done = None
        if form.is_valid():
            try:
                done = services.adopt_report(report=quality_report, by=request.user)
            except services.ReportRefused as refused:
                form.add_error(None, refused.message)
                problems = refused.problems or problems
        if done is not None:
            messages.success(request, _("Het kwaliteitsverslag is vastgesteld. Het plan is nu geëvalueerd."))
            return redirect("monitoring:report", plan.pk)
        status = 409 if problems else 400
    context = {"plan": plan, "report": quality_report, "form": form, "problems": problems}
    return render_page(request, "monitoring/report/adopt.html", context, status=status)


@login_required
@require_POST
def publish_report(request, plan_id):
    quality_report = selectors.get_report_with_perm(request.user, plan_id)
    require(request.user, "monitoring.publish_you_said", quality_report.plan)
    publish = request.POST.get("publish") == "1"
    try:
        services.set_report_published(report=quality_report, by=request.user, published=publish)
    except services.ReportRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Het kwaliteitsverslag staat nu op de openbare pagina.") if publish
                         else _("Het kwaliteitsverslag staat niet meer op de openbare pagina."))
    return redirect("monitoring:report", plan_id)


@login_required
@require_GET
def report_pdf(request, plan_id):
    """The report as a PDF (rendered at once: a report is a few pages)."""
    from samenplan.plans.pdf import html_to_pdf

    quality_report = selectors.get_report_with_perm(request.user, plan_id)
    plan = quality_report.plan
    html = render_to_string("monitoring/report/pdf.html", {
        "plan": plan, "report": quality_report, "content": selectors.content_of(quality_report)})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kwaliteitsverslag-{plan.year}.pdf"'
    return response
