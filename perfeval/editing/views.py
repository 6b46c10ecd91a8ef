"""The edit pages: access check first (404), forms, one service call, redirect after POST, render."""

import hashlib
import json
import re
from decimal import Decimal
from functools import lru_cache
from html import escape

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.forms import formsets
from django.http import Http404, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from perfeval.editing import forms as ef
from perfeval.editing import services
from perfeval.editing.findings import anchor, group_findings, shown_findings
from perfeval.filing import access, checked
from perfeval.filing.access import get_report_for_user
from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import UNDER_REVIEW_STATUSES, FundSource, Report, Scorecard, ScorecardKind
from perfeval.filing.templatetags import fragments
from perfeval.rules import catalogue
from perfeval.rules.decimals import fmt_amount
from perfeval.rules.payload import report_data, scorecard_data
from perfeval.rules.scoring import attachment1_computed, scorecard_result, sum_known

SAVED = "已保存。"
DRAFT_RESTORED = "已恢复未保存的暂存内容"
READ_ONLY_NOTE = "本页为只读：{reason}"

TABS = (
    ("overview", "概览", "editing:overview"),
    ("text", "封面与正文", "editing:text"),
    ("att1", "附件1 基础数据", "editing:attachment1"),
    ("att2", "附件2 部门自评表", "editing:attachment2"),
    ("projects", "项目与附件3", "editing:projects"),
    ("check", "检查", "editing:check"),
)
# A project-only filing (项目支出绩效自评) edits its projects' tables only.
PROJECT_FILING_TABS = (
    ("overview", "概览", "editing:overview"),
    ("projects", "项目与自评表", "editing:projects"),
    ("check", "检查", "editing:check"),
)
NOT_IN_PROJECT_FILING = "项目支出绩效自评没有该部分"


def tabs_of(report):
    return PROJECT_FILING_TABS if report.is_project_only else TABS


def _whole_report_part(request, report_id, *prefetch):
    """A report for a tab of the 部门整体 parts (正文, 附件1, 附件2): a project-only filing has none of them."""
    report = _load(request, report_id, *prefetch)
    if report.is_project_only:
        raise Http404(NOT_IN_PROJECT_FILING)
    return report


def _load(request, report_id, *prefetch):
    """The report with only what the tab shows (``prefetch``): the checks and computed figures of the whole
    report come from ``filing.checked``, worked out once per version, so a tab never loads the other parts."""
    queryset = Report.objects.select_related("department", "period__rule_pack").prefetch_related(*prefetch)
    return get_report_for_user(request.user, report_id, queryset)


def _project_card(report, project_id) -> tuple[str, str] | None:
    """(scorecard id, project name) of the project's 附件3 in the version's index — the version everything on
    the page shows — or None when it has none."""
    found = [(card, name) for card, (pk, name) in checked.index(report).cards.items() if pk == project_id]
    return found[0] if found else None


def _page_key(request, report, part, reason) -> str | None:
    """The cache key of the whole tab (the ``fragment`` of _edit_base.html: everything below the navigation
    bar) when it shows what is saved: the report's version and rule pack, the tab, the user's role and why the
    page is read-only, if it is — nothing else on it depends on who looks. Its return reasons and their
    replies change only with a version, except while a reviewer has the report (submitted to the bureau or
    its 主管部门), who marks them resolved without one: then the tab is rendered every time."""
    if report.status in UNDER_REVIEW_STATUSES:
        return None
    user = request.user
    who = "superuser" if user.is_superuser else user.role
    why = hashlib.sha256(reason.encode()).hexdigest()[:8] if reason else "rw"
    return f"{checked.version_key(report)}:page:{part}:{who}:{why}"


def _cached(request, report, template, tab, *, part, data, light, tables=None):
    """The response to a GET without 暂存 (``data`` None) when the tab, or its grid, is in the cache for the
    version: the view then builds no form and loads no row (``light``: what the tab's template shows beside
    its grid). None: build the page."""
    if data is not None:
        return None
    reason = access.edit_refusal(request.user, report)
    page_key = _page_key(request, report, part, reason)
    if page_key and (page := fragments.peek_encoded(page_key)) is not None:
        context = {"report": report, "page_key": page_key, "preloaded_fragment": (page_key, fragments.PLACE)}
        token = get_token(request).encode()  # this response's own, where the kept page has a stand-in
        return fragments.splice(
            render(request, template, context), page.replace(fragments.CSRF_PLACE_BYTES, token)
        )
    grid_key = _fragment_key(report, part, reason, bound=False)
    if grid_key and (grid := fragments.peek(grid_key)) is not None:
        return _render(request, report, template, tab, light, part=part, tables=tables, grid=grid)
    return None


def _refuse_post(request, report):
    """A POST nobody may make here: a message and back to the page (never a 500)."""
    reason = access.edit_refusal(request.user, report)
    if reason is None:
        return None
    messages.error(request, reason)
    return redirect(request.path)


def _version(data, report):
    return ef.VersionForm(data) if data is not None else ef.VersionForm(initial={"version": report.version})


def _form_data(request, report, part):
    """(what the tab's forms are bound to, whether it is a restored 暂存): the POST, the user's draft of this
    part on a GET, or None (the forms show what is saved). A draft carries the version the preparer started
    from, so saving it after someone else saved is refused like any stale form."""
    if request.method == "POST":
        return request.POST, False
    if access.edit_refusal(request.user, report):
        return None, False
    stored = services.draft_fields(report=report, user=request.user, part=part)
    if stored is None:
        return None, False
    data = QueryDict(mutable=True)
    for name, values in stored.items():
        data.setlist(name, [str(value) for value in values])
    return data, True


