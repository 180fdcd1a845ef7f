from django.urls import path

from . import asset_views, views

app_name = "itplanning"

urlpatterns = [
    path("", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:plan_pk>/projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/<str:action>/", views.project_act, name="project_act"),
    path("assets/", asset_views.assets, name="assets"),
    path("assets/new/", asset_views.asset_new, name="asset_new"),
    path("assets/<int:pk>/", asset_views.asset_edit, name="asset_edit"),
    path("assets/synchronise/", asset_views.assets_sync, name="assets_sync"),
    path("reports/spending/", asset_views.spending, name="spending"),
    path("reports/duplicates/", asset_views.duplicates, name="duplicates"),
]
