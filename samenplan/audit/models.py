import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User


class AuditImmutable(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("Audit events cannot be changed.")

    def delete(self):
        raise AuditImmutable("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened, appended to a hash chain (DESIGN: everything important is traceable).

    `sha256` covers the event's content together with `previous_sha256`, the hash of the event
    before it, so changing or removing any row breaks the chain from there on
    (`manage.py verify_audit`). Rows are never changed: the model, its queryset and database
    triggers (migration 0002) refuse.
    """

    class Kind(models.TextChoices):
        PLAN_CREATED = "plan_created", _("Plan aangemaakt")
        VERSION_FROZEN = "version_frozen", _("Versie vastgelegd")
        VERSION_SHARED = "version_shared", _("Versie gedeeld met de raden")
        COMMENT_ADDED = "comment_added", _("Reactie gegeven")
        COMMENT_ANSWERED = "comment_answered", _("Reactie beantwoord")
        TOP_POINTS_RECORDED = "top_points_recorded", _("Top 3 van de cliëntenraad vastgelegd")
        TOP_POINT_ANSWERED = "top_point_answered", _("Top 3-punt beantwoord")
        PEER_REVIEW_INVITED = "peer_review_invited", _("Collega-organisatie uitgenodigd")
        PEER_REVIEW_SUBMITTED = "peer_review_submitted", _("Feedback van collega-organisatie ingediend")
        CONSENT_REQUESTED = "consent_requested", _("Instemming gevraagd")
        CONSENT_DEADLINE_CHANGED = "consent_deadline_changed", _("Reactiedatum veranderd")
        CONSENT_DECIDED = "consent_decided", _("Besluit van een raad vastgelegd")
        CONDITION_UPDATED = "condition_updated", _("Voorwaarde bijgewerkt")
        LCVV_RECORDED = "lcvv_recorded", _("Verzoek aan de Landelijke Commissie van Vertrouwenslieden")
        PLAN_TRANSITIONED = "plan_transitioned", _("Fase van het plan veranderd")
        PLAN_ADOPTED = "plan_adopted", _("Plan vastgesteld")
        # Issue 12: the care office, publishing and the learning network's library.
        CARE_OFFICE_YEAR_SET = "care_office_year_set", _("Afspraken van het zorgkantoor voor een planjaar")
        PLAN_SUBMITTED = "plan_submitted", _("Plan ingediend bij het zorgkantoor")
        SUBMISSION_WITHDRAWN = "submission_withdrawn", _("Indiening ingetrokken")
        SUBMISSION_RECEIVED = "submission_received", _("Ontvangst bevestigd door het zorgkantoor")
        CORRECTION_REQUESTED = "correction_requested", _("Correctie gevraagd door het zorgkantoor")
        DIALOGUE_PROPOSED = "dialogue_proposed", _("Data voor een dialoogsessie voorgesteld")
        DIALOGUE_PLANNED = "dialogue_planned", _("Dialoogsessie gepland")
        DIALOGUE_CHANGED = "dialogue_changed", _("Dialoogsessie bijgewerkt")
        DIALOGUE_HELD = "dialogue_held", _("Dialoogsessie gehouden")
        DIALOGUE_CANCELLED = "dialogue_cancelled", _("Dialoogsessie afgezegd")
        AGREEMENT_RECORDED = "agreement_recorded", _("Afspraak met het zorgkantoor vastgelegd")
        AGREEMENT_UPDATED = "agreement_updated", _("Afspraak met het zorgkantoor bijgewerkt")
        PLAN_PUBLISHED = "plan_published", _("Plan openbaar gemaakt")
        PLAN_UNPUBLISHED = "plan_unpublished", _("Plan niet meer openbaar")
        PLAN_SHARED_IN_LIBRARY = "plan_shared_in_library", _("Plan gedeeld in de bibliotheek van het lerend netwerk")
        LIBRARY_SHARE_WITHDRAWN = "library_share_withdrawn", _("Plan uit de bibliotheek gehaald")
        SECTION_COPIED = "section_copied", _("Tekst overgenomen van een andere organisatie")
        # Issue 13: signals of residents, relatives and staff (never their text).
        SIGNAL_RECORDED_ON_BEHALF = "signal_recorded_on_behalf", _("Signaal ingevoerd namens iemand")
        SIGNAL_REDACTED = "signal_redacted", _("Tekst van een signaal weggehaald")
        SIGNALS_MERGED = "signals_merged", _("Dubbele signalen samengevoegd")
        SIGNAL_LINKED = "signal_linked", _("Signaal gekoppeld aan de top 3 of een actie")
        # Issue 13: following the plan through the year and the quality report.
        PROGRESS_RECORDED = "progress_recorded", _("Voortgang van een actie vastgelegd")
        REPORT_COMMENTED = "report_commented", _("Reactie van een raad op een rapportage")
        REPORT_DRAFTED = "report_drafted", _("Kwaliteitsverslag opgesteld")
        REPORT_ADOPTED = "report_adopted", _("Kwaliteitsverslag vastgesteld")
        REPORT_PUBLISHED = "report_published", _("Kwaliteitsverslag openbaar gemaakt")
        REPORT_UNPUBLISHED = "report_unpublished", _("Kwaliteitsverslag niet meer openbaar")
        YOU_SAID_PUBLISHED = "you_said_published", _("„U zei, wij deden” openbaar gemaakt")
        YOU_SAID_UNPUBLISHED = "you_said_unpublished", _("„U zei, wij deden” niet meer openbaar")

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    kind = models.CharField(max_length=40, choices=Kind.choices, editable=False)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+", editable=False)
    # The name as it was, so the history reads the same after a person's name changes.
    actor_name = models.CharField(max_length=300, blank=True, editable=False)
    organisation_id = models.PositiveBigIntegerField(null=True, db_index=True, editable=False)
    plan_id = models.PositiveBigIntegerField(null=True, db_index=True, editable=False)
    version_id = models.PositiveBigIntegerField(null=True, editable=False)
    version_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # What changed: names, numbers, before/after where it matters. Never the plan text itself.
    data = models.JSONField(default=dict, editable=False)
    previous_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    sha256 = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("gebeurtenis in het logboek")
        verbose_name_plural = _("logboek")

    def __str__(self):
        return f"#{self.sequence} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutable("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("Audit events cannot be deleted.")

    def content(self) -> str:
        """The canonical JSON that `sha256` covers."""
        return json.dumps({
            "sequence": self.sequence, "created_at": self.created_at.isoformat(), "kind": self.kind,
            "actor_id": self.actor_id, "actor_name": self.actor_name, "organisation_id": self.organisation_id,
            "plan_id": self.plan_id, "version_id": self.version_id, "version_sha256": self.version_sha256,
            "data": self.data, "previous_sha256": self.previous_sha256,
        }, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def compute_sha256(self) -> str:
        return hashlib.sha256(self.content().encode("utf-8")).hexdigest()
