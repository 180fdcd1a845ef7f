import os
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from signing import pki, setup, signers


def _exit_with(parent: int) -> None:
    """Exit as soon as ``parent`` is no longer this process's parent (it exited or was killed):
    the responder of ``egov serve`` never outlives it."""

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="signing-pki-parent-watch", daemon=True).start()


class Command(BaseCommand):
    help = ("Test PKI for development and the demo: `setup` generates it into var/pki, imports the keys into "
            "SoftHSM2 (var/softhsm) and registers the demo certificates (again with --port: the certificates "
            "are issued for the new responder address and the registered ones updated); `serve` runs the "
            "OCSP/CRL/TSA responder.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "serve"])
        parser.add_argument("--port", type=int, default=None,
                            help="the responder's port (default: the PKI's, or SIGNING_PKI_PORT for a new PKI)")
        parser.add_argument("--parent", type=int, default=None,
                            help="serve: exit when this process (egov serve) is gone")

    def handle(self, *args, action, port, parent=None, **options):
        if action == "setup":
            generated = setup.setup(port=port)
            self.stdout.write(f"PKI in {generated.directory}, responder {generated.url_prefix}, "
                              f"SOFTHSM2_CONF={setup.softhsm_dir() / 'softhsm2.conf'}")
            return
        generated = pki.load(signers.pki_dir())
        if generated is None or (port is not None and port != generated.port):
            generated = setup.setup(port=port or settings.SIGNING_PKI_PORT)
        if parent is not None:
            _exit_with(parent)
        self.stdout.write(f"Serving OCSP/CRL/TSA on {generated.url_prefix}")
        self.stdout.flush()
        try:
            pki.serve(generated, background=False)
        except KeyboardInterrupt:
            pass
