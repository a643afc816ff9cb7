from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("plannen/<int:plan_id>/tijdlijn/", views.timeline, name="timeline"),
]
