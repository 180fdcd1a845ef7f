from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.console, name="console"),
    path("packages/<int:pk>/", views.package, name="package"),
    path("packages/<int:pk>/retry/", views.retry, name="retry"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("recalls/<int:pk>/", views.recall_page, name="recall"),
    path("recalls/<int:pk>/<str:answer>/", views.recall_answer, name="recall_answer"),
]
