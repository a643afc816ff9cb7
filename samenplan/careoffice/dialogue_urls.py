from django.urls import path

from . import dialogue_views as views

# Included by careoffice/urls.py, so these names are in the `careoffice` namespace too.
urlpatterns = [
    path("zorgkantoor/plannen/<int:plan_id>/dialoogsessie/nieuw/", views.dialogue_new, name="dialogue_new"),
    path("zorgkantoren/<int:care_office_id>/dialoogsessies/", views.dialogue_sessions, name="dialogue_sessions"),
    path("dialoogsessies/<int:session_id>/", views.dialogue, name="dialogue"),
    path("dialoogsessies/<int:session_id>/datum/", views.dialogue_pick_date, name="dialogue_pick_date"),
    path("dialoogsessies/<int:session_id>/uitnodigen/", views.dialogue_invite, name="dialogue_invite"),
    path("dialoogsessies/<int:session_id>/nieuwe-data/", views.dialogue_dates, name="dialogue_dates"),
    path("dialoogsessies/<int:session_id>/agenda/", views.dialogue_agenda_add, name="dialogue_agenda_add"),
    path("dialoogsessies/<int:session_id>/gehouden/", views.dialogue_held, name="dialogue_held"),
    path("dialoogsessies/<int:session_id>/verslag/", views.dialogue_minutes, name="dialogue_minutes"),
    path("dialoogsessies/<int:session_id>/afzeggen/", views.dialogue_cancel, name="dialogue_cancel"),
    path("dialoogsessies/<int:session_id>/afspraken/nieuw/", views.agreement_new, name="agreement_new"),
    path("afspraken/<int:agreement_id>/", views.agreement_edit, name="agreement_edit"),
    path("plannen/<int:plan_id>/afspraken/", views.agreements, name="agreements"),
]
