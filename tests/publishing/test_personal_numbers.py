"""Personal numbers are normalised before they are matched: separators, full-width digits and the country code
(issue 15, reproduction 5). The same finder feeds the gate's check and the public copy's masking."""

import pytest

from perfeval.publishing.masking import mask_text
from perfeval.rules.checks import personal_numbers


@pytest.mark.parametrize(
    ("text", "kind", "masked"),
    [
        ("手机 18373311611", "mobile", "手机 183****1611"),
        ("138-0013-8000", "mobile", "138-****-8000"),
        ("138 0013 8000", "mobile", "138 **** 8000"),
        ("138　0013　8000", "mobile", "138　****　8000"),
        ("8613800138001", "mobile", "86138****8001"),
        ("+86 138 0013 8000", "mobile", "+86 138 **** 8000"),
        ("0086-13800138000", "mobile", "0086-138****8000"),
        ("１３８００１３８００２", "mobile", "１３８****８００２"),
        ("＋８６ １３８－００１３－８０００", "mobile", "＋８６ １３８－****－８０００"),
        ("430102 19900101 1234", "id", "430102 ******** 1234"),
        ("43010219900101123X", "id", "430102********123X"),
        ("430102-1990-0101-123x", "id", "430102-****-****-123x"),
    ],
)
def test_personal_number_written_any_way_is_found_and_masked(text, kind, masked):
    assert [n.kind for n in personal_numbers(text)] == [kind]
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "实际支出 1286.3 万元",
        "1,286.30",
        "2023-12-31",
        "2023年12月31日",
        "功能分类 2080501 2010301",
        "编号 1183733116110",  # a mobile inside a longer number is not one
        "123456789012345678",  # 18 digits without a birth date
        "12 345 678 901",
        "≥10000件",
        "0731-28680000",  # the unit's landline stays public
    ],
)
def test_what_is_not_a_personal_number_stays(text):
    assert [n.kind for n in personal_numbers(text) if n.kind != "landline"] == []
    assert mask_text(text) == text


def test_numbers_side_by_side_are_each_found():
    text = "电话 0731-28680000、13800138000 2023 年，证件 430102199001011234"
    assert [(n.kind, text[n.start : n.end]) for n in personal_numbers(text)] == [
        ("landline", "0731-28680000"),
        ("mobile", "13800138000"),
        ("id", "430102199001011234"),
    ]
    assert mask_text(text) == "电话 0731-28680000、138****8000 2023 年，证件 430102********1234"


WRITTEN = (
    "138-0013-8000",
    "138 0013 8000",
    "8613800138001",
    "430102 19900101 1234",
    "１３８００１３８００２",
)
NOT_PERSONAL = "实际支出 1286.3 万元，截至 2023-12-31，功能分类 2080501，办公电话 0731-28680000。"


@pytest.fixture
def numbers_published(demo_report, reviewer, django_capture_on_commit_callbacks):
    """The demo report with a personal number written each way, approved and published through the workflow."""
    from perfeval.filing.models import Report, Status
    from perfeval.publishing.services import publish
    from perfeval.workflow.services import approve_report

    Report.objects.filter(pk=demo_report.pk).update(
        phone=WRITTEN[0], s10_other="；".join(WRITTEN[1:]) + "。" + NOT_PERSONAL, status=Status.SUBMITTED
    )
    report = Report.objects.get(pk=demo_report.pk)
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report=report, user=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        version = publish(report=report, user=reviewer, published_where="财政局网站")
    version.refresh_from_db()
    return version


def test_gate_flags_each_way_of_writing_a_personal_number(numbers_published, reviewer_client):
    from django.urls import reverse

    response = reviewer_client.get(reverse("publishing:publish_gate", args=[numbers_published.report_id]))
    flagged = [f["message"] for f in response.context["gate"]["findings"] if f["code"] == "PERSONAL_NUMBER"]
    assert flagged == [
        "正文 · 十、其他需要说明的情况 含个人手机号 138 0013 8000，公开版本须遮盖",
        "正文 · 十、其他需要说明的情况 含个人手机号 8613800138001，公开版本须遮盖",
        "正文 · 十、其他需要说明的情况 含个人身份证号 430102 19900101 1234，公开版本须遮盖",
        "正文 · 十、其他需要说明的情况 含个人手机号 １３８００１３８００２，公开版本须遮盖",
        "表尾 · 联系电话 含个人手机号 138-0013-8000，公开版本须遮盖",
    ]


def test_public_json_csv_page_and_pdf_mask_every_way_and_keep_the_rest(numbers_published, client):
    import json

    from tests.publishing.conftest import pdf_pages

    data = json.loads(client.get("/public/zzxfj/2023/v1/data.json").content)
    assert data["footer"]["phone"] == "138-****-8000"
    assert data["text"]["s10_other"] == (
        "138 **** 8000；86138****8001；430102 ******** 1234；１３８****８００２。" + NOT_PERSONAL
    )
    page = client.get("/public/zzxfj/2023/").content.decode()
    csv = client.get("/public/zzxfj/2023/v1/figures.csv").content.decode("utf-8-sig")
    pdf = "".join(pdf_pages(client.get("/public/zzxfj/2023/v1/report.pdf").content))
    for shown in (page, pdf):
        assert "138-****-8000" in shown and "1286.3" in shown and "0731-28680000" in shown
    for shown in (page, csv, pdf.replace("\n", "")):
        assert not any(written in shown for written in WRITTEN)
