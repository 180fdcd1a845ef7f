"""``egov reencrypt``: every personal value encrypted at rest rewritten under the current (first) key of
``DATA_ENCRYPTION_KEYS``, and every look-up hash recomputed with ``DATA_LOOKUP_KEY`` (ADR 0050).

Key rotation: put the new key first in ``DATA_ENCRYPTION_KEYS`` (the old ones after it), restart, run
this, then remove the old keys. Values already under the current key are left as they are, so the
command can be run again after an interruption. A value no listed key opens stops it with its row named.
"""

import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection

from egov import crypto


class Command(BaseCommand):
    help = "Re-encrypt personal data under the current key and recompute its look-up hashes."

    def handle(self, *args, **options):
        started = time.monotonic()
        total = {"rows": 0, "rewritten": 0, "rehashed": 0}
        for model in apps.get_models():
            if model._meta.proxy or not any(isinstance(f, crypto.EncryptedTextField)
                                            for f in model._meta.concrete_fields):
                continue
            counts = crypto.rewrite_rows(connection, model, mode="rotate")
            for name, value in counts.items():
                total[name] += value
            self.stdout.write(f"{model._meta.label}: rows={counts['rows']} re-encrypted={counts['rewritten']} "
                              f"re-hashed={counts['rehashed']}")
        self.stdout.write(f"total: rows={total['rows']} re-encrypted={total['rewritten']} "
                          f"re-hashed={total['rehashed']} seconds={time.monotonic() - started:.2f}")
