"""An indicator the rule pack marks as needing evidence (满意度 surveys) warns until a file is attached; the
count reaches the rules through the one payload builder."""

from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from perfeval.evidence import services
from perfeval.filing.checked import report_findings
from perfeval.filing.opendata import export_report, rules_data, without_refs
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.checks import check_report
from perfeval.rules.packs import RulePackError, rule_pack_from_dict
from perfeval.rules.payload import report_data
from tests.evidence import files


def _evidence_findings(report):
    full = reports_with_parts().get(pk=report.pk)
    return [
        (f.place.table, f.place.row, f.place.column, f.message)
        for f in report_findings(full)
        if f.code == "IND_EVIDENCE_MISSING"
    ]


def test_demo_satisfaction_indicators_warn_without_evidence(demo_report, satisfaction):
    found = _evidence_findings(demo_report)
    assert (
        "att2",
        f"indicator:{satisfaction.pk}",
        "evidence",
        "「群众满意率」属于规则包要求附佐证材料的指标（含「满意度」），请上传调查报告等佐证材料（PDF、图片、xlsx、docx 或 OFD）",
    ) in found
    assert len(found) == 2  # 附件2's 群众满意率 and the 附件3's 来访群众满意率
    full = reports_with_parts().get(pk=demo_report.pk)
    finding = next(f for f in report_findings(full) if f.code == "IND_EVIDENCE_MISSING")
    assert (finding.severity, finding.place.label) == ("warning", "附件2 · 群众满意率 · 佐证材料")


def test_warning_goes_once_the_row_has_a_file(demo_report, satisfaction, preparer, evidence_dir):
    services.add_evidence(
        report=demo_report,
        user=preparer,
        place=services.Place(indicator=satisfaction),
        files=[SimpleUploadedFile("满意度调查.pdf", files.pdf())],
    )
    found = _evidence_findings(demo_report)
    assert len(found) == 1
    assert f"indicator:{satisfaction.pk}" not in [row for _, row, _, _ in found]


def test_a_file_elsewhere_does_not_silence_the_row(demo_report, satisfaction, preparer, evidence_dir):
    services.add_evidence(
        report=demo_report,
        user=preparer,
        place=services.Place(section="s6"),
        files=[SimpleUploadedFile("调查.pdf", files.pdf())],
    )
    assert len(_evidence_findings(demo_report)) == 2


def test_rules_data_counts_evidence_per_indicator_from_the_payload(
    demo_report, satisfaction, preparer, evidence_dir
):
    place = services.Place(indicator=satisfaction)
    for name in ("a.pdf", "b.png"):
        builder = files.pdf if name.endswith("pdf") else files.png
        services.add_evidence(
            report=demo_report, user=preparer, place=place, files=[SimpleUploadedFile(name, builder())]
        )
    data = rules_data(reports_with_parts().get(pk=demo_report.pk))
    counts = {i.name: i.evidence for i in data.department_scorecard.indicators}
    assert counts["群众满意率"] == 2
    assert set(counts.values()) == {0, 2}


def test_open_data_says_nothing_of_evidence_so_nothing_is_judged(demo_report):
    """A payload without the internal evidence list (open data, an uploaded JSON) has no evidence counts."""
    payload = without_refs(export_report(reports_with_parts().get(pk=demo_report.pk), refs=True))
    assert "evidence" not in payload
    data = report_data(payload)
    assert {i.evidence for i in data.department_scorecard.indicators} == {None}
    findings = check_report(data, demo_report.period.rule_pack.rules())
    assert not [f for f in findings if f.code == "IND_EVIDENCE_MISSING"]


def test_pack_without_patterns_asks_for_nothing(demo_report):
    pack = replace(demo_report.period.rule_pack.rules(), evidence_required=())
    data = rules_data(reports_with_parts().get(pk=demo_report.pk))
    assert not [f for f in check_report(data, pack) if f.code == "IND_EVIDENCE_MISSING"]


@pytest.mark.parametrize("value", ["满意度", [""], [1], {"a": 1}])
def test_pack_refuses_malformed_patterns(demo_report, value):
    definition = {**demo_report.period.rule_pack.definition, "evidence_required": value}
    with pytest.raises(RulePackError, match="evidence_required 须是非空文字的列表"):
        rule_pack_from_dict(definition)
