# Peer invitations get a response date in three steps: added empty (here), filled for the
# invitations there are (0003), then required (0004).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("participation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="peerreviewinvitation",
            name="respond_by",
            field=models.DateField(null=True, verbose_name="feedback graag vóór"),
        ),
    ]
