from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "perfeval.evidence"
    verbose_name = "佐证材料"

    def ready(self):
        from django.db.models.signals import post_delete

        from perfeval.evidence import services
        from perfeval.evidence.models import Evidence
        from perfeval.filing import hooks

        hooks.register_internal_part("evidence", services.evidence_payload, prefetch="evidence_files")
        # Catches cascades too (a deleted report or return reason), which no service function sees.
        post_delete.connect(services.delete_file_after_commit, sender=Evidence, dispatch_uid="evidence-file")
