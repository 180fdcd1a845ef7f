from django.urls import path
from django.views.generic import RedirectView

app_name = "work"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="workspace:home"), name="board"),  # replaced by the pages
]
