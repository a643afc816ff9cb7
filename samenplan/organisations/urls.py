from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisatie-kiezen/", views.switch_organisation, name="switch"),
    path("organisaties/<int:organisation_id>/", views.organisation_detail, name="detail"),
    path("organisaties/<int:organisation_id>/wijzigen/", views.organisation_edit, name="edit"),
    path("organisaties/<int:organisation_id>/locaties/nieuw/", views.location_create, name="location_create"),
    path("organisaties/<int:organisation_id>/locaties/<int:location_id>/", views.location_detail, name="location"),
    path("organisaties/<int:organisation_id>/locaties/<int:location_id>/wijzigen/", views.location_edit,
         name="location_edit"),
    path("organisaties/<int:organisation_id>/raden/nieuw/", views.council_create, name="council_create"),
    path("organisaties/<int:organisation_id>/raden/<int:council_id>/", views.council_detail, name="council"),
    path("organisaties/<int:organisation_id>/raden/<int:council_id>/wijzigen/", views.council_edit,
         name="council_edit"),
    path("organisaties/<int:organisation_id>/raden/<int:council_id>/leden/<int:membership_id>/verwijderen/",
         views.council_member_remove, name="council_member_remove"),
    path("netwerken/<int:network_id>/", views.network_detail, name="network"),
    path("zorgkantoren/<int:care_office_id>/", views.care_office_detail, name="care_office"),
]
