from django.core.management.base import BaseCommand

from signing import pki, setup, signers


class Command(BaseCommand):
    help = ("Test PKI for development and the demo: `setup` generates it into var/pki, imports the keys into "
            "SoftHSM2 (var/softhsm) and registers the demo certificates; `serve` runs the OCSP/CRL/TSA responder.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "serve"])
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args, action, port, **options):
        if action == "setup":
            generated = setup.setup(port=port)
            self.stdout.write(f"PKI in {generated.directory}, responder {generated.url_prefix}, "
                              f"SOFTHSM2_CONF={setup.softhsm_dir() / 'softhsm2.conf'}")
            return
        generated = pki.load(signers.pki_dir())
        if generated is None:
            generated = setup.setup(port=port)
        self.stdout.write(f"Serving OCSP/CRL/TSA on {generated.url_prefix}")
        pki.serve(generated, background=False)
