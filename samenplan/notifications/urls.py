from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/<int:notification_id>/gelezen/", views.mark_read, name="mark_read"),
]
