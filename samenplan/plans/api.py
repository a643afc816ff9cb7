import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from samenplan.frameworks.models import Framework
from samenplan.organisations.models import Location
from samenplan.organisations.selectors import get_organisation_for_user

from . import selectors, services
from .diff import diff_snapshots
from .models import SUMMARY_MAX_LENGTH, ImprovementAction, PlanVersion, StaffingRow
from .snapshot import build_snapshot, load_plan_for_snapshot

router = Router(tags=["plans"])


class PlanSummaryOut(Schema):
    id: int
    organisation_id: int
    year: int
    status: str
    framework_id: int
    framework: str


class SectionOut(Schema):
    key: str
    kind: str
    title: str
    group: str
    required: bool
    body: str
    summary: str
    revision: int


class VersionSummaryOut(Schema):
    id: int
    number: int
    sha256: str
    created_at: datetime.datetime
    created_by: str
    note: str


class PlanOut(PlanSummaryOut):
    sections: list[SectionOut]
    content: dict  # the canonical snapshot of the draft as it is now (same shape as a version's)
    versions: list[VersionSummaryOut]


class PlanIn(Schema):
    organisation_id: int
    year: int = Field(ge=2017, le=2100)
    framework_id: int


def _summary(plan) -> dict:
    return {"id": plan.pk, "organisation_id": plan.organisation_id, "year": plan.year, "status": plan.status,
            "framework_id": plan.framework_id, "framework": str(plan.framework)}


def _version_summary(version) -> dict:
    return {"id": version.pk, "number": version.number, "sha256": version.sha256, "created_at": version.created_at,
            "created_by": str(version.created_by), "note": version.note}


def _plan_out(plan) -> dict:
    loaded = load_plan_for_snapshot(plan.pk)
    return {
        **_summary(loaded),
        "sections": [{"key": s.key, "kind": s.kind, "title": s.title, "group": s.group, "required": s.required,
                      "body": s.body, "summary": s.summary, "revision": s.revision}
                     for s in loaded.sections.all()],
        "content": build_snapshot(loaded),
        "versions": [_version_summary(v) for v in plan.versions.select_related("created_by").order_by("number")],
    }


@router.get("/plans", response=list[PlanSummaryOut], summary="Plans the caller may read")
def list_plans(request):
    return [_summary(p) for p in selectors.plans_for_user(request.user).order_by("-year")]


@router.post("/plans", response={201: PlanOut}, summary="Start a plan for a year (from last year's when there is one)")
def create_plan(request, data: PlanIn):
    organisation = get_organisation_for_user(request.user, data.organisation_id)
    framework = Framework.objects.filter(pk=data.framework_id).first()
    if framework is None:
        raise Http404
    plan = services.create_plan(organisation=organisation, year=data.year, framework=framework, by=request.user)
    return Status(201, _plan_out(plan))


@router.get("/plans/{plan_id}", response=PlanOut, summary="A plan with all its contents")
def get_plan(request, plan_id: int):
    return _plan_out(selectors.get_plan_for_user(request.user, plan_id))


class SectionPatch(Schema):
    body: str = Field(max_length=60000)
    summary: str | None = Field(None, max_length=SUMMARY_MAX_LENGTH,
                                description="Plain-language summary for the councils; left as it is when omitted")
    base_revision: int = Field(ge=0, description="The revision the text was based on; 409 when it is outdated")


class ConflictOut(Schema):
    message: str
    current: SectionOut
    attempted_body: str


@router.patch("/plans/{plan_id}/sections/{key}", response={200: SectionOut, 409: ConflictOut},
              summary="Save the text of a section (409 with both texts when someone saved in between)")
def patch_section(request, plan_id: int, key: str, data: SectionPatch):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    try:
        section = services.update_section(plan=plan, key=key, body=data.body, summary=data.summary,
                                          base_revision=data.base_revision, by=request.user)
    except services.EditConflict as clash:
        current = clash.section
        return Status(409, {"message": _("Iemand anders heeft deze tekst intussen opgeslagen. Er is niets overschreven."),
                     "current": _section_out(current), "attempted_body": clash.attempted_body})
    return _section_out(section)


