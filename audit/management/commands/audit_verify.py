from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail: every entry's hash, the signed checkpoints and their Merkle roots."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                _("Audit trail broken at entry #%(id)s (%(reason)s); %(n)d entries before it are intact.")
                % {"id": report.broken_at, "reason": _(report.reason), "n": report.checked}
            )
        self.stdout.write(_("Audit trail intact: %(n)d entries checked, %(sealed)d sealed in %(checkpoints)d "
                            "checkpoints, %(unsealed)d written since the last checkpoint.")
                          % {"n": report.checked, "sealed": report.sealed, "checkpoints": report.checkpoints,
                             "unsealed": report.unsealed})
