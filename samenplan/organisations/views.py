from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samenplan.core.permissions import require, safe_next_url
from samenplan.core.rendering import render_page, run_form_action

from . import selectors, services
from .forms import CouncilForm, CouncilMemberForm, LocationForm, OrganisationForm
from .models import Location
from .selectors import organisations_of_care_office


def _form_page(request, form, *, title, organisation, back_url, intro="", status=200):
    context = {"form": form, "title": title, "organisation": organisation, "back_url": back_url, "intro": intro}
    return render(request, "organisations/form_page.html", context, status=status)


@login_required
@require_GET
def organisation_detail(request, organisation_id):
    organisation = selectors.get_organisation_for_user(request.user, organisation_id)
    require(request.user, "organisations.view_organisation", organisation)
    context = {"organisation": organisation, "attention": selectors.structure_attention(organisation)}
    return render_page(request, "organisations/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, organisation_id):
    organisation = selectors.get_organisation_for_user(request.user, organisation_id)
    require(request.user, "organisations.change_organisation", organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid() and run_form_action(
        form, lambda: services.update_organisation(organisation=organisation, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("De gegevens van de organisatie zijn opgeslagen."))
        return redirect(organisation)
    return _form_page(request, form, title=_("Organisatie wijzigen"), organisation=organisation,
                      back_url=organisation.get_absolute_url(), status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def location_create(request, organisation_id):
    organisation = selectors.get_organisation_for_user(request.user, organisation_id)
    require(request.user, "organisations.change_organisation", organisation)
    form = LocationForm(request.POST or None, instance=Location(organisation=organisation))
    location = request.method == "POST" and form.is_valid() and run_form_action(
        form, lambda: services.create_location(organisation=organisation, by=request.user, **form.cleaned_data)
    )
    if location:
        messages.success(request, _("Locatie %(name)s is toegevoegd.") % {"name": location.name})
        return redirect(location)
    return _form_page(request, form, title=_("Locatie toevoegen"), organisation=organisation,
                      back_url=organisation.get_absolute_url() + "#locaties",
                      intro=_("Voeg elke locatie toe zoals die bij de KvK staat ingeschreven."),
                      status=400 if form.errors else 200)


@login_required
@require_GET
def location_detail(request, organisation_id, location_id):
    location = selectors.get_location_for_user(request.user, organisation_id, location_id)
    require(request.user, "organisations.view_organisation", location)
    return render(request, "organisations/location.html", {"location": location, "organisation": location.organisation})


@login_required
@require_http_methods(["GET", "POST"])
def location_edit(request, organisation_id, location_id):
    location = selectors.get_location_for_user(request.user, organisation_id, location_id)
    require(request.user, "organisations.change_location", location)
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid() and run_form_action(
        form, lambda: services.update_location(location=location, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("De gegevens van de locatie zijn opgeslagen."))
        return redirect(location)
    return _form_page(request, form, title=_("Locatie wijzigen"), organisation=location.organisation,
                      back_url=location.get_absolute_url(), status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def council_create(request, organisation_id):
    organisation = selectors.get_organisation_for_user(request.user, organisation_id)
    require(request.user, "organisations.manage_councils", organisation)
    form = CouncilForm(request.POST or None, organisation=organisation)
    council = request.method == "POST" and form.is_valid() and run_form_action(
        form, lambda: services.create_council(organisation=organisation, by=request.user, **form.cleaned_data)
    )
    if council:
        messages.success(request, _("%(name)s is toegevoegd.") % {"name": council.name})
        return redirect(council)
    return _form_page(request, form, title=_("Raad toevoegen"), organisation=organisation,
                      back_url=organisation.get_absolute_url() + "#raden",
                      intro=_("Veel organisaties hebben geen VAR/PAR. Dat is geen probleem: de ondernemingsraad neemt die rol dan over."),
                      status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def council_detail(request, organisation_id, council_id):
    council = selectors.get_council_for_user(request.user, organisation_id, council_id)
    require(request.user, "organisations.view_people", council)
    can_manage = request.user.has_perm("organisations.manage_councils", council)
    form = CouncilMemberForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        membership = form.is_valid() and run_form_action(
            form, lambda: services.add_council_member(council=council, by=request.user, **form.cleaned_data)
        )
        if membership:
            messages.success(request, _("%(person)s is toegevoegd aan %(council)s.")
                             % {"person": membership.user, "council": council.name})
            return redirect(council)
    context = {"council": council, "organisation": council.organisation, "form": form, "can_manage": can_manage}
    return render(request, "organisations/council.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def council_edit(request, organisation_id, council_id):
    council = selectors.get_council_for_user(request.user, organisation_id, council_id)
    require(request.user, "organisations.manage_councils", council)
    form = CouncilForm(request.POST or None, instance=council, organisation=council.organisation)
    if request.method == "POST" and form.is_valid() and run_form_action(
        form, lambda: services.update_council(council=council, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("De gegevens van de raad zijn opgeslagen."))
        return redirect(council)
    return _form_page(request, form, title=_("Raad wijzigen"), organisation=council.organisation,
                      back_url=council.get_absolute_url(), status=400 if form.errors else 200)


@login_required
@require_POST
def council_member_remove(request, organisation_id, council_id, membership_id):
    council = selectors.get_council_for_user(request.user, organisation_id, council_id)
    require(request.user, "organisations.manage_councils", council)
    membership = get_object_or_404(council.memberships.all(), pk=membership_id)
    services.remove_council_member(membership=membership, by=request.user)
    messages.success(request, _("%(person)s is geen lid meer van %(council)s.")
                     % {"person": membership.user, "council": council.name})
    return redirect(council)


@login_required
@require_GET
def network_detail(request, network_id):
    network = selectors.get_network_for_user(request.user, network_id)
    require(request.user, "organisations.view_network", network)
    return render(request, "organisations/network.html", {"network": network})


@login_required
@require_GET
def care_office_detail(request, care_office_id):
    care_office = selectors.get_care_office_for_user(request.user, care_office_id)
    require(request.user, "organisations.view_care_office", care_office)
    context = {"care_office": care_office, "organisations": organisations_of_care_office(care_office)}
    return render(request, "organisations/care_office.html", context)


@login_required
@require_POST
def switch_organisation(request):
    """The organisation switcher in the header; works as a plain form without JavaScript."""
    choice = request.POST.get("organisation")
    options = {str(o.pk): o for o in selectors.switchable_organisations(request.user)}
    if choice in options:
        request.session["organisation_id"] = options[choice].pk
        messages.info(request, _("U werkt nu voor %(name)s.") % {"name": options[choice].name})
    return redirect(safe_next_url(request))
