from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenplan.core.permissions import require
from samenplan.core.rendering import render_page, run_form_action
from samenplan.frameworks.models import FrameworkSection
from samenplan.monitoring import report_selectors, report_services
from samenplan.organisations.selectors import current_organisation

from . import readability, selectors, services
from .changes import explain_changes
from .diff import diff_snapshots
from .forms import ActionForm, FreezeForm, ParagraphForm, PlanCreateForm, ProfileForm, SectionForm, StaffingForm, StaffingRowForm
from .models import CARE_INTENSITY_PROFILES, CARE_TYPES, TARGET_GROUPS, ImprovementAction, VersionPdf


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request):
    organisation = current_organisation(request)
    if organisation is None:
        raise Http404
    plans = selectors.plans_for_user(request.user).filter(organisation=organisation)
    if not request.user.has_perm("plans.view_plan", organisation):
        raise PermissionDenied
    can_create = request.user.has_perm("plans.create_plan", organisation)
    form = PlanCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        plan = form.is_valid() and run_form_action(form, lambda: services.create_plan(
            organisation=organisation, by=request.user, **form.cleaned_data))
        if plan:
            messages.success(request, _("Het kwaliteitsplan %(year)s is aangemaakt.") % {"year": plan.year})
            return redirect(plan)
    context = {"organisation": organisation, "plans": plans, "form": form, "can_create": can_create}
    return render(request, "plans/list.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def plan_detail(request, plan_id):
    from samenplan.consent.selectors import mark_adopted, plan_page_state

    plan = selectors.get_plan_for_user(request.user, plan_id)
    versions = selectors.versions_of_plan(plan)
    snapshot, _sha256, found, refusals = plan_page_state(
        plan, latest_version_sha256=versions[0].sha256 if versions else "")
    findings = [(f, selectors.finding_url(plan, f.target)) for f in found]
    mark_adopted(versions=versions, plans=[plan])
    context = {
        "plan": plan, **selectors.plan_page_data(snapshot), "versions": versions, "findings": findings,
        "latest_version": versions[0] if versions else None, "refusals": refusals,
        "blocking_count": sum(1 for f, _url in findings if f.severity == "block"),
        "freeze_form": FreezeForm(),
        "can_edit": request.user.has_perm("plans.edit_plan", plan),
        "can_freeze": request.user.has_perm("plans.freeze_version", plan),
    }
    return render(request, "plans/detail.html", context)


def _summary_figures(summary: str):
    return readability.analyse(summary) if summary.strip() else None


def _section_initial(section) -> dict:
    return {"body": section.body, "summary": section.summary, "base_revision": section.revision}


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, plan_id, key):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    section = get_object_or_404(plan.sections.all(), key=key)
    if not section.is_text:
        raise Http404
    can_edit = request.user.has_perm("plans.edit_plan", plan)
    form = SectionForm(request.POST or None, initial=_section_initial(section))
    conflict = None
    status = 200
    if request.method == "POST":
        require(request.user, "plans.edit_plan", plan)
        if form.is_valid():
            try:
                section = services.update_section(plan=plan, key=key, body=form.cleaned_data["body"],
                                                  summary=form.cleaned_data["summary"],
                                                  base_revision=form.cleaned_data["base_revision"], by=request.user)
            except services.EditConflict as clash:
                section, conflict = clash.section, clash.attempted_body
                # Offer the newest text as the base, with what this person typed kept in the box.
                form = SectionForm(initial={"body": conflict, "summary": clash.attempted_summary or "",
                                            "base_revision": section.revision})
                status = 200 if request.headers.get("HX-Request") else 409
            else:
                if not request.headers.get("HX-Request"):
                    messages.success(request, _("De tekst is opgeslagen."))
                    return redirect(section)
                form = SectionForm(initial=_section_initial(section))
        else:
            status = 400
    source = form.data if form.is_bound else form.initial
    body, summary = source.get("body", section.body), source.get("summary", section.summary)
    context = {"plan": plan, "section": section, "form": form, "conflict": conflict, "can_edit": can_edit,
               "readability": readability.analyse(body), "summary_readability": _summary_figures(summary),
               "saved": request.method == "POST" and not conflict}
    return render_page(request, "plans/section.html", context, partial="editor", status=status)


