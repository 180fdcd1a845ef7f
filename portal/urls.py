from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("life-events/<slug:slug>/", views.life_event, name="life_event"),
    path("account/", views.account, name="account"),
]
