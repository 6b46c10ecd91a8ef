from django.apps import AppConfig


class EditingConfig(AppConfig):
    name = "perfeval.editing"
    verbose_name = "报告编辑"
