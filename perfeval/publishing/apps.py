from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "perfeval.publishing"
    verbose_name = "发布与PDF"

    def ready(self):
        from perfeval.publishing import checks  # noqa: F401  (registers the system checks)
