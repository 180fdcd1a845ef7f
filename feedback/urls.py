from django.urls import path

from . import office_views

app_name = "feedback"
urlpatterns = [
    path("", office_views.queue, name="queue"),
    path("<int:pk>/", office_views.detail, name="detail"),
    path("kiosk/", office_views.kiosk, name="kiosk"),
    path("statistics/", office_views.statistics, name="statistics"),
    path("statistics.xlsx", office_views.statistics_export, name="statistics_export"),
]
