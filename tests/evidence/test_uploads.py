"""Uploading, serving, publishing and removing evidence through the pages, as the preparer and as others."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from perfeval.evidence.models import Evidence
from perfeval.filing.models import Report
from perfeval.workflow import services as workflow
from perfeval.workflow.models import AuditAction, AuditEvent
from tests.evidence import files
from tests.evidence.conftest import make_submittable_with_evidence, stored_files, upload_url


def _post(client, report, uploads, **place):
    data = {"files": [SimpleUploadedFile(name, body) for name, body in uploads], **place}
    return client.post(upload_url(report), data)


def _nothing_stored(evidence_dir, report):
    assert stored_files(evidence_dir) == []
    assert not Evidence.objects.filter(report=report).exists()
    assert not AuditEvent.objects.filter(report=report, action=AuditAction.EVIDENCE_ADD).exists()


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("满意度调查.pdf", files.windows_executable, "文件内容是Windows 可执行程序"),
        ("满意度调查.pdf", files.pdf_with_javascript, "PDF 含JavaScript 脚本，出于安全原因拒绝上传"),
        ("满意度调查.docx", files.docx_bomb, "疑似压缩炸弹"),
        ("图表.svg", files.svg_with_script, "不接受 SVG 图片（其中可以含脚本）"),
        ("图表.png", files.svg_with_script, "不接受 SVG 图片（其中可以含脚本）"),
    ],
)
def test_hostile_upload_is_refused_and_nothing_stored(
    preparer_client, demo_report, evidence_dir, satisfaction, name, build, message
):
    version = demo_report.version
    response = _post(preparer_client, demo_report, [(name, build())], indicator=satisfaction.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'data-testid="evidence-error"' in page
    _nothing_stored(evidence_dir, demo_report)
    assert Report.objects.get(pk=demo_report.pk).version == version


def test_one_bad_file_refuses_the_whole_upload(preparer_client, demo_report, evidence_dir):
    response = _post(
        preparer_client, demo_report, [("调查.pdf", files.pdf()), ("setup.pdf", files.windows_executable())]
    )
    assert response.status_code == 400
    assert "「setup.pdf」：文件内容是Windows 可执行程序" in response.content.decode()
    _nothing_stored(evidence_dir, demo_report)


def test_thousand_files_refused_before_any_is_kept(preparer_client, demo_report, evidence_dir):
    body, content_type = files.multipart([("files", f"{i}.pdf", files.pdf()) for i in range(1000)])
    response = preparer_client.post(upload_url(demo_report), body, content_type=content_type)
    assert response.status_code == 400
    assert "一次最多上传 10 个文件，本次超过了这个数目：未保存任何文件" in response.content.decode()
    _nothing_stored(evidence_dir, demo_report)


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("a" * 20_000 + ".pdf", "文件名过长（最多 200 个字符）"),
        ("a" * 300 + ".pdf", "文件名过长（304 个字符，最多 200 个字符）"),
        ("../../../etc/cron.d/evil.pdf", "文件名不能含路径（如 ../ 或 /）"),
        ("..\\..\\evil.pdf", "文件名不能含路径（如 ../ 或 /）"),
    ],
)
def test_hostile_file_name_is_refused(preparer_client, demo_report, evidence_dir, filename, message):
    body, content_type = files.multipart([("files", filename, files.pdf())])
    response = preparer_client.post(upload_url(demo_report), body, content_type=content_type)
    assert response.status_code == 400
    assert message in response.content.decode()
    _nothing_stored(evidence_dir, demo_report)


def test_file_over_the_size_limit_is_refused_while_reading(
    settings, preparer_client, demo_report, evidence_dir
):
    settings.EVIDENCE_MAX_BYTES = 100_000
    body, content_type = files.multipart([("files", "大文件.pdf", files.pdf() + b"%" * 200_000)])
    response = preparer_client.post(upload_url(demo_report), body, content_type=content_type)
    assert response.status_code == 400
    assert "文件「大文件.pdf」超过 0.1 MB 的上限：未保存任何文件" in response.content.decode()
    _nothing_stored(evidence_dir, demo_report)


def test_report_count_limit(settings, preparer_client, demo_report, evidence_dir):
    settings.EVIDENCE_MAX_PER_REPORT = 2
    assert (
        _post(preparer_client, demo_report, [("a.pdf", files.pdf()), ("b.png", files.png())]).status_code
        == 302
    )
    response = _post(preparer_client, demo_report, [("c.pdf", files.pdf())])
    assert response.status_code == 400
    assert "每份报告最多 2 个佐证材料，已有 2 个" in response.content.decode()
    assert len(stored_files(evidence_dir)) == 2


def test_upload_without_csrf_token_is_refused(preparer, demo_report, evidence_dir):
    client = Client(enforce_csrf_checks=True)
    client.force_login(preparer)
    response = _post(client, demo_report, [("a.pdf", files.pdf())])
    assert response.status_code == 403
    _nothing_stored(evidence_dir, demo_report)


def test_upload_stores_under_a_random_name_and_audits(
    preparer_client, demo_report, evidence_dir, satisfaction
):
    version = demo_report.version
    response = _post(
        preparer_client,
        demo_report,
        [("survey.png", files.pdf()), ("满意度 照片.jpg", files.jpeg())],
        indicator=satisfaction.pk,
    )
    assert response.status_code == 302
    pdf, photo = Evidence.objects.filter(report=demo_report).order_by("id")
    assert (pdf.name, pdf.kind, photo.name, photo.kind) == ("survey.pdf", "pdf", "满意度 照片.jpg", "jpeg")
    assert pdf.label == "附件2 · 群众满意率"
    assert pdf.indicator == satisfaction
    assert stored_files(evidence_dir) == sorted([pdf.stored_name, photo.stored_name])
    assert "survey" not in pdf.stored_name and len(pdf.stored_name) == len("0" * 32 + ".pdf")
    assert Report.objects.get(pk=demo_report.pk).version == version + 1
    events = AuditEvent.objects.filter(report=demo_report, action=AuditAction.EVIDENCE_ADD).order_by("id")
    assert [(e.details["name"], e.details["sha256"]) for e in events] == [
        ("survey.pdf", pdf.sha256),
        ("满意度 照片.jpg", photo.sha256),
    ]


def test_upload_to_a_section_and_to_a_reply(preparer, preparer_client, reviewer, demo_report, evidence_dir):
    _post(preparer_client, demo_report, [("a.docx", files.docx())], section="s7")
    assert Evidence.objects.get(report=demo_report).label == "正文 · 七、存在的问题及原因分析"
    make_submittable_with_evidence(demo_report)
    workflow.submit_report(report=demo_report, user=preparer)
    round_ = workflow.return_report(
        report=demo_report, user=reviewer, reasons=[workflow.PinnedReason("请附满意度调查", "", "")]
    )
    reason = round_.reasons.get()
    assert (
        _post(preparer_client, demo_report, [("调查.xlsx", files.xlsx())], reason=reason.pk).status_code
        == 302
    )
    reply_file = Evidence.objects.get(reason=reason)
    assert reply_file.label == "退回意见答复 · 整份报告"
    page = preparer_client.get(reverse("editing:overview", args=[demo_report.pk])).content.decode()
    assert f"?reason={reason.pk}" in page


def test_place_that_is_not_the_reports_is_refused(preparer_client, demo_report, evidence_dir):
    response = _post(preparer_client, demo_report, [("a.pdf", files.pdf())], indicator=10**9)
    assert response.status_code == 400
    assert "没有找到该指标行（可能已被删除），请刷新页面" in response.content.decode()
    response = _post(preparer_client, demo_report, [("a.pdf", files.pdf())], section="s99")
    assert "没有找到该正文部分" in response.content.decode()
    _nothing_stored(evidence_dir, demo_report)


def test_file_is_served_with_safe_headers(preparer_client, reviewer_client, demo_report, evidence_dir):
    _post(preparer_client, demo_report, [("调查.pdf", files.pdf()), ("表.xlsx", files.xlsx())])
    pdf, book = Evidence.objects.filter(report=demo_report).order_by("id")
    response = reviewer_client.get(reverse("evidence:file", args=[demo_report.pk, pdf.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=UTF-8''")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    response = preparer_client.get(reverse("evidence:file", args=[demo_report.pk, book.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_other_department_gets_404_for_every_evidence_url(
    preparer_client, other_client, demo_report, evidence_dir
):
    _post(preparer_client, demo_report, [("调查.pdf", files.pdf())])
    evidence = Evidence.objects.get(report=demo_report)
    for name in ("evidence:file", "evidence:remove", "evidence:public"):
        url = reverse(name, args=[demo_report.pk, evidence.pk])
        assert other_client.get(url).status_code in (404, 405)
        assert other_client.post(url, {"public": "1"}).status_code == 404
    assert other_client.get(reverse("evidence:place", args=[demo_report.pk])).status_code == 404
    assert other_client.post(upload_url(demo_report), {}).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk, public=False).exists()


def test_reviewer_may_read_but_not_upload(reviewer_client, demo_report, evidence_dir):
    response = _post(reviewer_client, demo_report, [("调查.pdf", files.pdf())])
    assert response.status_code == 400
    assert "只有本单位的填报人或单位负责人可以修改这份报告" in response.content.decode()
    _nothing_stored(evidence_dir, demo_report)


def test_removal_is_locked_after_submission(
    preparer, preparer_client, demo_report, evidence_dir, django_capture_on_commit_callbacks
):
    _post(preparer_client, demo_report, [("调查.pdf", files.pdf()), ("b.pdf", files.pdf(("b",)))])
    first, second = Evidence.objects.filter(report=demo_report).order_by("id")
    with django_capture_on_commit_callbacks(execute=True):
        response = preparer_client.post(reverse("evidence:remove", args=[demo_report.pk, first.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=first.pk).exists()
    assert stored_files(evidence_dir) == [second.stored_name]
    removed = AuditEvent.objects.get(report=demo_report, action=AuditAction.EVIDENCE_REMOVE)
    assert removed.details["sha256"] == first.sha256

    make_submittable_with_evidence(demo_report)
    workflow.submit_report(report=demo_report, user=preparer)
    response = preparer_client.post(reverse("evidence:remove", args=[demo_report.pk, second.pk]), follow=True)
    assert "报告当前状态为「已提交」，已锁定，不能修改。" in response.content.decode()
    assert Evidence.objects.filter(pk=second.pk).exists()
    assert stored_files(evidence_dir) == [second.stored_name]
    response = _post(preparer_client, demo_report, [("c.pdf", files.pdf())])
    assert response.status_code == 400
    assert "已锁定" in response.content.decode()


def test_public_only_when_the_gate_passes(preparer_client, demo_report, evidence_dir):
    _post(
        preparer_client,
        demo_report,
        [
            ("调查.pdf", files.pdf()),
            ("联系人.pdf", files.pdf(("tel 13812345678",))),
            ("照片.png", files.png()),
        ],
    )
    clean, personal, photo = Evidence.objects.filter(report=demo_report).order_by("id")
    assert (clean.gate_passed, personal.gate_passed, photo.gate_passed) == (True, False, False)
    for evidence in (clean, personal, photo):
        preparer_client.post(reverse("evidence:public", args=[demo_report.pk, evidence.pk]), {"public": "1"})
    assert list(Evidence.objects.filter(report=demo_report, public=True)) == [clean]
    response = preparer_client.post(
        reverse("evidence:public", args=[demo_report.pk, personal.pk]), {"public": "1"}, follow=True
    )
    assert "「联系人.pdf」不能公开：文件中有 1 处个人手机号，不能公开" in response.content.decode()


def test_edit_tabs_link_each_place(preparer_client, demo_report, satisfaction, evidence_dir):
    _post(preparer_client, demo_report, [("调查.pdf", files.pdf())], indicator=satisfaction.pk)
    page = preparer_client.get(reverse("editing:attachment2", args=[demo_report.pk])).content.decode()
    assert f'id="p-att2-indicator:{satisfaction.pk}-evidence"' in page
    assert 'data-count="1">佐证材料（1）</a>' in page
    text = preparer_client.get(reverse("editing:text", args=[demo_report.pk])).content.decode()
    assert "?section=s7" in text
    detail = preparer_client.get(reverse("report_detail", args=[demo_report.pk])).content.decode()
    assert "调查.pdf" in detail and "附件2 · 群众满意率" in detail
