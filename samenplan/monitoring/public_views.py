""""U zei, wij deden": the staff page per location and plan, and the public page and A4 poster of
a location; and the public page of an adopted, published quality report. The public pages need no
account, work without JavaScript, print well and show nobody's name (rule 24)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samenplan.accounts.middleware import second_factor_exempt
from samenplan.core.rendering import render_page
from samenplan.organisations.models import Location
from samenplan.signals.selectors import signal_page_of
from samenplan.signals.views import qr_svg

from . import report_selectors as selectors
from . import report_services as services
from .report_forms import YouSaidForm

# Empty rows under the proposals, for what the data did not propose.
EXTRA_ROWS = 2


def _rows(plan, location, page) -> list[dict]:
    """The saved items, then what the data propose that no item covers yet, then empty rows."""
    saved = [{"theme_key": i.theme_key, "top_point": i.top_point_id, "you_said": i.you_said, "we_did": i.we_did}
             for i in selectors.you_said_items(page)] if page else []
    covered = {(row["theme_key"], row["top_point"]) for row in saved}
    proposals = selectors.you_said_proposals(plan, location)
    by_source = {(p["theme_key"], p["top_point"]): p for p in proposals}
    rows = [{**row, "proposal": by_source.get((row["theme_key"], row["top_point"]))} for row in saved]
    rows += [{"theme_key": p["theme_key"], "top_point": p["top_point"], "proposal": p}
             for p in proposals if (p["theme_key"], p["top_point"]) not in covered]
    return rows + [{"theme_key": "", "top_point": None, "proposal": None} for _n in range(EXTRA_ROWS)]


@login_required
@require_http_methods(["GET", "POST"])
def edit_you_said(request, plan_id, location_id):
    plan = selectors.get_plan_with_perm(request.user, plan_id, "monitoring.publish_you_said")
    location = get_object_or_404(Location, pk=location_id, organisation_id=plan.organisation_id)
    page = selectors.you_said_page(plan, location)
    form = YouSaidForm(request.POST or None, rows=_rows(plan, location, page))
    status = 200
    if request.method == "POST":
        if form.is_valid() and _you_said_step(request, plan, location, form):
            return redirect("monitoring:edit_you_said", plan.pk, location.pk)
        status = 400
    page = selectors.you_said_page(plan, location)
    context = {"plan": plan, "location": location, "page": page, "form": form}
    return render_page(request, "monitoring/public/edit.html", context, status=status)


def _you_said_step(request, plan, location, form) -> bool:
    try:
        page = services.save_you_said(plan=plan, location=location, by=request.user, items=form.items())
        if "publish" in request.POST or "unpublish" in request.POST:
            services.set_you_said_published(page=page, by=request.user, published="publish" in request.POST)
    except services.VerbatimSignal as verbatim:
        for index in verbatim.rows:
            form.add_error(f"you_said_{index}", _("Dit is letterlijk de tekst van een signaal. Schrijf in uw eigen "
                                                  "woorden wat mensen zeiden, zonder iemands eigen zinnen."))
        return False
    except ValidationError as error:
        for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    if "publish" in request.POST:
        messages.success(request, _("De pagina „U zei, wij deden” van %(location)s is openbaar.") % {
            "location": location.name})
    elif "unpublish" in request.POST:
        messages.success(request, _("De pagina „U zei, wij deden” van %(location)s is niet meer openbaar.") % {
            "location": location.name})
    else:
        messages.success(request, _("Opgeslagen."))
    return True


def _public_page(location_id):
    page = selectors.published_you_said(location_id)
    return page, selectors.public_you_said(page)


@second_factor_exempt
@require_GET
def you_said(request, location_id):
    page, data = _public_page(location_id)
    return render_page(request, "monitoring/public/you_said.html", {"page": page, "data": data})


@second_factor_exempt
@require_GET
def you_said_poster(request, location_id):
    """The A4 poster for the location's hallway, with the QR code of its signal page."""
    page, data = _public_page(location_id)
    signal_page = signal_page_of(page.location)
    url = request.build_absolute_uri(signal_page.get_absolute_url())
    context = {"page": page, "data": data, "short_link": url.split("://", 1)[-1],
               "qr": qr_svg(url, _("QR-code voor de signaalpagina van %(location)s") % {"location": page.location.name})}
    return render_page(request, "monitoring/public/poster.html", context)


@second_factor_exempt
@require_GET
def public_report(request, organisation_id, year):
    report = selectors.published_report(organisation_id, year)
    content = selectors.public_content(report.content)
    return render_page(request, "monitoring/public/report.html", {"report": report, "content": content,
                                                                   "organisation": report.plan.organisation})
