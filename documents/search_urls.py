from django.urls import path

from . import search_views

urlpatterns = [
    path("search/", search_views.search, name="search"),
    path("statistics/", search_views.statistics, name="statistics"),
    path("statistics/export.<str:fmt>", search_views.statistics_export, name="statistics_export"),
]
