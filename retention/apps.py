from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Retention (thời hạn lưu trữ): records kept as long as the law requires, then archived, erased or
    anonymised by a scheduled job that writes a report (docs/decisions/0051-retention.md)."""

    name = "retention"
    default_auto_field = "django.db.models.BigAutoField"