def _section_out(section) -> dict:
    return {"key": section.key, "kind": section.kind, "title": section.title, "group": section.group,
            "required": section.required, "body": section.body, "summary": section.summary,
            "revision": section.revision}


class ActionIn(Schema):
    id: int | None = None
    title: str = Field(min_length=1, max_length=200)
    goal: str = Field("", max_length=2000)
    measurable_result: str = Field("", max_length=2000)
    theme_key: str = Field("", max_length=80)
    owner: str = Field("", max_length=200)
    due_quarter: str = Field("", pattern=r"^(|20\d\d-Q[1-4])$")
    status: Literal[tuple(ImprovementAction.Status.values)] = ImprovementAction.Status.PLANNED  # type: ignore[valid-type]
    source: Literal[tuple(ImprovementAction.Source.values)] = ImprovementAction.Source.OWN  # type: ignore[valid-type]
    source_note: str = Field("", max_length=500)


class ParagraphIn(Schema):
    body: str = Field("", max_length=30000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=500)


class ParagraphOut(Schema):
    location_id: int
    location: str
    body: str
    actions: list[dict]


@router.put("/plans/{plan_id}/improvement-paragraphs/{location_id}", response=ParagraphOut,
            summary="Replace a location's improvement paragraph and its actions")
def put_paragraph(request, plan_id: int, location_id: int, data: ParagraphIn):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    location = get_object_or_404(Location, pk=location_id, organisation=plan.organisation_id)
    services.update_paragraph(plan=plan, location=location, by=request.user, body=data.body,
                              actions=[a.dict() for a in data.actions])
    snapshot = build_snapshot(load_plan_for_snapshot(plan.pk))
    return next(p for p in snapshot["improvement_paragraphs"] if p["location_id"] == location_id)


class StaffingRowIn(Schema):
    location_id: int | None = None
    level1_fte: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=2)
    level2_fte: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=2)
    level3_fte: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=2)
    level4_fte: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=2)
    level5_fte: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=2)
    other_care_fte: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=2)
    treatment_fte: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=2)
    level1_headcount: int = Field(0, ge=0)
    level2_headcount: int = Field(0, ge=0)
    level3_headcount: int = Field(0, ge=0)
    level4_headcount: int = Field(0, ge=0)
    level5_headcount: int = Field(0, ge=0)
    other_care_headcount: int = Field(0, ge=0)
    treatment_headcount: int = Field(0, ge=0)
    trainees: int = Field(0, ge=0)
    volunteers: int = Field(0, ge=0)
    inflow: int | None = Field(None, ge=0)
    outflow: int | None = Field(None, ge=0)
    sickness_rate: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)


class StaffingIn(Schema):
    reference_date: datetime.date | None = None
    note: str = Field("", max_length=10000)
    rows: list[StaffingRowIn] = Field(default_factory=list, max_length=1000)


@router.put("/plans/{plan_id}/staffing", response=dict, summary="Replace the staffing figures (totals are computed)")
def put_staffing(request, plan_id: int, data: StaffingIn):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    locations = {loc.pk: loc for loc in plan.organisation.locations.all()}
    rows = []
    for index, row in enumerate(data.rows):
        values = row.dict()
        location_id = values.pop("location_id")
        if location_id is not None and location_id not in locations:
            raise ValidationError({f"rows.{index}.location_id": _("Deze locatie hoort niet bij de organisatie van het plan.")})
        rows.append({"location": locations.get(location_id), **{k: v for k, v in values.items()
                                                                   if k in StaffingRow.FTE_FIELDS + StaffingRow.COUNT_FIELDS + ["inflow", "outflow", "sickness_rate"]}})
    services.update_staffing(plan=plan, by=request.user, reference_date=data.reference_date, note=data.note, rows=rows)
    return build_snapshot(load_plan_for_snapshot(plan.pk))["staffing"]


class FreezeIn(Schema):
    note: str = Field("", max_length=500)


class VersionOut(VersionSummaryOut):
    plan_id: int
    content: dict


class NothingChangedOut(Schema):
    message: str
    version: VersionSummaryOut


@router.post("/plans/{plan_id}/versions", response={201: VersionOut, 409: NothingChangedOut},
             summary="Freeze the plan as it is now into a new version")
