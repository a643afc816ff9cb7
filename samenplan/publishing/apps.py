from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "samenplan.publishing"
    label = "publishing"
    verbose_name = _("Openbaar: publicaties en open data")

    def ready(self):
        from samenplan.core import pagecache

        from . import timeline  # noqa: F401  (its sentences in the plan's timeline)
        from .selectors import PUBLIC_PLAN_LIST_TABLES

        # Here and not in views.py: publishing and unpublishing happen in the worker's and the API's processes too.
        pagecache.register("public_plans", PUBLIC_PLAN_LIST_TABLES, scoped=False)