def _save(request, report, version_form, save, *, part, **kwargs):
    """Run one service call; return (response, conflict message). A save clears the part's 暂存."""
    if not version_form.is_valid():
        return None, services.CONFLICT_MESSAGE
    try:
        save(
            report=report, expected_version=version_form.cleaned_data["version"], user=request.user, **kwargs
        )
    except (services.EditConflict, services.Refused) as exc:
        # Both keep the posted form on the page: nothing typed is lost.
        return None, str(exc)
    except (ReportLocked, services.InvalidRow) as exc:
        messages.error(request, str(exc))
        return redirect(request.path), None
    services.discard_draft(report=report, user=request.user, part=part)
    messages.success(request, SAVED)
    return redirect(request.path), None


def _error_list(forms) -> list[tuple[str, str]]:
    """(field id, message) of every error of a refused save, in page order, for the list at the top. A field
    is named by its accessible name (row and column label) where it has one, else by its label and row."""
    errors = []
    for form in forms:
        if isinstance(form, ef.forms.BaseFormSet):
            errors += [("", str(e)) for e in form.non_form_errors()]
            errors += _error_list(form.forms)
            continue
        row = form["name"].value() if "name" in form.fields and form.prefix else ""
        first_id = ""
        for name in form.fields:
            bound = form[name]
            attrs = bound.field.widget.attrs
            field_id = attrs.get("id") or bound.auto_id
            first_id = first_id or field_id
            label = attrs.get("aria-label") or " ".join(
                str(part) for part in (row, bound.field.label) if part and part != name
            )
            errors += [(field_id, f"{label}：{e}" if label else str(e)) for e in bound.errors]
        errors += [(first_id, f"{row}：{e}" if row else str(e)) for e in form.non_field_errors()]
    return errors


def _fragment_key(report, part, reason, *, bound: bool) -> str | None:
    """The cache key of the tab's rendered grid (the ``fragment`` tag) when its forms show what is saved: the
    report's version and rule pack, the tab, editable or not. A bound form (a POST, a 暂存) is rendered anew,
    and so is a report with a reviewer, who marks its return reasons resolved without a new version."""
    if report.status in UNDER_REVIEW_STATUSES or bound:
        return None
    return f"{checked.version_key(report)}:html:{part}:{'ro' if reason else 'rw'}"


def _render(
    request,
    report,
    template,
    tab,
    context,
    *,
    part,
    tables=None,
    conflict=None,
    forms=(),
    restored=False,
    grid=None,
):
    reason = access.edit_refusal(request.user, report)
    if reason:
        ef.make_read_only(*forms)
    refused = request.method == "POST"  # a POST that reaches the render was not saved
    if refused and reason is None and conflict is None:
        # Kept as 暂存 too, so closing the page after a refused save loses nothing either (a conflict is not:
        # its values were typed over an older version, which the page asks to reload).
        services.keep_draft(report=report, user=request.user, part=part, fields=dict(request.POST.lists()))
    kwargs = {"report_id": report.pk, "part": part}
    index = checked.index(report)
    bound = any(form.is_bound for form in forms)
    # Read only when the panel is not in the cache already (the ``fragment`` tag of _findings_panel.html).
    groups = SimpleLazyObject(
        lambda: group_findings(report, shown_findings(report, checked.findings(report, tables)))
    )
    context = {
        "report": report,
        "tab": tab,
        "tabs": [
            (key, label, reverse(name, kwargs={"report_id": report.pk}))
            for key, label, name in tabs_of(report)
        ],
        "can_edit": reason is None,
        "read_only_reason": reason,
        "conflict": conflict,
        "refused": refused,
        "form_errors": _error_list(forms) if refused else [],
        "draft_restored": restored,
        "draft_url": reverse("editing:draft", kwargs=kwargs),
        "discard_url": reverse("editing:discard_draft", kwargs=kwargs),
        "fragment_key": (key := _fragment_key(report, part, reason, bound=bound)),
        # The grid read by _cached: the view built no form for it.
        "preloaded_fragment": (key, grid) if grid is not None and key else None,
        "page_key": None
        if bound or refused or restored or conflict
        else _page_key(request, report, part, reason),
        "finding_groups": groups,
        "panel_key": f"{checked.version_key(report)}:panel:{part}",
        "place_tables": tables,
        "error_count": index.errors,
        "warning_count": index.warnings,
        **context,
    }
    return render(request, template, context, status=409 if conflict else 200)


# ---------------------------------------------------------------- overview


@login_required
def overview(request, report_id):
    report = _load(request, report_id)
    if cached := _cached(
        request, report, "editing/overview.html", "overview", part="overview", data=None, light={}
    ):
        return cached

    def summaries():
        """Each table's scores: built only when the table is not in the cache (``summary_key``)."""
        index = checked.index(report)
        cards = []
        if index.department_card:
            url = reverse("editing:attachment2", args=[report.pk])
            cards.append(("附件2 部门整体支出绩效自评表", url, index.department_card))
        table = "项目支出绩效自评表" if report.is_project_only else "附件3"
        for card_id, (project_id, name) in index.cards.items():
            url = reverse("editing:attachment3", kwargs={"report_id": report.pk, "project_id": project_id})
            cards.append((f"{table} · {name}", url, card_id))
        totals = checked.scorecard_totals(report)
        return [(title, url, totals[card_id]) for title, url, card_id in cards]

    context = {
        "summaries": SimpleLazyObject(summaries),
        # The same for everyone who sees this version: the scores depend on nothing else.
        "summary_key": f"{checked.version_key(report)}:overview-scores",
    }
    return _render(request, report, "editing/overview.html", "overview", context, part="overview")


