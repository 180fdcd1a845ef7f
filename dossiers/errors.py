"""What the dossier doors raise when they refuse (shown to the official or applicant as is)."""

from django.core.exceptions import PermissionDenied


class StaleDossier(Exception):
    """Someone else changed the dossier since it was read."""


class TransitionRefused(PermissionDenied):
    """The action is not allowed for this user on this dossier now; the message says why."""
