from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/papers/<int:pk>/template/", views.paper_template, name="paper_template"),
]
