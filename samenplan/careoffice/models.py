from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User
from samenplan.consent.models import Adoption
from samenplan.core.validators import no_markup
from samenplan.organisations.models import CareOffice, Council, Organisation
from samenplan.plans.models import PlanVersion, QualityPlan


class CareOfficeYear(models.Model):
    """What one care office expects of the plans for one year: when, and in which form."""

    class PlanFormat(models.TextChoices):
        # 004: some care offices expect the framework's format, others accept a free form (rule 26).
        FRAMEWORK = "framework", _("Volgens het kwaliteitskader")
        FREE = "free", _("Vrije vorm")

    care_office = models.ForeignKey(CareOffice, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("planjaar"))
    deadline = models.DateField(_("indienen vóór"))
    plan_format = models.CharField(_("vorm van het plan"), max_length=20, choices=PlanFormat.choices,
                                   default=PlanFormat.FRAMEWORK)

    class Meta:
        ordering = ["care_office", "-year"]
        verbose_name = _("afspraken voor een planjaar")
        verbose_name_plural = _("afspraken per planjaar")
        constraints = [models.UniqueConstraint(fields=["care_office", "year"], name="one_setting_per_care_office_year",
                                               violation_error_message=_("Voor dit jaar is al iets ingesteld."))]

    def __str__(self):
        return f"{self.care_office} {self.year}"


class Submission(models.Model):
    """Indiening: one adopted version sent to the care office of the organisation's region.

    `sha256` and `evidence` are copied at the moment of submitting, so what the care office
    received stays readable however the plan goes on (rule 17: the hash equals the adopted one)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend")
        RECEIVED = "received", _("Ontvangst bevestigd")
        CORRECTION_REQUESTED = "correction_requested", _("Correctie gevraagd")
        WITHDRAWN = "withdrawn", _("Ingetrokken")
        REPLACED = "replaced", _("Vervangen door een nieuwere versie")

    CURRENT = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.CORRECTION_REQUESTED})

    plan = models.ForeignKey(QualityPlan, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="submissions")
    adoption = models.ForeignKey(Adoption, on_delete=models.PROTECT, related_name="submissions")
    care_office = models.ForeignKey(CareOffice, on_delete=models.PROTECT, related_name="submissions")
    sha256 = models.CharField(max_length=64)
    # {"consent": [...], "peer_reviews": [...], "findings": [...]} as they stood when submitted.
    evidence = models.JSONField(default=dict)
    # The checker's warnings at submission, counted once: the region overview filters on it
    # without reading every submission's evidence.
    warning_count = models.PositiveIntegerField(default=0)
    status = models.CharField(_("stand van zaken"), max_length=30, choices=Status.choices, default=Status.SUBMITTED)
    note = models.TextField(_("toelichting bij de indiening"), blank=True, max_length=3000)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by")
    # The care office's answer: receipt acknowledged, or a correction asked for with a reason.
    responded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    response_reason = models.TextField(_("reden"), blank=True, max_length=3000)
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(_("reden van intrekken"), blank=True, max_length=3000)

    class Meta:
        ordering = ["plan", "-submitted_at"]
        verbose_name = _("indiening")
        verbose_name_plural = _("indieningen")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status__in=["submitted", "received", "correction_requested"]),
                name="one_current_submission_per_plan",
                violation_error_message=_("Dit plan is al ingediend. Trek die indiening eerst in."),
            )
        ]

    def __str__(self):
        return _("Indiening van %(plan)s, versie %(number)s") % {"plan": self.plan, "number": self.version.number}

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT


class DialogueSession(models.Model):
    """Dialoogsessie: the care office talks about the plan with the board AND the client council
    AND the VAR/PAR (or the works council standing in) (KK, rule 19)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Data voorgesteld")
        PLANNED = "planned", _("Gepland")
        HELD = "held", _("Gehouden")
        CANCELLED = "cancelled", _("Afgezegd")

    # A plan has one session in preparation at a time.
    PREPARING = frozenset({Status.PROPOSED, Status.PLANNED})
    # The care office talks about a submitted plan, and goes on doing so while it is carried out.
    PLAN_STATES = frozenset({QualityPlan.Status.SUBMITTED, QualityPlan.Status.IN_PROGRESS})

    care_office = models.ForeignKey(CareOffice, on_delete=models.PROTECT, related_name="dialogue_sessions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dialogue_sessions")
    plan = models.ForeignKey(QualityPlan, on_delete=models.PROTECT, related_name="dialogue_sessions")
    submission = models.ForeignKey(Submission, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="dialogue_sessions")
    status = models.CharField(_("stand van zaken"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    place = models.CharField(_("waar"), max_length=300, blank=True, validators=[no_markup],
                             help_text=_("Een adres, of de link van een videogesprek."))
    starts_at = models.DateTimeField(_("datum en tijd"), null=True, blank=True)  # the date picked
    held_on = models.DateField(_("gehouden op"), null=True, blank=True)
    minutes = models.TextField(_("verslag"), blank=True, max_length=30000)  # Markdown, sanitised when shown
    # Rule 19: held without one of the three parties needs a written reason.
    missing_party_reason = models.TextField(_("reden dat niet iedereen er was"), blank=True, max_length=3000)
    # The organisation's answer when none of the proposed dates fits; cleared when new ones come.
    dates_note = models.TextField(_("bericht over de data"), blank=True, max_length=3000)
    cancel_reason = models.TextField(_("reden van afzeggen"), blank=True, max_length=3000)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dialoogsessie")
        verbose_name_plural = _("dialoogsessies")

    def __str__(self):
        return _("Dialoogsessie over %(plan)s") % {"plan": self.plan}


class ProposedDate(models.Model):
    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="proposed_dates")
    starts_at = models.DateTimeField(_("datum en tijd"))

    class Meta:
        ordering = ["session", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["session", "starts_at"], name="date_proposed_once")]


