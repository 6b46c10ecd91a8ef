from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "perfeval.workflow"
    verbose_name = "提交与审核"
