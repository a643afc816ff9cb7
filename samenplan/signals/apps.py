from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "samenplan.signals"
    label = "signals"
    verbose_name = _("Signalen van bewoners, naasten en medewerkers")

    def ready(self):
        from . import timeline  # noqa: F401  (its sentences in the timeline)
