from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "samenplan.signals"
    label = "signals"
    verbose_name = _("Signalen van bewoners, naasten en medewerkers")

    def ready(self):
        from samenplan.core import pagecache

        from . import timeline  # noqa: F401  (its sentences in the timeline)
        from .selectors import SIGNAL_LIST_TABLES, SIGNAL_ROW_OWNERS

        # Here and not in views.py: the public intake and the worker write signals too.
        pagecache.register("signal_list", SIGNAL_LIST_TABLES)
        for model_label, owners in SIGNAL_ROW_OWNERS.items():
            pagecache.register_scopes(model_label, **owners)
