from django.urls import path

from . import views

app_name = "lgsp_office"
urlpatterns = [
    path("", views.clients, name="clients"),
    path("new/", views.client_new, name="client_new"),
    path("<int:pk>/", views.client_detail, name="client"),
    path("<int:pk>/<slug:action>/", views.client_action, name="client_action"),
    path("calls/", views.calls, name="calls"),
]
