"""Quản lý công việc: tasks, progress, extensions and the weekly work schedule."""
from django.urls import path

from . import schedule_views, views

app_name = "work"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.new_task, name="new"),
    path("<int:pk>/", views.detail, name="task"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    path("follow-up/<int:agency_id>/", views.follow_up, name="follow_up"),
    path("schedule/", schedule_views.week, name="schedule"),
    path("schedule/<int:pk>/", schedule_views.edit_entry, name="schedule_entry"),
]
