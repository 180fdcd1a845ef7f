"""What an official keeps of their workspace: filters saved on a list page (the dossier queue,
the register), to come back to with one click."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited


@audited
class SavedFilter(models.Model):
    """A named query string of one list page, kept for one official only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    page = models.CharField(_("page"), max_length=50)  # the list page's URL name, e.g. "office:queue"
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filter"), max_length=1000, blank=True)  # the page's query string, without "page"
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "page", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name
