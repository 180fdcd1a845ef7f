"""The officials' pages of the one-stop back office, mounted at /workspace/dossiers/."""

from django.urls import path

from . import office_views as views
from . import signing_views

app_name = "office"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("counter/", views.counter, name="counter"),
    path("counter/<int:agency>/<int:procedure>/", views.counter_form, name="counter_form"),
    path("counter/done/<int:pk>/", views.counter_done, name="counter_done"),
    path("slips/<int:pk>/", views.slip_file, name="slip"),
    path("to-sign/", signing_views.to_sign, name="to_sign"),
    path("batches/<int:pk>/", signing_views.batch, name="batch"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/control-slip/", views.control_slip, name="control_slip"),
    *[path(f"<int:pk>/{name.replace('_', '-')}/", view, name=name) for name, view in views.VIEWS.items()],
]
