"""A category's version goes up whenever one of its rows changes, whichever app changed it."""

from django.db.models.signals import post_delete, post_save

from .categories import CATEGORIES, bump
from .models import CategoryRow


def _kept_row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(instance.category)


def connect() -> None:
    for category in CATEGORIES.values():
        for model in category.watched:
            def changed(sender, raw=False, _code=category.code, **kwargs):
                if not raw:
                    bump(_code)
            uid = f"lgsp:version:{category.code}:{model.__name__.lower()}"
            post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
            post_delete.connect(changed, sender=model, dispatch_uid=uid + ":del", weak=False)
    post_save.connect(_kept_row_changed, sender=CategoryRow, dispatch_uid="lgsp:version:rows", weak=False)
    post_delete.connect(_kept_row_changed, sender=CategoryRow, dispatch_uid="lgsp:version:rows:del", weak=False)
