"""Where a user is signed in: the list of their sessions, ending one or all the others, and the
absolute time-out (Decree 13/2023/NĐ-CP asks that access to personal data be controlled; officials
sign in again at least once per working day).

Idle time-out is Django's: ``SESSION_COOKIE_AGE`` (30 minutes) renewed on every request
(``SESSION_SAVE_EVERY_REQUEST``). The absolute limit counts from the sign-in whatever the activity:
``SESSION_ABSOLUTE_SECONDS_OFFICIAL`` (10 hours) and ``SESSION_ABSOLUTE_SECONDS`` (24 hours).
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from audit.middleware import client_ip
from audit.services import record

from .models import User, UserSession

SIGNED_IN_AT = "egov_signed_in_at"
SEEN_AT = "egov_seen_at"
TOUCH_SECONDS = 60  # last-seen time is written at most once a minute per session


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def absolute_limit(user) -> dt.timedelta:
    seconds = (settings.SESSION_ABSOLUTE_SECONDS_OFFICIAL if user.kind == User.Kind.OFFICIAL
               else settings.SESSION_ABSOLUTE_SECONDS)
    return dt.timedelta(seconds=seconds)


def started(request, user) -> None:
    """At sign-in: remember when, and list the session (its key exists once the login cycled it)."""
    now = timezone.now()
    request.session[SIGNED_IN_AT] = now.timestamp()
    request.session[SEEN_AT] = now.timestamp()
    if not request.session.session_key:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "started_at": now, "last_seen_at": now, "ip": client_ip(request),
                  "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]})


def ended(request) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def expired(request, user) -> bool:
    """Whether the session passed its absolute limit (a session from before the limit existed
    counts from now)."""
    signed_in = request.session.setdefault(SIGNED_IN_AT, timezone.now().timestamp())
    return timezone.now().timestamp() - signed_in > absolute_limit(user).total_seconds()


def touch(request, user) -> None:
    now = timezone.now().timestamp()
    if now - request.session.get(SEEN_AT, 0) < TOUCH_SECONDS:
        return
    request.session[SEEN_AT] = now
    key = request.session.session_key
    if key and not UserSession.objects.filter(session_key=key).update(last_seen_at=timezone.now()):
        started(request, user)  # a session made before the list existed joins it


def active(user) -> list[UserSession]:
    """The user's sessions still in the store (rows of sessions that timed out are dropped)."""
    store = _store()
    sessions = []
    for session in UserSession.objects.filter(user=user):
        if store().exists(session.session_key):
            sessions.append(session)
        else:
            session.delete()
    return sessions


def end(*, user, session_id: int, request=None) -> None:
    """End one of the user's own sessions; another user's session is not found (404)."""
    session = UserSession.objects.filter(user=user, pk=session_id).first()
    if session is None:
        raise Http404
    _store()(session_key=session.session_key).delete()
    session.delete()
    record(action="security", obj=user, summary={"session": "ended"})


def end_others(*, user, request) -> int:
    """Sign out everywhere but here; how many sessions were ended."""
    current = request.session.session_key
    others = [s for s in UserSession.objects.filter(user=user) if s.session_key != current]
    for session in others:
        _store()(session_key=session.session_key).delete()
        session.delete()
    record(action="security", obj=user, summary={"sessions": "others ended", "count": len(others)})
    return len(others)
