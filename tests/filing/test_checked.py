"""A report's checks and computed figures are worked out once per report version and rule pack, in Django's
cache, and every page reads them from there."""

import pytest
from django.core.cache import cache

from perfeval.filing import checked
from perfeval.filing.models import Report
from perfeval.filing.opendata import rules_data
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.checks import check_report

pytestmark = pytest.mark.django_db


def _plain(report_id):
    return Report.objects.select_related("department", "period__rule_pack").get(pk=report_id)


def test_findings_are_those_of_check_report(demo_report):
    full = reports_with_parts().get(pk=demo_report.pk)
    expected = check_report(rules_data(full), full.period.rule_pack.rules())
    assert checked.report_findings(_plain(demo_report.pk)) == expected
    assert checked.findings(_plain(demo_report.pk), {"att1"}) == [
        f for f in expected if f.place.table == "att1"
    ]


def test_checked_once_per_version(preparer_client, demo_report, django_assert_num_queries):
    first = checked.report_findings(_plain(demo_report.pk))
    report = _plain(demo_report.pk)
    with django_assert_num_queries(0):
        assert checked.report_findings(report) == first  # read from the cache, no report loaded
    assert cache.get(f"{checked.version_key(report)}:index").errors == sum(
        1 for f in first if f.severity == "error"
    )


def test_a_write_moves_the_key_on(preparer_client, demo_report):
    from django.urls import reverse

    from tests.editing.helpers import form_data

    before = _plain(demo_report.pk)
    first = checked.report_findings(before)
    url = reverse("editing:attachment1", kwargs={"report_id": demo_report.pk})
    data = form_data(preparer_client.get(url), "att1-form")
    data["car_purchase__final"] = "1.50"  # makes 公务用车 and 三公 add up differently
    assert preparer_client.post(url, data).status_code == 302
    after = _plain(demo_report.pk)
    assert checked.version_key(after) != checked.version_key(before)
    assert checked.report_findings(after) != first


def test_key_changes_when_rule_pack_edited(demo_report):
    before = checked.version_key(_plain(demo_report.pk))
    report = _plain(demo_report.pk)
    report.period.rule_pack.definition = {**report.period.rule_pack.definition, "execution_weight": "20"}
    assert checked.version_key(report) != before


def test_a_dropped_key_is_worked_out_again(demo_report):
    first = checked.scorecard_totals(_plain(demo_report.pk))
    report = _plain(demo_report.pk)
    cache.delete(f"{checked.version_key(report)}:totals")
    assert checked.scorecard_totals(report) == first


def test_scorecard_results_match_the_rules(demo_report):
    from perfeval.rules.scoring import scorecard_result

    full = reports_with_parts().get(pk=demo_report.pk)
    plain = rules_data(full)
    card = plain.department_scorecard
    pack = full.period.rule_pack.rules()
    assert checked.scorecard_results(_plain(demo_report.pk), [card.ref]) == {
        card.ref: scorecard_result(card, pack)
    }
