from django.urls import path

from . import views

app_name = "signals"
urlpatterns = [
    # The short link on the poster: anyone, without an account.
    path("s/<str:code>/", views.public_form, name="public_form"),
    path("s/<str:code>/bedankt/", views.public_thanks, name="public_thanks"),
    path("organisaties/<int:organisation_id>/locaties/<int:location_id>/signaalposter/", views.poster,
         name="poster"),
    path("organisaties/<int:organisation_id>/signalen/", views.signal_list, name="list"),
    path("organisaties/<int:organisation_id>/signalen/nieuw/", views.record_signal, name="record"),
    path("organisaties/<int:organisation_id>/signalen/export.csv", views.signal_export, name="export"),
    path("signalen/<int:signal_id>/", views.signal_detail, name="detail"),
    path("signalen/<int:signal_id>/thema/", views.signal_tag, name="tag"),
    path("signalen/<int:signal_id>/dubbel/", views.signal_merge, name="merge"),
    path("signalen/<int:signal_id>/los/", views.signal_separate, name="separate"),
    path("signalen/<int:signal_id>/koppelen/", views.signal_link, name="link"),
    path("signalen/<int:signal_id>/ontkoppelen/", views.signal_unlink, name="unlink"),
    path("signalen/<int:signal_id>/tekst-weghalen/", views.signal_redact, name="redact"),
]
