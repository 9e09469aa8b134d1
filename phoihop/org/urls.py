from django.urls import path

from phoihop.org import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("organisation/import/", views.organisation_import, name="organisation_import"),
    path(
        "organisation/import/template/",
        views.organisation_import_template,
        name="organisation_import_template",
    ),
    path(
        "password/setup/<uidb64>/<token>/",
        views.PasswordSetupView.as_view(),
        name="password_setup",
    ),
]
