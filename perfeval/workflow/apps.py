from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "perfeval.workflow"
    verbose_name = "提交与审核"

    def ready(self):
        from perfeval.filing import hooks
        from perfeval.workflow import services

        hooks.on_report_viewed(services.record_reviewer_view)
