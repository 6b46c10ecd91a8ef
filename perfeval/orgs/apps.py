from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "perfeval.orgs"
    verbose_name = "单位与用户"
