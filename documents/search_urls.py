from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("search/", RedirectView.as_view(pattern_name="workspace:home"), name="search"),  # replaced by the pages
]
