from django.urls import path
from oauth2_provider.views import TokenView

from . import views

app_name = "lgsp"
urlpatterns = [
    path("oauth/token/", TokenView.as_view(), name="token"),
    path("developers/", views.developers, name="developers"),
]
