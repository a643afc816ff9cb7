from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("inloggen/link/", views.login_link_request, name="login_link_request"),
    path("inloggen/link/bevestigen/", views.login_link, name="login_link"),
    path("inloggen/tweede-stap/instellen/", views.otp_setup, name="otp_setup"),
    path("inloggen/tweede-stap/", views.otp_verify, name="otp_verify"),
    path("profiel/", views.profile, name="profile"),
    path("profiel/sleutels/", views.token_create, name="token_create"),
    path("profiel/sleutels/<int:token_id>/intrekken/", views.token_revoke, name="token_revoke"),
]
