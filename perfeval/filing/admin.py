from django.contrib import admin
from django.db.models import Q

from perfeval.filing import access
from perfeval.filing.admin_lock import LockedPartAdminMixin, LockedReportAdminMixin
from perfeval.filing.models import (
    BuildingRow,
    ExpenseAmount,
    ExpenseItem,
    FindingExplanation,
    FundLine,
    Indicator,
    Project,
    Report,
    RulePack,
    Scorecard,
    SpecialRow,
)
from perfeval.orgs.scoping import BureauScopedAdmin
from perfeval.rules import labels
from perfeval.rules.checks import CHECKS

RELATED_ONLY = admin.RelatedOnlyFieldListFilter  # filter choices of the rows listed: no other bureau's names


@admin.register(RulePack)
class RulePackAdmin(BureauScopedAdmin, admin.ModelAdmin):
    """A bureau's packs; those shipped with the product (no bureau) every bureau reads and uses, none changes."""

    list_display = ["name", "code", "version", "bureau"]
    list_filter = ["code", ("bureau", RELATED_ONLY)]
    shared_q = Q(bureau__isnull=True)
    search_fields = ["name", "code"]


@admin.register(ExpenseItem)
class ExpenseItemAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "label", "parent", "children_rule", "has_prior"]
    ordering = ["order"]

    def has_delete_permission(self, request, obj=None):
        return False  # rows of the official table: renaming is fine, deleting would orphan amounts


class YearColumnsMixin:
    """附件1's amount columns headed as the table prints them (「2023年决算数」), from the report's year."""

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None:  # the form's labels head editable and read-only (locked report) columns alike
            year = obj.period.year
            kwargs["labels"] = {key: labels.column(h, year) for key, h in labels.AMOUNT_COLUMNS.items()}
        return super().get_formset(request, obj, **kwargs)


class ExpenseInline(YearColumnsMixin, LockedPartAdminMixin, admin.TabularInline):
    model = ExpenseAmount
    extra = 0
    fields = ["item", "prior_final", "budget", "final"]


class SpecialRowInline(YearColumnsMixin, LockedPartAdminMixin, admin.TabularInline):
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
    """The preparers' explanations, each under the Chinese name of its check (the code stays in the data)."""

    model = FindingExplanation
    extra = 0
    fields = ["problem", "text"]
    readonly_fields = ["problem"]

    @admin.display(description="问题")
    def problem(self, explanation):
        return CHECKS.get(explanation.code, ("", "其他问题"))[1]

    def has_add_permission(self, request, obj=None):
        return False  # written on the report's 检查 page, where the finding it explains is shown


@admin.register(Report)
class ReportAdmin(LockedReportAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "department", "period", "status", "version", "updated_at"]
    list_filter = [
        "status",
        ("period__bureau", RELATED_ONLY),
        ("period", RELATED_ONLY),
        ("department__parent", RELATED_ONLY),
    ]
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

    def get_queryset(self, request):
        return access.reports_visible_to(request.user, super().get_queryset(request))


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
