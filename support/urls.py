from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("faq/", views.faq, name="faq"),
    path("guides/<str:code>/", views.guide, name="guide"),
    path("guides/<str:code>/steps/<int:pk>/image/", views.step_image, name="step_image"),
    path("news/", views.news, name="news"),
    path("ask/", views.ask, name="ask"),
    path("requests/", views.mine, name="mine"),
    path("requests/<str:token>/", views.detail, name="request"),
    path("requests/<str:token>/rate/", views.rate, name="rate"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
