import pytest
from django.core.management import call_command

from perfeval.filing.models import Report, Status
from perfeval.publishing.checks import cjk_font_families, harfbuzz_subset_available, pdf_dependencies
from perfeval.publishing.masking import mask_text, mask_value
from tests.publishing.conftest import pdf_pages


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系电话：18373311611", "联系电话：183****1611"),
        ("0731-28680000", "0731-28680000"),  # a landline stays
        ("43020219800101123X 号", "430202********123X 号"),
        ("430202198001011234", "430202********1234"),
        ("编号 1183733116110", "编号 1183733116110"),  # part of a longer number: not a mobile
        ("", ""),
    ],
)
def test_mask_text_masks_mobiles_and_id_numbers(text, masked):
    assert mask_text(text) == masked


def test_mask_value_walks_json_and_keeps_numbers():
    assert mask_value({"a": ["18373311611", 5], "b": None}) == {"a": ["183****1611", 5], "b": None}


def test_system_check_is_quiet_on_this_machine():
    assert cjk_font_families() != [] and harfbuzz_subset_available()
    assert pdf_dependencies(None) == []


def test_system_check_warns_without_cjk_fonts(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert [w.id for w in pdf_dependencies(None)] == ["publishing.W001"]


@pytest.mark.django_db
def test_export_report_pdf_is_a_draft_until_approved(demo_report, tmp_path):
    out = tmp_path / "draft.pdf"
    call_command("export_report", department="zzxfj", year=2023, format="pdf", output=str(out))
    assert all("草稿" in text for text in pdf_pages(out.read_bytes()))


@pytest.mark.django_db
def test_export_report_pdf_of_a_frozen_report_is_the_stored_pdf(frozen, tmp_path):
    out = tmp_path / "final.pdf"
    call_command("export_report", department="zzxfj", year=2023, format="pdf", output=str(out))
    assert out.read_bytes() == bytes(frozen.pdf)


@pytest.mark.django_db
def test_export_report_pdf_of_an_approved_report_without_snapshot_is_final(demo_report, tmp_path):
    Report.objects.filter(pk=demo_report.pk).update(status=Status.APPROVED)
    out = tmp_path / "final.pdf"
    call_command("export_report", department="zzxfj", year=2023, format="pdf", output=str(out))
    assert not any("草稿" in text for text in pdf_pages(out.read_bytes()))
