from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareOfficeConfig(AppConfig):
    name = "samenplan.careoffice"
    label = "careoffice"
    verbose_name = _("Zorgkantoor: indiening en dialoog")

    def ready(self):
        # Their sentences in the plan's timeline.
        from . import dialogue_timeline, timeline  # noqa: F401
