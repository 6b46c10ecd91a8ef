"""Approval freezes the report; the final PDF is served byte for byte; the gate; public versions."""

import csv
import hashlib
import io
import json

import pytest
from django.urls import reverse

from perfeval.filing.models import Report, Status
from perfeval.filing.parts import reports_with_parts
from perfeval.publishing import services
from perfeval.publishing.models import DraftPdf, PdfStatus, PublishedVersion, ReportSnapshot
from tests.publishing.conftest import pdf_pages

pytestmark = pytest.mark.django_db


def test_freeze_report_stores_snapshot_and_pdf_with_their_sha256(frozen, approved_report):
    assert frozen.pdf_status == PdfStatus.DONE
    assert frozen.pdf_sha256 == hashlib.sha256(bytes(frozen.pdf)).hexdigest()
    assert frozen.data["report"]["footer"]["phone"] == "18373311611"  # the internal record is not masked
    assert frozen.data["computed"]["attachment2"]["execution_rate"] == "100"
    assert frozen.data["computed"]["attachment3"][0]["self_total"] == "98"
    assert frozen.number == 1 and frozen.report_version == approved_report.version


def test_freeze_report_refuses_a_report_that_is_not_approved(demo_report, reviewer):
    with pytest.raises(services.PublishingError):
        services.freeze_report(report=demo_report, user=reviewer)
    assert ReportSnapshot.objects.count() == 0


