from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from perfeval.orgs.models import Department, FinanceBureau, User


@admin.register(FinanceBureau)
class FinanceBureauAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "region"]
    list_filter = ["level"]
    search_fields = ["code", "name", "region"]
    autocomplete_fields = ["parent"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "bureau", "parent"]
    list_filter = ["bureau", "parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "bureau"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "bureau", "department", "is_active", "last_login"]
    list_filter = ["role", "is_active", "bureau", "department"]
    search_fields = ["username", "full_name", "department__name", "department__code"]
    autocomplete_fields = ["department", "bureau"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("单位与角色", {"fields": ("role", "bureau", "department", "full_name", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("单位与角色", {"fields": ("role", "bureau", "department", "full_name", "phone")}),
    )
