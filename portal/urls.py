from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("life-events/<slug:slug>/", views.life_event, name="life_event"),
    path("account/", views.account, name="account"),
    path("account/my-data/", views.my_data, name="my_data"),
    path("account/my-data/download/", views.my_data_download, name="my_data_download"),
]
