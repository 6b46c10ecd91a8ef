"""Calls from above. Apps that build on filing register here, in their ``AppConfig.ready``, what runs when
filing acts — so filing never imports them (apps import downward only; a test walks the imports)."""

from collections.abc import Callable

_report_viewed: list[Callable] = []
# format → "module:function(report, output_path)"; a writer's heavy module is imported only when asked for.
export_writers: dict[str, str] = {"json": "perfeval.filing.management.commands.export_report:write_json"}


def on_report_viewed(callback: Callable) -> None:
    """``callback(report=, user=)`` runs when a user opens the report page (workflow: a reviewer's first look)."""
    if callback not in _report_viewed:
        _report_viewed.append(callback)


def report_viewed(*, report, user) -> None:
    for callback in _report_viewed:
        callback(report=report, user=user)


def register_export_writer(fmt: str, target: str) -> None:
    """``export_report --format fmt`` writes with ``target`` ("module:function")."""
    export_writers[fmt] = target
