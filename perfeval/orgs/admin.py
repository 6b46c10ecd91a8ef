from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from perfeval.orgs.models import Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    list_filter = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "department", "is_active", "last_login"]
    list_filter = ["role", "is_active", "department"]
    search_fields = ["username", "full_name", "department__name", "department__code"]
    autocomplete_fields = ["department"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("单位与角色", {"fields": ("role", "department", "full_name", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("单位与角色", {"fields": ("role", "department", "full_name", "phone")}),
    )
