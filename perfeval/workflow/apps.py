from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "perfeval.workflow"
    verbose_name = "提交与审核"

    def ready(self):
        from perfeval.filing import hooks
        from perfeval.workflow.templatetags.workflow import HISTORY_FLAGS

        # The report page's buttons read these with the report (workflow_state): no query of their own.
        for name, build in HISTORY_FLAGS.items():
            hooks.register_report_page_annotation(name, build)
