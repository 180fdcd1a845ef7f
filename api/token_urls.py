from django.urls import path

from . import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.tokens_view, name="list"),
    path("<int:pk>/revoke/", token_views.revoke_view, name="revoke"),
]
