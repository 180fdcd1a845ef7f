from django.urls import path

from . import views

app_name = "architecture"

urlpatterns = [
    path("", views.index, name="index"),
    path("components/new/", views.component_new, name="component_new"),
    path("components/<int:pk>/", views.component, name="component"),
    path("components/<int:pk>/edit/", views.component_edit, name="component_edit"),
    path("connections/new/", views.connection_new, name="connection_new"),
    path("connections/<int:pk>/edit/", views.connection_edit, name="connection_edit"),
    path("synchronise/", views.synchronise, name="synchronise"),
    path("versions/", views.version_list, name="versions"),
    path("versions/publish/", views.publish, name="publish"),
    path("versions/compare/", views.compare, name="compare"),
    path("export.pdf", views.export_pdf, name="export_pdf"),
]
