"""A project-only filing (项目支出绩效自评) end to end outside the browser: its skeleton, its pages, its PDF read
back with pypdf, its workbook round trip and the import that refuses 附件1/附件2 cell by cell."""

import io
import re

import openpyxl
import pytest

from perfeval.excel.exports import build_template, build_workbook
from perfeval.excel.imports import read_workbook
from perfeval.excel.services import apply_payload
from perfeval.filing.opendata import OpenDataError, export_report, import_report
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.presentation import live_document
from perfeval.filing.validate import department_parts_given
from perfeval.publishing.documents import document_html, document_parts
from perfeval.publishing.pdf import render_pdf
from perfeval.rules.checks import check_report
from perfeval.rules.payload import report_data
from tests.excel.helpers import demo_workbook, to_bytes
from tests.publishing.conftest import pdf_lines
from tests.synthetic import synthetic_payload

pytestmark = pytest.mark.django_db


def _fresh(report):
    return reports_with_parts().get(pk=report.pk)


def _payload(report):
    return export_report(_fresh(report))


def test_new_project_filing_has_no_whole_report_parts(project_report):
    payload = _payload(project_report)
    assert (payload["kind"], payload["attachment2"], payload["projects"]) == ("project", None, [])
    assert str(project_report) == "2023年度株洲市信访局项目支出绩效自评"
    # Beside the department's 部门整体 report of the same year.
    assert project_report.department.reports.filter(period__year=2023).count() == 2


def test_new_project_filing_is_checked_for_its_projects_only(project_report):
    findings = check_report(
        report_data(export_report(_fresh(project_report), refs=True)), _pack(project_report)
    )
    assert [f.code for f in findings] == ["PROJECT_FILING_EMPTY"]


def _pack(report):
    return report.period.rule_pack.rules()


def test_filled_project_filing_has_no_finding_and_is_scored(filled_project_report):
    report = _fresh(filled_project_report)
    assert check_report(report_data(export_report(report, refs=True)), _pack(report)) == []
    assert [card.project.name for card in report.scorecards.all()] == ["基层培训项目1", "基层培训项目2"]


def test_project_filing_pages_show_its_parts_only(filled_project_report, preparer_client):
    report = filled_project_report
    edit = preparer_client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert "项目与自评表" in edit and "封面与正文" not in edit and "附件1 基础数据" not in edit
    assert "项目支出绩效自评表 · 基层培训项目1" in edit
    for part in ("text", "attachment1", "attachment2"):
        response = preparer_client.get(f"/reports/{report.pk}/edit/{part}/")
        assert response.status_code == 404
    page = preparer_client.get(f"/reports/{report.pk}/").content.decode()
    assert "2023年度株洲市信访局项目支出绩效自评" in page
    assert "附件1" not in page and "正文" not in page.split("report-document", 1)[1]
    home = preparer_client.get("/").content.decode()
    assert "项目支出绩效自评" in home and "部门整体支出绩效自评" in home


def test_project_filing_project_added_in_the_form_gets_its_table(project_report, preparer_client):
    url = f"/reports/{project_report.pk}/edit/projects/"
    response = preparer_client.post(
        url,
        {
            "version": project_report.version,
            "project-TOTAL_FORMS": "1",
            "project-INITIAL_FORMS": "0",
            "project-0-id": "",
            "project-0-name": "乡村道路养护",
        },
    )
    assert response.status_code == 302
    report = _fresh(project_report)
    (project,) = report.projects.all()
    assert (project.name, project.category, project.scorecard.kind) == ("乡村道路养护", "", "project")
    assert sorted(line.source for line in project.scorecard.fund_lines.all()) == [
        "carryover",
        "current",
        "other",
    ]


