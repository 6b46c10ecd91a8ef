"""Who may edit, locked reports, and optimistic locking (stale version on SQLite, real concurrency on PostgreSQL)."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction

from perfeval.editing import services
from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import Report

EDIT_PAGES = ["overview", "text", "attachment1", "attachment2", "projects", "attachment3", "check"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", EDIT_PAGES)
def test_edit_page_of_another_department_is_404(other_client, urls, name):
    assert other_client.get(urls[name]).status_code == 404
    assert other_client.post(urls[name], {"version": "1"}).status_code == 404


@pytest.mark.django_db
def test_edit_page_needs_login(client, urls):
    response = client.get(urls["text"])
    assert (response.status_code, response.url.split("?")[0]) == (302, "/accounts/login/")


@pytest.mark.django_db
def test_reviewer_sees_read_only_pages_and_cannot_post(reviewer_client, urls, demo_report):
    response = reviewer_client.get(urls["attachment2"])
    body = response.content.decode()
    assert "只有本单位的填报人或单位负责人可以修改这份报告。" in body
    assert 'data-testid="save"' not in body
    response = reviewer_client.post(urls["text"], {"version": "1", "s7_problems": "改"}, follow=True)
    assert "只有本单位的填报人或单位负责人可以修改这份报告。" in response.content.decode()
    assert Report.objects.get(pk=demo_report.pk).s7_problems == demo_report.s7_problems


@pytest.mark.django_db
def test_head_may_edit(head, page_form, demo_report):
    from django.test import Client

    client = Client()
    client.force_login(head)
    url, data = page_form(client, "text")
    data["s8_measures"] = "细化预算"
    assert client.post(url, data).status_code == 302
    assert Report.objects.get(pk=demo_report.pk).s8_measures == "细化预算"


@pytest.mark.django_db
def test_locked_report_is_read_only_and_post_refused(preparer_client, page_form, urls, demo_report):
    url, data = page_form(preparer_client, "text")
    Report.objects.filter(pk=demo_report.pk).update(status="submitted")
    body = preparer_client.get(urls["attachment1"]).content.decode()
    assert "报告当前状态为「已提交」，已锁定，不能修改。" in body
    assert 'data-testid="save"' not in body
    data["s7_problems"] = "迟到的修改"
    response = preparer_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "报告当前状态为「已提交」，已锁定，不能修改。" in response.content.decode()
    assert Report.objects.get(pk=demo_report.pk).s7_problems == demo_report.s7_problems


@pytest.mark.django_db
def test_report_actions_show_edit_links_only_to_who_may_edit(preparer_client, reviewer_client, demo_report):
    url = f"/reports/{demo_report.pk}/"
    assert 'data-testid="edit-link"' in preparer_client.get(url).content.decode()
    assert 'data-testid="edit-link"' not in reviewer_client.get(url).content.decode()


@pytest.mark.django_db
def test_stale_version_gets_conflict_with_input_kept(preparer_client, head, page_form, demo_report):
    url, mine = page_form(preparer_client, "text")
    version = demo_report.version
    # The head saves first, from the same version.
    services.save_report_fields(
        report=demo_report,
        expected_version=int(mine["version"]),
        user=head,
        values={"s7_problems": "负责人的文字"},
    )
    mine["s7_problems"] = "填报人的文字"
    response = preparer_client.post(url, mine)
    body = response.content.decode()
    assert response.status_code == 409
    assert services.CONFLICT_MESSAGE in body
    assert "填报人的文字" in body
    report = Report.objects.get(pk=demo_report.pk)
    assert (report.s7_problems, report.version) == ("负责人的文字", version + 1)


@pytest.mark.django_db
def test_stale_version_on_scorecard_keeps_earlier_save(preparer_client, page_form, demo_report, head):
    url, first = page_form(preparer_client, "attachment2")
    _, second = page_form(preparer_client, "attachment2")
    first["goal_actual"] = "第一次保存"
    assert preparer_client.post(url, first).status_code == 302
    second["goal_actual"] = "第二次保存"
    response = preparer_client.post(url, second)
    assert response.status_code == 409
    assert "第二次保存" in response.content.decode()
    assert demo_report.scorecards.get(kind="department").goal_actual == "第一次保存"


@pytest.mark.django_db
def test_service_refuses_locked_report(demo_report, preparer):
    Report.objects.filter(pk=demo_report.pk).update(status="approved")
    demo_report.refresh_from_db()
    with pytest.raises(ReportLocked):
        services.save_report_fields(
            report=demo_report,
            expected_version=demo_report.version,
            user=preparer,
            values={"s7_problems": "x"},
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_saves_one_wins_the_other_conflicts(demo_report, preparer, head):
    """Two real transactions from the same version: the first holds the row; the second waits, then conflicts."""
    version = demo_report.version
    first_claimed, release = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                report = Report.objects.get(pk=demo_report.pk)
                services.save_report_fields(
                    report=report, expected_version=version, user=preparer, values={"s7_problems": "先保存的"}
                )
                first_claimed.set()
                release.wait(10)
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second():
        try:
            first_claimed.wait(10)
            report = Report.objects.get(pk=demo_report.pk)
            try:
                services.save_report_fields(
                    report=report, expected_version=version, user=head, values={"s7_problems": "后保存的"}
                )
                outcome["second"] = "saved"
            except services.EditConflict:
                outcome["second"] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the second save is now blocked on the first one's row lock
    release.set()
    for thread in threads:
        thread.join(20)
    close_old_connections()
    report = Report.objects.get(pk=demo_report.pk)
    assert outcome == {"first": "saved", "second": "conflict"}
    assert (report.s7_problems, report.version, report.updated_by_id) == (
        "先保存的",
        version + 1,
        preparer.pk,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_racing_saves_exactly_one_wins(demo_report, preparer, head):
    version = demo_report.version
    barrier = threading.Barrier(2)
    results = {}

    def save(user, text):
        try:
            report = Report.objects.get(pk=demo_report.pk)
            barrier.wait(10)
            try:
                services.save_report_fields(
                    report=report, expected_version=version, user=user, values={"s7_problems": text}
                )
                results[text] = "saved"
            except services.EditConflict:
                results[text] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(preparer, "甲")),
        threading.Thread(target=save, args=(head, "乙")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(results.values()) == ["conflict", "saved"]
    winner = next(text for text, result in results.items() if result == "saved")
    report = Report.objects.get(pk=demo_report.pk)
    assert (report.s7_problems, report.version) == (winner, version + 1)


@pytest.mark.django_db
def test_posted_row_of_another_report_is_refused(preparer_client, page_form, demo_report):
    from perfeval.filing.models import Indicator
    from tests.synthetic import make_synthetic_report

    foreign = make_synthetic_report(period=demo_report.period, projects=1, indicators=1, code="foreign")
    foreign_row = Indicator.objects.filter(scorecard__report=foreign).first()
    url, data = page_form(preparer_client, "attachment2")
    data["ind-quantity-0-id"] = str(foreign_row.pk)
    data["ind-quantity-0-name"] = "篡改"
    response = preparer_client.post(url, data, follow=True)
    assert "表单中的某一行已不属于本报告，请重新加载页面。" in response.content.decode()
    foreign_row.refresh_from_db()
    assert foreign_row.name == "指标1"
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version


@pytest.mark.django_db
def test_attachment3_of_project_without_one_is_404(preparer_client, demo_report):
    from perfeval.filing.models import Project

    project = Project.objects.get(report=demo_report, name="信访工作经费")
    url = f"/reports/{demo_report.pk}/edit/projects/{project.pk}/attachment3/"
    assert preparer_client.get(url).status_code == 404
