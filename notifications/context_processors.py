from .services import unread_count


def unread(request):
    """``unread_notifications`` for the header of signed-in users' pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
