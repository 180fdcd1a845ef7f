"""The officials' pages of the one-stop back office, mounted at /workspace/dossiers/."""

from django.urls import path

from . import signing_views
from .office import actions, bulk, detail, intake, papers, queues, register

app_name = "office"
urlpatterns = [
    path("", queues.queue, name="queue"),
    path("assign/", bulk.bulk_assign, name="bulk_assign"),
    path("return-results/", bulk.bulk_return, name="bulk_return"),
    path("files/<int:pk>/", papers.inline_file, name="inline_file"),
    path("counter/", intake.counter, name="counter"),
    path("counter/<int:agency>/<int:procedure>/", intake.counter_form, name="counter_form"),
    path("counter/done/<int:pk>/", intake.counter_done, name="counter_done"),
    path("slips/<int:pk>/", detail.slip_file, name="slip"),
    path("register/", register.register_page, name="register"),
    path("register/export.xlsx", register.register_xlsx, name="register_xlsx"),
    path("register/export.pdf", register.register_pdf, name="register_pdf"),
    path("to-sign/", signing_views.to_sign, name="to_sign"),
    path("batches/<int:pk>/", signing_views.batch, name="batch"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/control-slip/", detail.control_slip, name="control_slip"),
    path("<int:pk>/digitise/", papers.digitise, name="digitise"),
    *[path(f"<int:pk>/{name.replace('_', '-')}/", view, name=name) for name, view in actions.VIEWS.items()],
]
