from django.contrib import admin

from .models import Group, IndexSet, Indicator


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(IndexSet)
class IndexSetAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "valid_from"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["index_set", "code", "name", "max_points"]
    list_filter = ["index_set"]
    inlines = [IndicatorInline]
