"""Writing the plan: every change goes through one of these functions (pages and API alike)."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samenplan.accounts.models import User
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.core.permissions import require
from samenplan.frameworks.models import Framework, FrameworkSection
from samenplan.frameworks.selectors import frameworks_for_organisation
from samenplan.organisations.models import Location, Organisation

from .models import (
    SUMMARY_MAX_LENGTH,
    CouncilShare,
    ImprovementAction,
    ImprovementParagraph,
    OrganisationProfile,
    PlanSection,
    PlanVersion,
    QualityPlan,
    StaffingProfile,
    StaffingRow,
    VersionPdf,
)
from .models import quarter_outside_plan_years
from .snapshot import build_snapshot, load_plan_for_snapshot


def _locked(plan: QualityPlan) -> QualityPlan:
    return QualityPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def create_plan(*, organisation: Organisation, year: int, framework: Framework, by: User) -> QualityPlan:
    """Starts a year's plan. With an earlier plan, its texts are the starting point and its
    unfinished improvement actions come along, marked as carried over."""
    require(by, "plans.create_plan", organisation)
    if not frameworks_for_organisation(organisation).filter(pk=framework.pk).exists():
        raise ValidationError({"framework": _("Kies een kader dat voor uw organisatie geldt.")})
    previous = organisation.plans.filter(year__lt=year).order_by("-year").first()
    plan = QualityPlan(organisation=organisation, year=year, framework=framework, previous=previous, created_by=by)
    plan.full_clean()
    plan.save()

    old_texts = {s.key: (s.body, s.summary) for s in previous.sections.all()} if previous else {}
    PlanSection.objects.bulk_create([
        PlanSection(plan=plan, framework_section=s, key=s.key, kind=s.kind, title=s.title, group=s.group,
                    guidance=s.guidance, required=s.required, order=s.order,
                    body=old_texts.get(s.key, ("", ""))[0], summary=old_texts.get(s.key, ("", ""))[1])
        for s in framework.sections.all()
    ])
    old_profile = getattr(previous, "profile", None) if previous else None
    OrganisationProfile.objects.create(
        plan=plan, target_groups=old_profile.target_groups if old_profile else [],
        care_types=old_profile.care_types if old_profile else [],
        care_intensity=old_profile.care_intensity if old_profile else {}, text=old_profile.text if old_profile else "",
    )
    staffing = StaffingProfile.objects.create(plan=plan)
    if previous and hasattr(previous, "staffing"):
        copied = []
        for row in previous.staffing.rows.all():
            row.pk, row.staffing = None, staffing
            copied.append(row)
        StaffingRow.objects.bulk_create(copied)

    active = list(organisation.locations.filter(is_active=True))
    # Each location starts from its own paragraph of last year, like the sections and the actions.
    old_paragraphs = dict(previous.improvement_paragraphs.values_list("location_id", "body")) if previous else {}
    paragraphs = ImprovementParagraph.objects.bulk_create(
        [ImprovementParagraph(plan=plan, location=location, body=old_paragraphs.get(location.pk, ""))
         for location in active])
    carried = _carry_over_actions(previous, {p.location_id: p for p in paragraphs}) if previous else 0
    record(AuditEvent.Kind.PLAN_CREATED, actor=by, plan=plan,
           data={"year": year, "framework": framework.name, "previous_year": previous.year if previous else None,
                 "carried_over": carried})
    return plan


def _carry_over_actions(previous: QualityPlan, paragraphs: dict[int, ImprovementParagraph]) -> int:
    unfinished = ImprovementAction.objects.filter(
        paragraph__plan=previous, status__in=ImprovementAction.UNFINISHED,
        paragraph__location_id__in=list(paragraphs),
    ).select_related("paragraph")
    return len(ImprovementAction.objects.bulk_create([
        ImprovementAction(
            paragraph=paragraphs[old.paragraph.location_id], title=old.title, goal=old.goal,
            measurable_result=old.measurable_result, theme_key=old.theme_key, owner=old.owner,
            due_quarter="", status=old.status, source=old.source, source_note=old.source_note,
            carried_over_from=old, order=old.order,
        )
        for old in unfinished
    ]))


class EditConflict(Exception):
    """Someone saved the section after this person started editing; nothing was overwritten."""

    def __init__(self, section: PlanSection, attempted_body: str, attempted_summary: str | None = None):
        super().__init__(section.key)
        self.section = section
        self.attempted_body = attempted_body
        self.attempted_summary = attempted_summary


@transaction.atomic
def update_section(*, plan: QualityPlan, key: str, body: str, base_revision: int, by: User,
                   summary: str | None = None) -> PlanSection:
    """Saves a section's text and, when given, its plain-language summary (None leaves it as it is)."""
    require(by, "plans.edit_plan", plan)
    section = plan.sections.filter(key=key).first()
    if section is None or not section.is_text:
        raise ValidationError({"key": _("Dit onderdeel heeft geen tekst om te bewerken.")})
    if len(body) > 60000:
        raise ValidationError({"body": _("De tekst is te lang: houd het onder de 60.000 tekens.")})
    changes = {"body": body}
    if summary is not None:
        summary = summary.strip()
        if len(summary) > SUMMARY_MAX_LENGTH:
            raise ValidationError({"summary": _("De samenvatting is te lang: hoogstens %(max)s tekens. Houd het "
                                                "bij een paar korte zinnen.") % {"max": SUMMARY_MAX_LENGTH}})
        changes["summary"] = summary
    # Compare-and-set on the revision: the second of two saves on the same base loses nothing,
    # it gets a conflict with both texts.
    updated = PlanSection.objects.filter(pk=section.pk, revision=base_revision).update(
        **changes, revision=F("revision") + 1, updated_by=by)
    section.refresh_from_db()
    if not updated:
        raise EditConflict(section, body, summary)
    return section