@login_required
@require_POST
def section_readability(request, plan_id, key):
    """Readability of the text being typed, without saving it: the panel for htmx, or the whole
    editor with the typed text still in it when the browser runs no JavaScript."""
    plan = selectors.get_plan_for_user(request.user, plan_id)
    section = get_object_or_404(plan.sections.all(), key=key)
    text = request.POST.get("body", "")[:60000]
    form = SectionForm(initial={"body": text, "summary": request.POST.get("summary", section.summary)[:60000],
                                "base_revision": request.POST.get("base_revision", section.revision)})
    context = {"plan": plan, "section": section, "form": form, "conflict": None, "saved": False,
               "can_edit": request.user.has_perm("plans.edit_plan", plan), "readability": readability.analyse(text),
               "summary_readability": _summary_figures(form.initial["summary"])}
    return render_page(request, "plans/section.html", context, partial="readability")


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, plan_id):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    profile = plan.profile
    initial = {"target_groups": profile.target_groups, "care_types": profile.care_types, "text": profile.text,
               **{f"zzp_{p}": profile.care_intensity.get(p) for p in CARE_INTENSITY_PROFILES}}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(request.user, "plans.edit_plan", plan)
        if form.is_valid() and run_form_action(form, lambda: services.update_profile(
                plan=plan, by=request.user, target_groups=form.cleaned_data["target_groups"],
                care_types=form.cleaned_data["care_types"], care_intensity=form.care_intensity(),
                text=form.cleaned_data["text"])):
            messages.success(request, _("Het profiel is opgeslagen."))
            return redirect(plan)
    context = {"plan": plan, "form": form, "can_edit": request.user.has_perm("plans.edit_plan", plan)}
    return render(request, "plans/profile.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def staffing_edit(request, plan_id):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    staffing = plan.staffing
    existing = {row.location_id: row for row in staffing.rows.select_related("location")}
    locations = [None] + list(plan.organisation.locations.filter(is_active=True))
    data = request.POST if request.method == "POST" else None
    form = StaffingForm(data, initial={"reference_date": staffing.reference_date, "note": staffing.note})
    row_forms = [StaffingRowForm(data, location=location, instance=existing.get(location.pk if location else None))
                 for location in locations]
    if request.method == "POST":
        require(request.user, "plans.edit_plan", plan)
        valid = form.is_valid() & all([f.is_valid() for f in row_forms])
        rows = [{"location": f.location, **f.cleaned_data} for f in row_forms if valid and any(
            f.cleaned_data.get(name) for name in f.cleaned_data)]
        if valid and run_form_action(form, lambda: services.update_staffing(
                plan=plan, by=request.user, reference_date=form.cleaned_data["reference_date"],
                note=form.cleaned_data["note"], rows=rows)):
            messages.success(request, _("De personeelscijfers zijn opgeslagen."))
            return redirect(plan)
    context = {"plan": plan, "form": form, "row_forms": row_forms,
               "row_errors": [(f.legend, f) for f in row_forms],
               "can_edit": request.user.has_perm("plans.edit_plan", plan)}
    failed = form.errors or any(f.errors for f in row_forms)
    return render(request, "plans/staffing.html", context, status=400 if failed else 200)


# The free-text boxes of a new action. Something typed in one of them is an action to add, whichever
# button was pressed: Enter in a box presses the form's first button, "Tekst opslaan". Not the
# quarter: a list of quarters may arrive with one chosen already.
NEW_ACTION_TEXT = ("title", "goal", "measurable_result", "owner", "source_note")


@login_required
@require_http_methods(["GET", "POST"])
def paragraph_edit(request, plan_id, location_id):
    """The text, the actions and the new action are one form, so every button takes along what was
    typed: it saves the new action when something was typed in it and the text when it changed,
    then does its own step (add the action, ask before deleting one, open one to change it)."""
    plan = selectors.get_plan_for_user(request.user, plan_id)
    paragraph = selectors.paragraph_with_actions(plan, location_id)
    data = request.POST if request.method == "POST" else None
    form = ParagraphForm(data, initial={"body": paragraph.body})
    adding = data is not None and ("add_action" in data or any(data.get(n, "").strip() for n in NEW_ACTION_TEXT))
    # A new action that is not being added keeps what was chosen in its boxes, without messages.
    action_form = ActionForm(data, plan=plan) if adding else ActionForm(plan=plan, initial={
        name: data[name] for name in ActionForm.base_fields if data and name in data})
    if data is not None:
        require(request.user, "plans.edit_plan", plan)
        next_url = _paragraph_next_step(data, plan, paragraph)
        save_text = next_url is None or form.has_changed()
        if (form.is_valid() & (not adding or action_form.is_valid())) and _save_paragraph_page(
                request, plan, paragraph, form, action_form, add=adding, save_text=save_text):
            if "start_finding" in data:
                return _start_from_finding(request, plan, paragraph, data["start_finding"])
            return redirect(next_url or reverse("plans:paragraph", args=[plan.pk, location_id]))
    context = {"plan": plan, "paragraph": paragraph, "form": form, "action_form": action_form,
               "action_errors": [(_("Nieuwe actie"), action_form)],
               "can_edit": request.user.has_perm("plans.edit_plan", plan)}
    failed = form.errors or action_form.errors
    return render(request, "plans/paragraph.html", context, status=400 if failed else 200)


def _paragraph_next_step(data, plan, paragraph) -> str | None:
    """Where a button of the paragraph page leads once what was typed is saved: the confirmation
    before deleting an action, the page to change one, or this page again. None for "Tekst
    opslaan", the one button that saves the text even when it did not change."""
    for button, route in (("delete_action", "plans:action_delete"), ("edit_action", "plans:action")):
        if button in data:
            action = next((a for a in paragraph.actions.all() if str(a.pk) == data[button]), None)
            if action is None:
                raise Http404
            return reverse(route, args=[plan.pk, action.pk])
    if "add_action" in data or "start_finding" in data:
        return reverse("plans:paragraph", args=[plan.pk, paragraph.location_id])
    return None


def _start_from_finding(request, plan, paragraph, finding_id: str):
    """"Begin hiermee" (rule 11): a new action from one of last year's findings offered on this
    page, once what was typed is saved; then its page, to fill in who leads it and when."""
    _report, offered = report_selectors.previous_findings(plan, paragraph.location_id)
    finding = next((f for f in offered if str(f.pk) == finding_id), None)
    if finding is None:
        raise Http404
    try:
        action = report_services.start_action_from_finding(plan=plan, location=paragraph.location, finding=finding,
                                                           by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:paragraph", plan.pk, paragraph.location_id)
    messages.success(request, _("De actie „%(title)s” is toegevoegd. Vul nog aan wie hem trekt en wanneer hij klaar "
                                "is.") % {"title": action.title})
    return redirect("plans:action", plan.pk, action.pk)


def _save_paragraph_page(request, plan, paragraph, form, action_form, *, add: bool, save_text: bool) -> bool:
    """Saves the new action, then the text; False when a service refused (its message is on the form)."""
    if add:
        if not run_form_action(action_form, lambda: services.save_action(
                plan=plan, location=paragraph.location, by=request.user, **action_form.cleaned_data)):
            return False
        messages.success(request, _("De actie is toegevoegd."))
    if save_text:
        if not run_form_action(form, lambda: services.update_paragraph(
                plan=plan, location=paragraph.location, by=request.user, body=form.cleaned_data["body"])):
            return False
        messages.success(request, _("De verbeterparagraaf is opgeslagen."))
    return True


def _action_of(plan, action_id) -> ImprovementAction:
    return get_object_or_404(ImprovementAction.objects.select_related("paragraph__location"),
                             pk=action_id, paragraph__plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, plan_id, action_id):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    require(request.user, "plans.edit_plan", plan)
    action = _action_of(plan, action_id)
    form = ActionForm(request.POST or None, instance=action, plan=plan)
    if request.method == "POST" and form.is_valid() and run_form_action(form, lambda: services.save_action(
            plan=plan, location=action.paragraph.location, by=request.user, action=action, **form.cleaned_data)):
        messages.success(request, _("De actie is opgeslagen."))
        return redirect("plans:paragraph", plan.pk, action.paragraph.location_id)
    context = {"plan": plan, "action": action, "form": form}
    return render(request, "plans/action_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request, plan_id, action_id):
    """Asks before deleting: only "Ja, verwijderen" on this page deletes the action."""
    plan = selectors.get_plan_for_user(request.user, plan_id)
    require(request.user, "plans.edit_plan", plan)
    action = _action_of(plan, action_id)
    paragraph_url = reverse("plans:paragraph", args=[plan.pk, action.paragraph.location_id])
    if request.method == "POST" and "confirm" in request.POST:
        services.delete_action(plan=plan, action=action, by=request.user)
        messages.success(request, _("De actie „%(title)s” is verwijderd.") % {"title": action.title})
        return redirect(paragraph_url)
    context = {"plan": plan, "action": action, "back_url": f"{paragraph_url}#actie-{action.pk}"}
    return render(request, "plans/action_delete.html", context)


@login_required
@require_POST
def freeze(request, plan_id):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    require(request.user, "plans.freeze_version", plan)
    form = FreezeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("De notitie is te lang: hoogstens 500 tekens."))
        return redirect(plan)
    try:
        version = services.freeze_version(plan=plan, by=request.user, note=form.cleaned_data["note"])
    except services.NothingChanged as unchanged:
        messages.info(request, _("Er is niets veranderd sinds versie %(number)s; die versie geldt nog.")
                      % {"number": unchanged.version.number})
        return redirect(unchanged.version)
    messages.success(request, _("Versie %(number)s is vastgelegd.") % {"number": version.number})
    return redirect(version)


@login_required
@require_GET
def version_detail(request, version_id):
    from samenplan.consent.selectors import mark_adopted

    version = selectors.get_version_for_user(request.user, version_id)
    snapshot = version.snapshot
    others = list(selectors.versions_for_user(request.user).filter(plan=version.plan).exclude(pk=version.pk)
                  .defer("content").order_by("-number"))
    mark_adopted(versions=[version, *others])
    context = {
        "version": version, "plan": version.plan, "snapshot": snapshot, "others": others,
        "has_summaries": any(section.get("summary") for section in snapshot["sections"]),
        "can_compare": bool(selectors.comparison_bases(request.user, version)),
        "readability": readability.summarise(
            {s["key"]: s["body"] for s in snapshot["sections"] if s["kind"] in FrameworkSection.TEXT_KINDS}),
        "target_group_choices": TARGET_GROUPS, "care_type_choices": CARE_TYPES,
        "status_choices": ImprovementAction.Status.choices,
        "can_share": request.user.has_perm("plans.share_version", version.plan),
        "can_see_plan": request.user.has_perm("plans.view_plan", version.plan),
    }
    return render(request, "plans/version.html", context)


@login_required
@require_GET
def version_diff(request, version_id):
    version = selectors.get_version_for_user(request.user, version_id)
    try:
        other = selectors.get_version_for_user(request.user, int(request.GET.get("met", "")))
    except ValueError:
        raise Http404 from None
    if other.plan_id != version.plan_id:
        raise Http404
    old, new = sorted([version, other], key=lambda v: v.number)
    context = {"version": version, "plan": version.plan, "old": old, "new": new,
               "diffs": diff_snapshots(old.snapshot, new.snapshot)}
    return render(request, "plans/version_diff.html", context)


@login_required
@require_GET
def version_changes(request, version_id):
    """What changed, in words: since the version the person's council decided on, since the
    version before, or since last year's plan (`?sinds=<version id>` picks another)."""
    version = selectors.get_version_for_user(request.user, version_id)
    bases = selectors.comparison_bases(request.user, version)
    base = bases[0][1] if bases else None
    if "sinds" in request.GET:
        try:
            base = selectors.get_version_for_user(request.user, int(request.GET["sinds"]))
        except ValueError:
            raise Http404 from None
        # Versions of another organisation's plan are not compared: a peer's plan is not "last year".
        if base.plan.organisation_id != version.plan.organisation_id or base.pk == version.pk:
            raise Http404
    context = {"version": version, "plan": version.plan, "base": base, "bases": bases,
               "changes": explain_changes(base.snapshot, version.snapshot) if base else None,
               "can_see_plan": request.user.has_perm("plans.view_plan", version.plan)}
    return render(request, "plans/version_changes.html", context)


def pdf_response(version) -> HttpResponse:
    content = VersionPdf.objects.filter(version=version).values_list("content", flat=True).get()
    response = HttpResponse(bytes(content), content_type="application/pdf")
    filename = f"kwaliteitsplan-{version.plan.year}-versie-{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def version_pdf(request, version_id):
    version = selectors.get_version_for_user(request.user, version_id)
    pdf = services.request_version_pdf(version)
    if pdf.is_ready:
        if request.headers.get("HX-Request"):
            # The waiting page asked; let the browser fetch the file itself.
            response = HttpResponse(status=200)
            response["HX-Redirect"] = request.path
            return response
        return pdf_response(version)
    return render_page(request, "plans/pdf_pending.html", {"version": version, "plan": version.plan},
                       partial="pending", status=202)


def docx_response(version) -> HttpResponse:
    from .docx import CONTENT_TYPE, filename, render_version_docx

    # Made in the request (about 0.2 s for 40 locations, see plans/docx.py), so always ready.
    content = render_version_docx(version.snapshot, version_number=version.number, sha256=version.sha256,
                                  created_at=version.created_at, created_by=str(version.created_by),
                                  note=version.note)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(version)}"'
    return response


@login_required
@require_GET
def version_docx(request, version_id):
    return docx_response(selectors.get_version_for_user(request.user, version_id))


@login_required
@require_POST
def version_share(request, version_id):
    version = selectors.get_version_for_user(request.user, version_id)
    shares = services.share_version_with_councils(version=version, by=request.user)
    messages.success(request, _("Versie %(number)s staat nu klaar voor %(councils)s.")
                     % {"number": version.number, "councils": ", ".join(s.council.name for s in shares)})
    return redirect(version)
