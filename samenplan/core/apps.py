from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samenplan.core"
    label = "core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import pagecache
        from .selectors import DASHBOARD_TABLES, ROW_OWNERS

        # Here and not in views.py: the worker writes too, and it never imports the views.
        pagecache.register("dashboard", DASHBOARD_TABLES)
        for model_label, owners in ROW_OWNERS.items():
            pagecache.register_scopes(model_label, **owners)
        connection_created.connect(pagecache.install, dispatch_uid="samenplan.pagecache")
        pagecache.install_on_open_connections()
