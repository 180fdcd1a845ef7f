from django.urls import path

from . import views

app_name = "national"
urlpatterns = [
    path("", views.overview, name="status"),
    path("retry/", views.retry, name="retry"),
]
