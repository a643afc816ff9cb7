"""Following the plan through the year and closing it: progress per action per quarter, the
quarterly report's comments, the quality report (kwaliteitsverslag) with its findings, and the
public "u zei, wij deden" page of a location."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenplan.organisations.models import Council, Location
from samenplan.plans.models import ImprovementAction, QualityPlan, quarter_validator

User = settings.AUTH_USER_MODEL


class ActionProgress(models.Model):
    """The owner's update of one action for one quarter ("2027-Q2"); one per action and quarter,
    corrected in place (the audit trail keeps each change)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Nog niet begonnen")
        ON_TRACK = "on_track", _("Op schema")
        DELAYED = "delayed", _("Vertraagd")
        DONE = "done", _("Klaar")
        STOPPED = "stopped", _("Gestopt")

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="progress")
    quarter = models.CharField(_("kwartaal"), max_length=7, validators=[quarter_validator])
    status = models.CharField(_("stand van zaken"), max_length=20, choices=Status.choices)
    explanation = models.TextField(_("toelichting"), max_length=1000)
    figure = models.CharField(_("cijfer"), max_length=100, blank=True,
                              help_text=_("Als het kan: een getal dat laat zien hoe ver u bent, bijvoorbeeld 8 van "
                                          "de 12 teams."))
    story = models.TextField(_("verhaal van de werkvloer"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["action", "quarter"]
        constraints = [models.UniqueConstraint(fields=["action", "quarter"], name="one_progress_per_action_quarter")]

    def __str__(self):
        return f"{self.action} {self.quarter}"


class ProgressReminder(models.Model):
    """That the reminder for a missed quarterly update went out: one per action and quarter, however
    often the worker runs (rule 23)."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=7)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "quarter"], name="one_reminder_per_action_quarter")]


class ReportComment(models.Model):
    """A council's comment on a quarterly report (kind quarterly, with its quarter) or on the draft
    quality report (kind quality)."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Kwartaalrapportage")
        QUALITY = "quality", _("Kwaliteitsverslag")

    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="report_comments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    quarter = models.CharField(max_length=7, blank=True, validators=[quarter_validator])
    # Empty: about the whole organisation.
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("reactie"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "kind", "quarter"])]


class QualityReport(models.Model):
    """The year's kwaliteitsverslag of a plan: drafted from the plan at year end, read and commented
    on by the councils, then adopted by the board. Adopting freezes its content and hash."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        ADOPTED = "adopted", _("Vastgesteld")

    plan = models.OneToOneField(QualityPlan, on_delete=models.CASCADE, related_name="quality_report")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField(_("inleiding"), blank=True, max_length=10000)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    adopted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    adopted_at = models.DateTimeField(null=True, blank=True)
    # The adopted report as it was, and its SHA-256, like a plan version.
    content = models.JSONField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(_("Kwaliteitsverslag %(year)s") % {"year": self.plan.year})


class ActionEvaluation(models.Model):
    """The owner's evaluation of one action in the report, with its final status."""

    report = models.ForeignKey(QualityReport, on_delete=models.CASCADE, related_name="action_evaluations")
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="+")
    final_status = models.CharField(_("eindstand"), max_length=20, choices=ActionProgress.Status.choices)
    evaluation = models.TextField(_("evaluatie"), blank=True, max_length=3000)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report", "action__paragraph__location__name", "action__order", "action_id"]
        constraints = [models.UniqueConstraint(fields=["report", "action"], name="one_evaluation_per_action")]


class ThemeEvaluation(models.Model):
    """A free evaluation per theme of the plan's framework (Markdown, sanitised when shown)."""

    report = models.ForeignKey(QualityReport, on_delete=models.CASCADE, related_name="theme_evaluations")
    theme_key = models.SlugField(max_length=80)
    body = models.TextField(_("evaluatie"), blank=True, max_length=20000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "theme_key"], name="one_evaluation_per_theme")]


class ReportFinding(models.Model):
    """A finding (bevinding) of the report: what was learned, per location or for the whole
    organisation. Next year's improvement paragraphs start from these (rule 11)."""

    report = models.ForeignKey(QualityReport, on_delete=models.CASCADE, related_name="findings")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    theme_key = models.SlugField(_("thema"), max_length=80, blank=True)
    text = models.TextField(_("bevinding"), max_length=2000)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "location__name", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class FindingAction(models.Model):
    """That an action of next year's plan was started from a finding: the trace of rule 11."""

    finding = models.ForeignKey(ReportFinding, on_delete=models.CASCADE, related_name="action_links")
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="finding_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["finding", "action"], name="one_link_per_finding_action")]


class YouSaidWeDid(models.Model):
    """A location's public "u zei, wij deden" page for a plan year, when the organisation publishes it.
    Only staff's own summaries appear there, never a resident's words."""

    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="you_said_pages")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "location"], name="one_you_said_page_per_location")]


class YouSaidItem(models.Model):
    """One line of the chain: what people said about a theme (staff's sentence), and what was done."""

    page = models.ForeignKey(YouSaidWeDid, on_delete=models.CASCADE, related_name="items")
    theme_key = models.SlugField(max_length=80, blank=True)
    top_point = models.ForeignKey("participation.TopPoint", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    you_said = models.TextField(_("u zei"), max_length=500)
    we_did = models.TextField(_("wij deden"), max_length=1000, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["page", "order", "pk"]
