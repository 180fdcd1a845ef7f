"""Automatic audit of every change to registered models, whatever path made it
(service, admin, import): post_save/post_delete write the entry in the same transaction."""

from django.db.models.signals import post_delete, post_save, pre_save

from .services import record

_SKIP = {"password", "last_login", "updated_at"}


def locked_as_loaded(instance) -> None:
    """Declare that ``instance`` was just read under a row lock (``select_for_update``) in the
    current transaction, so its loaded values are the row's: its next save compares against them
    instead of reading the row again. Anything else reads the row before saving."""
    instance._audit_known = {field.attname: getattr(instance, field.attname)
                             for field in type(instance)._meta.concrete_fields}


def _changed_fields(sender, instance) -> list[str]:
    if instance.pk is None:
        return []
    known = instance.__dict__.pop("_audit_known", None)
    old = known if known is not None else sender._default_manager.filter(pk=instance.pk).values().first()
    if old is None:
        return []
    changed = []
    for field in sender._meta.concrete_fields:
        if field.attname in _SKIP:
            continue
        if old.get(field.attname) != getattr(instance, field.attname):
            changed.append(field.name)
    return changed


def _before_save(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._audit_changed = _changed_fields(sender, instance)


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record(action="create", obj=instance, summary={"repr": str(instance)[:200]})
    else:
        changed = getattr(instance, "_audit_changed", None)
        if changed == []:
            return
        record(action="update", obj=instance, summary={"fields": changed or []})


def _after_delete(sender, instance, **kwargs):
    record(action="delete", obj=instance, summary={"repr": str(instance)[:200]})


def audited(model):
    """Class decorator: every create, change and delete of ``model`` is audited."""
    uid = f"audit:{model._meta.label_lower}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid + ":pre", weak=False)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid + ":post", weak=False)
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + ":del", weak=False)
    return model
