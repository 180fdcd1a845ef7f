from django.db.models import QuerySet

from .models import Notification


def for_user(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user).select_related("dossier").order_by("-created_at", "-id")
