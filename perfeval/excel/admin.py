from django.contrib import admin

from perfeval.excel.models import ImportUpload


@admin.register(ImportUpload)
class ImportUploadAdmin(admin.ModelAdmin):
    """A record of what was uploaded and applied; imports happen only through the preview and confirm."""

    list_display = ["original_name", "report", "user", "size", "created_at", "applied_at"]
    list_filter = ["applied_at"]
    search_fields = ["original_name", "sha256", "report__department__name"]
    list_select_related = ["report__department", "report__period", "user"]
    readonly_fields = [field.name for field in ImportUpload._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