# ---------------------------------------------------------------- cover and 正文


@login_required
def edit_text(request, report_id):
    report = _whole_report_part(request, report_id)
    conflict = None
    data, restored = _form_data(request, report, "text")
    version = _version(data, report)
    tables = {"cover", "text", "footer"}
    light = {"version": version}
    if cached := _cached(
        request, report, "editing/text.html", "text", part="text", data=data, light=light, tables=tables
    ):
        return cached
    cover = ef.CoverForm(data, instance=report)
    text = ef.TextForm(data, instance=report)
    if request.method == "POST":
        if refused := _refuse_post(request, report):
            return refused
        if cover.is_valid() and text.is_valid():
            values = {**cover.cleaned_data, **text.cleaned_data}
            response, conflict = _save(
                request, report, version, services.save_report_fields, part="text", values=values
            )
            if response:
                return response
    drafts = checked.derived_paragraphs(report)
    sections = [
        (key, title, drafts.get(key, []), [text[name] for name in ef.TEXT_SECTION_FIELDS[key]])
        for key, title in catalogue.SECTIONS
    ]
    context = {"cover": cover, "text": text, "version": version, "sections": sections}
    return _render(
        request, report, "editing/text.html", "text", context, part="text", restored=restored,
        tables=tables, conflict=conflict, forms=(version, cover, text),
    )  # fmt: skip


# ---------------------------------------------------------------- 附件1


def _accepted(data) -> frozenset[str]:
    """The printed figures the preparer ticked 「以计算值为准」 for (posted, or in a restored 暂存)."""
    return frozenset(data.getlist("accept_computed")) if data is not None else frozenset()


def _suspects(report) -> set[str]:
    """The anchors of the cells the findings name as the likely mistake behind a disagreeing total."""
    return {
        anchor(f.suspect.table, f.suspect.row, f.suspect.column)
        for f in checked.report_findings(report)
        if f.suspect is not None
    }


def _att1_initial(report):
    expenses = ef.ExpenseGridForm.initial_for(report.expenses.all())
    staff = {
        "staff_quota": report.staff_quota,
        "staff_actual": report.staff_actual,
        "frugality_measures": report.frugality_measures,
    }
    specials = [
        {"id": r.pk, "name": r.name, "prior_final": r.prior_final, "budget": r.budget, "final": r.final}
        for r in report.special_rows.all()
    ]
    buildings = [
        {
            "id": b.pk, "name": b.name, "approved_area": b.approved_area, "actual_area": b.actual_area,
            "budget_investment": b.budget_investment, "actual_investment": b.actual_investment,
        }
        for b in report.buildings.all()
    ]  # fmt: skip
    return staff, expenses, specials, buildings


def _att1_forms(data, report):
    """附件1's forms, bound to ``data``, showing what is saved."""
    staff_initial, expense_initial, special_initial, building_initial = _att1_initial(report)
    year = report.period.year
    return (
        ef.StaffForm(data, initial=staff_initial, year=year),
        ef.ExpenseGridForm(data, initial=expense_initial, year=year),
        ef.SpecialRowFormSet(data, initial=special_initial, prefix="special", form_kwargs={"year": year}),
        ef.BuildingRowFormSet(data, initial=building_initial, prefix="building"),
    )


