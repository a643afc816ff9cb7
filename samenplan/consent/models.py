from django.db import models
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User
from samenplan.organisations.models import Council
from samenplan.plans.models import ImprovementAction, PlanVersion, QualityPlan


class ConsentRequest(models.Model):
    """Verzoek om instemming: one council asked to consent to one frozen version."""

    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="consent_requests")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="consent_requests")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="consent_requests")
    # KK footnote: a works council standing in for a missing VAR/PAR judges the professional content.
    stands_in_for_nursing_council = models.BooleanField(default=False)
    respond_by = models.DateField(_("reageren vóór"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-requested_at", "council__name"]
        verbose_name = _("verzoek om instemming")
        verbose_name_plural = _("verzoeken om instemming")
        constraints = [models.UniqueConstraint(fields=["version", "council"], name="one_request_per_council_and_version")]

    def __str__(self):
        return f"{self.council} – {self.version}"


class ConsentDecision(models.Model):
    """Instemmingsbesluit, taken by the council in a meeting and recorded by its secretary.

    Bound to the SHA-256 of the version it was given on: on any other content it is stale.
    One per request (the one-to-one key), so of two decisions recorded at once exactly one stays.
    """

    class Decision(models.TextChoices):
        GRANTED = "granted", _("Instemming")
        GRANTED_WITH_CONDITIONS = "granted_with_conditions", _("Instemming met voorwaarden")
        REFUSED = "refused", _("Geen instemming")

    CONSENTING = frozenset({Decision.GRANTED, Decision.GRANTED_WITH_CONDITIONS})

    request = models.OneToOneField(ConsentRequest, on_delete=models.PROTECT, related_name="decision")
    decision = models.CharField(_("besluit"), max_length=30, choices=Decision.choices)
    version_sha256 = models.CharField(max_length=64)
    meeting_date = models.DateField(_("datum van de vergadering"))
    present = models.ManyToManyField(User, blank=True, related_name="+", verbose_name=_("aanwezige leden"))
    present_note = models.CharField(_("ook aanwezig"), max_length=500, blank=True,
                                    help_text=_("Bijvoorbeeld leden zonder account of een ondersteuner."))
    reasons = models.TextField(_("toelichting of redenen"), blank=True, max_length=10000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instemmingsbesluit")
        verbose_name_plural = _("instemmingsbesluiten")

    def __str__(self):
        return self.get_decision_display()

    @property
    def consents(self) -> bool:
        return self.decision in self.CONSENTING


class ConsentCondition(models.Model):
    """A condition of a "granted with conditions" decision, tracked until it is met."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Nagekomen")

    decision = models.ForeignKey(ConsentDecision, on_delete=models.PROTECT, related_name="conditions")
    text = models.TextField(_("voorwaarde"), max_length=2000)
    owner = models.CharField(_("eigenaar"), max_length=200,
                             help_text=_("Wie zorgt dat aan de voorwaarde wordt voldaan."))
    status = models.CharField(_("stand van zaken"), max_length=10, choices=Status.choices, default=Status.OPEN)
    action = models.ForeignKey(ImprovementAction, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="consent_conditions", verbose_name=_("verbeteractie"))
    answer = models.TextField(_("antwoord"), blank=True, max_length=3000)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["decision", "order", "pk"]
        verbose_name = _("voorwaarde")
        verbose_name_plural = _("voorwaarden")

    def __str__(self):
        return self.text[:60]


class LcvvRequest(models.Model):
    """After a refusal the organisation may ask the Landelijke Commissie van Vertrouwenslieden for
    substitute consent (Wmcz); its ruling is recorded here."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Nog geen uitspraak")
        SUBSTITUTE_CONSENT = "substitute_consent", _("Vervangende toestemming gegeven")
        REJECTED = "rejected", _("Vervangende toestemming geweigerd")

    decision = models.OneToOneField(ConsentDecision, on_delete=models.PROTECT, related_name="lcvv_request")
    submitted_on = models.DateField(_("verzoek ingediend op"))
    outcome = models.CharField(_("uitspraak"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(_("datum van de uitspraak"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("verzoek aan de LCvV")
        verbose_name_plural = _("verzoeken aan de LCvV")


class Adoption(models.Model):
    """Vaststelling: the board fixes one version. A later revision is adopted anew."""

    plan = models.ForeignKey(QualityPlan, on_delete=models.PROTECT, related_name="adoptions")
    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="adoption")
    adopted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-adopted_at"]
        verbose_name = _("vaststelling")
        verbose_name_plural = _("vaststellingen")
