from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def resolve_account(typed: str):
    """The account a sign-in name stands for: the username as typed, else the e-mail address or
    the username in any casing (when that names one account only). Sign-in and the lock-out
    both ask here, so that they always agree on whose account an attempt was on."""
    typed = (typed or "").strip()
    if not typed:
        return None
    users = get_user_model()._default_manager
    user = users.filter(username=typed).first()
    if user is not None:
        return user
    field = "email__iexact" if "@" in typed else "username__iexact"
    found = list(users.filter(**{field: typed})[:2])
    if not found and "@" in typed:  # portal users' usernames are their e-mail addresses
        found = list(users.filter(username__iexact=typed)[:2])
    return found[0] if len(found) == 1 else None


def lockout_key(request, credentials: dict | None = None) -> str:
    """What django-axes counts failures against (AXES_USERNAME_CALLABLE): the resolved account's
    username, so that ``motcua.sxd``, ``MOTCUA.SXD@…`` and ``Motcua.Sxd@…`` share one counter;
    for a name that matches no account, the name in lower case."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get("username")
    typed = str(typed or "").strip()
    user = resolve_account(typed)
    return user.get_username() if user is not None else typed.lower()


class UsernameOrEmailBackend(ModelBackend):
    """Officials sign in with their username, citizens usually with their e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = resolve_account(username)
        if user is None:
            get_user_model()().set_password(password)  # same cost as a real check (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