@login_required
def edit_attachment1(request, report_id):
    report = _whole_report_part(request, report_id)
    conflict = None
    data, restored = _form_data(request, report, "att1")
    version = _version(data, report)
    light = {"version": version}
    template = "editing/attachment1.html"
    if cached := _cached(
        request, report, template, "att1", part="att1", data=data, light=light, tables={"att1"}
    ):
        return cached
    prefetch_related_objects([report], "expenses", "special_rows", "buildings")
    staff, grid, specials, buildings = _att1_forms(data, report)
    year = report.period.year
    if request.method == "POST":
        if refused := _refuse_post(request, report):
            return refused
        if all([staff.is_valid(), grid.is_valid(), specials.is_valid(), buildings.is_valid()]):
            response, conflict = _save(
                request, report, version, services.save_attachment1, part="att1",
                staff=staff.cleaned_data, expenses=grid.expenses(),
                special_rows=specials.rows(), buildings=buildings.rows(),
                accept_computed=_accepted(data),
            )  # fmt: skip
            if response:
                return response
    computed = checked.attachment1_results(report)
    expenses = {e.item_id: e for e in report.expenses.all()}
    accepted = _accepted(data)
    suspects = _suspects(report)
    rows = []
    for item in catalogue.EXPENSE_ITEMS:
        stored = expenses.get(item.code)
        cells = []
        for column in ef.AMOUNT_COLUMNS:
            if column == "prior_final" and not item.has_prior:
                cells.append({"column": column, "dash": True})
            elif item.children_rule == "sum":
                value = getattr(computed.sums[item.code], column)
                printed = getattr(stored, column, None) if stored else None
                key = services.accept_key("expense", item.code, column)
                cells.append(
                    {
                        "column": column,
                        "computed": value,
                        "printed": printed if printed is not None and printed != value else None,
                        "accept": key,
                        "accepted": key in accepted,
                    }
                )
            else:
                anchor = f"p-att1-{item.code}-{column}"
                cells.append(
                    {"column": column, "field": grid[f"{item.code}__{column}"], "suspect": anchor in suspects}
                )
        rows.append({"item": item, "cells": cells})
    building_rates = [
        (
            form,
            computed.buildings.get(str(form.initial.get("id"))),
            next((b for b in report.buildings.all() if b.pk == form.initial.get("id")), None),
            {
                key: services.accept_key("building", str(form.initial.get("id")), key)
                for key in ("area", "investment")
            },
        )
        for form in buildings.forms
    ]
    context = {
        "version": version,
        "staff": staff,
        "grid": grid,
        "rows": rows,
        "specials": specials,
        "buildings": buildings,
        "building_rates": building_rates,
        "computed": computed,
        "special_sum": computed.sums["special"],
        "columns": [label.format(year=year, prior_year=year - 1) for _, label in catalogue.EXPENSE_COLUMNS],
        "footnote": catalogue.ATT1_FOOTNOTE,
        "title": catalogue.ATTACHMENT_TITLES["att1"].format(year=year),
        "accepted": accepted,
    }
    return _render(
        request, report, "editing/attachment1.html", "att1", context, part="att1", restored=restored,
        tables={"att1"}, conflict=conflict, forms=(version, staff, grid, specials, buildings),
    )  # fmt: skip


# ---------------------------------------------------------------- 附件2 and 附件3


HEADER_FIELDS = (
    "competent_department", "implementing_unit", "goal_expected", "goal_actual", "execution_explanation",
    "income_general", "income_gov_fund", "income_non_tax", "income_other", "nature_basic", "nature_project",
    "revenue_fiscal", "revenue_carryover", "revenue_other",
)  # fmt: skip
INDICATOR_FIELDS = (
    "name", "operator", "target_text", "target_value", "target_unit", "actual_text", "actual_value", "qual_band",
    "weight", "score", "deviation_reason",
)  # fmt: skip


def _plain_decimal(value):
    """10000.0000 as 10000 in the input, still a Decimal so an untouched row does not count as changed."""
    return None if value is None else Decimal(fmt_amount(value))


def _indicator_initial(row) -> dict:
    values = {name: getattr(row, name) for name in INDICATOR_FIELDS}
    values["operator"] = row.operator or ""
    values["qual_band"] = row.qual_band or ""
    values["target_value"] = _plain_decimal(row.target_value)
    values["actual_value"] = _plain_decimal(row.actual_value)
    return {"id": row.pk, **values}


def _fund_sources(kind):
    """The fund lines of a scorecard: a 附件2 has its total only, a 附件3 one line per source."""
    return [FundSource.TOTAL] if kind == ScorecardKind.DEPARTMENT else [s for s, _ in catalogue.FUND_SOURCES]


def _scorecard_head_forms(post, kind, pack, table, card):
    """The scorecard's forms above its indicator rows: header, fund lines, 不适用, showing the ``card`` as
    saved."""
    header = ef.ScorecardHeaderForm(
        post,
        kind=kind,
        table=table,
        initial={name: getattr(card, name) for name in HEADER_FIELDS},
    )
    lines = {line.source: line for line in card.fund_lines.all()}
    funds = {}
    for source in _fund_sources(kind):
        line = lines.get(source)
        initial = {c: getattr(line, c) for c, _ in catalogue.FUND_COLUMNS} if line else {}
        funds[source] = ef.FundLineForm(
            post, prefix=f"fund-{source}", initial=initial, table=table, source=source
        )
    not_applicable = ef.NotApplicableForm(
        post, pack=pack, table=table, prefix="na",
        initial={key: True for key in card.not_applicable or ()},
    )  # fmt: skip
    return header, funds, not_applicable


def _scorecard_forms(post, report, card, pack, table, rules=None):
    header, funds, not_applicable = _scorecard_head_forms(post, card.kind, pack, table, card)
    by_level2 = {}
    for row in card.indicators.all():
        by_level2.setdefault(row.level2, []).append(row)
    groups = []
    for level1 in pack.skeleton:
        children = []
        for level2 in level1.children:
            initial = [_indicator_initial(row) for row in by_level2.get(level2.key, [])]
            formset = ef.IndicatorFormSet(
                post, initial=initial, prefix=f"ind-{level2.key}",
                form_kwargs={
                    "pack": pack, "level1": level1.key, "level2": level2.key, "table": table, "rules": rules,
                },
            )  # fmt: skip
            children.append((level2, formset))
        groups.append((level1, children))
    known = set(pack.level2_keys())
    unknown = [row for row in card.indicators.all() if row.level2 not in known]
    return header, funds, not_applicable, groups, unknown


def _scorecards(report):
    """The report's scorecards with what one scorecard page shows: its fund lines and indicators."""
    return (
        Scorecard.objects.filter(report=report)
        .select_related("project")
        .prefetch_related("fund_lines", "indicators")
    )


