from django.urls import path

from . import dialogue_urls, views  # noqa: F401

app_name = "careoffice"
urlpatterns = [
] + dialogue_urls.urlpatterns
