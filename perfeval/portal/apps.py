from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "perfeval.portal"
    verbose_name = "公开门户与文字雷同检测"

    def ready(self):
        # Publication feeds the portal's indexes, and check_report lists the copied-narrative findings: both
        # through hooks, because publishing and editing sit below this app and never import it.
        from django.db.models.signals import post_save

        from perfeval.editing.findings import register_finding_provider
        from perfeval.portal import detector, indexing
        from perfeval.publishing.models import PublishedVersion

        post_save.connect(indexing.on_version_saved, sender=PublishedVersion, dispatch_uid="portal-index")
        register_finding_provider(detector.copy_findings)
