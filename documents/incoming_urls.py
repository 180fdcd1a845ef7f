from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("incoming/", RedirectView.as_view(pattern_name="workspace:home"), name="incoming"),  # replaced by the pages
]
