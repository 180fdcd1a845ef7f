"""``egov``: the platform's command line, so that nobody needs to know manage.py.

    egov demo      migrate, load the Thái Nguyên demo data, print the logins and serve
    egov serve     serve the platform (gunicorn) and, outside production, the demo's helper services
                   (the test PKI's OCSP/CRL/timestamp responder), stopped with it
    egov worker    run a Celery worker (production mode; --beat on one of them for the schedule)
    egov check     system checks (with --deploy in production mode) and readiness
    egov audit-verify   verify the audit trail's hash chain
    egov retention [--dry-run]   archive, erase or anonymise what is past its retention period, with a report
    egov backup [DIR]   the database and the stored files in one archive with a manifest (egov.backup)
    egov restore FILE   restore such an archive into an empty installation and verify it
    egov reencrypt      re-encrypt personal data under the current key, recompute its look-up hashes
    egov totp USER      print a user's current one-time code (demo installations only)
    egov manage ...     any manage.py command
"""

import argparse
import os
import sys

from egov.public_url import DEFAULT_ADDR


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _serve(addr: str, workers: int) -> None:
    from django.conf import settings

    if _refuse_unsafe_production():
        raise SystemExit(1)
    _manage("migrate", "--noinput", "-v", "0")
    if settings.PRODUCTION:
        _manage("collectstatic", "--noinput", "-v", "0")
    if not settings.CELERY_BROKER_URL:  # no beat without a broker: each web process runs the schedule
        from outbox.runner import ENV_FLAG

        os.environ[ENV_FLAG] = "1"
    # The interpreter running egov, not whatever "gunicorn" is on PATH (a venv is rarely on it).
    argv = [sys.executable, "-m", "gunicorn", "egov.wsgi:application", "--bind", addr,
            "--workers", str(workers), "--threads", "4",
            "--access-logfile", "-", "--access-logformat", '%(m)s %(U)s %(s)s %(L)ss']
    from egov import demo_services

    helpers = demo_services.start()
    print(f"Mở / open {settings.EGOV_PUBLIC_URL}/  (EGOV_PUBLIC_URL)\n", flush=True)
    if helpers:  # gunicorn runs as a child, so that the helpers stop with it
        raise SystemExit(demo_services.run_server(argv, helpers))
    os.execvp(argv[0], argv)  # replaces this process


def _refuse_unsafe_production() -> bool:
    """In production mode, print the checks' errors (demo secrets, no shared cache) and say
    whether to refuse to start."""
    from django.conf import settings

    if not settings.PRODUCTION:
        return False
    from egov.checks import production_errors

    errors = production_errors()
    for error in errors:
        print(f"{error.id}: {error.msg}" + (f"\n\tHINT: {error.hint}" if error.hint else ""), file=sys.stderr)
    if errors:
        print("egov: refusing to start in production mode; see `egov check`.", file=sys.stderr)
    return bool(errors)


def _print_logins(demo) -> None:
    import base64

    from directory.demo import DEMO_PASSWORD, OFFICIALS, PORTAL_USERS

    print(f"\nTài khoản demo / demo logins (mật khẩu / password: {DEMO_PASSWORD})\n")
    for username, full_name, agency, _unit, position, roles in OFFICIALS:
        role_names = ", ".join(str(r.label) for r in roles)
        line = f"  {username:<20} {full_name:<22} {position} – {demo.agencies[agency].name} [{role_names}]"
        print(line)
    for email, full_name, kind, _profile in PORTAL_USERS:
        print(f"  {email:<20} {full_name:<22} ({kind})")
    if demo.totp_secrets:
        print("\nLãnh đạo, văn thư, quản trị, kiểm tra cần mã OTP / leaders, clerks, administrators and auditors need "
              "a TOTP code:")
        for username, key in demo.totp_secrets.items():
            secret = base64.b32encode(bytes.fromhex(key)).decode()
            print(f"  {username:<20} secret {secret}   (or run: egov totp {username})")
    print()


