from django.contrib import admin

from .models import ArchitectureVersion, Component, Connection


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ("name", "layer", "kind", "group", "status", "generated")
    list_filter = ("layer", "status", "generated")
    search_fields = ("name", "key")
    readonly_fields = ("generated", "key")


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ("source", "target", "protocol", "status", "generated")
    list_filter = ("status", "generated")
    readonly_fields = ("generated", "key")


@admin.register(ArchitectureVersion)
class ArchitectureVersionAdmin(admin.ModelAdmin):
    list_display = ("number", "published_at", "published_by", "note")
    readonly_fields = ("number", "published_at", "published_by", "content")
