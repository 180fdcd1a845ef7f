from django.urls import path

from . import views

app_name = "paysim"
urlpatterns = [
    path("pay", views.pay, name="pay"),
    path("pay/<uuid:token>/", views.complete, name="complete"),
    path("querydr", views.querydr, name="querydr"),
]
