import hashlib
import json
import re
import time

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User
from samenplan.core.validators import no_markup
from samenplan.frameworks.models import Framework, FrameworkSection
from samenplan.organisations.models import Council, Location, Organisation


class QualityPlan(models.Model):
    """One organisation's quality plan for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In voorbereiding")
        PEER_REVIEW = "peer_review", _("Bij collega-organisaties")
        CONSENT = "consent", _("Ter instemming bij de raden")
        ADOPTED = "adopted", _("Vastgesteld")
        SUBMITTED = "submitted", _("Ingediend bij het zorgkantoor")
        IN_PROGRESS = "in_progress", _("In uitvoering")
        EVALUATED = "evaluated", _("Geëvalueerd")

    EDITABLE = frozenset({Status.DRAFT, Status.PEER_REVIEW, Status.CONSENT})

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans",
                                     verbose_name=_("organisatie"))
    year = models.PositiveSmallIntegerField(_("jaar"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="plans",
                                  verbose_name=_("kwaliteitskader"))
    status = models.CharField(_("fase"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_plans",
                                 verbose_name=_("plan van vorig jaar"))
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("kwaliteitsplan")
        verbose_name_plural = _("kwaliteitsplannen")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_plan_per_organisation_and_year",
                                    violation_error_message=_("Er is al een kwaliteitsplan voor dit jaar.")),
        ]

    def __str__(self):
        return _("Kwaliteitsplan %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


SUMMARY_MAX_LENGTH = 800


class PlanSection(models.Model):
    """A part of the plan, copied from its framework when the plan starts (so later changes to the
    framework do not rewrite an existing plan). Text parts hold Markdown."""

    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="sections")
    framework_section = models.ForeignKey(FrameworkSection, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+")
    key = models.SlugField(max_length=80)
    kind = models.CharField(max_length=30, choices=FrameworkSection.Kind.choices)
    title = models.CharField(max_length=200)
    group = models.CharField(max_length=200, blank=True)
    guidance = models.TextField(blank=True)
    required = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    body = models.TextField(_("tekst"), blank=True, max_length=60000)
    # A few sentences in plain language (B1) for the councils, written by the author; asked for
    # before the councils are asked to consent (compliance rule R28).
    summary = models.TextField(_("samenvatting in gewone taal"), blank=True, max_length=SUMMARY_MAX_LENGTH)
    # Raised on every save; an edit made on an older revision is a conflict, not an overwrite.
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plan_section_key_unique")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:section", args=[self.plan_id, self.key])

    @property
    def is_text(self) -> bool:
        return self.kind in FrameworkSection.TEXT_KINDS


TARGET_GROUPS = [
    ("psychogeriatrie", _("Mensen met dementie (psychogeriatrie)")),
    ("somatiek", _("Mensen met een lichamelijke ziekte of beperking (somatiek)")),
    ("jonge-mensen-dementie", _("Jonge mensen met dementie")),
    ("nah", _("Mensen met niet-aangeboren hersenletsel")),
    ("korsakov", _("Mensen met het syndroom van Korsakov")),
    ("gerontopsychiatrie", _("Ouderen met psychiatrische problemen")),
    ("palliatief", _("Mensen in de laatste levensfase")),
    ("revalidatie", _("Mensen die revalideren of kort verblijven")),
]
CARE_TYPES = [
    ("verblijf-met-behandeling", _("Wonen met behandeling")),
    ("verblijf-zonder-behandeling", _("Wonen zonder behandeling")),
    ("vpt", _("Volledig pakket thuis (VPT)")),
    ("mpt", _("Modulair pakket thuis (MPT)")),
    ("dagbesteding", _("Dagbesteding")),
    ("grz", _("Geriatrische revalidatiezorg (GRZ)")),
    ("elv", _("Eerstelijnsverblijf (ELV)")),
    ("hospice", _("Hospicezorg")),
]
# Care-intensity profiles (zorgzwaartepakketten) of the Wlz for nursing-home care. The snapshot
# stores the bare codes (changing them would change every version's hash); people read the code
# with what it means, for a council member does not know what "VV5" is.
CARE_INTENSITY_PROFILES = ["VV4", "VV5", "VV6", "VV7", "VV8", "VV9b", "VV10"]
CARE_INTENSITY_LABELS = {
    "VV4": _("Beschut wonen met intensieve begeleiding en uitgebreide verzorging"),
    "VV5": _("Beschermd wonen met intensieve dementiezorg"),
    "VV6": _("Beschermd wonen met intensieve verzorging en verpleging"),
    "VV7": _("Beschermd wonen met zeer intensieve zorg, nadruk op begeleiding"),
    "VV8": _("Beschermd wonen met zeer intensieve zorg, nadruk op verzorging/verpleging"),
    "VV9b": _("Herstelgerichte behandeling met verpleging en verzorging"),
    "VV10": _("Beschermd verblijf met intensieve palliatief-terminale zorg"),
}


def care_intensity_label(code: str) -> str:
    """The code with its meaning, "VV5 – Beschermd wonen met intensieve dementiezorg"; an unknown
    code as it is."""
    meaning = CARE_INTENSITY_LABELS.get(code)
    if meaning is None:
        return str(code)
    return gettext("%(code)s – %(meaning)s") % {"code": code, "meaning": meaning}


class OrganisationProfile(models.Model):
    plan = models.OneToOneField(QualityPlan, on_delete=models.CASCADE, related_name="profile")
    target_groups = models.JSONField(_("doelgroepen"), default=list, blank=True)
    care_types = models.JSONField(_("soorten zorg"), default=list, blank=True)
    # Residents per care-intensity profile, e.g. {"VV5": 40, "VV7": 25}.
    care_intensity = models.JSONField(_("zorgzwaarte"), default=dict, blank=True)
    text = models.TextField(_("toelichting"), blank=True, max_length=20000)
    updated_at = models.DateTimeField(auto_now=True)


class StaffingProfile(models.Model):
    plan = models.OneToOneField(QualityPlan, on_delete=models.CASCADE, related_name="staffing")
    reference_date = models.DateField(_("peildatum"), null=True, blank=True,
                                      help_text=_("De datum waarop de cijfers gelden."))
    note = models.TextField(_("toelichting"), blank=True, max_length=10000)


def _fte(label):
    return models.DecimalField(label, max_digits=7, decimal_places=2, default=0,
                               validators=[MinValueValidator(0)])


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class StaffingRow(models.Model):
    """Staff of one location (or of the organisation as a whole when location is empty).

    Totals are computed from the rows, never typed (plans.selectors.staffing_totals).
    """

    LEVELS = (1, 2, 3, 4, 5)
    FTE_FIELDS = [f"level{n}_fte" for n in LEVELS] + ["other_care_fte", "treatment_fte"]
    COUNT_FIELDS = [f"level{n}_headcount" for n in LEVELS] + [
        "other_care_headcount", "treatment_headcount", "trainees", "volunteers"]

    staffing = models.ForeignKey(StaffingProfile, on_delete=models.CASCADE, related_name="rows")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    level1_fte = _fte(_("niveau 1 fte"))
    level1_headcount = _count(_("niveau 1 personen"))
    level2_fte = _fte(_("niveau 2 fte"))
    level2_headcount = _count(_("niveau 2 personen"))
    level3_fte = _fte(_("niveau 3 fte"))
    level3_headcount = _count(_("niveau 3 personen"))
    level4_fte = _fte(_("niveau 4 fte"))
    level4_headcount = _count(_("niveau 4 personen"))
    level5_fte = _fte(_("niveau 5 fte"))
    level5_headcount = _count(_("niveau 5 personen"))
    other_care_fte = _fte(_("overig zorgpersoneel fte"))
    other_care_headcount = _count(_("overig zorgpersoneel personen"))
    treatment_fte = _fte(_("behandelaars fte"))
    treatment_headcount = _count(_("behandelaars personen"))
    trainees = _count(_("leerlingen en stagiairs"))
    volunteers = _count(_("vrijwilligers"))
    inflow = models.PositiveIntegerField(_("instroom (personen)"), null=True, blank=True)
    outflow = models.PositiveIntegerField(_("uitstroom (personen)"), null=True, blank=True)
    sickness_rate = models.DecimalField(_("ziekteverzuim (%)"), max_digits=5, decimal_places=2, null=True,
                                        blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        ordering = ["staffing", "location__name"]
        constraints = [models.UniqueConstraint(fields=["staffing", "location"], name="one_staffing_row_per_location")]


class ImprovementParagraph(models.Model):
    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="improvement_paragraphs")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="improvement_paragraphs")
    body = models.TextField(_("toelichting"), blank=True, max_length=30000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "location__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "location"], name="one_paragraph_per_location")]


QUARTER = re.compile(r"^(20\d\d)-Q([1-4])\Z")
quarter_validator = RegexValidator(QUARTER, _("Schrijf het kwartaal als jaar-kwartaal, bijvoorbeeld 2027-Q2."))
# An action of a year's plan is due in that year or a later one; a plan looks this far ahead at most.
QUARTER_YEARS_AHEAD = 5


def quarter_outside_plan_years(quarter: str, plan_year: int) -> str:
    """Why `quarter` ("2027-Q2") does not fit the plan of `plan_year`; "" when it fits or is empty.
    The format itself is quarter_validator's business."""
    match = QUARTER.match(quarter or "")
    if match is None:
        return ""
    year = int(match[1])
    if year < plan_year:
        return gettext("Dit is het plan voor %(year)s. Kies een kwartaal in %(year)s of later, "
                       "bijvoorbeeld %(example)s.") % {"year": plan_year, "example": f"{plan_year}-Q2"}
    if year > plan_year + QUARTER_YEARS_AHEAD:
        return gettext("Zo ver vooruit plant dit plan niet. Kies een kwartaal tot en met %(last)s.") % {
            "last": f"{plan_year + QUARTER_YEARS_AHEAD}-Q4"}
    return ""


class ImprovementAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        IN_PROGRESS = "in_progress", _("Bezig")
        DONE = "done", _("Klaar")
        STOPPED = "stopped", _("Gestopt")

    class Source(models.TextChoices):
        REPORT_FINDING = "report_finding", _("Bevinding uit het kwaliteitsverslag")
        CLIENT_COUNCIL = "client_council", _("Inbreng van de cliëntenraad")
        SIGNAL = "signal", _("Signaal van bewoners, naasten of medewerkers")
        PEER_FEEDBACK = "peer_feedback", _("Feedback van een collega-organisatie")
        STAFF = "staff", _("Inbreng van medewerkers of VAR/PAR")
        OWN = "own", _("Eigen initiatief")

    UNFINISHED = frozenset({Status.PLANNED, Status.IN_PROGRESS})

    paragraph = models.ForeignKey(ImprovementParagraph, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("actie"), max_length=200, validators=[no_markup])
    goal = models.TextField(_("doel"), blank=True, max_length=2000)
    measurable_result = models.TextField(_("meetbaar resultaat"), blank=True, max_length=2000,
                                         help_text=_("Hoe ziet u dat het gelukt is?"))
    theme_key = models.SlugField(_("thema"), max_length=80, blank=True)
    owner = models.CharField(_("trekker"), max_length=200, blank=True, validators=[no_markup],
                             help_text=_("Wie zorgt dat het gebeurt, bijvoorbeeld de teamleider."))
    due_quarter = models.CharField(_("klaar in kwartaal"), max_length=7, blank=True, validators=[quarter_validator])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices, default=Source.OWN)
    source_note = models.CharField(_("toelichting op de bron"), max_length=500, blank=True)
    carried_over_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="carried_over_to", verbose_name=_("overgenomen van"))
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paragraph", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_carried_over(self) -> bool:
        return self.carried_over_from_id is not None


