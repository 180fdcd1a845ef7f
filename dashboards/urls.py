from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("province/", views.province, name="province"),
    path("agencies/<int:pk>/", views.agency, name="agency"),
    path("indices/", views.indices, name="indices"),
    path("indices/export.<str:fmt>", views.indices_export, name="indices_export"),
    path("indices/dti/<int:pk>/", views.dti_input, name="dti_input"),
    path("indices/scores/new/", views.score_new, name="score_new"),
]
