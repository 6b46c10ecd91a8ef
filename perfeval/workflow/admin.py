from django.contrib import admin, messages

from perfeval.filing.models import FilingPeriod
from perfeval.workflow import services
from perfeval.workflow.models import AuditEvent, HeadConfirmation, ReturnReason, ReturnRound


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: readable, never editable or deletable (also refused by the model and by database
    triggers)."""

    list_display = (
        "created_at",
        "actor_name",
        "action",
        "report",
        "status_from",
        "status_to",
        "version",
        "ip",
    )
    list_filter = ("action",)
    search_fields = ("actor_name", "reason", "path")
    date_hierarchy = "created_at"
    list_select_related = ("report__department", "report__period")

    def get_actions(self, request):
        return {}


class ReturnReasonInline(admin.TabularInline):
    model = ReturnReason
    extra = 0
    fields = ("label", "text", "resolved_at", "resolved_by")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReturnRound)
class ReturnRoundAdmin(ReadOnlyAdmin):
    list_display = ("report", "number", "returned_by", "returned_at")
    exclude = ("snapshot",)
    inlines = [ReturnReasonInline]


@admin.register(HeadConfirmation)
class HeadConfirmationAdmin(ReadOnlyAdmin):
    list_display = ("report", "version", "confirmed_by", "confirmed_at")


@admin.action(description="为须填报单位创建报告（结转上年已审核报告）")
def create_period_reports(modeladmin, request, queryset):
    """For FilingPeriodAdmin: a period created or extended in the admin gets its drafts like one opened on
    /periods/."""
    for period in queryset:
        try:
            created = services.create_period_reports(period=period, user=request.user)
        except services.WorkflowError as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return
        modeladmin.message_user(request, f"{period}：新建 {len(created)} 份报告。")


@admin.register(FilingPeriod)
class FilingPeriodAdmin(admin.ModelAdmin):
    """Registered here, not in filing, because its action creates the period's reports through the workflow."""

    list_display = ["year", "deadline", "rule_pack", "requires_head_confirmation"]
    list_filter = ["rule_pack"]
    filter_horizontal = ["departments"]
    actions = [create_period_reports]
