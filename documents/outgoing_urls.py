from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("outgoing/", RedirectView.as_view(pattern_name="workspace:home"), name="outgoing"),  # replaced by the pages
]
