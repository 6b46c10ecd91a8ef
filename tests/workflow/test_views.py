"""The round through the views: POST + CSRF forms, pinned reasons on the report page, the diff, resolving."""

from decimal import Decimal

from django.template import Context, Template
from django.test import Client

from perfeval.filing.models import ExpenseAmount, Report, Status
from perfeval.workflow import services
from perfeval.workflow.models import ReturnReason
from tests.html_tables import read_page


def test_return_through_the_form_pins_the_reason(ready_report, preparer, reviewer_client):
    services.submit_report(report=ready_report, user=preparer)
    form = reviewer_client.get(f"/reports/{ready_report.pk}/return/")
    choices = dict(form.context["formset"].forms[0].fields["place"].choices)
    assert choices["att1|sangong|final"] == "附件1 · 三公经费 · 2023年决算数"
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-place": "att1|sangong|final",
        "form-0-text": "三公经费与明细不符",
        "form-1-place": "||",
        "form-1-text": "",
    }
    unconfirmed = reviewer_client.post(f"/reports/{ready_report.pk}/return/", data)
    assert unconfirmed.context["confirm"].errors == {"confirmed": ["请先勾选确认。"]}
    assert Report.objects.get(pk=ready_report.pk).status == Status.SUBMITTED
    response = reviewer_client.post(f"/reports/{ready_report.pk}/return/", {**data, "confirmed": "on"})
    assert response.status_code == 302
    reason = ReturnReason.objects.get()
    assert (reason.table, reason.row, reason.column, reason.label, reason.text) == (
        "att1",
        "sangong",
        "final",
        "附件1 · 三公经费 · 2023年决算数",
        "三公经费与明细不符",
    )


def test_return_form_without_reason_comes_back(ready_report, preparer, reviewer_client):
    services.submit_report(report=ready_report, user=preparer)
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-place": "||", "form-0-text": " "}
    page = reviewer_client.post(f"/reports/{ready_report.pk}/return/", data)
    assert page.status_code == 200
    assert page.context["formset"].non_form_errors() == ["退回须填写至少一条原因。"]
    assert Report.objects.get(pk=ready_report.pk).status == Status.SUBMITTED


def test_preparer_sees_pinned_reason_and_reviewer_sees_the_diff(
    ready_report, preparer, reviewer, preparer_client, reviewer_client
):
    services.submit_report(report=ready_report, user=preparer)
    reason = services.PinnedReason("请核对", "att1", "sangong", "final", "附件1 · 三公经费 · 2023年决算数")
    round_ = services.return_report(report=ready_report, user=reviewer, reasons=[reason])
    page = preparer_client.get(f"/reports/{ready_report.pk}/").content.decode()
    assert 'data-place="att1|sangong|final"' in page
    assert "附件1 · 三公经费 · 2023年决算数</a>：请核对" in page
    ExpenseAmount.objects.filter(report=ready_report, item_id__in=["car", "car_operation"]).update(
        final=Decimal("23.70")
    )
    ExpenseAmount.objects.filter(report=ready_report, item_id="sangong").update(final=Decimal("24.62"))
    ready_report.refresh_from_db()
    services.submit_report(report=ready_report, user=preparer)
    changes = reviewer_client.get(f"/reports/{ready_report.pk}/changes/")
    assert [(c.label, c.old, c.new) for c in changes.context["changes"]] == [
        ("附件1 · 三公经费 · 2023年决算数", "24.65", "24.62"),
        ("附件1 · 1、公务用车购置和维护经费 · 2023年决算数", "23.73", "23.7"),
        ("附件1 · 公车运行维护 · 2023年决算数", "23.73", "23.7"),
    ]
    resolve = f"/reports/{ready_report.pk}/reasons/{round_.reasons.get().pk}/resolve/"
    assert reviewer_client.post(resolve).status_code == 302
    approve = f"/reports/{ready_report.pk}/approve/"
    assert reviewer_client.post(approve, {"note": "同意"}).context["form"].errors == {
        "confirmed": ["请先勾选确认。"]
    }
    assert reviewer_client.post(approve, {"note": "同意", "confirmed": "on"}).status_code == 302
    assert Report.objects.get(pk=ready_report.pk).status == Status.APPROVED


