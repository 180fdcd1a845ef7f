from django.urls import path

from . import views
from .oauth import TokenView

app_name = "lgsp"
urlpatterns = [
    path("oauth/token/", TokenView.as_view(), name="token"),
    path("developers/", views.developers, name="developers"),
]
