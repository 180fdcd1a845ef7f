from django.apps import AppConfig


class DatastoreConfig(AppConfig):
    """The citizen's and organisation's electronic data store, reuse and digitisation (Decree 45/2020)."""

    name = "datastore"
    default_auto_field = "django.db.models.BigAutoField"
