from django.urls import path

from . import organisation_views, password_reset, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp_view, name="login_otp"),
    path("login/enroll/", views.totp_enroll_view, name="totp_enroll"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("verify/<str:uidb64>/<str:token>/", views.verify_email_view, name="verify_email"),
    path("password-reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", password_reset.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<str:uidb64>/<str:token>/", password_reset.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("security/", views.security_view, name="security"),
    path("security/sessions/", views.sessions_view, name="sessions"),
    path("security/totp/", views.totp_setup_view, name="totp_setup"),
    path("security/totp/disable/", views.totp_disable_view, name="totp_disable"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("organisations/", organisation_views.organisations_view, name="organisations"),
    path("organisations/<int:pk>/", organisation_views.organisation_view, name="organisation"),
    path("organisations/<int:pk>/members/", organisation_views.add_member_view, name="organisation_add"),
    path("organisations/<int:pk>/members/<int:member_pk>/remove/", organisation_views.remove_member_view,
         name="organisation_remove"),
    path("invitation/<str:uidb64>/<str:token>/", organisation_views.invitation_view, name="invitation"),
]
