"""A project-only filing (项目支出绩效自评) in the rules: its parts are its project tables, and nothing of the
部门整体 report is asked of it."""

import copy

import pytest

from perfeval.rules.checks import ERROR, check_report, completeness
from perfeval.rules.packs import CENTRAL_DEFAULT_2020, rule_pack_from_dict
from perfeval.rules.payload import report_data
from perfeval.rules.scoring import scorecard_result
from tests.synthetic import synthetic_payload, synthetic_project_payload

PACK = rule_pack_from_dict(CENTRAL_DEFAULT_2020)
WHOLE_REPORT_TABLES = {"text", "att1", "att2", "projects", "footer"}


def _findings(payload):
    return check_report(report_data(payload), PACK)


def test_project_filing_filled_has_no_finding():
    assert _findings(synthetic_project_payload()) == []


def test_project_filing_parts_are_its_tables_only():
    parts = completeness(report_data(synthetic_project_payload(projects=2)), PACK)
    assert [(p.table, p.label, p.complete) for p in parts] == [
        ("cover", "封面", True),
        ("att3:att3-0", "项目支出绩效自评表（基层培训项目1）", True),
        ("att3:att3-1", "项目支出绩效自评表（基层培训项目2）", True),
    ]


def test_project_filing_blank_table_is_reported_by_its_table_only():
    payload = synthetic_project_payload(projects=1)
    card = payload["projects"][0]["attachment3"]
    card["funds"]["current"]["executed"] = None
    card["indicators"][0]["actual_value"] = None
    card["indicators"][0]["actual_text"] = ""
    findings = _findings(payload)
    assert [(f.code, f.place.table) for f in findings] == [("INCOMPLETE", "att3:att3-0")]
    assert "项目支出绩效自评表（基层培训项目1） 尚有 2 项未填" in findings[0].message


def test_project_filing_never_asks_for_whole_report_parts():
    """The complaint of the issue: a project table entered as a report drags in 「缺少附件2」, project-row
    mismatches and warnings for fields it does not have."""
    payload = synthetic_project_payload(projects=1)
    findings = _findings(payload)
    assert not [f for f in findings if f.place.table in WHOLE_REPORT_TABLES]
    assert not [f for f in findings if f.code.startswith(("ATT1_", "ATT2_", "TEXT_")) or "附件2" in f.message]
    # The same table as a 部门整体 report is asked for all of them.
    as_department = copy.deepcopy(payload) | {"kind": "department"}
    codes = {f.code for f in _findings(as_department)}
    assert {"ATT2_MISSING", "INCOMPLETE"} <= codes


def test_project_filing_without_projects_is_an_error():
    payload = synthetic_project_payload(projects=0)
    assert [(f.code, f.severity, f.message) for f in _findings(payload)] == [
        ("PROJECT_FILING_EMPTY", ERROR, "项目支出绩效自评至少须有一个项目：请在「项目与自评表」中添加项目")
    ]


def test_project_filing_project_without_table_is_an_error():
    payload = synthetic_project_payload(projects=2)
    payload["projects"][1]["attachment3"] = None
    payload["projects"][1]["no_scorecard_reason"] = "另行评价"  # a reason does not excuse the table here
    assert [(f.code, f.place.label) for f in _findings(payload)] == [
        ("PROJECT_FILING_NO_SCORECARD", "项目 · 基层培训项目2 · 项目名称")
    ]


def test_project_filing_tables_are_scored_by_the_pack():
    data = report_data(synthetic_project_payload(projects=1))
    result = scorecard_result(data.project_scorecards[0], PACK)
    assert (str(result.execution.score), str(result.self_total), result.grade) == ("9.50", "99.50", "优")


def test_project_filing_table_checks_still_run():
    payload = synthetic_project_payload(projects=1)
    row = payload["projects"][0]["attachment3"]["indicators"][0]
    row["actual_value"], row["actual_text"] = "80", "80人次"  # missed, full score kept, no reason
    codes = [f.code for f in _findings(payload)]
    assert "IND_SCORE_ABOVE_RULE" in codes or "IND_DEVIATION_MISSING" in codes


@pytest.mark.parametrize("kind", ["department", None])
def test_department_report_kind_unchanged(kind):
    payload = synthetic_payload(projects=2, indicators=4)
    if kind is None:
        payload.pop("kind", None)  # payloads written before kinds existed are 部门整体 reports
    else:
        payload["kind"] = kind
    parts = [p.table for p in completeness(report_data(payload), rule_pack_from_dict(CENTRAL_DEFAULT_2020))]
    assert parts[:4] == ["cover", "text", "att1", "att2"] and parts[-2:] == ["projects", "footer"]
