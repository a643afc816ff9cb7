from datetime import date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User
from samenplan.organisations.models import Council, Location, Organisation
from samenplan.plans.models import ImprovementAction, PlanVersion, QualityPlan


class Comment(models.Model):
    """A remark on a section of a frozen version, by a council member, a member of staff or a peer
    reviewer. The plan author answers every comment with an outcome."""

    class Outcome(models.TextChoices):
        PROCESSED = "processed", _("Verwerkt")
        PARTLY_PROCESSED = "partly_processed", _("Deels verwerkt")
        NOT_PROCESSED = "not_processed", _("Niet verwerkt")

    # The section key of a comment on the plan as a whole. Framework keys name themes and parts
    # ("wonen-en-welzijn"); none is called this.
    WHOLE_PLAN = "hele-plan"

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="comments")
    # Denormalised from the version: every list of comments is per plan.
    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="comments")
    section_key = models.SlugField(_("onderdeel"), max_length=80)
    quote = models.TextField(_("citaat"), blank=True, max_length=2000,
                             help_text=_("Het stukje tekst waar uw reactie over gaat (mag leeg blijven)."))
    body = models.TextField(_("reactie"), max_length=5000)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="comments")
    # The council or peer organisation the author spoke for; empty for the organisation's own staff.
    council = models.ForeignKey(Council, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments")
    peer_organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="peer_comments")
    created_at = models.DateTimeField(auto_now_add=True)

    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("antwoord"), blank=True, max_length=5000)
    # For "verwerkt": the later version in which the change can be seen.
    change_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="processed_comments", verbose_name=_("verwerkt in versie"))
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "section_key", "created_at", "pk"]
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        indexes = [models.Index(fields=["plan", "outcome"])]

    def __str__(self):
        return self.body[:60]

    @property
    def is_open(self) -> bool:
        return not self.outcome


def commentable_sections(section_titles: dict[str, str]) -> dict[str, str]:
    """What a comment can be about, {key: title}: the plan as a whole first, then each section."""
    return {Comment.WHOLE_PLAN: str(_("Het hele plan")), **section_titles}


class TopPoint(models.Model):
    """One of the client council's three most important improvement points for a plan year
    (optionally for one location)."""

    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="top_points")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="top_points")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                 verbose_name=_("locatie"))
    rank = models.PositiveSmallIntegerField(_("plaats"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    title = models.CharField(_("verbeterpunt"), max_length=200)
    explanation = models.TextField(_("uitleg"), blank=True, max_length=2000)
    # How the plan takes the point up: actions, or a written answer (DOMAIN rule 21).
    actions = models.ManyToManyField(ImprovementAction, blank=True, related_name="top_points",
                                     verbose_name=_("acties"))
    answer = models.TextField(_("antwoord van de organisatie"), blank=True, max_length=3000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "council", "location__name", "rank"]
        verbose_name = _("top 3-punt")
        verbose_name_plural = _("top 3 van de cliëntenraad")

    def __str__(self):
        return self.title


# Peers get four weeks to read a plan and write their feedback unless the author chooses otherwise.
PEER_REVIEW_WEEKS = 4


def default_respond_by() -> date:
    return timezone.localdate() + timedelta(weeks=PEER_REVIEW_WEEKS)


class PeerReviewInvitation(models.Model):
    """The author asks an organisation of its learning network to review one frozen version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="peer_invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="peer_invitations")
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    # The date the author would like the feedback by; the peers are reminded 7 days and 1 day before.
    respond_by = models.DateField(_("feedback graag vóór"), default=default_respond_by)

    class Meta:
        ordering = ["version", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["version", "organisation"], name="invite_once_per_version")]


class PeerReview(models.Model):
    """One peer organisation's feedback on one version: per section and an overall summary."""

    invitation = models.OneToOneField(PeerReviewInvitation, on_delete=models.PROTECT, related_name="review")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="peer_reviews")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="peer_reviews_given")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="peer_reviews")
    # {section key: feedback text}; sections without feedback are left out.
    section_feedback = models.JSONField(default=dict, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True, max_length=10000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["version", "organisation__name"]
        constraints = [
            models.CheckConstraint(condition=Q(submitted_at__isnull=True) | ~Q(summary=""),
                                   name="submitted_review_has_summary"),
        ]

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


# --- The learning network's library ------------------------------------------------------------

NOTE_MAX_LENGTH = 3000


class LibraryEntry(models.Model):
    """An adopted version an organisation shares with the other members of one learning network,
    with a short note on how the plan was made (source text 004: the process teaches most)."""

    network = models.ForeignKey("organisations.LearningNetwork", on_delete=models.CASCADE,
                                related_name="library_entries")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="library_entries")
    # Denormalised from the version, so the library lists and filters without reading snapshots.
    plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="library_entries")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="library_entries")
    year = models.PositiveSmallIntegerField()
    # "|key|key|" of the sections with text, and {key: title}: the theme filter is a LIKE on the one
    # and the list of themes comes from the other, the same on every database.
    theme_keys = models.TextField(blank=True, default="")
    theme_titles = models.JSONField(default=dict, blank=True)
    who_took_part = models.TextField(_("wie deden er mee"), blank=True, max_length=NOTE_MAX_LENGTH)
    how_signals = models.TextField(_("hoe haalden we signalen op"), blank=True, max_length=NOTE_MAX_LENGTH)
    do_differently = models.TextField(_("wat zouden we anders doen"), blank=True, max_length=NOTE_MAX_LENGTH)
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-year", "organisation__name", "pk"]
        verbose_name = _("gedeeld plan")
        verbose_name_plural = _("bibliotheek van het lerend netwerk")
        constraints = [
            models.UniqueConstraint(fields=["network", "plan"], condition=Q(withdrawn_at__isnull=True),
                                    name="one_shared_version_per_plan_and_network"),
        ]

    def __str__(self):
        return f"{self.organisation.name} {self.year}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class LibraryComment(models.Model):
    """A peer's remark on a shared plan: plain text, with the author's name and organisation."""

    entry = models.ForeignKey(LibraryEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("reactie"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "created_at", "pk"]


class SectionCopy(models.Model):
    """A section's text taken from a shared plan into a draft: which entry, which section, from which
    organisation (kept as it was named then), by whom and when. Outlives a withdrawn entry."""

    entry = models.ForeignKey(LibraryEntry, on_delete=models.PROTECT, related_name="copies")
    section_key = models.SlugField(max_length=80)
    section_title = models.CharField(max_length=200)
    source_organisation = models.CharField(max_length=200)
    source_year = models.PositiveSmallIntegerField()
    target_plan = models.ForeignKey(QualityPlan, on_delete=models.CASCADE, related_name="section_copies")
    target_section_key = models.SlugField(max_length=80)
    copied_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    copied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_plan", "target_section_key", "copied_at", "pk"]
        indexes = [models.Index(fields=["target_plan", "target_section_key"])]
