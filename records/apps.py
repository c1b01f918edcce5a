from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "案卷材料"
    default_auto_field = "django.db.models.BigAutoField"