def freeze_version(request, plan_id: int, data: FreezeIn):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    try:
        version = services.freeze_version(plan=plan, by=request.user, note=data.note)
    except services.NothingChanged as unchanged:
        return Status(409, {"message": _("Er is niets veranderd sinds versie %(number)s; die versie geldt nog.")
                     % {"number": unchanged.version.number}, "version": _version_summary(unchanged.version)})
    return Status(201, _version_out(version))


def _version_out(version: PlanVersion) -> dict:
    return {**_version_summary(version), "plan_id": version.plan_id, "content": version.snapshot}


@router.get("/plans/{plan_id}/versions", response=list[VersionSummaryOut], summary="The frozen versions of a plan")
def list_versions(request, plan_id: int):
    plan = selectors.get_plan_for_user(request.user, plan_id)
    return [_version_summary(v) for v in plan.versions.select_related("created_by").order_by("number")]


@router.get("/versions/{version_id}", response=VersionOut, summary="A frozen version with its canonical content")
def get_version(request, version_id: int):
    return _version_out(selectors.get_version_for_user(request.user, version_id))


class DiffLineOut(Schema):
    change: str
    old: str
    new: str


class SectionDiffOut(Schema):
    key: str
    title: str
    changed: bool
    lines: list[DiffLineOut]


@router.get("/versions/{version_id}/diff", response=list[SectionDiffOut],
            summary="Per-section differences with another version of the same plan (sanitised HTML: "
                    "texts as rendered Markdown, figures as escaped text, changes in <del>/<ins>)")
def diff_versions(request, version_id: int, against: int):
    version = selectors.get_version_for_user(request.user, version_id)
    other = selectors.get_version_for_user(request.user, against)
    if other.plan_id != version.plan_id:
        raise Http404
    old, new = sorted([version, other], key=lambda v: v.number)
    return [{"key": d.key, "title": d.title, "changed": d.changed,
             "lines": [{"change": line.change, "old": str(line.old), "new": str(line.new)} for line in d.lines]}
            for d in diff_snapshots(old.snapshot, new.snapshot)]


class PdfPendingOut(Schema):
    message: str
    retry_after_seconds: int


@router.get("/versions/{version_id}/pdf", summary="The version as a PDF document (202 while it is being made)",
            response={200: None, 202: PdfPendingOut},
            openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}})
def version_pdf(request, version_id: int):
    from .views import pdf_response

    version = selectors.get_version_for_user(request.user, version_id)
    if services.request_version_pdf(version).is_ready:
        return pdf_response(version)
    response = JsonResponse({
        "message": _("De PDF wordt gemaakt. Probeer het over een paar seconden opnieuw."),
        "retry_after_seconds": 5}, status=202)
    response["Retry-After"] = "5"
    return response


@router.get("/versions/{version_id}/docx", summary="The version as a Word document (DOCX)",
            description="Made on request with the same structure as the PDF: title page, the plan in short, "
                        "every part with headings and tables, and the full fingerprint in the colophon.",
            response={200: None},
            openapi_extra={"responses": {200: {"description": "The Word document", "content": {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}}})
def version_docx(request, version_id: int):
    from .views import docx_response

    return docx_response(selectors.get_version_for_user(request.user, version_id))


class TargetOut(Schema):
    kind: str
    key: str
    location_id: int | None
    action_id: int | None


class FindingOut(Schema):
    rule: str
    code: str
    severity: str
    message: str
    target: TargetOut
    url: str


@router.get("/plans/{plan_id}/findings", response=list[FindingOut],
            summary="What the compliance checker finds in the plan as it is now")
def findings(request, plan_id: int):
    from samenplan.consent.selectors import plan_findings

    plan = selectors.get_plan_for_user(request.user, plan_id)
    _snapshot, _sha256, found = plan_findings(plan)
    return [finding_json(plan, f) for f in found]


def finding_json(plan, finding) -> dict:
    return {"rule": finding.rule, "code": finding.code, "severity": str(finding.severity),
            "message": str(finding.message), "target": finding.target.__dict__,
            "url": selectors.finding_url(plan, finding.target)}