def _scorecard_page(request, report, card_id, *, tab, part, table, title, project_id=None):
    conflict = None
    data, restored = _form_data(request, report, part)
    version = _version(data, report)
    recompute_url = (
        reverse("editing:recompute_attachment2", kwargs={"report_id": report.pk})
        if project_id is None
        else reverse(
            "editing:recompute_attachment3", kwargs={"report_id": report.pk, "project_id": project_id}
        )
    )
    light = {"version": version, "recompute_url": recompute_url}
    template = "editing/scorecard.html"
    if cached := _cached(request, report, template, tab, part=part, data=data, light=light, tables={table}):
        return cached
    card = _scorecards(report).order_by().get(pk=card_id)
    pack = report.period.rule_pack.rules()
    result = checked.scorecard_results(report, [str(card.pk)])[str(card.pk)]
    header, funds, not_applicable, groups, unknown = _scorecard_forms(
        data, report, card, pack, table, rules=result.indicators
    )
    formsets = [formset for _, children in groups for _, formset in children]
    if request.method == "POST":
        if refused := _refuse_post(request, report):
            return refused
        valid = [
            header.is_valid(),
            not_applicable.is_valid(),
            *(f.is_valid() for f in funds.values()),
            *(f.is_valid() for f in formsets),
        ]
        if all(valid):
            response, conflict = _save(
                request, report, version, services.save_scorecard, part=part,
                scorecard=card,
                header=header.cleaned_data,
                funds={source: form.cleaned_data for source, form in funds.items()},
                not_applicable=not_applicable.keys(),
                indicators=[row for formset in formsets for row in formset.rows()],
                accept_computed=_accepted(data),
            )  # fmt: skip
            if response:
                return response
    context = {
        "version": version,
        "card": card,
        "table": table,
        "title": title,
        "pack": pack,
        "header": header,
        "funds": funds,
        "fund_labels": dict(catalogue.FUND_SOURCES),
        "not_applicable": not_applicable,
        "groups": groups,
        "unknown": unknown,
        "result": result,
        "is_department": card.kind == ScorecardKind.DEPARTMENT,
        "recompute_url": recompute_url,
        "printed": _printed_scorecard(card, result, pack),
        "fund_columns": [column for column, _ in catalogue.FUND_COLUMNS],
        "revenue_total": sum_known(*(getattr(card, f"revenue_{key}") for key, _ in catalogue.REVENUE_KINDS)),
        "accepted": _accepted(data),
        "suspects": _suspects(report),
        "attachment_title": catalogue.ATTACHMENT_TITLES[
            "att2" if card.kind == ScorecardKind.DEPARTMENT else "att3"
        ].format(year=report.period.year),
    }
    return _render(
        request, report, "editing/scorecard.html", tab, context, part=part, restored=restored,
        tables={table}, conflict=conflict,
        forms=(version, header, not_applicable, *funds.values(), *formsets),
    )  # fmt: skip


def _printed_scorecard(card, result, pack) -> dict[str, dict]:
    """Each figure an imported document printed in a computed place of the scorecard, by its 「以计算值为准」
    key: the printed text and whether it differs from the computed figure."""
    computed = {
        "execution_rate": result.execution.rate,
        "execution_score": result.execution.score,
        "total_score": result.self_total,
        "funds_initial": result.funds.initial,
        "funds_full_year": result.funds.full_year,
        "funds_executed": result.funds.executed,
    }
    shown = {}
    for key in services.PRINTED_SCORECARD_FIELDS:
        value = getattr(card, f"reported_{key}")
        if value in (None, ""):
            continue
        if key == "grade":
            shown[key] = {"text": value, "differs": value != result.grade}
            continue
        other = computed[key]
        text = f"{fmt_amount(value)}%" if key == "execution_rate" else fmt_amount(value)
        shown[key] = {"text": text, "differs": other is None or pack.round(value) != pack.round(other)}
    return shown


@login_required
def edit_attachment2(request, report_id):
    report = _whole_report_part(request, report_id)
    card_id = checked.index(report).department_card  # of this version, like everything the page shows
    if card_id is None:
        messages.error(request, "本报告还没有附件2，请联系管理员。")
        return redirect("editing:overview", report_id=report.pk)
    return _scorecard_page(
        request, report, card_id, tab="att2", part="att2", table="att2", title=report.department.name
    )


@login_required
def edit_attachment3(request, report_id, project_id):
    report = _load(request, report_id)
    found = _project_card(report, project_id)
    if found is None:
        raise Http404("没有找到该项目的附件3")
    card_id, name = found
    return _scorecard_page(
        request, report, card_id, tab="projects", part=f"att3-{project_id}", table=f"att3:{card_id}",
        title=name, project_id=project_id,
    )  # fmt: skip


# ---------------------------------------------------------------- projects


def _attachment3_url(report, project_id) -> str:
    return reverse("editing:attachment3", kwargs={"report_id": report.pk, "project_id": project_id})


PROJECT_FIELDS = (
    "name", "category", "initial_budget", "adjustment", "actual_spent", "carryover", "name_in_s2", "name_in_s6",
    "s6_text", "no_scorecard_reason",
)  # fmt: skip


