"""The e-office's document pages, mounted at /workspace/documents/: incoming, outgoing and search
each keep their own routes."""

from .incoming_urls import urlpatterns as incoming
from .outgoing_urls import urlpatterns as outgoing
from .search_urls import urlpatterns as search

app_name = "documents"
urlpatterns = [*incoming, *outgoing, *search]
