from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("dry-run/", views.dry_run, name="dry_run"),
    path("holds/", views.hold, name="hold"),
    path("holds/<int:pk>/release/", views.release, name="release"),
]