def test_pinned_reasons_tag_shows_reasons_of_that_place_only(ready_report, preparer, reviewer):
    services.submit_report(report=ready_report, user=preparer)
    services.return_report(
        report=ready_report,
        user=reviewer,
        reasons=[services.PinnedReason("改正文九", "text", "s9"), services.PinnedReason("整体再看看")],
    )
    template = Template(
        '{% load workflow %}[{% pinned_reasons report "text" "s9" %}][{% pinned_reasons report "att1" %}]'
    )
    html = template.render(Context({"report": Report.objects.get(pk=ready_report.pk)}))
    assert html.count('data-testid="pinned-reason"') == 1
    assert "改正文九" in html and "整体再看看" not in html


def test_actions_are_post_forms_with_csrf(ready_report, preparer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(preparer)
    assert client.post(f"/reports/{ready_report.pk}/submit/").status_code == 403
    assert client.get(f"/reports/{ready_report.pk}/withdraw/").status_code == 405
    page = client.get(f"/reports/{ready_report.pk}/submit/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert Report.objects.get(pk=ready_report.pk).status == Status.DRAFT


def test_double_submit_gives_one_transition_and_a_message(ready_report, preparer_client):
    first = preparer_client.post(f"/reports/{ready_report.pk}/submit/", follow=True)
    second = preparer_client.post(f"/reports/{ready_report.pk}/submit/", follow=True)
    assert [str(m) for m in first.context["messages"]] == ["报告已提交，等待财政局审核。"]
    assert [str(m) for m in second.context["messages"]] == ["报告当前状态为「已提交」，不能提交。"]
    assert ready_report.audit_events.filter(action="submit").count() == 1


def test_explanation_form_saves_and_submit_page_shows_blockers(demo_report, preparer_client):
    page = preparer_client.get(f"/reports/{demo_report.pk}/submit/")
    assert page.context["blockers"][0].startswith("尚有 ")
    warning = page.context["warnings"][0][0]
    place = f"{warning.place.table}|{warning.place.row}|{warning.place.column}"
    preparer_client.post(
        f"/reports/{demo_report.pk}/explain/",
        {"code": warning.code, "place": place, "text": "已核实", "version": demo_report.version},
    )
    assert list(demo_report.explanations.values_list("code", "place", "text")) == [
        (warning.code, place, "已核实")
    ]


def test_returned_report_shows_each_pinned_reason_beside_its_place(
    ready_report, preparer, reviewer, preparer_client
):
    services.submit_report(report=ready_report, user=preparer)
    indicator = ready_report.scorecards.get(kind="department").indicators.first()
    services.return_report(
        report=ready_report,
        user=reviewer,
        reasons=[
            services.PinnedReason("三公经费决算数请核对", "att1", "sangong", "final"),
            services.PinnedReason("正文九请写明公开渠道", "text", "s9"),
            services.PinnedReason("该指标目标偏低", "att2", f"indicator:{indicator.pk}", "target"),
        ],
    )
    html = preparer_client.get(f"/reports/{ready_report.pk}/").content.decode()
    tables, _ = read_page(html)
    sangong = next(row for row in tables["att1"] if row[0].startswith("三公经费"))
    assert "三公经费决算数请核对" in sangong[0]
    indicator_row = next(row for row in tables["att2-indicators"] if indicator.name in " ".join(row))
    assert "该指标目标偏低" in " ".join(indicator_row)
    section = html[html.index('id="text-s9"') : html.index('id="text-s10"')]
    assert "正文九请写明公开渠道" in section
