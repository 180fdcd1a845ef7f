import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from api import services
from api.models import ApiToken


class Command(BaseCommand):
    help = "Create (printing the token once), revoke or list API tokens of a citizen or business account."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--days", type=int, default=None, help="expires after this many days")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="list a user's tokens (never the tokens themselves)")
        listing.add_argument("username")

    def handle(self, *args, action, **options):
        if action == "create":
            user = self._user(options["username"])
            expires = timezone.now() + dt.timedelta(days=options["days"]) if options["days"] else None
            try:
                token, raw = services.create_token(user=user, name=options["name"], expires_at=expires)
            except ValidationError as refused:
                raise CommandError(" ".join(refused.messages)) from refused
            self.stderr.write(f"token {token.prefix}… for {user.username}; shown once, keep it safe:")
            self.stdout.write(raw)
        elif action == "revoke":
            matches = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
            if len(matches) != 1:
                raise CommandError(f"{len(matches)} active tokens have this prefix; give one that names exactly one")
            services.revoke_token(token=matches[0])
            self.stdout.write(f"revoked {matches[0]}")
        else:
            for token in ApiToken.objects.filter(user=self._user(options["username"])):
                state = "revoked" if token.revoked_at else ("expired" if not token.is_usable() else "active")
                self.stdout.write(f"{token.prefix}  {state:8}  {token.name}  created {token.created_at:%Y-%m-%d}"
                                  f"  last used {token.last_used_at or '-'}")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return user
