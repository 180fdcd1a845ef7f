"""Bồi dưỡng cán bộ, công chức: catalogue, sessions, tests, records, the training gap, materials."""
from django.urls import path

from . import record_views, views

app_name = "training"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("sessions/new/", views.new_session, name="new_session"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:pk>/mark/", views.mark, name="mark"),
    path("tests/<int:pk>/", views.take_test, name="test"),
    path("materials/new/", views.upload_material, name="upload_material"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("materials/<int:pk>/done/", views.material_done, name="material_done"),
    path("record/", record_views.my_record, name="my_record"),
    path("record/<int:user_id>/", record_views.official_record, name="record"),
    path("certificates/<int:pk>.pdf", record_views.certificate, name="certificate"),
    path("gap/", record_views.gap, name="gap"),
    path("gap/export.xlsx", record_views.gap_export, name="gap_export"),
]
