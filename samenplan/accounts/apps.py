from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samenplan.accounts"
    label = "accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self):
        from samenplan.core import pagecache

        from .backends import USER_TABLES

        pagecache.register("users", USER_TABLES)
