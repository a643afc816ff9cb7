"""The public pages (no login, DOMAIN rule 24: nothing personal) and the organisation's buttons
to publish a plan and to take it back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samenplan.accounts.middleware import second_factor_exempt
from samenplan.core import pagecache
from samenplan.core.rendering import render_page
from samenplan.plans.models import CARE_TYPES, TARGET_GROUPS, ImprovementAction
from samenplan.plans.selectors import get_plan_for_user

from . import selectors, services
from .content import location_summaries
from .forms import OrganisationSearchForm, PlanFilterForm
from .models import PublicPdf

PLANS_PER_PAGE = 25


@second_factor_exempt
@require_GET
def home(request):
    form = OrganisationSearchForm(request.GET)
    search = form.cleaned_data["zoek"].strip() if form.is_valid() else ""
    organisations = list(selectors.published_organisations(search=search))
    return render_page(request, "publishing/home.html", {
        "form": form, "search": search, "organisations": organisations,
    })


@second_factor_exempt
@require_GET
@pagecache.for_everyone("public_plans")
def plan_list(request):
    # The page researchers, journalists and crawlers open most: about 20 ms to build
    # (bench/careoffice.py), and it changes only when a plan is published or taken back.
    years = selectors.published_years()
    regions = list(selectors.published_regions())
    form = PlanFilterForm(request.GET, years=years, regions=regions)
    filters = form.valid_filters()
    rows = selectors.published_plan_rows(year=filters.get("jaar"), region_id=filters.get("regio"),
                                         search=(filters.get("zoek") or "").strip())
    page = Paginator(rows, PLANS_PER_PAGE).get_page(request.GET.get("pagina"))
    # The filters stay in the links to the other pages.
    kept = request.GET.copy()
    kept.pop("pagina", None)
    return render_page(request, "publishing/plans.html", {
        "form": form, "page": page, "query": kept.urlencode(), "filtered": any(v for v in filters.values()),
    }, status=400 if form.errors else 200)


@second_factor_exempt
@require_GET
def organisation(request, organisation_id):
    documents = selectors.published_documents_of_organisation(organisation_id)
    organisation = documents[0]["organisation"]
    for document in documents:
        document["locations_summary"] = location_summaries(document)
    return render_page(request, "publishing/organisation.html", {
        "organisation": organisation, "documents": documents, "newest": documents[0],
    })


@second_factor_exempt
@require_GET
def plan(request, plan_id):
    document = selectors.published_document(plan_id)
    return render_page(request, "publishing/plan.html", {
        "document": document, "organisation": document["organisation"],
        "target_group_choices": TARGET_GROUPS, "care_type_choices": CARE_TYPES,
        "status_choices": ImprovementAction.Status.choices,
        "has_summaries": any(section["summary"] for section in document["sections"]),
    })


@second_factor_exempt
@require_GET
def plan_pdf(request, plan_id):
    publication = (selectors.current_publications().filter(plan_id=plan_id)
                   .select_related("plan__organisation", "version").defer("version__content").first())
    if publication is None:
        raise Http404
    pdf = services.request_public_pdf(publication.version)
    if pdf.is_ready:
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = request.path
            return response
        content = PublicPdf.objects.filter(pk=pdf.pk).values_list("content", flat=True).get()
        response = HttpResponse(bytes(content), content_type="application/pdf")
        name = slugify(publication.plan.organisation.name) or "organisatie"
        filename = f"kwaliteitsplan-{publication.plan.year}-{name}-versie-{publication.version.number}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render_page(request, "publishing/pdf_pending.html", {"publication": publication},
                       partial="pending", status=202)


def _plan_page(plan) -> str:
    return reverse("plans:detail", args=[plan.pk]) + "#openbaar"


@login_required
@require_POST
def publish(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    try:
        publication = services.publish_plan(plan=plan, by=request.user)
    except services.PublishRefused as refused:
        messages.error(request, str(refused.message))
        return redirect(_plan_page(plan))
    messages.success(request, _("Versie %(number)s van het plan is nu openbaar. Iedereen kan het lezen, zonder "
                                "namen van mensen.") % {"number": publication.version.number})
    return redirect(_plan_page(plan))


@login_required
@require_POST
def unpublish(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    try:
        services.unpublish_plan(plan=plan, by=request.user)
    except services.PublishRefused as refused:
        messages.error(request, str(refused.message))
        return redirect(_plan_page(plan))
    messages.success(request, _("Het plan is niet meer openbaar. Het staat niet meer op de openbare pagina’s en "
                                "niet meer in de open data."))
    return redirect(_plan_page(plan))
