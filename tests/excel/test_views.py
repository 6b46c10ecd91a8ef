import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from perfeval.excel.models import ImportUpload
from perfeval.filing.models import Report
from tests.excel.helpers import demo_workbook, payload_of, rezip, to_bytes


def _upload(client, report, content, name="附表.xlsx"):
    """The upload, read by its job (the immediate task backend runs it at once), and its job page: a redirect
    to the preview, or the page listing why nothing was read."""
    started = client.post(
        reverse("excel:upload", args=[report.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")
    return client.get(started["Location"])


def _downloaded(client, url):
    """A workbook export: its job page, then the file it links to."""
    started = client.get(url)
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")
    page = client.get(started["Location"])
    assert page.status_code == 200 and 'data-status="done"' in page.content.decode()
    return client.get(started["Location"] + "result/")


def _edited(report, cell="F6", value=24.65):
    workbook = demo_workbook(report)
    workbook["附件1"][cell] = value
    return to_bytes(workbook)


def test_download_gives_the_workbook(preparer_client, demo_report):
    response = _downloaded(preparer_client, reverse("excel:download", args=[demo_report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["附件1", "附件2", "附件3-1 信访维稳工作经费"]


def test_download_query_count_is_constant(preparer_client, demo_report, django_assert_max_num_queries):
    with django_assert_max_num_queries(
        22
    ):  # the job's row, its task (run at once here) and the report's parts
        preparer_client.get(reverse("excel:download", args=[demo_report.pk]))


def test_templates_for_preparer_and_reviewer(preparer_client, reviewer_client, other_client, demo_report):
    by_report = reverse("excel:report_template", args=[demo_report.pk])
    by_department = reverse("excel:department_template", args=[2023, "zzxfj"])
    for client, url in (
        (preparer_client, by_report),
        (preparer_client, by_department),
        (reviewer_client, by_department),
    ):
        response = _downloaded(client, url)
        assert response.status_code == 200 and "空白模板" in unquote(response["Content-Disposition"])
    assert other_client.get(by_department).status_code == 404


@pytest.mark.parametrize("name", ["download", "report_template", "upload"])
def test_other_department_gets_404(other_client, demo_report, name):
    assert other_client.get(reverse(f"excel:{name}", args=[demo_report.pk])).status_code == 404


def test_other_department_cannot_preview_or_confirm(preparer, other_client, demo_report):
    upload = ImportUpload.objects.create(
        report=demo_report, user=preparer, sha256="0" * 64, original_name="x.xlsx", size=1,
        payload=payload_of(demo_report), base_version=demo_report.version,
    )  # fmt: skip
    args = [demo_report.pk, upload.pk]
    assert other_client.get(reverse("excel:preview", args=args)).status_code == 404
    assert other_client.post(reverse("excel:confirm", args=args), {"version": 1}).status_code == 404


def test_reviewer_may_not_import(reviewer_client, demo_report):
    assert reviewer_client.get(reverse("excel:upload", args=[demo_report.pk])).status_code == 403


def test_upload_preview_confirm_changes_the_report(preparer_client, demo_report):
    response = _upload(preparer_client, demo_report, _edited(demo_report))
    upload = ImportUpload.objects.get()
    assert response.status_code == 302
    preview = preparer_client.get(response["Location"])
    html = preview.content.decode()
    assert "附件1 · 三公经费 · 2023年决算数" in html and "24.19" in html and "24.65" in html
    assert "三公经费 2023年决算数 24.65 ≠ 23.73 + 0.46 + 0.46 = 24.65" not in html  # now consistent
    assert "三公经费 2022年决算数 25 ≠ 24 + 0 + 0.07 = 24.07" in html  # still wrong, still shown
    assert payload_of(demo_report)["attachment1"]["expenses"]["sangong"]["final"] == "24.19"  # nothing yet
    confirm = preparer_client.post(
        reverse("excel:confirm", args=[demo_report.pk, upload.pk]), {"version": demo_report.version}
    )
    assert confirm.status_code == 302 and confirm["Location"].startswith("/jobs/")
    done = preparer_client.get(confirm["Location"], follow=True)
    assert done.redirect_chain[-1][0] == reverse("report_detail", args=[demo_report.pk])
    assert "Excel 已导入，报告已更新" in done.content.decode()
    assert payload_of(demo_report)["attachment1"]["expenses"]["sangong"]["final"] == "24.65"
    report = Report.objects.get(pk=demo_report.pk)
    assert report.version == demo_report.version + 1
    upload.refresh_from_db()
    assert upload.applied_at is not None


def test_same_file_twice_is_recognised(preparer_client, demo_report):
    content = _edited(demo_report)
    first = _upload(preparer_client, demo_report, content)
    assert ImportUpload.objects.count() == 1
    preparer_client.post(first["Location"] + "confirm/", {"version": demo_report.version})
    again = _upload(preparer_client, demo_report, content)
    assert again.status_code == 200
    assert "该文件已于" in again.content.decode() and "由 刘旅琴 导入过" in again.content.decode()
    upload = ImportUpload.objects.get()
    assert upload.sha256[:12] not in again.content.decode()  # the file is named, not its hash
    assert ImportUpload.objects.count() == 1


def test_stale_version_is_refused_with_a_message(preparer_client, demo_report):
    response = _upload(preparer_client, demo_report, _edited(demo_report))
    upload = ImportUpload.objects.get()
    Report.objects.filter(pk=demo_report.pk).update(
        version=demo_report.version + 1
    )  # someone saved meanwhile
    confirm = preparer_client.post(
        response["Location"] + "confirm/", {"version": demo_report.version}, follow=True
    )
    assert "报告已被修改" in confirm.content.decode()
    assert payload_of(demo_report)["attachment1"]["expenses"]["sangong"]["final"] == "24.19"
    upload.refresh_from_db()
    assert upload.applied_at is None


def test_locked_report_refuses_upload_and_confirm(preparer_client, demo_report):
    response = _upload(preparer_client, demo_report, _edited(demo_report))
    Report.objects.filter(pk=demo_report.pk).update(status="submitted")
    confirm = preparer_client.post(
        response["Location"] + "confirm/", {"version": demo_report.version}, follow=True
    )
    assert "已锁定" in confirm.content.decode()
    again = _upload(preparer_client, demo_report, _edited(demo_report, value=30))
    assert "已锁定" in again.content.decode()
    assert payload_of(demo_report)["attachment1"]["expenses"]["sangong"]["final"] == "24.19"


def test_bad_cells_are_listed_and_nothing_is_stored(preparer_client, demo_report):
    workbook = demo_workbook(demo_report)
    workbook["附件1"]["D6"] = "abc"
    response = _upload(preparer_client, demo_report, to_bytes(workbook))
    assert response.status_code == 200
    assert "附件1!D6：「abc」不是数字" in response.content.decode()
    assert ImportUpload.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("macro.xlsx", lambda c: rezip(c, add={"xl/vbaProject.bin": b"vba"}), "含宏"),
        ("plain.xlsx", lambda c: b"not a zip at all", "内容不是 Excel 工作簿"),
        ("report.xlsm", lambda c: c, "只能导入 .xlsx"),
    ],
)
def test_hostile_uploads_get_a_message_not_an_error(preparer_client, demo_report, name, make, message):
    content = make(to_bytes(demo_workbook(demo_report)))
    response = _upload(preparer_client, demo_report, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportUpload.objects.count() == 0


def test_preview_and_upload_pages_have_a_fixed_query_count(
    preparer_client, demo_report, django_assert_max_num_queries
):
    response = _upload(preparer_client, demo_report, _edited(demo_report))
    # The report's parts include its evidence files; plus the bell's unread count.
    with django_assert_max_num_queries(14):
        assert preparer_client.get(response["Location"]).status_code == 200
    with django_assert_max_num_queries(15):
        assert preparer_client.get(reverse("excel:upload", args=[demo_report.pk])).status_code == 200
