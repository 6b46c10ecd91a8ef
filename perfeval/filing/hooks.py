"""Calls from above. Apps that build on filing register here, in their ``AppConfig.ready``, what runs when
filing acts — so filing never imports them (apps import downward only; a test walks the imports)."""

from collections.abc import Callable

# format → "module:function(report, output_path)"; a writer's heavy module is imported only when asked for.
export_writers: dict[str, str] = {"json": "perfeval.filing.management.commands.export_report:write_json"}


def register_export_writer(fmt: str, target: str) -> None:
    """``export_report --format fmt`` writes with ``target`` ("module:function")."""
    export_writers[fmt] = target


# key → function(report) -> list | dict: parts of the internal payload (``export_report(refs=True)``: snapshots,
# the rules' data, the edit pages) that an app above adds, such as ``"evidence"`` (perfeval.evidence). Open data
# never carries them: ``without_refs`` drops them with the refs.
internal_parts: dict[str, Callable] = {}
# Related names ``parts.reports_with_parts`` prefetches for them, so a page of many reports reads each once.
internal_prefetches: list[str] = []


def register_internal_part(key: str, build: Callable, *, prefetch: str | None = None) -> None:
    internal_parts[key] = build
    if prefetch and prefetch not in internal_prefetches:
        internal_prefetches.append(prefetch)


# name → function(user) -> an expression over a report row that the report page loads with the report (whether
# an app has rows of it, say), so that its buttons ask nothing more: ``report_detail`` annotates the report it
# loads with each, in its own query of reports (never nested: workflow's flags name the report table).
report_page_annotations: dict[str, Callable] = {}


def register_report_page_annotation(name: str, build: Callable) -> None:
    report_page_annotations[name] = build