@login_required
def edit_projects(request, report_id):
    report = _load(request, report_id)
    conflict = None
    data, restored = _form_data(request, report, "projects")
    version = _version(data, report)
    light = {"version": version}
    template = "editing/projects.html"
    if cached := _cached(
        request, report, template, "projects", part="projects", data=data, light=light, tables={"projects"}
    ):
        return cached
    prefetch_related_objects([report], "projects")
    cards = {project_id for project_id, _ in checked.index(report).cards.values()}
    initial = [
        {"id": p.pk, **{name: getattr(p, name) for name in PROJECT_FIELDS}, "with_scorecard": p.pk in cards}
        for p in report.projects.all()
    ]
    factory = ef.ProjectOnlyFormSetFactory if report.is_project_only else ef.ProjectFormSetFactory
    formset = factory(data, initial=initial, prefix="project")
    if request.method == "POST":
        if refused := _refuse_post(request, report):
            return refused
        if formset.is_valid():
            response, conflict = _save(
                request, report, version, services.save_projects, part="projects", projects=formset.rows()
            )
            if response:
                return response

    def rows():
        """Each project's form and its 附件3 link: built only when the grid is not in the cache."""
        return [
            (form, _attachment3_url(report, form.initial["id"]) if form.initial.get("id") in cards else None)
            for form in formset.forms
        ]

    context = {"version": version, "formset": formset, "rows": SimpleLazyObject(rows)}
    return _render(
        request, report, "editing/projects.html", "projects", context, part="projects", restored=restored,
        tables={"projects"}, conflict=conflict, forms=(version, formset),
    )  # fmt: skip


# ---------------------------------------------------------------- 检查


@login_required
def check(request, report_id):
    report = _load(request, report_id)
    conflict = None
    data, restored = _form_data(request, report, "check")
    version = _version(data, report)
    if cached := _cached(
        request, report, "editing/check.html", "check", part="check", data=data, light={"version": version}
    ):
        return cached
    prefetch_related_objects([report], "explanations")
    shown = shown_findings(report, checked.findings(report))
    warnings = [s for s in shown if s.severity == "warning"]
    stored = {(e.code, e.place): e.text for e in report.explanations.all()}
    initial = [
        {"code": s.finding.code, "place": s.key, "text": stored.get((s.finding.code, s.key), "")}
        for s in warnings
    ]
    formset = ef.ExplanationFormSet(data, initial=initial, prefix="expl")
    if request.method == "POST":
        if refused := _refuse_post(request, report):
            return refused
        if formset.is_valid():
            explanations = {
                (f.cleaned_data["code"], f.cleaned_data["place"]): f.cleaned_data["text"]
                for f in formset.forms
            }
            response, conflict = _save(
                request, report, version, services.save_explanations, part="check",
                explanations=explanations,
            )  # fmt: skip
            if response:
                return response
    # Built only when the list is not in the cache (the ``fragment`` of check.html).
    forms_by_key = SimpleLazyObject(
        lambda: {f"{f.initial['code']}|{f.initial['place']}": f for f in formset.forms}
    )
    context = {"version": version, "formset": formset, "forms_by_key": forms_by_key}
    return _render(
        request, report, "editing/check.html", "check", context, part="check", restored=restored,
        conflict=conflict, forms=(version, formset),
    )  # fmt: skip


@login_required
@require_POST
def explain(request, report_id):
    """One warning's explanation from the submit page: a write like any other, so it claims the version the page
    showed — an explanation changed after the head confirmed voids the confirmation."""
    report = get_report_for_user(request.user, report_id)
    if not access.is_member(request.user, report):
        raise Http404(access.NOT_YOURS)
    back = redirect("workflow:submit", report_id=report.pk)
    form = ef.ExplanationForm(request.POST)
    version = ef.VersionForm(request.POST)
    if not version.is_valid():
        messages.error(request, "说明未保存：页面已过期，请重新加载后再填写。")
        return back
    if not form.is_valid():
        problems = "；".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"说明未保存：{problems}")
        return back
    data = form.cleaned_data
    try:
        services.save_explanations(
            report=report,
            expected_version=version.cleaned_data["version"],
            user=request.user,
            explanations={(data["code"][:60], data["place"][:200]): data["text"]},
        )
    except ReportLocked as exc:
        messages.error(request, str(exc))
    except services.EditConflict:
        messages.error(
            request,
            "说明未保存：在您打开本页之后报告已被修改。请重新加载本页再填写；"
            f"您填写的说明是：「{data['text'].strip()}」",
        )
    else:
        messages.success(request, "说明已保存。")
    return back


# ---------------------------------------------------------------- 暂存 (drafts)

_PART = re.compile(r"^(overview|text|att1|att2|projects|check|att3-(\d+))$")


def _part_url(report, part: str) -> str:
    match = _PART.match(part)
    if match is None:
        raise Http404("没有这个编辑页")
    if match.group(2):
        return reverse("editing:attachment3", kwargs={"report_id": report.pk, "project_id": match.group(2)})
    names = {"att1": "attachment1", "att2": "attachment2"}
    return reverse(f"editing:{names.get(part, part)}", kwargs={"report_id": report.pk})


@login_required
@require_POST
def keep_draft(request, report_id, part):
    """The tab's form as typed so far, posted by the page's script a moment after each change (no reply body)."""
    report = get_report_for_user(request.user, report_id)
    _part_url(report, part)
    if reason := access.edit_refusal(request.user, report):
        return HttpResponse(reason, status=403, content_type="text/plain; charset=utf-8")
    services.keep_draft(report=report, user=request.user, part=part, fields=dict(request.POST.lists()))
    return HttpResponse(status=204)


