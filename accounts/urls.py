from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp_view, name="login_otp"),
    path("login/enroll/", views.totp_enroll_view, name="totp_enroll"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("verify/<str:uidb64>/<str:token>/", views.verify_email_view, name="verify_email"),
    path("security/", views.security_view, name="security"),
    path("security/totp/", views.totp_setup_view, name="totp_setup"),
    path("security/totp/disable/", views.totp_disable_view, name="totp_disable"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
]
