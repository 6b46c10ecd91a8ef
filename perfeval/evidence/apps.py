from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "perfeval.evidence"
    verbose_name = "佐证材料"

    def ready(self):
        from perfeval.evidence import services
        from perfeval.filing import hooks

        hooks.register_internal_part("evidence", services.evidence_payload, prefetch="evidence_files")
