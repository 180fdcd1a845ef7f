from django.urls import path

from . import views

app_name = "feedback_public"
urlpatterns = [
    path("", views.home, name="home"),
    path("send/", views.send, name="send"),
    path("mine/", views.mine, name="mine"),
    path("c/<str:token>/", views.complaint, name="complaint"),
    path("rate/<int:pk>/", views.rate, name="rate"),
    path("kiosk/<str:token>/", views.kiosk, name="kiosk"),
]
