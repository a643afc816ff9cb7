from django.db import models
from django.utils.translation import gettext_lazy as _

from samenplan.accounts.models import User


class Notification(models.Model):
    """A message in a person's inbox, e-mailed at once or in the daily digest (their choice).

    `event_key` names the event it is about; one person gets one message per event, however often
    the event is announced (a retried task, a reminder run twice).
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    event_key = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    # Written in the recipient's language when the event happens.
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        constraints = [models.UniqueConstraint(fields=["recipient", "event_key"], name="one_message_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["emailed_at", "recipient"])]

    def __str__(self):
        return self.subject


class SchedulerState(models.Model):
    """When the worker's recurring jobs (reminders, digests) last ran; one row per job."""

    job = models.CharField(max_length=50, unique=True)
    last_run_at = models.DateTimeField(null=True)
