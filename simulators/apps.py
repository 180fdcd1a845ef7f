from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulatorsConfig(AppConfig):
    """Local stand-ins for systems outside the province (SMS gateway, …), for the demo and the
    tests. Their endpoints answer only when ``EGOV_SIMULATORS`` is on."""

    name = "simulators"
    label = "simulators"
    verbose_name = _("Simulators of external systems")
