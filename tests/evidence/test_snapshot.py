"""The frozen snapshot lists every file with its SHA-256, size, type and place; open data keeps its shape; the
public page links only what the preparer marked public and the gate passed."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from perfeval.evidence import services
from perfeval.evidence.models import Evidence
from perfeval.publishing.models import PublishedVersion, ReportSnapshot
from perfeval.workflow import services as workflow
from tests.evidence import files
from tests.evidence.conftest import make_submittable_with_evidence


@pytest.fixture
def published_with_evidence(demo_report, satisfaction, preparer, reviewer, evidence_dir):
    survey = files.pdf()
    services.add_evidence(
        report=demo_report,
        user=preparer,
        place=services.Place(indicator=satisfaction),
        files=[
            SimpleUploadedFile("满意度调查.pdf", survey),
            SimpleUploadedFile("现场照片.png", files.png()),
            SimpleUploadedFile("名单 13812345678.pdf", files.pdf(("tel 13812345678",))),
        ],
    )
    clean, photo, personal = Evidence.objects.filter(report=demo_report).order_by("id")
    services.set_public(evidence=clean, user=preparer, public=True)
    make_submittable_with_evidence(demo_report)
    workflow.submit_report(report=demo_report, user=preparer)
    workflow.approve_report(report=demo_report, user=reviewer)
    workflow.publish_report(report=demo_report, user=reviewer, published_where="株洲市财政局门户网站")
    return {"report": demo_report, "clean": clean, "photo": photo, "personal": personal, "survey": survey}


def test_snapshot_lists_every_file_with_its_sha256(published_with_evidence, satisfaction):
    clean, photo = published_with_evidence["clean"], published_with_evidence["photo"]
    snapshot = ReportSnapshot.objects.get(report=published_with_evidence["report"])
    listed = snapshot.data["report"]["evidence"]
    assert [item["sha256"] for item in listed] == [
        hashlib.sha256(published_with_evidence["survey"]).hexdigest(),
        photo.sha256,
        published_with_evidence["personal"].sha256,
    ]
    assert listed[0] == {
        "ref": str(clean.pk),
        "name": "满意度调查.pdf",
        "kind": "pdf",
        "size": len(published_with_evidence["survey"]),
        "sha256": clean.sha256,
        "row": f"indicator:{satisfaction.pk}",
        "reason": None,
        "place": "附件2 · 群众满意率",
        "public": True,
    }
    assert [item["public"] for item in listed] == [True, False, False]


def test_open_data_keeps_its_shape(published_with_evidence):
    version = PublishedVersion.objects.get(report=published_with_evidence["report"])
    assert "evidence" not in version.public_data
    data = Client().get(
        reverse("publishing:public_json", args=[version.department_code, version.year, version.number])
    )
    assert b"evidence" not in data.content
    assert "满意度调查" not in data.content.decode()


def test_public_page_links_only_the_public_file(published_with_evidence):
    version = PublishedVersion.objects.get(report=published_with_evidence["report"])
    clean = published_with_evidence["clean"]
    anonymous = Client()
    page = anonymous.get(reverse("publishing:public_report", args=[version.department_code, version.year]))
    html = page.content.decode()
    url = reverse(
        "publishing:public_evidence", args=[version.department_code, version.year, version.number, clean.pk]
    )
    assert f'href="{url}"' in html
    assert "现场照片" not in html and "名单" not in html
    response = anonymous.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == published_with_evidence["survey"]
    assert response["X-Content-Type-Options"] == "nosniff"
    for hidden in (published_with_evidence["photo"], published_with_evidence["personal"]):
        args = [version.department_code, version.year, version.number, hidden.pk]
        assert anonymous.get(reverse("publishing:public_evidence", args=args)).status_code == 404
    # The signed-in URL is never public.
    signed_in = reverse("evidence:file", args=[published_with_evidence["report"].pk, clean.pk])
    assert anonymous.get(signed_in).status_code == 302
