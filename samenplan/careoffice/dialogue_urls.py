from django.urls import path  # noqa: F401

# Included by careoffice/urls.py, so these names are in the `careoffice` namespace too.
urlpatterns = [
]