def test_project_filing_pdf_is_its_tables_with_their_narrative(filled_project_report):
    report = _fresh(filled_project_report)
    card = report.scorecards.get(project__name="基层培训项目1")
    card.execution_explanation = "年底结余 1 万元，已按规定收回。"
    card.save()
    doc = live_document(_fresh(report))
    assert [part.name for part in document_parts(doc, draft=True)] == [
        "封面",
        "项目支出绩效自评表（基层培训项目1）",
        "项目支出绩效自评表（基层培训项目2）",
    ]
    lines = pdf_lines(render_pdf(document_html(doc, draft=False)))
    text = re.sub(r"\s+", "", "".join(lines))
    assert "2023年度株洲市信访局项目支出绩效自评" in text
    assert "填报类别：项目支出绩效自评" in text
    assert text.count("2023年度项目支出绩效自评表") == 2
    for expected in (
        "项目支出名称基层培训项目1",
        "年度总体目标",
        "为全县基层人员开展业务培训100人次以上",
        "完成培训110人次，受益群众1100人。",
        "执行情况说明年底结余1万元，已按规定收回。",
        "培训基层人员≥100人次110人次2020",
        "总分100.0099.50自评等级：优",
    ):
        assert expected in text, expected
    for absent in ("附件1", "附件2", "附件3", "整体支出绩效自评报告", "一、部门（单位）基本情况", "填表人"):
        assert absent not in text, absent


