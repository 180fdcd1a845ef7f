from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("dossier/<int:dossier_pk>/pay/", views.start, name="start"),
    path("ipn", views.ipn, name="ipn"),
    path("return", views.gateway_return, name="return"),
    path("national/ipn", views.national_ipn, name="national_ipn"),
    path("national/return", views.national_return, name="national_return"),
    path("<int:pk>/receipt.pdf", views.receipt, name="receipt"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
]
