from django.urls import path

from . import views

app_name = "sms"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("send", views.send, name="send"),
]