def test_project_filing_workbook_round_trip(filled_project_report):
    report = _fresh(filled_project_report)
    before = export_report(report)
    workbook = build_workbook(report)
    assert workbook.sheetnames == ["项目1 基层培训项目1", "项目2 基层培训项目2"]
    sheet = workbook["项目1 基层培训项目1"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("项目支出绩效自评", "2023年度项目支出绩效自评表")
    result = read_workbook(to_bytes(workbook), current=before, pack=_pack(report))
    assert result.errors == []
    assert result.payload == before
    apply_payload(report_id=report.pk, payload=result.payload, user=None, expected_version=report.version)
    assert _payload(report) == before


def test_project_filing_template_from_blank_adds_a_project(project_report):
    report = _fresh(project_report)
    template = build_template(department=report.department, period=report.period)
    assert template.sheetnames == ["项目1"]
    sheet = template["项目1"]
    sheet["C3"] = "农村饮水安全"
    sheet["C6"], sheet["D6"], sheet["E6"] = 50, 50, 45
    result = read_workbook(to_bytes(template), current=export_report(report), pack=_pack(report))
    assert result.errors == []
    (project,) = result.payload["projects"]
    assert (project["name"], project["category"]) == ("农村饮水安全", "")
    assert project["attachment3"]["funds"]["current"] == {
        "initial": "50",
        "full_year": "50",
        "executed": "45",
    }
    assert department_parts_given(result.payload) == [] and result.payload["attachment2"] is None


def test_project_filing_import_refuses_department_sheets_cell_by_cell(filled_project_report, demo_report):
    """The demo's 部门整体 workbook given to the project-only filing: every filled cell of 附件1 and 附件2 is
    named, and nothing is written."""
    report = _fresh(filled_project_report)
    before = export_report(report)
    version = report.version
    department_workbook = demo_workbook(demo_report)
    result = read_workbook(to_bytes(department_workbook), current=before, pack=_pack(report))
    assert result.payload is None
    att1 = [e for e in result.errors if e.startswith("附件1!")]
    att2 = [e for e in result.errors if e.startswith("附件2!")]
    assert "附件1!F6：项目支出绩效自评没有附件1，此格不能填写" in att1  # 三公经费 2023年决算数 24.19
    assert "附件2!C5：项目支出绩效自评没有附件2，此格不能填写" in att2  # 年度资金总额 年初预算数
    cells = {e.split("：", 1)[0] for e in att1}
    # every amount of 附件1's 经费控制情况 the demo fills is named, one error a cell
    filled = {
        f"附件1!{cell.coordinate}"
        for row in department_workbook["附件1"].iter_rows(min_row=6, max_row=24, min_col=4, max_col=6)
        for cell in row
        if isinstance(cell.value, int | float) or (cell.value and str(cell.value)[0].isdigit())
    }
    assert filled and filled <= cells
    assert len(result.errors) == len(set(result.errors))
    assert _payload(report) == before and _fresh(report).version == version


def test_project_filing_upload_refused_in_the_browser_form(
    filled_project_report, demo_report, preparer_client
):
    content = to_bytes(demo_workbook(demo_report))
    response = preparer_client.post(
        f"/reports/{filled_project_report.pk}/excel/import/",
        {"file": _upload(content)},
    )
    # The upload is read as a job (filing.jobs); its page lists every cell it refused.
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    page = preparer_client.get(response["Location"]).content.decode()
    assert "附件1!F6：项目支出绩效自评没有附件1，此格不能填写" in page
    assert "附件2!C5：项目支出绩效自评没有附件2，此格不能填写" in page


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "部门整体.xlsx", content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_project_filing_json_import_refuses_department_parts_by_path(filled_project_report):
    report = _fresh(filled_project_report)
    before = export_report(report)
    payload = synthetic_payload(projects=1, indicators=2, code="zzxfj", year=2023) | {"kind": "project"}
    with pytest.raises(OpenDataError) as refused:
        import_report(payload, report=report)
    problems = refused.value.problems
    assert "text.s1_intro：项目支出绩效自评没有正文，不能填写" in problems
    assert "personnel_expense：项目支出绩效自评没有人员经费，不能填写" in problems
    assert "attachment1.expenses.sangong.final：项目支出绩效自评没有附件1，不能填写" in problems
    assert "attachment2.funds.total.executed：项目支出绩效自评没有附件2，不能填写" in problems
    assert _payload(report) == before


def test_department_payload_refused_by_a_project_filing_and_back(filled_project_report, demo_report):
    with pytest.raises(OpenDataError, match="kind：文件是部门整体支出绩效自评，本报告是项目支出绩效自评"):
        import_report(export_report(_fresh(demo_report)), report=_fresh(filled_project_report))
    with pytest.raises(OpenDataError, match="kind：文件是项目支出绩效自评，本报告是部门整体支出绩效自评"):
        import_report(export_report(_fresh(filled_project_report)), report=_fresh(demo_report))


def test_workbook_openpyxl_reads_the_export(filled_project_report):
    content = to_bytes(build_workbook(_fresh(filled_project_report)))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook["项目1 基层培训项目1"]["C3"].value == "基层培训项目1"


def test_project_filing_import_names_the_cells_of_a_department_sheet_out_of_layout(filled_project_report):
    report = _fresh(filled_project_report)
    workbook = build_workbook(report)
    sheet = workbook.create_sheet("附件1")
    sheet["A1"], sheet["A2"] = "附件1", "2023年度部门（单位）整体支出绩效评价基础数据表"
    sheet["B5"], sheet["C7"] = "公用经费", 12.5
    result = read_workbook(to_bytes(workbook), current=export_report(report), pack=_pack(report))
    assert result.payload is None
    assert result.errors == [
        "附件1!B5：项目支出绩效自评没有附件1，此格不能填写",
        "附件1!C7：项目支出绩效自评没有附件1，此格不能填写",
    ]


@pytest.mark.parametrize("path", ["", "edit/", "edit/projects/", "check/"])
def test_project_filing_pages_query_count_does_not_grow_with_projects(
    filled_project_report, preparer_client, django_assert_max_num_queries, path
):
    from tests.synthetic import synthetic_project_payload

    def count(report):
        url = f"/reports/{report.pk}/{path}"
        preparer_client.get(url)  # findings are cached per version: measure the steady page
        with django_assert_max_num_queries(40) as queries:
            assert preparer_client.get(url).status_code == 200
        return len(queries.captured_queries)

    few = count(filled_project_report)
    payload = synthetic_project_payload(projects=6, code="zzxfj", name="株洲市信访局", year=2023)
    report = _fresh(filled_project_report)
    apply_payload(report_id=report.pk, payload=payload, user=None, expected_version=report.version)
    assert count(filled_project_report) == few
