from django.urls import path

from . import views

app_name = "signing"

# Mounted at /verify/ by egov/urls.py, which gives the views ``find_document`` (signing.published).
urlpatterns = [
    path("", views.verify, name="verify"),
    path("document/<str:sha256>/", views.document_file, name="verify_document"),
    path("api", views.verify_api, name="verify_api"),
]
