from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "perfeval.publishing"
    verbose_name = "发布与PDF"

    def ready(self):
        from perfeval.filing import hooks
        from perfeval.publishing import (
            checks,  # noqa: F401  (registers the system checks)
            services,
        )
        from perfeval.workflow import services as workflow

        hooks.register_export_writer("pdf", "perfeval.publishing.exports:write_pdf")
        workflow.on_transition("approve", services.freeze_report)
        workflow.on_transition("publish", services.create_published_version)
