from django.urls import path

from . import dmdc_views

app_name = "lgsp_dmdc"
urlpatterns = [
    path("Metadata/<str:category>", dmdc_views.metadata, name="metadata"),
    path("Category/<str:category>", dmdc_views.category, name="category"),
    path("openapi.json", dmdc_views.openapi, name="openapi"),
]
