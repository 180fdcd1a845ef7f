from django.urls import include, path

app_name = "simulators"
urlpatterns = [
    path("sms/", include("simulators.sms.urls")),
]
