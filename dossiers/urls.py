from django.urls import path

from . import identity_views, views

app_name = "dossiers"
urlpatterns = [
    path("apply/<str:code>/", views.start, name="start"),
    path("my/", views.mine, name="mine"),
    path("my/<int:pk>/", views.detail, name="detail"),
    path("my/<int:pk>/edit/", views.draft, name="draft"),
    path("my/<int:pk>/population/", identity_views.population_prefill, name="population_prefill"),
    path("my/<int:pk>/business/", identity_views.business_prefill, name="business_prefill"),
    path("my/<int:pk>/review/", views.review, name="review"),
    path("my/<int:pk>/submit/", views.submit, name="submit"),
    path("my/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("my/<int:pk>/supplement/", views.answer_supplement, name="supplement"),
    path("my/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("my/<int:pk>/rate/", views.rate, name="rate"),
    path("files/<int:pk>/", views.download, name="download"),
    path("slips/<int:pk>/", views.slip, name="slip"),
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/<str:code>/", views.lookup_redirect, name="lookup_code"),
]
