from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "perfeval.notices"
    verbose_name = "通知与催报"
