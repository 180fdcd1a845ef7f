"""View decorators for the officials' pages, from the one scope table (directory.scope)."""

from django.contrib.auth.decorators import user_passes_test

from .scope import Action, is_official, scope_of

official_required = user_passes_test(is_official, login_url="accounts:login")


def manages_province(user) -> bool:
    """The province administrator (MANAGE reach over the whole province) or a superuser."""
    return user.is_active and (user.is_superuser or scope_of(user, Action.MANAGE).everything)
