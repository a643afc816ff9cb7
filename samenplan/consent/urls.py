from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("plannen/<int:plan_id>/instemming/", views.overview, name="overview"),
    path("plannen/<int:plan_id>/fase/", views.transition, name="transition"),
    path("plannen/<int:plan_id>/vaststellen/", views.adopt, name="adopt"),
    path("instemming/<int:request_id>/", views.request_detail, name="request"),
    path("instemming/<int:request_id>/reactiedatum/", views.request_deadline, name="request_deadline"),
    path("instemming/<int:request_id>/lcvv/", views.lcvv, name="lcvv"),
    path("voorwaarden/<int:condition_id>/", views.condition, name="condition"),
]
