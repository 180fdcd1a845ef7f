from django.urls import path

from . import views

app_name = "datastore"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
