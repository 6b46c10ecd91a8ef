from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "perfeval.publishing"
    verbose_name = "发布与PDF"
