from django.contrib import admin, messages

from perfeval.filing import access
from perfeval.filing.admin import ReportAdmin as FilingReportAdmin
from perfeval.filing.models import FilingPeriod, Report
from perfeval.orgs.scoping import BureauScopedAdmin, offer_choices
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
        if not access.acts_for_period(request.user, period):  # a bureau below: read, never acted on
            modeladmin.message_user(
                request, f"{period}（{period.bureau}）不是本财政部门的填报期。", messages.ERROR
            )
            return
        try:
            created = services.create_period_reports(period=period, user=request.user)
        except services.WorkflowError as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return
        modeladmin.message_user(request, f"{period}：新建 {len(created)} 份报告。")


@admin.register(FilingPeriod)
class FilingPeriodAdmin(BureauScopedAdmin, admin.ModelAdmin):
    """Registered here, not in filing, because its action creates the period's reports through the workflow.
    Its bureau, rule pack and departments are offered as perfeval.orgs.scoping's admins offer them."""

    list_display = [
        "year",
        "kind",
        "bureau",
        "deadline",
        "rule_pack",
        "requires_head_confirmation",
        "remind_days_before",
    ]
    list_filter = [
        "kind",
        ("bureau", admin.RelatedOnlyFieldListFilter),
        ("rule_pack", admin.RelatedOnlyFieldListFilter),
    ]
    filter_horizontal = ["departments"]
    actions = [create_period_reports]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "rule_pack" in form.changed_data or not change:
            warnings = services.rule_pack_warnings(
                rule_pack=obj.rule_pack, year=obj.year, bureau=obj.bureau, kind=obj.kind
            )
            for warning in warnings:
                self.message_user(request, f"请核对：{warning}。", messages.WARNING)


admin.site.unregister(Report)


@admin.register(Report)
class ReportAdmin(FilingReportAdmin):
    """The Report admin with the workflow's way of adding one: registered here because a new report is made by
    the workflow, as on /periods/ (full skeleton, carried forward, audited)."""

    add_fieldsets = [
        (
            None,
            {
                "fields": ["department", "period"],
                "description": "新报告与开启填报期时创建的一样：附件2、每个项目的附件3，并结转该单位上一年度已审核通过的报告。",
            },
        )
    ]

    # A new report is made by the workflow, as on /periods/: full skeleton, carried forward, audited.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and access.is_administrator(request.user)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        offer_choices(self.admin_site, db_field, request, kwargs)  # a new report: the own bureau's
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        report = services.create_draft(period=obj.period, department=obj.department, user=request.user)
        obj.pk = report.pk
        obj._state.adding = False
        obj.refresh_from_db()
