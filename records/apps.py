from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "案卷材料"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from records import search

        search.connect()  # a changed field or page range drops the document's search entry
