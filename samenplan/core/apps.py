from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samenplan.core"
    label = "core"
