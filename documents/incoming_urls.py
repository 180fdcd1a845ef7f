from django.urls import path

from . import incoming_views as views

urlpatterns = [
    path("incoming/", views.register_list, name="incoming"),
    path("incoming/register/", views.register_new, name="incoming_register"),
    path("incoming/<int:pk>/", views.detail, name="incoming_detail"),
    path("incoming/<int:pk>/<str:name>/", views.act, name="incoming_act"),
    path("incoming/files/<int:pk>/", views.inline_file, name="incoming_file"),
]
