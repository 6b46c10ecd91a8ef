from django import forms
from django.db.models import Q

from perfeval.filing.bounds import NOTE_MAX
from perfeval.filing.creation import CARRY_APPROVED, CARRY_LATEST
from perfeval.filing.models import FilingKind, FilingPeriod, RulePack
from perfeval.filing.parts import department_scorecard, project_scorecards
from perfeval.orgs.models import Department, FinanceBureau
from perfeval.rules import catalogue, labels
from perfeval.rules.checks import Finding
from perfeval.workflow.models import place_key

WHOLE_REPORT = place_key("")


def place_choices(report, findings: list[Finding]) -> list[tuple[str, str]]:
    """Where a reviewer can pin a reason: the whole report, a section, a table, a row, a cell; the places the
    checks flagged come first. Keys follow the Place convention of perfeval/rules/checks.py."""
    year = report.period.year
    flagged = {}
    for f in findings:
        flagged.setdefault(f.place.key, f"⚠ {f.place.label}")
    choices = [(WHOLE_REPORT, "整份报告")]
    choices += list(flagged.items())
    project_only = report.is_project_only  # no 正文 or 附件1 to pin a reason to
    if not project_only:
        choices += [(place_key("text", key), labels.section(key)) for key, _ in catalogue.SECTIONS]
        choices.append((place_key("att1"), "附件1（整表）"))
    for item in () if project_only else catalogue.EXPENSE_ITEMS:
        row = labels.join("附件1", item.label)
        choices.append((place_key("att1", item.code), row))
        choices += [
            (place_key("att1", item.code, column), labels.join(row, labels.column(header, year)))
            for column, header in labels.AMOUNT_COLUMNS.items()
        ]
    card = department_scorecard(report)
    if card:
        choices.append((place_key("att2"), "附件2（整表）"))
        choices += [
            (place_key("att2", f"indicator:{row.pk}"), labels.join("附件2", row.name))
            for row in card.indicators.all()
        ]
    for card in project_scorecards(report):
        table = f"att3:{card.pk}"
        title = labels.scorecard_table(card.project.name, project_only=project_only)
        choices.append((place_key(table), title))
        choices += [
            (place_key(table, f"indicator:{row.pk}"), labels.join(title, row.name))
            for row in card.indicators.all()
        ]
    choices += [(place_key("projects", str(p.pk)), labels.project(p.name)) for p in report.projects.all()]
    seen, unique = set(), []
    for key, label in choices:
        if key not in seen:
            seen.add(key)
            unique.append((key, label))
    return unique


class ReasonForm(forms.Form):
    place = forms.ChoiceField(label="位置", required=False)
    text = forms.CharField(label="退回原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places


class BaseReasonFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any((f.cleaned_data.get("text") or "").strip() for f in self.forms):
            raise forms.ValidationError("退回须填写至少一条原因。")


ReasonFormSet = forms.formset_factory(ReasonForm, formset=BaseReasonFormSet, extra=4, max_num=30)


class ConfirmForm(forms.Form):
    """The confirmation a return or an approval asks first, a checkbox on its page (no script)."""

    confirmed = forms.BooleanField(
        label="我已核对以上内容，确认执行",
        error_messages={"required": "请先勾选确认。"},
    )


class ApproveForm(ConfirmForm):
    note = forms.CharField(
        label="审核意见",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写审核意见。"},
        help_text="随审核结果记入历史记录，单位可以看到。",
    )

    field_order = ["note", "confirmed"]


class ForwardForm(ConfirmForm):
    opinion = forms.CharField(
        label="主管部门审核意见",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写主管部门审核意见。"},
        help_text="随报告报送财政部门，记入历史记录，单位和财政部门都可以看到。",
    )

    field_order = ["opinion", "confirmed"]


class ReopenForm(forms.Form):
    reason = forms.CharField(label="更正原因", widget=forms.Textarea(attrs={"rows": 3}))


class OpenPeriodForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label="填报类别", choices=FilingKind.choices, initial=FilingKind.DEPARTMENT, required=False
    )
    deadline = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    rule_pack = forms.ModelChoiceField(label="规则包", queryset=RulePack.objects.none())
    departments = forms.ModelMultipleChoiceField(
        label="须填报单位",
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    requires_head_confirmation = forms.BooleanField(label="提交前须单位负责人确认", required=False)
    remind_days_before = forms.IntegerField(
        label="截止前几天催报",
        min_value=0,
        max_value=90,
        initial=7,
        required=False,
        help_text="截止日前这么多天起，向尚未提交的单位发送一次催报（站内通知和邮件）；逾期后再催报一次。",
    )
    carry_from = forms.ChoiceField(
        label="结转来源",
        choices=[
            (CARRY_APPROVED, "各单位上一年度已审核通过的报告"),
            (CARRY_LATEST, "各单位最新的一份报告（不论状态，适用于由导入草稿起步的单位）"),
        ],
        initial=CARRY_APPROVED,
        required=False,
    )
    # Shown only after the rule pack was found to be made for another year or region.
    pack_warnings: tuple[str, ...] = ()
    confirm_pack = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        """The administrator's own bureau's departments and rule packs (and the shared ones); a superuser
        without a bureau opens for the first bureau."""
        super().__init__(*args, **kwargs)
        self.bureau = user.bureau or FinanceBureau.objects.order_by("code").first()
        bureau_id = self.bureau.pk if self.bureau else None
        self.fields["departments"].queryset = Department.objects.filter(bureau_id=bureau_id)
        self.fields["rule_pack"].queryset = RulePack.objects.filter(
            Q(bureau__isnull=True) | Q(bureau_id=bureau_id)
        )

    def ask_pack_confirmation(self, warnings: list[str]) -> None:
        field = self.fields["confirm_pack"]
        field.widget = forms.CheckboxInput()
        field.label = "我已核对上述规则包问题，仍使用该规则包开启填报期"
        self.pack_warnings = tuple(warnings)

    def clean_kind(self):
        return self.cleaned_data["kind"] or FilingKind.DEPARTMENT

    def clean_remind_days_before(self):
        value = self.cleaned_data["remind_days_before"]
        return 7 if value is None else value

    def clean_carry_from(self):
        return self.cleaned_data["carry_from"] or CARRY_APPROVED

    def clean(self):
        cleaned = super().clean()
        year, deadline, kind = cleaned.get("year"), cleaned.get("deadline"), cleaned.get("kind")
        if year and kind and FilingPeriod.objects.filter(bureau=self.bureau, year=year, kind=kind).exists():
            self.add_error("year", f"{year} 年度{FilingKind(kind).label}填报期已存在。")
            return cleaned
        if year and deadline and deadline.year <= year:
            self.add_error("deadline", "截止日期应在该年度结束之后（次年）。")
        return cleaned
