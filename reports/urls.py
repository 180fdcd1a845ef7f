from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.settlement, name="settlement"),
    path("settlement.xlsx", views.settlement_xlsx, name="settlement_xlsx"),
    path("settlement.pdf", views.settlement_pdf, name="settlement_pdf"),
]
