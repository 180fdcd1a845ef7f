"""Đánh giá, công nhận: e-agency criteria and recognition, officials' task-completion assessment."""
from django.urls import path

from . import official_views, views

app_name = "recognition"

urlpatterns = [
    path("", views.index, name="index"),
    path("sets/new/", views.new_set, name="new_set"),
    path("sets/<int:pk>/", views.criteria_set, name="criteria_set"),
    path("assessments/open/", views.open_assessment, name="open_assessment"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/<str:action>/", views.act, name="act"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("recognised/", views.recognitions, name="recognitions"),
    path("officials/open/", official_views.open_own, name="open_own"),
    path("officials/<int:pk>/", official_views.official, name="official"),
    path("officials/<int:pk>/<str:action>/", official_views.official_act, name="official_act"),
    path("officials/export.xlsx", official_views.export, name="export"),
]
