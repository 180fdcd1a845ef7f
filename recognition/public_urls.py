from django.urls import path

from . import views

app_name = "recognition_public"
urlpatterns = [
    path("", views.public_recognitions, name="recognitions"),
]
