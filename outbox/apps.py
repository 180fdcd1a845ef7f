import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from . import runner, services

        services.connect_signals()
        # ``egov serve`` / ``egov demo`` without a broker: the periodic schedule runs in-process.
        if os.environ.get(runner.ENV_FLAG) == "1":
            runner.start()
