from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory.access import manages_province

from . import services
from .models import OutboxMessage


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return OutboxMessage.State.choices

    def queryset(self, request, queryset):
        if self.value() == OutboxMessage.State.DONE:
            return queryset.filter(done_at__isnull=False)
        if self.value() == OutboxMessage.State.DEAD:
            return queryset.filter(done_at__isnull=True, dead_at__isnull=False)
        if self.value() == OutboxMessage.State.PENDING:
            return queryset.filter(done_at__isnull=True, dead_at__isnull=True)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """For the platform's operators (the province administrator): what is waiting, what failed
    and why, and a way to run a given-up task again once its cause is fixed."""

    list_display = ["id", "task", "arguments", "state_label", "attempts", "created_at", "next_attempt_at",
                    "done_at", "last_error"]
    list_filter = [StateFilter, "task"]
    search_fields = ["task", "last_error"]
    actions = ["run_again"]
    fields = readonly_fields = ("task", "arguments", "created_at", "attempts", "last_attempt_at",
                                "next_attempt_at", "done_at", "dead_at", "last_error")

    @admin.display(description=_("state"))
    def state_label(self, obj: OutboxMessage) -> str:
        return str(OutboxMessage.State(obj.state).label)

    @admin.display(description=_("arguments"))
    def arguments(self, obj: OutboxMessage) -> str:
        # Record ids only: other arguments may be links or tokens meant for one person.
        return ", ".join(str(value) if isinstance(value, int) else "…" for value in obj.args)

    @admin.action(description=_("Run again (a fresh set of attempts)"))
    def run_again(self, request, queryset):
        count = services.run_again(queryset)
        self.message_user(request, ngettext("%(count)d task will run again.", "%(count)d tasks will run again.",
                                            count) % {"count": count}, messages.SUCCESS)

    def has_module_permission(self, request) -> bool:
        return manages_province(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return manages_province(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # done rows are purged by the drain; the others are still owed
