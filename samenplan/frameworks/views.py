from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenplan.core.rendering import run_form_action
from samenplan.organisations.selectors import current_organisation

from . import selectors, services
from .forms import FrameworkSectionForm


@login_required
@require_GET
def framework_list(request):
    organisation = current_organisation(request)
    context = {
        "frameworks": selectors.frameworks_for_user(request.user).prefetch_related("sections"),
        "organisation": organisation,
        "can_adapt": organisation is not None and request.user.has_perm("frameworks.adapt_framework", organisation),
    }
    return render(request, "frameworks/list.html", context)


@login_required
@require_GET
def framework_detail(request, framework_id):
    framework = selectors.get_framework_for_user(request.user, framework_id)
    organisation = current_organisation(request)
    context = {
        "framework": framework, "rules": framework.rule_settings,
        "can_adapt": framework.organisation is not None
        and request.user.has_perm("frameworks.adapt_framework", framework.organisation),
        "can_copy": framework.organisation is None and organisation is not None
        and request.user.has_perm("frameworks.adapt_framework", organisation),
        "add_form": FrameworkSectionForm(),
    }
    return render(request, "frameworks/detail.html", context)


@login_required
@require_POST
def framework_copy(request, framework_id):
    framework = selectors.get_framework_for_user(request.user, framework_id)
    organisation = current_organisation(request)
    if organisation is None or not request.user.has_perm("frameworks.adapt_framework", organisation):
        raise PermissionDenied
    existing = organisation.frameworks.filter(key=framework.key).first()
    if existing:
        messages.info(request, _("Uw organisatie heeft al een eigen versie van dit kader."))
        return redirect("frameworks:detail", existing.pk)
    copy = services.copy_framework(framework=framework, organisation=organisation, by=request.user)
    messages.success(request, _("Uw eigen versie van %(name)s is gemaakt. Pas de onderdelen hieronder aan.")
                     % {"name": framework.name})
    return redirect("frameworks:detail", copy.pk)


def _adaptable(request, framework_id):
    framework = selectors.get_framework_for_user(request.user, framework_id)
    if framework.organisation is None or not request.user.has_perm("frameworks.adapt_framework", framework.organisation):
        raise PermissionDenied
    return framework


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, framework_id, section_id):
    framework = _adaptable(request, framework_id)
    section = get_object_or_404(framework.sections.all(), pk=section_id)
    form = FrameworkSectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid() and run_form_action(form, lambda: services.update_framework_section(
            section=section, by=request.user, **form.cleaned_data)):
        messages.success(request, _("Het onderdeel is opgeslagen."))
        return redirect("frameworks:detail", framework.pk)
    context = {"framework": framework, "section": section, "form": form}
    return render(request, "frameworks/section_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def section_add(request, framework_id):
    framework = _adaptable(request, framework_id)
    form = FrameworkSectionForm(request.POST)
    if form.is_valid() and run_form_action(form, lambda: services.add_framework_section(
            framework=framework, by=request.user, **form.cleaned_data)):
        messages.success(request, _("Het thema %(title)s is toegevoegd.") % {"title": form.cleaned_data["title"]})
        return redirect("frameworks:detail", framework.pk)
    context = {"framework": framework, "section": None, "form": form}
    return render(request, "frameworks/section_form.html", context, status=400)


@login_required
@require_POST
def section_remove(request, framework_id, section_id):
    framework = _adaptable(request, framework_id)
    section = get_object_or_404(framework.sections.all(), pk=section_id)
    try:
        services.remove_framework_section(section=section, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het thema %(title)s is verwijderd.") % {"title": section.title})
    return redirect("frameworks:detail", framework.pk)
