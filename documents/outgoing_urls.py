from django.urls import path

from . import outgoing_views

urlpatterns = [
    path("outgoing/", outgoing_views.outgoing, name="outgoing"),
    path("outgoing/new/", outgoing_views.new, name="outgoing_new"),
    path("outgoing/<int:pk>/", outgoing_views.detail, name="outgoing_detail"),
    path("outgoing/<int:pk>/files/<int:file_pk>/", outgoing_views.file, name="outgoing_file"),
    path("outgoing/<int:pk>/<slug:action>/", outgoing_views.act, name="outgoing_act"),
]
