from django.urls import path

from . import views

app_name = "indices"

urlpatterns = [
    path("", views.index, name="index"),
    path("excel/", views.export_xlsx, name="export_xlsx"),
    path("pdf/", views.export_pdf, name="export_pdf"),
    path("dossiers/<slug:count>/", views.dossiers, name="dossiers"),
]
