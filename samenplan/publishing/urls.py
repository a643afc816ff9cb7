from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("openbaar/", views.home, name="home"),
    path("openbaar/plannen/", views.plan_list, name="plans"),
    path("openbaar/plannen/<int:plan_id>/", views.plan, name="plan"),
    path("openbaar/plannen/<int:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("openbaar/organisaties/<int:organisation_id>/", views.organisation, name="organisation"),
    path("plannen/<int:plan_id>/openbaar-maken/", views.publish, name="publish"),
    path("plannen/<int:plan_id>/niet-meer-openbaar/", views.unpublish, name="unpublish"),
]
