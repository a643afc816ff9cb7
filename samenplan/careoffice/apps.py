from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareOfficeConfig(AppConfig):
    name = "samenplan.careoffice"
    label = "careoffice"
    verbose_name = _("Zorgkantoor: indiening en dialoog")

    def ready(self):
        # Their sentences in the plan's timeline.
        from samenplan.core import pagecache

        from . import dialogue_timeline, timeline  # noqa: F401
        from .selectors import PORTAL_ROW_OWNERS, PORTAL_TABLES

        # Here and not in views.py: the API, the organisations' side and the worker write too.
        pagecache.register("portal", PORTAL_TABLES)
        for model_label, owners in PORTAL_ROW_OWNERS.items():
            pagecache.register_scopes(model_label, **owners)
