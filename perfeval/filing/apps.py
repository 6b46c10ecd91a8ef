from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "perfeval.filing"
    verbose_name = "绩效自评填报"
