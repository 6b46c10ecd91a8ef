from django.apps import AppConfig
from django.core import checks


def check_defusedxml(app_configs=None, **kwargs):
    """openpyxl parses uploads with defusedxml only when it is importable; refuse to start without it."""
    try:
        import defusedxml  # noqa: F401
        import openpyxl
    except ImportError as exc:
        return [checks.Error(f"Excel 导入需要 defusedxml 与 openpyxl：{exc}", id="excel.E001")]
    if not openpyxl.DEFUSEDXML:
        return [
            checks.Error(
                "openpyxl 未启用 defusedxml（检查环境变量 OPENPYXL_DEFUSEDXML），Excel 导入不安全",
                id="excel.E002",
            )
        ]
    return []


class ExcelConfig(AppConfig):
    name = "perfeval.excel"
    verbose_name = "Excel 导入导出"

    def ready(self):
        from perfeval.filing import hooks

        checks.register(check_defusedxml)
        hooks.register_export_writer("xlsx", "perfeval.excel.exports:write_xlsx")
        from perfeval.excel.jobs import register_jobs

        register_jobs()
