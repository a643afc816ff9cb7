from django.urls import path

from . import views

app_name = "frameworks"
urlpatterns = [
    path("kaders/", views.framework_list, name="list"),
    path("kaders/<int:framework_id>/", views.framework_detail, name="detail"),
    path("kaders/<int:framework_id>/kopieren/", views.framework_copy, name="copy"),
    path("kaders/<int:framework_id>/onderdelen/nieuw/", views.section_add, name="section_add"),
    path("kaders/<int:framework_id>/onderdelen/<int:section_id>/", views.section_edit, name="section"),
    path("kaders/<int:framework_id>/onderdelen/<int:section_id>/verwijderen/", views.section_remove,
         name="section_remove"),
]