def _demo_signing() -> bool:
    """The demo's test PKI, so that leaders and clerks can sign results: its keys on a SoftHSM2
    token, or, without the softhsm2 package, as files of the test PKI (demo only, decision 0021)."""
    import shutil

    from django.conf import settings

    from signing.setup import setup

    software = not shutil.which("softhsm2-util")
    generated = setup(port=settings.SIGNING_PKI_PORT, software=software)
    where = "software keys (no softhsm2 package)" if software else "token on SoftHSM2"
    print(f"Chữ ký số / digital signatures: test PKI in {generated.directory}, {where}\n")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="egov", description="Provincial e-government platform")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="set up the Thái Nguyên demo and serve it")
    demo.add_argument("--addr", default=os.environ.get("EGOV_ADDR", DEFAULT_ADDR))
    demo.add_argument("--no-serve", action="store_true", help="load the data and print the logins only")
    serve = sub.add_parser("serve", help="serve the platform")
    serve.add_argument("--addr", default=os.environ.get("EGOV_ADDR", DEFAULT_ADDR))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    worker = sub.add_parser("worker", help="run a Celery worker")
    worker.add_argument("--concurrency", type=int, default=2)
    worker.add_argument("--beat", action="store_true",
                        help="also run the periodic schedule (deadline sweep); exactly one worker should")
    sub.add_parser("check", help="system checks and readiness")
    sub.add_parser("audit-verify", help="verify the audit trail")
    retention = sub.add_parser("retention", help="apply the retention policies now and print the report")
    retention.add_argument("--dry-run", action="store_true", help="count what is due, change nothing")
    backup = sub.add_parser("backup", help="back up the database and the stored files together")
    backup.add_argument("destination", nargs="?", default="", help="folder of the archive (default var/backups)")
    restore = sub.add_parser("restore", help="restore a backup into an empty installation and verify it")
    restore.add_argument("archive")
    sub.add_parser("reencrypt", help="re-encrypt personal data under the current key (key rotation, ADR 0050)")
    totp = sub.add_parser("totp", help="print a demo user's current one-time code")
    totp.add_argument("username")
    manage = sub.add_parser("manage", help="run a manage.py command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    if args.command in ("demo", "serve"):
        # The settings derive the platform's public URL and the helper services' ports from it.
        os.environ["EGOV_ADDR"] = args.addr
    _django()
    from django.conf import settings

    if args.command == "demo":
        from directory.demo import load_demo
        from procedures.demo import load_catalog

        _manage("migrate", "--noinput", "-v", "0")
        demo = load_demo()
        procedures = load_catalog()
        from architecture.demo import load_demo as load_architecture
        from dashboards.demo import load_demo as load_dashboards
        from datastore.demo import load_demo as load_data_store
        from documents.demo import load_demo_documents
        from feedback.demo import load_demo as load_feedback
        from indices.demo import load_demo as load_indices
        from itplanning.demo import load_demo as load_it_plans
        from lgsp.demo import load_demo as load_integration
        from recognition.demo import load_demo as load_recognition
        from support.demo import load_demo as load_help
        from training.demo import load_demo as load_training

        load_demo_documents(demo)
        load_help()
        load_training()
        load_it_plans(demo)
        load_architecture()
        load_feedback()
        load_indices()
        load_dashboards()
        load_recognition()
        load_integration()
        load_data_store()
        _print_logins(demo)
        print(f"Danh mục thủ tục / procedure catalog: {len(procedures)}\n")
        _demo_signing()
        if not args.no_serve:
            _serve(args.addr, workers=2)
    elif args.command == "serve":
        _serve(args.addr, args.workers)
    elif args.command == "worker":
        if _refuse_unsafe_production():
            return 1
        from egov.celery import app

        app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={args.concurrency}",
                         *(["--beat"] if args.beat else [])])
    elif args.command == "check":
        from django.core.management.base import SystemCheckError
        from django.test import RequestFactory

        from egov.health import readyz

        try:
            _manage("check", *(["--deploy", "--fail-level", "WARNING"] if settings.PRODUCTION else []))
        except SystemCheckError as error:
            print(error, file=sys.stderr)
            return 1
        response = readyz(RequestFactory().get("/readyz"))
        print(response.content.decode())
        return 0 if response.status_code == 200 else 1
    elif args.command == "audit-verify":
        _manage("audit_verify")
    elif args.command == "retention":
        from django.core.management.base import CommandError

        try:
            _manage("retention", *(["--dry-run"] if args.dry_run else []))
        except CommandError as error:
            print(f"egov retention: {error}", file=sys.stderr)
            return 1
    elif args.command == "reencrypt":
        from egov.crypto import DecryptionError

        try:
            _manage("reencrypt")
        except DecryptionError as error:  # names the row; the rows before it are already rewritten
            print(f"egov reencrypt: {error}", file=sys.stderr)
            return 1
    elif args.command in ("backup", "restore"):
        from pathlib import Path

        from egov import backup as backups

        try:
            if args.command == "backup":
                archive, manifest = backups.create(Path(args.destination or settings.VAR_DIR / "backups"))
                print(f"{archive}\n{manifest['counts']} files={manifest['files']} seconds={manifest['seconds']}")
                return 0
            if args.command == "restore":
                report = backups.restore(Path(args.archive))
                print(report.as_json())
                return 0 if report.ok else 1
        except backups.BackupError as error:
            print(f"egov {args.command}: {error}", file=sys.stderr)
            return 1
    elif args.command == "totp":
        if settings.PRODUCTION:
            print("egov totp is for demo installations only", file=sys.stderr)
            return 2
        from django_otp.oath import totp as totp_code
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=args.username, confirmed=True).first()
        if device is None:
            print(f"{args.username}: no confirmed TOTP device", file=sys.stderr)
            return 1
        print(f"{totp_code(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}")
    elif args.command == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["egov", *args.args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
