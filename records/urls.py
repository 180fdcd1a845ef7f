from django.urls import path
from django.views.generic import RedirectView

app_name = "records"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="workspace:home"), name="files"),  # replaced by the pages
]