@transaction.atomic
def update_profile(*, plan: QualityPlan, by: User, target_groups: list[str], care_types: list[str],
                   care_intensity: dict[str, int], text: str) -> OrganisationProfile:
    require(by, "plans.edit_plan", plan)
    profile, _created = OrganisationProfile.objects.get_or_create(plan=plan)
    profile.target_groups, profile.care_types, profile.text = sorted(target_groups), sorted(care_types), text
    profile.care_intensity = {k: v for k, v in sorted(care_intensity.items()) if v}
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def update_staffing(*, plan: QualityPlan, by: User, reference_date, note: str, rows: list[dict]) -> StaffingProfile:
    """Replaces the staffing figures. Each row: location (a Location of the plan's organisation,
    or None for staff not tied to one location) plus the figures of StaffingRow."""
    require(by, "plans.edit_plan", plan)
    staffing, _created = StaffingProfile.objects.get_or_create(plan=plan)
    staffing.reference_date, staffing.note = reference_date, note
    staffing.full_clean()
    staffing.save()
    new_rows = []
    for data in rows:
        location = data.get("location")
        if location is not None and location.organisation_id != plan.organisation_id:
            raise ValidationError({"location": _("Deze locatie hoort niet bij uw organisatie.")})
        row = StaffingRow(staffing=staffing, **data)
        row.full_clean(exclude=["staffing"], validate_unique=False, validate_constraints=False)
        new_rows.append(row)
    if len({r.location_id for r in new_rows}) != len(new_rows):
        raise ValidationError({"rows": _("Elke locatie komt maar één keer voor.")})
    staffing.rows.all().delete()
    StaffingRow.objects.bulk_create(new_rows)
    return staffing


def _paragraph(plan: QualityPlan, location: Location) -> ImprovementParagraph:
    if location.organisation_id != plan.organisation_id:
        raise PermissionDenied
    paragraph, _created = ImprovementParagraph.objects.get_or_create(plan=plan, location=location)
    return paragraph


ACTION_FIELDS = ["title", "goal", "measurable_result", "theme_key", "owner", "due_quarter", "status", "source",
                 "source_note"]


def _clean_action(plan: QualityPlan, action: ImprovementAction) -> None:
    action.full_clean(exclude=["paragraph"])
    if action.theme_key and not plan.sections.filter(key=action.theme_key, kind=FrameworkSection.Kind.THEME).exists():
        raise ValidationError({"theme_key": _("Kies een thema uit dit plan.")})
    # Checked here, not in the form: the pages and the API save actions through this function.
    if problem := quarter_outside_plan_years(action.due_quarter, plan.year):
        raise ValidationError({"due_quarter": problem})


@transaction.atomic
def update_paragraph(*, plan: QualityPlan, location: Location, by: User, body: str,
                     actions: list[dict] | None = None) -> ImprovementParagraph:
    """Saves a location's improvement paragraph. With `actions`, the list replaces the actions:
    entries with an `id` update that action, others are new, missing ones are removed."""
    require(by, "plans.edit_plan", plan)
    paragraph = _paragraph(plan, location)
    paragraph.body = body
    paragraph.full_clean(exclude=["plan", "location"], validate_constraints=False)
    paragraph.save()
    if actions is None:
        return paragraph
    existing = {a.pk: a for a in paragraph.actions.all()}
    keep = []
    for order, data in enumerate(actions, start=1):
        action = existing.get(data.get("id")) if data.get("id") else None
        if data.get("id") and action is None:
            raise ValidationError({"actions": _("Actie %(id)s hoort niet bij deze verbeterparagraaf.") % {"id": data["id"]}})
        action = action or ImprovementAction(paragraph=paragraph)
        for name in ACTION_FIELDS:
            if name in data:
                setattr(action, name, data[name])
        action.order = order
        _clean_action(plan, action)
        action.save()
        keep.append(action.pk)
    paragraph.actions.exclude(pk__in=keep).delete()
    return paragraph


