from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "samenplan.monitoring"
    label = "monitoring"
    verbose_name = _("Voortgang en kwaliteitsverslag")

    def ready(self):
        from . import timeline  # noqa: F401  (its sentences in the timeline)
