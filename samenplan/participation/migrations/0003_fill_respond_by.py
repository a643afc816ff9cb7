from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def fill_respond_by(apps, schema_editor):
    """Four weeks after the invitation, the time a new invitation gets unless the author chooses."""
    PeerReviewInvitation = apps.get_model("participation", "PeerReviewInvitation")
    for invitation in PeerReviewInvitation.objects.filter(respond_by__isnull=True).only("invited_at"):
        invitation.respond_by = timezone.localdate(invitation.invited_at) + timedelta(weeks=4)
        invitation.save(update_fields=["respond_by"])


class Migration(migrations.Migration):

    dependencies = [
        ("participation", "0002_peerreviewinvitation_respond_by"),
    ]

    operations = [
        migrations.RunPython(fill_respond_by, migrations.RunPython.noop),
    ]
