"""Calls from above. Apps that build on filing register here, in their ``AppConfig.ready``, what runs when
filing acts — so filing never imports them (apps import downward only; a test walks the imports)."""

# format → "module:function(report, output_path)"; a writer's heavy module is imported only when asked for.
export_writers: dict[str, str] = {"json": "perfeval.filing.management.commands.export_report:write_json"}


def register_export_writer(fmt: str, target: str) -> None:
    """``export_report --format fmt`` writes with ``target`` ("module:function")."""
    export_writers[fmt] = target
