from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("plannen/", views.plan_list, name="list"),
    path("plannen/<int:plan_id>/", views.plan_detail, name="detail"),
    path("plannen/<int:plan_id>/onderdelen/<slug:key>/", views.section_edit, name="section"),
    path("plannen/<int:plan_id>/onderdelen/<slug:key>/leesbaarheid/", views.section_readability,
         name="section_readability"),
    path("plannen/<int:plan_id>/profiel/", views.profile_edit, name="profile"),
    path("plannen/<int:plan_id>/personeel/", views.staffing_edit, name="staffing"),
    path("plannen/<int:plan_id>/verbeterparagrafen/<int:location_id>/", views.paragraph_edit, name="paragraph"),
    path("plannen/<int:plan_id>/acties/<int:action_id>/", views.action_edit, name="action"),
    path("plannen/<int:plan_id>/acties/<int:action_id>/verwijderen/", views.action_delete, name="action_delete"),
    path("plannen/<int:plan_id>/versies/", views.freeze, name="freeze"),
    path("versies/<int:version_id>/", views.version_detail, name="version"),
    path("versies/<int:version_id>/vergelijken/", views.version_diff, name="version_diff"),
    path("versies/<int:version_id>/wat-is-er-veranderd/", views.version_changes, name="version_changes"),
    path("versies/<int:version_id>/pdf/", views.version_pdf, name="version_pdf"),
    path("versies/<int:version_id>/docx/", views.version_docx, name="version_docx"),
    path("versies/<int:version_id>/delen/", views.version_share, name="version_share"),
]