def short_hash(sha256: str) -> str:
    """The first 12 characters of a version's SHA-256: enough to tell versions apart when reading;
    the full value stays available wherever the short one is shown."""
    return sha256[:12]


class VersionImmutable(Exception):
    pass


class PlanVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise VersionImmutable("A frozen plan version cannot be changed.")

    def delete(self):
        raise VersionImmutable("A frozen plan version cannot be deleted.")


class PlanVersion(models.Model):
    """A frozen plan: the canonical JSON of everything in it and its SHA-256.

    Never changed or deleted: the model refuses, and database triggers refuse too (migration 0002).
    """

    plan = models.ForeignKey(QualityPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.TextField(editable=False)  # canonical JSON, the bytes the hash covers
    sha256 = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("notitie"), max_length=500, blank=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="version_number_unique_per_plan")]

    def __str__(self):
        return _("Versie %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("plans:version", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise VersionImmutable("A frozen plan version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise VersionImmutable("A frozen plan version cannot be deleted.")

    @staticmethod
    def canonical(snapshot: dict) -> str:
        return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @staticmethod
    def hash_of(content: str) -> str:
        return hashlib.sha256(content.encode("utf-8")).hexdigest()

    @property
    def snapshot(self) -> dict:
        cached = self.__dict__.get("_snapshot")
        if cached is None:
            cached = self.__dict__["_snapshot"] = json.loads(self.content)
        return cached

    @property
    def short_hash(self) -> str:
        return short_hash(self.sha256)

    def verify(self) -> bool:
        return self.hash_of(self.content) == self.sha256


class RenderedPdf(models.Model):
    """A PDF of a version that the task worker makes once: a version never changes, so neither does its PDF."""

    # Empty until the worker has made it; the row itself says "asked for", so one request
    # is enough however often someone presses download.
    content = models.BinaryField(null=True)
    requested_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True)
    render_seconds = models.FloatField(null=True)

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.rendered_at is not None

    @classmethod
    def make_once(cls, version, render) -> None:
        """Stores `render(version)` (WeasyPrint needs seconds for a large plan) unless it is made already."""
        if cls.objects.filter(version=version, rendered_at__isnull=False).exists():
            return
        started = time.perf_counter()
        content = render(version)
        cls.objects.update_or_create(version=version, defaults={
            "content": content, "rendered_at": timezone.now(), "render_seconds": time.perf_counter() - started,
            "requested_at": timezone.now()})


class VersionPdf(RenderedPdf):
    """The organisation's PDF of a version."""

    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="pdf")


class CouncilShare(models.Model):
    """A frozen version put before a council to read (consent requests build on this later)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="shares")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="shared_versions")
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "council"], name="share_once_per_council")]

    def __str__(self):
        # Shown where a version lists whom it was put before ("Gedeeld met: ...").
        return self.council.name

