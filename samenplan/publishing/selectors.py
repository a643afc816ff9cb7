"""Reads for the public: only what is published now, for anyone, logged in or not.

Nothing here takes a user: a published plan is the same for everybody, and an unpublished one
does not exist (Http404), also for the organisation's own staff (they read it on the plan page).
Every list is a fixed number of queries, however many organisations, locations and plans.
"""

from collections.abc import Iterator

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404

from samenplan.organisations.models import LearningNetwork, Organisation, Region
from samenplan.plans.models import ImprovementAction

from .content import public_document
from .models import Publication


def current_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(unpublished_at__isnull=True)


def _has_publication():
    return Exists(current_publications().filter(plan__organisation=OuterRef("pk")))


def published_organisations(*, search: str = "", region_id: int | None = None) -> QuerySet[Organisation]:
    """Organisations with at least one plan public now, each with `newest_year`."""
    organisations = (Organisation.objects.filter(_has_publication()).select_related("region")
                     .annotate(newest_year=Max("plans__year", filter=Q(plans__publications__unpublished_at__isnull=True))))
    if search:
        organisations = organisations.filter(name__icontains=search)
    if region_id:
        organisations = organisations.filter(region_id=region_id)
    return organisations.order_by("region__name", "name", "pk")


def published_regions() -> QuerySet[Region]:
    return Region.objects.filter(Exists(current_publications().filter(plan__organisation__region=OuterRef("pk"))))


def published_years() -> list[int]:
    return list(current_publications().order_by("-plan__year").values_list("plan__year", flat=True).distinct())


# The public plan list is kept, one page for everyone, until one of these tables is written to
# (core/pagecache.py; publishing/tests/test_public_pages.py checks the list reads no other).
PUBLIC_PLAN_LIST_TABLES = frozenset({
    "publishing_publication", "plans_qualityplan", "plans_planversion", "organisations_organisation",
    "organisations_region",
})
PLAN_ROW_FIELDS = ("plan_id", "plan__year", "plan__organisation_id", "plan__organisation__name",
                   "plan__organisation__region__name", "version__number", "version__sha256", "published_at")


class PlanRows:
    """The rows of a list in order, and their number, for a Paginator: it counts with `count()`
    and slices out one page. The number is counted from the publications alone; counting the rows
    queryset itself would plan and run the five-table join of a page's rows over every publication,
    as much work in the database as the page's rows themselves (bench/careoffice.py)."""

    ordered = True  # the rows are; Paginator warns otherwise

    def __init__(self, rows: QuerySet, counted: QuerySet):
        self.rows, self.counted = rows, counted

    def count(self) -> int:
        return self.counted.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return self.rows[index]

    def __iter__(self):
        return iter(self.rows)


def published_plan_rows(*, year: int | None = None, region_id: int | None = None, search: str = "") -> PlanRows:
    """The rows of the public plan list, as dicts (the list is the page the benchmark measures:
    no model instances, no version content)."""
    publications = current_publications()
    if year:
        publications = publications.filter(plan__year=year)
    if region_id:
        publications = publications.filter(plan__organisation__region_id=region_id)
    if search:
        publications = publications.filter(plan__organisation__name__icontains=search)
    # Every relation of a row is required (non-null foreign keys), so the joins of the rows leave
    # out no publication: the number is the same.
    rows = publications.order_by("-plan__year", "plan__organisation__name", "plan_id").values(*PLAN_ROW_FIELDS)
    return PlanRows(rows, publications)


def live_statuses(plan_ids) -> dict[int, str]:
    """The status today of every action of these plans, by action id (one query)."""
    return dict(ImprovementAction.objects.filter(paragraph__plan_id__in=list(plan_ids)).values_list("id", "status"))