@login_required
@require_POST
def discard_draft(request, report_id, part):
    report = get_report_for_user(request.user, report_id)
    url = _part_url(report, part)
    services.discard_draft(report=report, user=request.user, part=part)
    messages.success(request, "已放弃暂存内容，本页显示已保存的内容。")
    return redirect(url)


# ---------------------------------------------------------------- live recompute (htmx)

JSON_FORM = "application/json"


class _Refused(Exception):
    """A posted body that is not a form: the recompute answers 400 with this message."""


def _posted(request):
    """What a recompute was posted: the form's fields by name, as the forms' widgets read them (``get``: a
    name posted more than once gives its last value, as in Django's QueryDict). The page's htmx posts them as
    one JSON object (the vendored json-enc extension: a field by name, a string, or a list of strings for a
    name posted more than once), which is read in one C call where Django's form decoding of the ~400 fields
    of a 30-row table cost a third of the request; a form posted urlencoded or multipart (no script) reads as
    ever. Either way every value then passes the same form fields. A body that is no such object, or more
    values than Django takes in a form (``DATA_UPLOAD_MAX_NUMBER_FIELDS``), is refused; a value that is no
    string is not posted; the body's size is capped by Django (``DATA_UPLOAD_MAX_MEMORY_SIZE``, 400 above
    it)."""
    if request.content_type != JSON_FORM:
        return request.POST
    try:
        fields = json.loads(request.body)
    except (ValueError, RecursionError):
        raise _Refused("无法读取提交的内容") from None
    if not isinstance(fields, dict):
        raise _Refused("无法读取提交的内容")
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    posted, count = {}, 0
    for name, value in fields.items():
        if isinstance(value, str):
            posted[name] = value
            count += 1
            continue
        values = [item for item in value if isinstance(item, str)] if isinstance(value, list) else ()
        count += len(values) or 1
        if values:
            posted[name] = values[-1]
    if limit is not None and count > limit:
        raise _Refused("提交的字段过多")
    return posted


def _typed_fields(fields, data, prefix=None) -> dict:
    """Each of a form's ``fields`` as typed, cleaned by the field alone; what does not clean counts as blank
    (未填). The fields are the form class's: a recompute builds no form (its labels and ids are the page's
    business), and the rows' own cross-field checks are the save's business, not the recompute's."""
    return {
        name: _clean(
            field, field.widget.value_from_datadict(data, {}, f"{prefix}-{name}" if prefix else name)
        )
        for name, field in fields.items()
    }


_TICK = forms.BooleanField(required=False)  # a 删除 or 不适用 box, as the forms declare it
MEMO_MAX_CHARS = 2000  # a row typed longer than this is cleaned every time: the memo never holds much


def _clean(field, raw):
    """A field's clean of what was typed; what does not clean counts as blank (未填)."""
    try:
        return field.clean(raw)
    except ValidationError:
        return None


@lru_cache(maxsize=4096)
def _clean_row(form_class, names: tuple[str, ...], raws: tuple) -> tuple:
    """A row's fields cleaned from what was typed: a pure function of the form class and the raw values (the
    cleaned values are immutable), kept for the next keystroke's recompute, which posts every row again with
    one value changed."""
    return tuple(
        _clean(_TICK if name == "DELETE" else form_class.base_fields[name], raw)
        for name, raw in zip(names, raws, strict=True)
    )


_ROW_COUNT = forms.IntegerField(min_value=0)


def _typed_rows(formset_class, data, prefix: str):
    """(row prefix, values as typed) of each row of a posted formset not ticked 删除, without its database id,
    as ``_typed_fields`` reads a form, through the fields its form class declares: a recompute builds none of
    the rows' forms (their labels, ids and rule scores are the page's business), nor the formset's management
    form; the row count is its TOTAL_FORMS, capped like the formset's (0 when it is not a count), and a row of
    which nothing is posted is none."""
    try:
        count = _ROW_COUNT.clean(data.get(f"{prefix}-{formsets.TOTAL_FORM_COUNT}"))
    except ValidationError:
        count = 0
    fields = dict(formset_class.form.base_fields)
    if formset_class.can_delete:
        fields["DELETE"] = _TICK
    names = tuple(fields)
    reads = [field.widget.value_from_datadict for field in fields.values()]
    for index in range(min(count, formset_class.absolute_max)):
        row = f"{prefix}-{index}"
        keys = [f"{row}-{name}" for name in names]
        if not any(map(data.__contains__, keys)):
            continue  # no row of the page: a TOTAL_FORMS above the rows posted adds no blank rows
        raws = tuple(read(data, {}, key) for read, key in zip(reads, keys, strict=True))
        if all(raw is None or isinstance(raw, bool | str) for raw in raws) and (
            sum(len(raw) for raw in raws if isinstance(raw, str)) <= MEMO_MAX_CHARS
        ):
            cleaned = _clean_row(formset_class.form, names, raws)
        else:
            cleaned = tuple(_clean(field, raw) for field, raw in zip(fields.values(), raws, strict=True))
        values = dict(zip(names, cleaned, strict=True))
        if not values.pop("DELETE", False):
            values.pop("id", None)
            yield row, values


