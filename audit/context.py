"""Who is acting, and from where, for the audit entries written during this request or task."""

import contextlib
import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str
    ip: str | None = None


SYSTEM = Actor(user_id=None, label="system")
_current: contextvars.ContextVar[Actor] = contextvars.ContextVar("audit_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


def actor_for(user, ip: str | None = None) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user_id=None, label="anonymous", ip=ip)
    return Actor(user_id=user.pk, label=user.get_username(), ip=ip)


@contextlib.contextmanager
def acting_as(user, ip: str | None = None):
    token = _current.set(actor_for(user, ip) if not isinstance(user, Actor) else user)
    try:
        yield
    finally:
        _current.reset(token)