def test_final_pdf_download_is_byte_identical_even_after_the_live_report_changes(frozen, reviewer_client):
    url = reverse("publishing:report_pdf", args=[frozen.report_id])
    first = reviewer_client.get(url)
    Report.objects.filter(pk=frozen.report_id).update(s7_problems="改过的文字", phone="0731-00000000")
    second = reviewer_client.get(url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content == bytes(frozen.pdf)
    assert "改过的文字" not in "".join(pdf_pages(second.content))


def test_final_pdf_is_rendered_from_the_snapshot_not_the_live_report(approved_report, reviewer):
    snapshot_data = services.build_snapshot_data(approved_report)
    Report.objects.filter(pk=approved_report.pk).update(s8_measures="冻结之后的改动")
    html = services.snapshot_html(snapshot_data)
    assert "冻结之后的改动" not in html
    assert "加强内部机构的预算管理意识" in html


def test_stored_pdf_survives_a_template_change(frozen, reviewer_client, settings, tmp_path):
    (tmp_path / "filing").mkdir()
    (tmp_path / "filing" / "_report_document.html").write_text("<p>全新模板</p>", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    services.render_stored(kind="snapshot", pk=frozen.pk)  # a repeated task does not replace the bytes
    response = reviewer_client.get(reverse("publishing:report_pdf", args=[frozen.report_id]))
    assert response.content == bytes(frozen.pdf)


def test_snapshot_round_trips_the_open_data(approved_report):
    from perfeval.filing.opendata import export_report, without_refs

    data = services.build_snapshot_data(approved_report)
    assert without_refs(data["report"]) == export_report(approved_report)


def test_render_failure_is_recorded_shown_and_retried(
    frozen, reviewer_client, settings, django_capture_on_commit_callbacks
):
    ReportSnapshot.objects.filter(pk=frozen.pk).update(pdf=None, pdf_sha256="", pdf_status=PdfStatus.PENDING)
    settings.PDF_MAX_PAGES, settings.PDF_MAX_PAGES_PER_PART = 2, 0
    services.render_stored(kind="snapshot", pk=frozen.pk)
    frozen.refresh_from_db()
    assert (frozen.pdf_status, frozen.pdf_error.startswith("PDF 共")) == (PdfStatus.FAILED, True)
    page = reviewer_client.get(reverse("publishing:report_pdf_status", args=[frozen.report_id]))
    assert "生成失败" in page.content.decode() and "重新生成" in page.content.decode()
    settings.PDF_MAX_PAGES, settings.PDF_MAX_PAGES_PER_PART = 100, 5
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(reverse("publishing:retry_report_pdf", args=[frozen.report_id]))
    assert response.status_code == 302
    frozen.refresh_from_db()
    assert (frozen.pdf_status, frozen.pdf_attempts) == (PdfStatus.DONE, 3)


def test_pdf_urls_are_404_for_another_department(frozen, other_client):
    for name in ("report_pdf", "report_pdf_draft", "report_pdf_status"):
        assert other_client.get(reverse(f"publishing:{name}", args=[frozen.report_id])).status_code == 404


def test_final_pdf_is_404_before_approval(demo_report, preparer_client):
    assert preparer_client.get(reverse("publishing:report_pdf", args=[demo_report.pk])).status_code == 404


def test_draft_pdf_renders_as_a_task_whose_status_page_opens_it(
    demo_report, preparer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend renders on commit
        page = preparer_client.get(reverse("publishing:report_pdf_draft", args=[demo_report.pk]))
    draft = DraftPdf.objects.get(report=demo_report)
    status_url = reverse("publishing:report_pdf_draft_status", args=[demo_report.pk, draft.pk])
    file_url = reverse("publishing:report_pdf_draft_file", args=[demo_report.pk, draft.pk])
    assert f'data-status-url="{status_url}"' in page.content.decode()
    assert "publishing/draft-pdf.js" in page.content.decode()
    assert preparer_client.get(status_url).json() == {
        "status": "done",
        "label": "已生成",
        "error": "",
        "pages": 9,
        "pdf_url": file_url,
    }
    response = preparer_client.get(file_url)
    assert response["Content-Type"] == "application/pdf"
    assert all("草稿" in text for text in pdf_pages(response.content))


def test_draft_pdf_is_pending_until_the_task_runs_and_reused_unchanged(demo_report, preparer_client):
    url = reverse("publishing:report_pdf_draft", args=[demo_report.pk])
    page = preparer_client.get(url)  # no commit in a test transaction: the task has not run
    draft = DraftPdf.objects.get(report=demo_report)
    status = preparer_client.get(
        reverse("publishing:report_pdf_draft_status", args=[demo_report.pk, draft.pk])
    )
    assert "草稿 PDF 正在生成" in page.content.decode()
    assert (status.json()["status"], status.json()["pdf_url"]) == ("pending", None)
    assert (
        preparer_client.get(
            reverse("publishing:report_pdf_draft_file", args=[demo_report.pk, draft.pk])
        ).status_code
        == 404
    )
    preparer_client.get(url)
    assert DraftPdf.objects.filter(report=demo_report).count() == 1


def test_draft_pdf_of_a_report_changed_meanwhile_asks_to_reopen(demo_report, preparer_client):
    preparer_client.get(reverse("publishing:report_pdf_draft", args=[demo_report.pk]))
    draft = DraftPdf.objects.get(report=demo_report)
    Report.objects.filter(pk=demo_report.pk).update(s7_problems="生成期间改过")
    assert services.render_draft(draft_id=draft.pk) == "stale"
    draft.refresh_from_db()
    assert (draft.status, draft.error) == (PdfStatus.FAILED, "报告在生成期间已被修改，请重新打开草稿预览。")


def test_draft_pdf_status_and_file_are_404_for_another_department(demo_report, preparer_client, other_client):
    preparer_client.get(reverse("publishing:report_pdf_draft", args=[demo_report.pk]))
    draft = DraftPdf.objects.get(report=demo_report)
    for name in ("report_pdf_draft_status", "report_pdf_draft_file"):
        url = reverse(f"publishing:{name}", args=[demo_report.pk, draft.pk])
        assert other_client.get(url).status_code == 404


def test_final_pdf_on_a_shared_queue_renders_its_parts_as_tasks_then_merges(frozen, settings):
    """With a queue that several workers take from, each missing part is a task; the last part schedules the
    merge. The dummy backend keeps the tasks, which are then run one by one as workers would."""
    from django_tasks import task_backends

    from perfeval.publishing.models import PdfPart

    ReportSnapshot.objects.filter(pk=frozen.pk).update(pdf=None, pdf_sha256="", pdf_status=PdfStatus.PENDING)
    PdfPart.objects.all().delete()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    assert services.render_stored(kind="snapshot", pk=frozen.pk) == "4 parts scheduled"
    queued = [(r.task.name, r.args[2:]) for r in backend.results]
    assert [name for name, _ in queued] == ["render_stored_pdf_part"] * 4
    for result in list(backend.results):
        result.task.call(*result.args)
    assert [r.task.name for r in backend.results[4:]] == ["render_stored_pdf"]
    backend.results[4].task.call(*backend.results[4].args)
    frozen.refresh_from_db()
    assert (frozen.pdf_status, frozen.pdf_pages) == (PdfStatus.DONE, 9)
    assert pdf_pages(bytes(frozen.pdf))[-1].strip().endswith("第 9 页 共 9 页")


def test_gate_flags_s9_zero_ratios_and_masked_numbers(frozen, reviewer_client):
    response = reviewer_client.get(reverse("publishing:publish_gate", args=[frozen.report_id]))
    page = response.content.decode()
    gate = response.context["gate"]
    assert {f["code"] for f in gate["findings"]} >= {"TEXT_S9_EMPTY", "PERSONAL_NUMBER"}
    assert gate["masked"] == [
        {"path": "footer.phone", "label": "表尾 · 联系电话", "before": "18373311611", "after": "183****1611"}
    ]
    assert "footer.phone" not in page
    assert any("楼堂馆所" in note and "—" in note for note in gate["zero_ratios"])
    assert "183****1611" in page


def test_gate_is_for_the_bureau_only(frozen, preparer_client):
    assert preparer_client.get(reverse("publishing:publish_gate", args=[frozen.report_id])).status_code == 403


def test_publish_through_the_gate_creates_version_1_and_marks_published(
    frozen, reviewer_client, django_capture_on_commit_callbacks
):
    url = reverse("publishing:publish_gate", args=[frozen.report_id])
    refused = reviewer_client.post(url, {"public_date": "2024-05-10", "published_where": "财政局网站"})
    assert refused.status_code == 200 and "confirm" in refused.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            url, {"public_date": "2024-05-10", "published_where": "财政局网站", "confirm": "on"}
        )
    assert response["Location"] == "/public/zzxfj/2023/"
    version = PublishedVersion.objects.get()
    assert (version.number, version.public_date.isoformat(), version.pdf_status) == (
        1,
        "2024-05-10",
        PdfStatus.DONE,
    )
    assert Report.objects.get(pk=frozen.report_id).status == Status.PUBLISHED


def test_public_pages_need_no_login_and_are_masked(published, client):
    index = client.get("/public/")
    assert index.status_code == 200 and "株洲市信访局" in index.content.decode()
    page = client.get("/public/zzxfj/2023/").content.decode()
    assert "183****1611" in page and "18373311611" not in page
    pdf = client.get("/public/zzxfj/2023/v1/report.pdf")
    text = "".join(pdf_pages(pdf.content))
    assert "183****1611" in text and "18373311611" not in text
    data = json.loads(client.get("/public/zzxfj/2023/v1/data.json").content)
    assert data["footer"]["phone"] == "183****1611"
    assert "18373311611" not in json.dumps(data)


def test_public_pdf_downloads_are_byte_identical(published, client):
    first = client.get("/public/zzxfj/2023/v1/report.pdf").content
    Report.objects.filter(pk=published.report_id).update(s9_application="事后修改")
    assert client.get("/public/zzxfj/2023/v1/report.pdf").content == first == bytes(published.pdf)


def test_public_csv_has_the_figures_as_rows(published, client):
    response = client.get("/public/zzxfj/2023/v1/figures.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["table", "row", "column", "value"]
    assert ["附件1", "三公经费", "2023年决算数", "24.19"] in rows
    assert ["附件1", "信访维稳工作经费", "2022年决算数", "422.85"] in rows
    assert ["附件1", "财政供养人员情况（人）", "控制率（%）", "100"] in rows
    assert ["附件2", "登记接待群众来访数量", "实际完成值", "14630"] in rows
    assert ["附件3 · 信访维稳工作经费", "预算资金控制数", "得分", "18"] in rows


def test_public_pages_show_only_published_reports(frozen, client):
    assert "株洲市信访局" not in client.get("/public/").content.decode()
    assert client.get("/public/zzxfj/2023/").status_code == 404
    assert client.get("/public/zzxfj/2023/v1/data.json").status_code == 404


def test_correction_is_a_new_version_and_the_old_stays_downloadable(
    published, reviewer, client, django_capture_on_commit_callbacks
):
    old_pdf = bytes(published.pdf)
    # Set-up: reopen → edit → approve again (the workflow's path), then freeze and publish again.
    Report.objects.filter(pk=published.report_id).update(
        status=Status.APPROVED, s9_application="在市财政局网站公开。"
    )
    report = reports_with_parts().get(pk=published.report_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.freeze_report(report=report, user=reviewer)
    with pytest.raises(services.PublishingError):
        services.publish(report=report, user=reviewer)  # a correction needs a change note
    with django_capture_on_commit_callbacks(execute=True):
        version = services.publish(report=report, user=reviewer, change_note="补充正文九")
    assert version.number == 2
    page = client.get("/public/zzxfj/2023/").content.decode()
    assert "在市财政局网站公开。" in page and "补充正文九" in page and "/public/zzxfj/2023/v1/" in page
    assert client.get("/public/zzxfj/2023/v1/report.pdf").content == old_pdf
    assert "在市财政局网站公开。" not in client.get("/public/zzxfj/2023/v1/").content.decode()


def test_publishing_the_same_snapshot_twice_is_refused(published, reviewer):
    with pytest.raises(services.PublishingError):
        services.publish(report=published.report, user=reviewer, change_note="再来一次")


def test_public_index_query_count_is_fixed(published, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/public/")


def test_frozen_document_prints_the_frozen_figures_without_computing_them(approved_report):
    data = services.build_snapshot_data(approved_report)
    data["computed"]["attachment2"]["self_total"] = "77.5"  # as if the rules had said so at approval
    data["computed"]["attachment1"]["sums"]["sangong"]["final"] = "1.234"
    doc = services.frozen_document(data)
    sangong = next(row for row in doc["att1"]["rows"] if row.code == "sangong")
    assert (doc["scorecards"][0].score_total.text, sangong.cells[2].text) == ("77.50", "1.234")


def test_frozen_document_reads_a_snapshot_frozen_before_every_figure_was(approved_report):
    from perfeval.filing.opendata import without_refs
    from perfeval.rules.results import open_data_results

    current = services.build_snapshot_data(approved_report)
    old = {
        **current,
        "schema": "perfeval.snapshot/1",
        "report": without_refs(current["report"]),
        "computed": open_data_results(current["computed"]),
    }
    assert services.snapshot_html(old) == services.snapshot_html({**current, "report": old["report"]})


def test_public_data_has_no_row_refs_while_the_snapshot_keeps_them(published):
    snapshot = published.snapshot.data["report"]
    assert snapshot["projects"][0]["ref"] == str(published.report.projects.get(order=0).pk)
    assert '"ref"' not in json.dumps(published.public_data)