class DialogueParticipant(models.Model):
    """A party invited to the session: the board, or one council. Attendance is filled in when held."""

    class Party(models.TextChoices):
        BOARD = "board", _("Raad van Bestuur")
        CLIENT_COUNCIL = "client_council", _("Cliëntenraad")
        NURSING_COUNCIL = "nursing_council", _("VAR/PAR")
        WORKS_COUNCIL = "works_council", _("Ondernemingsraad (voor de VAR/PAR)")
        OTHER = "other", _("Anders")

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="participants")
    party = models.CharField(_("wie"), max_length=20, choices=Party.choices)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("toelichting"), max_length=200, blank=True, validators=[no_markup])
    invited_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("was erbij"), null=True)

    class Meta:
        ordering = ["session", "party", "pk"]


class AgendaItem(models.Model):
    """A point for the session: a section or finding picked by the care office, or a council's point."""

    class Kind(models.TextChoices):
        SECTION = "section", _("Onderdeel van het plan")
        FINDING = "finding", _("Punt uit de controle")
        COUNCIL_POINT = "council_point", _("Punt van een raad")
        OTHER = "other", _("Ander punt")

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="agenda_items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    section_key = models.SlugField(max_length=80, blank=True)
    rule = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("punt"), max_length=300, validators=[no_markup])
    text = models.TextField(_("toelichting"), blank=True, max_length=3000)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "order", "pk"]


class Agreement(models.Model):
    """Afspraak from a dialogue session: tracked by the organisation, seen by its councils, and
    shown again in next year's dialogue and plan."""

    class Status(models.TextChoices):
        OPEN = "open", _("Nog niet begonnen")
        IN_PROGRESS = "in_progress", _("Bezig")
        DONE = "done", _("Nagekomen")
        DROPPED = "dropped", _("Vervallen")

    OPEN_STATUSES = frozenset({Status.OPEN, Status.IN_PROGRESS})

    session = models.ForeignKey(DialogueSession, on_delete=models.PROTECT, related_name="agreements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements")
    plan = models.ForeignKey(QualityPlan, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(_("afspraak"), max_length=300, validators=[no_markup])
    description = models.TextField(_("toelichting"), blank=True, max_length=3000)
    owner = models.CharField(_("wie zorgt ervoor"), max_length=200, validators=[no_markup],
                             help_text=_("Een rol of team, bijvoorbeeld de bestuurder of de teamleider."))
    due_date = models.DateField(_("klaar op"))
    status = models.CharField(_("stand van zaken"), max_length=20, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(_("toelichting bij de stand van zaken"), blank=True, max_length=3000)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Who last changed it: shown to the organisation's own people only (care offices see no names).
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
