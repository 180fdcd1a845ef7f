from django.urls import path

from . import views

app_name = "nationalsync"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("fetch/", views.fetch, name="fetch"),
    path("catalog/publish/", views.publish_catalog, name="publish_catalog"),
]
