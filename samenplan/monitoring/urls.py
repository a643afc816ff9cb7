from django.urls import path

from . import progress_views, public_views, report_views

app_name = "monitoring"
urlpatterns = [
    # Progress through the year (progress_views).
    path("plannen/<int:plan_id>/voortgang/", progress_views.plan_progress, name="plan_progress"),
    path("plannen/<int:plan_id>/voortgang/locaties/<int:location_id>/", progress_views.location_progress,
         name="location_progress"),
    path("acties/<int:action_id>/voortgang/", progress_views.record_progress, name="record_progress"),
    path("plannen/<int:plan_id>/kwartaalrapportage/", progress_views.quarterly_report, name="quarterly_report"),
    path("plannen/<int:plan_id>/kwartaalrapportage/pdf/", progress_views.quarterly_report_pdf,
         name="quarterly_report_pdf"),
    path("plannen/<int:plan_id>/kwartaalrapportage/reageren/", progress_views.quarterly_comment,
         name="quarterly_comment"),
    # The quality report (report_views).
    path("plannen/<int:plan_id>/kwaliteitsverslag/", report_views.report, name="report"),
    path("plannen/<int:plan_id>/kwaliteitsverslag/opstellen/", report_views.start_report, name="start_report"),
    path("plannen/<int:plan_id>/kwaliteitsverslag/bewerken/", report_views.edit_report, name="edit_report"),
    path("plannen/<int:plan_id>/kwaliteitsverslag/acties/<int:action_id>/", report_views.evaluate_action,
         name="evaluate_action"),
    path("plannen/<int:plan_id>/kwaliteitsverslag/bevindingen/", report_views.findings, name="findings"),
    path("plannen/<int:plan_id>/kwaliteitsverslag/reageren/", report_views.comment, name="report_comment"),
    path("plannen/<int:plan_id>/kwaliteitsverslag/vaststellen/", report_views.adopt_report, name="adopt_report"),
    path("plannen/<int:plan_id>/kwaliteitsverslag/openbaar/", report_views.publish_report, name="publish_report"),
    path("plannen/<int:plan_id>/kwaliteitsverslag/pdf/", report_views.report_pdf, name="report_pdf"),
    # "U zei, wij deden" (public_views): edited by staff, read by anyone once published.
    path("plannen/<int:plan_id>/u-zei-wij-deden/<int:location_id>/", public_views.edit_you_said, name="edit_you_said"),
    path("openbaar/locaties/<int:location_id>/u-zei-wij-deden/", public_views.you_said, name="you_said"),
    path("openbaar/locaties/<int:location_id>/u-zei-wij-deden/poster/", public_views.you_said_poster,
         name="you_said_poster"),
    path("openbaar/organisaties/<int:organisation_id>/kwaliteitsverslagen/<int:year>/", public_views.public_report,
         name="public_report"),
]
