from django.urls import path

from workdays.views import calendar_view

from . import delegations, saved_filter_views, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("audit/", views.audit, name="audit"),
    path("calendar/", calendar_view, name="calendar"),
    path("delegations/", delegations.delegations_view, name="delegations"),
    path("delegations/<int:pk>/revoke/", delegations.revoke_view, name="delegation_revoke"),
    path("filters/", saved_filter_views.save_view, name="save_filter"),
    path("filters/<int:pk>/delete/", saved_filter_views.delete_view, name="delete_filter"),
]
