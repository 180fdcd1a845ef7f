from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Legal bases")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import FormSet, LegalDocument
        from .selectors import forget_form_sets

        for model in (FormSet, LegalDocument):
            post_save.connect(forget_form_sets, sender=model, dispatch_uid=f"legal:forget:{model.__name__}:save")
            post_delete.connect(forget_form_sets, sender=model, dispatch_uid=f"legal:forget:{model.__name__}:delete")
