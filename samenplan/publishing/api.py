"""Open data: the published plans as JSON, for anyone, without an account (issue 12, point 5).

Every answer is built from what is published now; an unpublished plan is a 404 at once. Answers
carry a strong ETag (the SHA-256 of the exact bytes sent), so a client that sends it back in
If-None-Match gets a 304 without a body. Each client address may make OPEN_DATA_RATE_LIMIT
requests per OPEN_DATA_RATE_WINDOW seconds (429 with Retry-After after that).

For the organisation itself: publishing and unpublishing a plan (the same services as the plan
page's buttons).
"""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from samenplan.core.ratelimit import retry_after
from samenplan.core.schemas import MessageOut
from samenplan.plans import selectors as plan_selectors

from . import selectors, services

router = Router(tags=["public"])

ORGANISATIONS_PAGE_SIZE = 100
ORGANISATIONS_MAX_PAGE_SIZE = 500


class RegionOut(Schema):
    id: int
    name: str


class NetworkOut(Schema):
    id: int
    name: str


class PublicOrganisationOut(Schema):
    id: int
    name: str
    kvk_number: str
    region: RegionOut
    learning_networks: list[NetworkOut]


class PublishedPlanRefOut(Schema):
    id: int
    year: int
    version_number: int
    sha256: str = Field(description="SHA-256 of the adopted version's canonical content")
    published_at: str
    url: str = Field(description="This plan in the open data")


class OrganisationPageOut(Schema):
    count: int = Field(description="Organisations with a published plan, in all pages")
    page: int
    page_size: int
    next: str | None = Field(description="The address of the next page, null on the last")
    results: list[PublicOrganisationOut]


class OrganisationPlansOut(Schema):
    organisation: PublicOrganisationOut
    plans: list[PublishedPlanRefOut]


class VersionOut(Schema):
    number: int
    sha256: str = Field(description="Equals the hash of the version the board adopted; the organisation and the care "
                                    "office see the same hash on their copy")


class FrameworkOut(Schema):
    key: str | None
    name: str | None
    version: str | None


class SectionOut(Schema):
    key: str
    kind: str
    title: str
    group: str | None
    required: bool | None
    summary: str = Field(description="A few sentences in plain language by the author; empty when none")
    text: str = Field(description="Markdown; empty for the parts that are data (profile, staffing, paragraphs)")


class ProfileOut(Schema):
    target_groups: list[str]
    care_types: list[str]
    care_intensity: dict[str, int] = Field(description="Residents per care-intensity profile (VV4…VV10)")
    text: str


class StaffingOut(Schema):
    reference_date: str | None
    note: str
    basis_hours_per_week: int = Field(description="FTE figures are on this basis")
    rows: list[dict] = Field(description="Per location: levelN_fte and levelN_headcount for levels 1–5, "
                                         "other_care_*, treatment_*, trainees, volunteers, inflow, outflow, "
                                         "sickness_rate; decimals as strings")
    totals: dict


class ActionOut(Schema):
    id: int
    title: str
    goal: str | None
    measurable_result: str | None
    theme_key: str | None
    due_quarter: str | None
    source: str | None
    status: str = Field(description="planned, in_progress, done or stopped: the status today")
    status_in_plan: str | None = Field(description="The status in the adopted version")
    carried_over_from_year: int | None


class ParagraphOut(Schema):
    location_id: int | None
    location: str
    text: str
    actions: list[ActionOut]


class LocationOut(Schema):
    id: int
    name: str
    is_active: bool | None
    places: int | None


class LinksOut(Schema):
    html: str
    pdf: str


class PublicPlanOut(Schema):
    id: int
    year: int
    organisation: PublicOrganisationOut
    version: VersionOut
    published_at: str
    framework: FrameworkOut
    links: LinksOut
    sections: list[SectionOut]
    organisation_profile: ProfileOut
    staffing: StaffingOut
    locations: list[LocationOut]
    improvement_paragraphs: list[ParagraphOut]


