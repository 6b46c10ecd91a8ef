import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse


def test_system_checks_are_clean(db):
    call_command("check", fail_level="WARNING")


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_admin_changelist_and_change_page_work_for_every_model(model, client, administrator, demo_report):
    client.force_login(administrator)
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert change.status_code == 200


def test_admin_search_finds_the_demo_report(client, administrator, demo_report):
    client.force_login(administrator)
    response = client.get(reverse("admin:filing_report_changelist"), {"q": "信访"})
    assert str(demo_report) in response.content.decode()
