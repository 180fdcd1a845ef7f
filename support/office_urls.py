from django.urls import path

from . import office_views

app_name = "support_office"
urlpatterns = [
    path("", office_views.queue, name="queue"),
    path("requests/<int:pk>/", office_views.detail, name="detail"),
    path("requests/<int:pk>/escalate/", office_views.escalate, name="escalate"),
    path("ask/", office_views.ask, name="ask"),
    path("hotline/", office_views.hotline, name="hotline"),
    path("statistics/", office_views.statistics, name="statistics"),
    path("statistics.xlsx", office_views.statistics_export, name="statistics_export"),
    path("campaigns/", office_views.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", office_views.campaign, name="campaign"),
]