@transaction.atomic
def save_action(*, plan: QualityPlan, location: Location, by: User, action: ImprovementAction | None = None,
                **fields) -> ImprovementAction:
    require(by, "plans.edit_plan", plan)
    paragraph = _paragraph(plan, location)
    if action is None:
        last = paragraph.actions.aggregate(last=Max("order"))["last"] or 0
        action = ImprovementAction(paragraph=paragraph, order=last + 1)
    elif action.paragraph_id != paragraph.pk:
        raise PermissionDenied
    for name, value in fields.items():
        if name in ACTION_FIELDS:
            setattr(action, name, value)
    _clean_action(plan, action)
    action.save()
    return action


@transaction.atomic
def delete_action(*, plan: QualityPlan, action: ImprovementAction, by: User) -> None:
    require(by, "plans.edit_plan", plan)
    if action.paragraph.plan_id != plan.pk:
        raise PermissionDenied
    action.delete()


class NothingChanged(Exception):
    """The plan is the same as its last version, which therefore still stands."""

    def __init__(self, version: PlanVersion):
        super().__init__(version.number)
        self.version = version


@transaction.atomic
def freeze_version(*, plan: QualityPlan, by: User, note: str = "") -> PlanVersion:
    """Versie vastleggen: the canonical JSON of the plan as it is now, with its SHA-256."""
    require(by, "plans.freeze_version", plan)
    # Lock the plan: two people pressing the button at once must not get the same number.
    plan = _locked(plan)
    snapshot = build_snapshot(load_plan_for_snapshot(plan.pk))
    content = PlanVersion.canonical(snapshot)
    sha256 = PlanVersion.hash_of(content)
    last = plan.versions.order_by("-number").first()
    if last is not None and last.sha256 == sha256:
        raise NothingChanged(last)
    if len(note) > 500:
        raise ValidationError({"note": _("Houd de notitie kort: hoogstens 500 tekens.")})
    version = PlanVersion.objects.create(plan=plan, number=(last.number if last else 0) + 1, content=content,
                                         sha256=sha256, created_by=by, note=note)
    record(AuditEvent.Kind.VERSION_FROZEN, actor=by, plan=plan, version=version,
           data={"number": version.number, "note": note})
    # Make the PDF in the background right away, so a download later is instant.
    transaction.on_commit(lambda: request_version_pdf(version))
    return version


PDF_RETRY_AFTER = timedelta(minutes=10)


def request_version_pdf(version: PlanVersion) -> VersionPdf:
    """The PDF of a version: ready, or asked of the worker (once; again only if it seems lost)."""
    from .tasks import render_version_pdf

    now = timezone.now()
    with transaction.atomic():
        pdf, created = VersionPdf.objects.defer("content").get_or_create(version=version,
                                                                        defaults={"requested_at": now})
        lost = not pdf.is_ready and now - pdf.requested_at > PDF_RETRY_AFTER
        if lost:
            VersionPdf.objects.filter(pk=pdf.pk).update(requested_at=now)
    if created or lost:
        render_version_pdf.enqueue(version_id=version.pk)
        pdf.refresh_from_db(fields=["rendered_at"])  # an immediate backend has made it already
    return pdf


@transaction.atomic
def share_version_with_councils(*, version: PlanVersion, by: User) -> list[CouncilShare]:
    """Puts a version before every council of the organisation, to read and discuss."""
    require(by, "plans.share_version", version.plan)
    shares, new = [], []
    for council in version.plan.organisation.councils.all():
        share, created = CouncilShare.objects.get_or_create(version=version, council=council, defaults={"shared_by": by})
        shares.append(share)
        if created:
            new.append(council.name)
    if new:
        record(AuditEvent.Kind.VERSION_SHARED, actor=by, version=version,
               data={"number": version.number, "councils": new})
    return shares


# --- Checking frozen versions -----------------------------------------------------------------


@dataclass(frozen=True)
class TamperedVersion:
    version_id: int
    plan_id: int
    year: int
    number: int
    problem: str


def tampered_versions() -> list[TamperedVersion]:
    """Every version whose stored snapshot no longer has its SHA-256, or whose SHA-256 is not the one
    the audit trail recorded when it was frozen; an empty list when all hold.

    The database refuses changes to versions (migration 0002), so a hit means someone with direct
    access to the database got around that. The second check catches an edit that recomputed the
    hash too; `verify_audit` shows that the trail itself was not rewritten.
    """
    frozen_as = dict(AuditEvent.objects.filter(kind=AuditEvent.Kind.VERSION_FROZEN, version_id__isnull=False)
                     .values_list("version_id", "version_sha256"))
    found = []
    # A version can be 160 KiB: stream them, a few at a time, with only the columns needed.
    rows = (PlanVersion.objects.order_by("pk")
            .values_list("pk", "plan_id", "plan__year", "number", "sha256", "content").iterator(chunk_size=100))
    for pk, plan_id, year, number, sha256, content in rows:
        if PlanVersion.hash_of(content) != sha256:
            problem = "its content does not match its sha256"
        elif pk in frozen_as and frozen_as[pk] != sha256:
            problem = "its sha256 is not the one the audit trail recorded when it was frozen"
        else:
            continue
        found.append(TamperedVersion(version_id=pk, plan_id=plan_id, year=year, number=number, problem=problem))
    return found
