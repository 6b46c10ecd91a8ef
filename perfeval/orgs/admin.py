from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q

from perfeval.orgs.models import Department, FinanceBureau, User
from perfeval.orgs.scoping import BureauScopedAdmin

RELATED_ONLY = admin.RelatedOnlyFieldListFilter  # filter choices of the rows listed: no other bureau's names


@admin.register(FinanceBureau)
class FinanceBureauAdmin(BureauScopedAdmin, admin.ModelAdmin):
    """A bureau's administrator reads their own bureau and those below; only a superuser changes bureaus."""

    list_display = ["code", "name", "level", "parent", "region"]
    list_filter = ["level"]
    search_fields = ["code", "name", "region"]
    autocomplete_fields = ["parent"]
    bureau_path = "pk"

    def bureau_of(self, obj):
        return obj.pk

    def may_change_row(self, request, obj):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)


@admin.register(Department)
class DepartmentAdmin(BureauScopedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "bureau", "parent"]
    list_filter = [("bureau", RELATED_ONLY), ("parent", RELATED_ONLY)]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "bureau"]


@admin.register(User)
class UserAdmin(BureauScopedAdmin, BaseUserAdmin):
    """A user belongs to a bureau directly (reviewer, administrator) or through their department."""

    list_display = ["username", "full_name", "role", "bureau", "department", "is_active", "last_login"]
    list_filter = ["role", "is_active", ("bureau", RELATED_ONLY), ("department", RELATED_ONLY)]
    search_fields = ["username", "full_name", "department__name", "department__code"]
    autocomplete_fields = ["department", "bureau"]
    list_select_related = ["bureau", "department"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("单位与角色", {"fields": ("role", "bureau", "department", "full_name", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("单位与角色", {"fields": ("role", "bureau", "department", "full_name", "phone")}),
    )

    def bureau_q(self, ids):
        return Q(bureau_id__in=ids) | Q(department__bureau_id__in=ids)

    def bureau_of(self, obj):
        return obj.bureau_id if obj.department_id is None else obj.department.bureau_id

    def may_change_row(self, request, obj):
        # A superuser's account (their password, their flags) is another superuser's business.
        if obj.is_superuser and not request.user.is_superuser:
            return False
        return super().may_change_row(request, obj)

    def bureau_required(self, request):
        return False  # a department's people belong to their department and no bureau

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        # Granting what one does not hold (every bureau, other models' permissions) is a superuser's.
        return fields + ("is_superuser", "groups", "user_permissions")
