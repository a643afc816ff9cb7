from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "samenplan.publishing"
    label = "publishing"
    verbose_name = _("Openbaar: publicaties en open data")

    def ready(self):
        from . import timeline  # noqa: F401  (its sentences in the plan's timeline)