def networks_of(organisation_ids) -> dict[int, list[dict]]:
    """The learning networks of these organisations, by organisation id (one query)."""
    through = LearningNetwork.organisations.through.objects.filter(organisation_id__in=list(organisation_ids))
    found: dict[int, list[dict]] = {}
    for organisation_id, network_id, name in (through.order_by("learningnetwork__name")
                                              .values_list("organisation_id", "learningnetwork_id",
                                                           "learningnetwork__name")):
        found.setdefault(organisation_id, []).append({"id": network_id, "name": name})
    return found


def organisation_json(organisation: Organisation, networks: list[dict]) -> dict:
    return {"id": organisation.pk, "name": organisation.name, "kvk_number": organisation.kvk_number,
            "region": {"id": organisation.region_id, "name": organisation.region.name},
            "learning_networks": networks}


DOCUMENT_FIELDS = ("plan_id", "plan__year", "plan__organisation_id", "plan__organisation__name",
                   "plan__organisation__kvk_number", "plan__organisation__region_id",
                   "plan__organisation__region__name", "version__number", "version__sha256", "version__content",
                   "published_at")


def _organisation_of_row(row: dict, networks: dict[int, list[dict]]) -> dict:
    organisation_id = row["plan__organisation_id"]
    return {"id": organisation_id, "name": row["plan__organisation__name"],
            "kvk_number": row["plan__organisation__kvk_number"],
            "region": {"id": row["plan__organisation__region_id"], "name": row["plan__organisation__region__name"]},
            "learning_networks": networks.get(organisation_id, [])}


def _document_of_row(row: dict, statuses: dict[int, str], networks: dict[int, list[dict]]) -> dict:
    return public_document(plan_id=row["plan_id"], year=row["plan__year"],
                           organisation=_organisation_of_row(row, networks),
                           version_number=row["version__number"], sha256=row["version__sha256"],
                           published_at=row["published_at"], content=row["version__content"],
                           live_statuses=statuses)


# The largest key the databases hold: a larger id from a URL is not found, rather than an overflow.
MAX_ID = 2**63 - 1


def published_document(plan_id: int) -> dict:
    """The public document of a plan published now (Http404 otherwise): three queries."""
    if not 0 < plan_id <= MAX_ID:
        raise Http404
    row = current_publications().filter(plan_id=plan_id).values(*DOCUMENT_FIELDS).first()
    if row is None:
        raise Http404
    return _document_of_row(row, live_statuses([plan_id]), networks_of([row["plan__organisation_id"]]))


def published_documents_of_organisation(organisation_id: int) -> list[dict]:
    """Every plan of the organisation published now, newest year first (Http404 when there is none)."""
    if not 0 < organisation_id <= MAX_ID:
        raise Http404
    rows = list(current_publications().filter(plan__organisation_id=organisation_id).order_by("-plan__year")
                .values(*DOCUMENT_FIELDS))
    if not rows:
        raise Http404
    statuses = live_statuses([row["plan_id"] for row in rows])
    networks = networks_of([organisation_id])
    return [_document_of_row(row, statuses, networks) for row in rows]


EXPORT_BATCH = 100


def published_documents_of_year(year: int) -> Iterator[dict]:
    """Every plan of `year` published now, one document at a time. Memory stays bounded whatever
    the number of plans: the rows are read in chunks, and each batch's action statuses and
    networks in one query each."""
    rows = (current_publications().filter(plan__year=year).order_by("plan__organisation__name", "plan_id")
            .values(*DOCUMENT_FIELDS).iterator(chunk_size=EXPORT_BATCH))
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == EXPORT_BATCH:
            yield from _documents_of_batch(batch)
            batch = []
    if batch:
        yield from _documents_of_batch(batch)


def _documents_of_batch(batch: list[dict]) -> Iterator[dict]:
    statuses = live_statuses([row["plan_id"] for row in batch])
    networks = networks_of({row["plan__organisation_id"] for row in batch})
    for row in batch:
        yield _document_of_row(row, statuses, networks)


def published_organisation(organisation_id: int) -> Organisation:
    if not 0 < organisation_id <= MAX_ID:
        raise Http404
    organisation = published_organisations().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation

