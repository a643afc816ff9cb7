from django.db import migrations, models

import samenplan.participation.models


class Migration(migrations.Migration):

    dependencies = [
        ("participation", "0003_fill_respond_by"),
    ]

    operations = [
        migrations.AlterField(
            model_name="peerreviewinvitation",
            name="respond_by",
            field=models.DateField(default=samenplan.participation.models.default_respond_by,
                                   verbose_name="feedback graag vóór"),
        ),
    ]