NOT_MODIFIED = {"description": "Not modified: the ETag sent in If-None-Match is still current (no body)"}
TOO_MANY = {"description": "Too many requests from this client address; try again after Retry-After seconds",
            "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}}
ETAG = {"ETag": {"schema": {"type": "string"}, "description": "Strong validator: send it in If-None-Match"}}


def _openapi(ok_description: str, *, etag: bool = True) -> dict:
    ok = {"description": ok_description}
    if etag:
        ok["headers"] = ETAG
    responses = {200: ok, 429: TOO_MANY}
    if etag:
        responses[304] = NOT_MODIFIED
    return {"responses": responses}


def _too_many(request) -> HttpResponse | None:
    wait = retry_after(request, "open-data", limit=settings.OPEN_DATA_RATE_LIMIT,
                       window=settings.OPEN_DATA_RATE_WINDOW)
    if wait is None:
        return None
    response = JsonResponse({"message": _("U hebt te veel vragen gesteld. Probeer het over %(seconds)s seconden "
                                          "opnieuw.") % {"seconds": wait}}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _matches(header: str, etag: str) -> bool:
    wanted = [part.strip() for part in header.split(",")]
    return "*" in wanted or etag in wanted or f"W/{etag}" in wanted


def _json_with_etag(request, data) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    # Anyone may keep a copy; it must ask again (with the ETag) before using it.
    response["Cache-Control"] = "public, no-cache"
    return response


@router.get("/public/organisations", auth=None, response={200: OrganisationPageOut, 429: MessageOut},
            summary="Organisations with a published quality plan",
            description="No login. Sorted by name. Paginated: `page` (from 1) and `page_size` (1–500, default 100); "
                        "`count` is the total and `next` the address of the following page (null on the last). "
                        "`search` filters on a part of the name. Each organisation's plans are at "
                        "`/api/v1/public/organisations/{id}/plans`.",
            openapi_extra=_openapi("One page of organisations"))
def public_organisations(request, page: int = Query(1, ge=1, le=1_000_000),
                         page_size: int = Query(ORGANISATIONS_PAGE_SIZE, ge=1, le=ORGANISATIONS_MAX_PAGE_SIZE),
                         search: str = Query("", max_length=100)):
    if limited := _too_many(request):
        return limited
    organisations = selectors.published_organisations(search=search.strip()).order_by("name", "pk")
    count = organisations.count()
    chunk = list(organisations[(page - 1) * page_size: page * page_size])
    networks = selectors.networks_of([o.pk for o in chunk])
    following = None
    if page * page_size < count:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        following = f"{request.path}?{query.urlencode()}"
    return _json_with_etag(request, {
        "count": count, "page": page, "page_size": page_size, "next": following,
        "results": [selectors.organisation_json(o, networks.get(o.pk, [])) for o in chunk],
    })


@router.get("/public/organisations/{organisation_id}/plans", auth=None,
            response={200: OrganisationPlansOut, 404: MessageOut, 429: MessageOut},
            summary="The published plans of one organisation",
            description="No login. Newest year first; each with its version number and hash. 404 when the "
                        "organisation has no plan published now.",
            openapi_extra=_openapi("The organisation and its published plans"))
def public_organisation_plans(request, organisation_id: int):
    if limited := _too_many(request):
        return limited
    organisation = selectors.published_organisation(organisation_id)
    rows = (selectors.current_publications().filter(plan__organisation_id=organisation_id).order_by("-plan__year")
            .values("plan_id", "plan__year", "version__number", "version__sha256", "published_at"))
    return _json_with_etag(request, {
        "organisation": selectors.organisation_json(organisation,
                                                    selectors.networks_of([organisation.pk]).get(organisation.pk, [])),
        "plans": [{"id": row["plan_id"], "year": row["plan__year"], "version_number": row["version__number"],
                   "sha256": row["version__sha256"], "published_at": row["published_at"].isoformat(),
                   "url": f"/api/v1/public/plans/{row['plan_id']}"} for row in rows],
    })


@router.get("/public/plans/{plan_id}", auth=None, response={200: PublicPlanOut, 404: MessageOut, 429: MessageOut},
            summary="The contents of one published plan",
            description="No login. The adopted version as published: sections (key, title, summary, text), the "
                        "organisation profile, staffing figures (FTE on a 36-hour basis), the improvement "
                        "paragraph of each location with its actions and their status today. Names of people "
                        "are never included (no action owners, no authors, no council members). 404 when the "
                        "plan is not published now.",
            openapi_extra=_openapi("The published plan"))
def public_plan(request, plan_id: int):
    if limited := _too_many(request):
        return limited
    return _json_with_etag(request, selectors.published_document(plan_id))


def _lines(year: int):
    for document in selectors.published_documents_of_year(year):
        yield json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")) + "\n"


@router.get("/public/plans.jsonl", auth=None, response={200: None, 422: MessageOut, 429: MessageOut},
            summary="Bulk export: every plan published for a year, one JSON object per line",
            description="No login. `year` is required. Each line is the same object as "
                        "`GET /api/v1/public/plans/{id}`. The answer is streamed, so it starts at once and any "
                        "number of plans can be fetched. Counts as one request for the rate limit.",
            openapi_extra={"responses": {
                200: {"description": "JSON Lines", "content": {"application/x-ndjson": {}}},
                429: TOO_MANY}})
def public_plans_export(request, year: int = Query(..., ge=2017, le=2100)):
    if limited := _too_many(request):
        return limited
    response = StreamingHttpResponse(_lines(year), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kwaliteitsplannen-{year}.jsonl"'
    return response


class PublicationOut(Schema):
    plan_id: int
    version_number: int
    sha256: str
    published_at: str
    unpublished_at: str | None
    public_url: str


class RefusedOut(Schema):
    message: str


def _publication_json(publication) -> dict:
    from django.urls import reverse

    return {"plan_id": publication.plan_id, "version_number": publication.version.number,
            "sha256": publication.version.sha256, "published_at": publication.published_at.isoformat(),
            "unpublished_at": publication.unpublished_at.isoformat() if publication.unpublished_at else None,
            "public_url": reverse("publishing:plan", args=[publication.plan_id])}


@router.post("/plans/{plan_id}/publication", tags=["publishing"],
             response={201: PublicationOut, 409: RefusedOut},
             summary="Publish the plan's adopted version",
             description="For the organisation's board and quality staff. Publishes the newest adopted version "
                         "(replacing an older one that was public). 409 when the plan has no adopted version.")
def publish(request, plan_id: int):
    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    try:
        publication = services.publish_plan(plan=plan, by=request.user)
    except services.PublishRefused as refused:
        return Status(409, {"message": str(refused.message)})
    return Status(201, _publication_json(publication))


@router.delete("/plans/{plan_id}/publication", tags=["publishing"],
               response={200: PublicationOut, 409: RefusedOut},
               summary="Take the plan off the public pages and the open data",
               description="For the organisation's board and quality staff. 409 when the plan is not public.")
def unpublish(request, plan_id: int):
    plan = plan_selectors.get_plan_for_user(request.user, plan_id)
    try:
        publication = services.unpublish_plan(plan=plan, by=request.user)
    except services.PublishRefused as refused:
        return Status(409, {"message": str(refused.message)})
    return _publication_json(publication)
