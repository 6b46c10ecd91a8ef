from datetime import date

import pytest


@pytest.fixture
def project_period(demo_report, administrator):
    """A 2023 项目支出绩效自评 period beside the demo's 2023 部门整体 one, under the central pack, for 株洲市信访局."""
    from perfeval.filing.models import RulePack
    from perfeval.workflow import services

    return services.open_period(
        user=administrator,
        year=2023,
        kind="project",
        deadline=date(2024, 5, 31),
        rule_pack=RulePack.objects.get(code="central-default"),
        departments=[demo_report.department],
    )


@pytest.fixture
def project_report(project_period):
    return project_period.reports.get()


@pytest.fixture
def filled_project_report(project_report, preparer):
    """The project-only filing with two clean tables (tests/synthetic.py), imported as every payload is, and
    each 满意度 indicator's survey uploaded as its 佐证材料 (the pack asks for one)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from perfeval.evidence import services as evidence
    from perfeval.filing.models import Indicator
    from perfeval.filing.opendata import import_report
    from tests.evidence import files
    from tests.synthetic import synthetic_project_payload

    department = project_report.department
    payload = synthetic_project_payload(projects=2, code=department.code, name=department.name, year=2023)
    import_report(payload, report=project_report)
    project_report.refresh_from_db()
    for indicator in Indicator.objects.filter(scorecard__report=project_report, name__contains="满意度"):
        evidence.add_evidence(
            report=project_report,
            user=preparer,
            place=evidence.Place(indicator=indicator),
            files=[SimpleUploadedFile("满意度调查.pdf", files.pdf())],
        )
    project_report.refresh_from_db()
    return project_report
