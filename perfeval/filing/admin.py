from django.contrib import admin, messages

from perfeval.filing.models import (
    BuildingRow,
    ExpenseAmount,
    ExpenseItem,
    FilingPeriod,
    FindingExplanation,
    FundLine,
    Indicator,
    Project,
    Report,
    RulePack,
    Scorecard,
    SpecialRow,
)
from perfeval.workflow import services as workflow
from perfeval.workflow.admin import create_period_reports
from perfeval.workflow.admin_lock import LockedPartAdminMixin, LockedReportAdminMixin


@admin.register(RulePack)
class RulePackAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version"]
    list_filter = ["code"]
    search_fields = ["name", "code"]


@admin.register(FilingPeriod)
class FilingPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "deadline", "rule_pack", "requires_head_confirmation"]
    list_filter = ["rule_pack"]
    filter_horizontal = ["departments"]
    actions = [create_period_reports]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "rule_pack" in form.changed_data or not change:
            for warning in workflow.rule_pack_warnings(rule_pack=obj.rule_pack, year=obj.year):
                self.message_user(request, f"请核对：{warning}。", messages.WARNING)


@admin.register(ExpenseItem)
class ExpenseItemAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "label", "parent", "children_rule", "has_prior"]
    ordering = ["order"]

    def has_delete_permission(self, request, obj=None):
        return False  # rows of the official table: renaming is fine, deleting would orphan amounts


class ExpenseInline(LockedPartAdminMixin, admin.TabularInline):
    model = ExpenseAmount
    extra = 0
    fields = ["item", "prior_final", "budget", "final"]


class SpecialRowInline(LockedPartAdminMixin, admin.TabularInline):
    model = SpecialRow
    extra = 0


class BuildingInline(LockedPartAdminMixin, admin.TabularInline):
    model = BuildingRow
    extra = 0


class ProjectInline(LockedPartAdminMixin, admin.TabularInline):
    model = Project
    extra = 0
    fields = ["order", "name", "category", "initial_budget", "adjustment", "actual_spent", "carryover"]
    show_change_link = True


class ScorecardInline(LockedPartAdminMixin, admin.TabularInline):
    model = Scorecard
    extra = 0
    fields = ["kind", "project"]
    show_change_link = True


class ExplanationInline(LockedPartAdminMixin, admin.TabularInline):
    model = FindingExplanation
    extra = 0


@admin.register(Report)
class ReportAdmin(LockedReportAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "department", "period", "status", "version", "updated_at"]
    list_filter = ["status", "period", "department__parent"]
    search_fields = ["department__name", "department__code"]
    list_select_related = ["department", "period"]
    readonly_fields = ["status", "version", "created_at", "updated_at", "updated_by"]
    inlines = [
        ExpenseInline,
        SpecialRowInline,
        BuildingInline,
        ProjectInline,
        ScorecardInline,
        ExplanationInline,
    ]
    fieldsets = [
        (None, {"fields": ["department", "period", "status", "version", "cover_date"]}),
        ("页脚", {"fields": ["preparer_name", "fill_date", "phone", "head_name"]}),
        (
            "正文",
            {
                "fields": [
                    "s1_intro", "s1_duties", "s1_organization", "personnel_expense", "s2_note", "s3_note",
                    "s4_text", "s5_text", "s6_overall", "s7_problems", "s8_measures", "s9_application", "s10_other",
                ]
            },
        ),
        ("附件1", {"fields": ["staff_quota", "staff_actual", "reported_control_rate", "frugality_measures"]}),
        ("记录", {"fields": ["created_at", "updated_at", "updated_by"]}),
    ]  # fmt: skip
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
        return super().has_add_permission(request) and workflow.may_open_periods(request.user)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        report = workflow.create_draft(period=obj.period, department=obj.department, user=request.user)
        obj.pk = report.pk
        obj._state.adding = False
        obj.refresh_from_db()


class FundLineInline(LockedPartAdminMixin, admin.TabularInline):
    model = FundLine
    extra = 0


class IndicatorInline(LockedPartAdminMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "order", "level1", "level2", "name", "operator", "target_text", "target_value", "target_unit",
        "actual_text", "actual_value", "qual_band", "weight", "score", "deviation_reason",
    ]  # fmt: skip


@admin.register(Scorecard)
class ScorecardAdmin(LockedPartAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "report", "kind"]
    list_filter = ["kind", "report__period"]
    search_fields = ["report__department__name", "project__name"]
    list_select_related = ["report__department", "report__period", "project"]
    inlines = [FundLineInline, IndicatorInline]
    raw_id_fields = ["report", "project"]


@admin.register(Project)
class ProjectAdmin(LockedPartAdminMixin, admin.ModelAdmin):
    list_display = ["name", "report", "category", "initial_budget", "actual_spent"]
    list_filter = ["category", "report__period"]
    search_fields = ["name", "report__department__name"]
    list_select_related = ["report__department", "report__period"]
    raw_id_fields = ["report"]


@admin.register(Indicator)
class IndicatorAdmin(LockedPartAdminMixin, admin.ModelAdmin):
    list_display = ["name", "scorecard", "level1", "level2", "operator", "weight", "score"]
    list_filter = ["level1", "operator", "qual_band"]
    search_fields = ["name", "scorecard__report__department__name"]
    list_select_related = ["scorecard__report__department", "scorecard__project"]
    raw_id_fields = ["scorecard"]
