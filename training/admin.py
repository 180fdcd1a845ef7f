"""The province maintains courses, tests and materials in the admin; attendance, attempts and
certificates are written by ``training.services`` and only read here."""

from django.contrib import admin

from .models import Certificate, Course, Material, Option, Question, Session, Test


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


class OptionInline(admin.TabularInline):
    model = Option
    extra = 2


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "mandatory_for_all", "renewal_months", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "title")


@admin.register(Test)
class TestAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "pass_mark", "max_attempts", "active")
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "test", "order")
    inlines = [OptionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("course", "agency", "starts_on", "ends_on", "online", "capacity")
    list_filter = ("online",)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "official", "course", "issued_on", "valid_until")
    search_fields = ("number",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "course", "uploaded_at")
