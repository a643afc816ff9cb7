from django.contrib import admin
from django.urls import include, path

from samenplan.core.views import favicon, healthz, readyz

from .api import api

admin.site.site_header = "Samenplan"
admin.site.site_title = "Samenplan"

# The routes with a prefix of their own come first: Django tries the patterns in order, and the
# pages' patterns (well over a hundred, without a prefix) would be tried for every API call and
# health check before these.
urlpatterns = [
    path("api/v1/", api.urls),
    path("beheer/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("samenplan.core.urls")),
    path("", include("samenplan.accounts.urls")),
    path("", include("samenplan.organisations.urls")),
    path("", include("samenplan.frameworks.urls")),
    path("", include("samenplan.plans.urls")),
    path("", include("samenplan.participation.urls")),
    path("", include("samenplan.consent.urls")),
    path("", include("samenplan.audit.urls")),
    path("", include("samenplan.notifications.urls")),
    path("", include("samenplan.careoffice.urls")),
    path("", include("samenplan.publishing.urls")),
    path("", include("samenplan.signals.urls")),
    path("", include("samenplan.monitoring.urls")),
]
