from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.files, name="files"),
    path("open/", views.open_file, name="open"),
    path("<int:pk>/", views.case_file, name="file"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