def _recompute_data(request, report):
    """(what was posted, None), or (None, the answer refusing it): 403 when the viewer may not edit, 400 for a
    body that is not a form."""
    if reason := access.edit_refusal(request.user, report):
        return None, HttpResponse(reason, status=403, content_type="text/plain; charset=utf-8")
    try:
        return _posted(request), None
    except _Refused as refusal:
        return None, HttpResponse(str(refusal), status=400, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def recompute_scorecard(request, report_id, project_id=None):
    """附件2 or one 附件3 scored as posted, unsaved: the posted values are put into the table's part of the
    payload as exported for the version (``checked.part_payload``, the one shape), the one builder turns it into
    the rules' data, and the rules score it. Nothing else of the report is loaded: the score reads only its
    table. Writes nothing."""
    report = _load(request, report_id)
    data, refused = _recompute_data(request, report)
    if refused:
        return refused
    # The table of the version the page shows: its id and title from the version's index, its payload as
    # exported then (the rows under a 二级 the pack no longer has are not on the page and are kept as they are).
    if project_id is None:
        department_card = None if report.is_project_only else checked.index(report).department_card
        card_id, title = department_card, report.department.name
    else:
        card_id, title = _project_card(report, project_id) or (None, "")
    target = checked.part_payload(report, card_id) if card_id else None
    if target is None:
        raise Http404("没有找到该自评表")
    pack = report.period.rule_pack.rules()
    kind = ScorecardKind.DEPARTMENT if project_id is None else ScorecardKind.PROJECT
    # The forms above the rows, read through their classes' fields (_scorecard_head_forms builds them).
    head = ef.ScorecardHeaderForm.base_fields
    target.update(
        _typed_fields({name: head[name] for name in ef.ScorecardHeaderForm.field_names(kind)}, data)
    )
    fund = ef.FundLineForm.base_fields
    target["funds"] = {source: _typed_fields(fund, data, f"fund-{source}") for source in _fund_sources(kind)}
    boxes = _typed_fields(dict.fromkeys(pack.level2_keys(), _TICK), data, "na")
    target["not_applicable"] = [key for key, ticked in boxes.items() if ticked]
    known = set(pack.level2_keys())
    rows = [row for row in target["indicators"] if row.get("level2") not in known]  # not on the page: kept
    for level1 in pack.skeleton:
        for level2 in level1.children:
            for prefix, values in _typed_rows(ef.IndicatorFormSet, data, f"ind-{level2.key}"):
                for name in ("operator", "qual_band"):
                    values[name] = values.get(name) or None
                # The row's prefix names its computed cells on the page, new rows included.
                rows.append({**values, "ref": prefix, "level1": level1.key, "level2": level2.key})
    target["indicators"] = rows
    scored = scorecard_data(target, ref=card_id, kind=kind, title=title)
    result = scorecard_result(scored, pack)
    return render(
        request,
        "editing/_scorecard_computed.html",
        {
            "result": result,
            "pack": pack,
            "is_department": project_id is None,
            "revenue_total": sum_known(*scored.revenue.values()) if scored.revenue else None,
            "rule_swaps": _rule_swaps(result),
        },
    )


def _rule_swaps(result):
    """Each row's rule score and steps as out-of-band swaps (the rows' part of _scorecard_computed.html),
    written as plain strings with every text escaped: a template loop over 30 rows, and then format_html,
    cost the recompute more than scoring them."""
    parts = []
    for prefix, rule in result.indicators.items():
        steps = "".join(f"<div>{escape(step)}</div>" for step in rule.steps)
        if rule.deviation_required:
            steps += (
                f'<div class="text-danger">须填偏差原因：{escape("；".join(rule.deviation_reasons))}</div>'
            )
        score = "—" if rule.score is None else fmt_amount(rule.score)
        prefix = escape(prefix)  # a formset row's prefix, its index a count; escaped all the same
        parts.append(
            f'<span id="c-{prefix}-rule_score" hx-swap-oob="innerHTML">{score}</span>\n'
            f'<span id="c-{prefix}-rule_steps" hx-swap-oob="innerHTML">{steps}</span>\n'
        )
    return mark_safe("".join(parts))  # every text in it is escaped above


@login_required
@require_POST
def recompute_attachment1(request, report_id):
    """附件1's sums and 控制率 for the posted, unsaved figures, through the same payload and rules. Writes
    nothing."""
    report = _whole_report_part(request, report_id)
    data, refused = _recompute_data(request, report)
    if refused:
        return refused
    # 附件1's part of the payload alone, as exported for the version: its sums and 控制率 read nothing else. What
    # was typed is read through the forms' fields (_att1_forms builds the forms).
    att1 = checked.part_payload(report, "att1")
    payload = {"year": report.period.year, "kind": report.period.kind, "attachment1": att1}
    staff = ef.StaffForm.base_fields
    typed_staff = _typed_fields({name: staff[name] for name in ("staff_quota", "staff_actual")}, data)
    att1.update(typed_staff)
    for name, value in _typed_fields(ef.ExpenseGridForm.cell_fields(), data).items():
        code, column = name.split("__")
        att1["expenses"].setdefault(code, {})[column] = value
    att1["special_rows"] = [
        {**values, "ref": prefix} for prefix, values in _typed_rows(ef.SpecialRowFormSet, data, "special")
    ]
    computed = attachment1_computed(report_data(payload), report.period.rule_pack.rules())
    cells = [
        (f"c-att1-{code}-{column}", getattr(amounts, column))
        for code, amounts in computed.sums.items()
        for column in ef.AMOUNT_COLUMNS
    ]
    return render(request, "editing/_attachment1_computed.html", {"computed": computed, "cells": cells})
