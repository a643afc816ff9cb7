from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("plannen/<int:plan_id>/reacties/", views.plan_comments, name="plan_comments"),
    path("versies/<int:version_id>/reacties/", views.version_comments, name="version_comments"),
    path("reacties/<int:comment_id>/antwoord/", views.comment_answer, name="comment_answer"),
    path("plannen/<int:plan_id>/top3/", views.top_points, name="top_points"),
    path("top3/<int:point_id>/antwoord/", views.top_point_answer, name="top_point_answer"),
    path("plannen/<int:plan_id>/collegas/", views.plan_peer_reviews, name="plan_peer_reviews"),
    path("versies/<int:version_id>/collega-feedback/", views.peer_review, name="peer_review"),
    path("netwerken/<int:network_id>/bibliotheek/", views.library, name="library"),
    path("bibliotheek/<int:entry_id>/", views.library_entry, name="library_entry"),
    path("bibliotheek/<int:entry_id>/overnemen/", views.library_copy, name="library_copy"),
    path("bibliotheek/<int:entry_id>/intrekken/", views.library_withdraw, name="library_withdraw"),
    path("plannen/<int:plan_id>/bibliotheek/", views.library_share, name="library_share"),
]
