from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from documents.published import issued_document
from dossiers.published import issued_result
from portal import errors
from portal import views as portal_views
from signing.published import first_of

from . import health

admin.site.site_header = admin.site.site_title = "Quản trị hệ thống"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", portal_views.favicon, name="favicon"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    # The admin signs in through our two-step login, never through its own form.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("workspace/reports/", include("reports.urls")),
    path("workspace/dossiers/", include("dossiers.office_urls")),
    path("workspace/documents/", include("documents.urls")),
    path("workspace/exchange/", include("exchange.urls")),
    path("workspace/tasks/", include("work.urls")),
    path("workspace/records/", include("records.urls")),
    path("workspace/support/", include("support.office_urls")),
    path("workspace/training/", include("training.urls")),
    path("workspace/it-planning/", include("itplanning.urls")),
    path("workspace/architecture/", include("architecture.urls")),
    path("workspace/indices/", include("indices.urls")),
    path("workspace/feedback/", include("feedback.urls")),
    path("workspace/recognition/", include("recognition.urls")),
    path("workspace/dashboards/", include("dashboards.urls")),
    path("workspace/integration/", include("lgsp.office_urls")),
    path("workspace/national/", include("national.urls")),
    path("workspace/data-store/", include("datastore.office_urls")),
    path("workspace/retention/", include("retention.urls")),
    path("workspace/", include("workspace.urls")),
    path("help/", include("support.urls")),
    path("feedback/", include("feedback.public_urls")),
    path("recognition/", include("recognition.public_urls")),
    path("procedures/", include("procedures.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("notifications/", include("notifications.urls")),
    path("simulators/", include("simulators.urls")),
    path("payments/", include("payments.urls")),
    path("paysim/", include("paysim.urls")),
    path("api/tokens/", include("api.token_urls")),
    path("lgsp/", include("lgsp.urls")),
    path("dmdc/", include("lgsp.dmdc_urls")),
    path("national/", include("nationalsync.urls")),
    path("data-store/", include("datastore.urls")),
    path("api/v1/", include("api.urls")),
    # The verifier is signing's; which issued document a QR link names is the issuing apps' to say.
    path("verify/", include("signing.urls"), {"find_document": first_of(issued_result, issued_document)}),
    path("", include("portal.urls")),
]

# Styled, translated error pages in the shell of the path (portal.errors).
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
