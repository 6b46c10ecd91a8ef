from django.apps import AppConfig


class ExcelConfig(AppConfig):
    name = "perfeval.excel"
    verbose_name = "Excel 导入导出"
