from django.urls import path

from . import dialogue_urls, views

app_name = "careoffice"
urlpatterns = [
    # The care office's side.
    path("zorgkantoren/<int:care_office_id>/overzicht/", views.portal, name="portal"),
    path("zorgkantoren/<int:care_office_id>/overzicht/export/", views.portal_export, name="portal_export"),
    path("zorgkantoren/<int:care_office_id>/personeel/", views.staffing, name="staffing"),
    path("zorgkantoren/<int:care_office_id>/instellingen/", views.settings_page, name="settings"),
    path("zorgkantoor/plannen/<int:plan_id>/", views.received_plan, name="plan"),
    path("zorgkantoor/plannen/<int:plan_id>/vergelijken/", views.compare, name="compare"),
    path("indieningen/<int:submission_id>/antwoorden/", views.respond, name="respond"),
    # The organisation's side.
    path("plannen/<int:plan_id>/indienen/", views.submit, name="submit"),
    path("plannen/<int:plan_id>/indieningen/", views.submissions, name="submissions"),
    path("indieningen/<int:submission_id>/intrekken/", views.withdraw, name="withdraw"),
] + dialogue_urls.urlpatterns
