"""The copied-narrative detector over stored reports: published texts feed the index, drafts are compared but
never shown to anyone else, the reviewer sees the passages side by side, check_report lists the findings."""

import io
import json

import pytest
from django.core.management import call_command

from perfeval.portal.detector import EARLIER_YEAR, SAME_YEAR, report_copies
from perfeval.portal.models import NarrativeText
from tests.portal.conftest import MEASURES, PROBLEMS
from tests.rules.test_similarity import SAME_TOPIC, near_copy


@pytest.fixture
def copied(make_report, publish_report):
    """aaa 2023 published with PROBLEMS; bbb 2022 published with MEASURES; bbb 2023 a draft that copies both
    (5 % of the characters changed); ccc 2023 a draft on the same topic, written independently."""
    publish_report(make_report("aaa", 2023, s7_problems=PROBLEMS))
    publish_report(make_report("bbb", 2022, s8_measures=MEASURES))
    draft = make_report(
        "bbb", 2023, s7_problems=near_copy(PROBLEMS, 0.05, 1), s8_measures=near_copy(MEASURES, 0.05, 2)
    )
    other = make_report("ccc", 2023, s7_problems=SAME_TOPIC[1], s8_measures=SAME_TOPIC[2])
    return draft, other


def test_detector_finds_copies_from_other_department_and_earlier_year(copied):
    draft, _ = copied
    found = {(m.unit.place, m.other.department_code, m.other.year, m.relation) for m in report_copies(draft)}
    assert found == {("s7", "aaa", 2023, SAME_YEAR), ("s8", "bbb", 2022, EARLIER_YEAR)}


def test_detector_quiet_for_independent_text_on_same_topic(copied):
    _, other = copied
    assert report_copies(other) == []


def test_detector_never_indexes_drafts(copied):
    draft, other = copied
    assert set(NarrativeText.objects.values_list("department_code", "year", "place")) == {
        ("aaa", 2023, "s7"),
        ("bbb", 2022, "s8"),
    }
    # aaa's own report, opened by its department, never shows bbb's draft that copied it
    from perfeval.filing.parts import reports_with_parts

    published = reports_with_parts().get(department__code="aaa", period__year=2023)
    assert report_copies(published) == []


def test_copies_page_shows_passages_side_by_side(copied, reviewer, client):
    draft, _ = copied
    client.force_login(reviewer)
    body = client.get(f"/reports/{draft.pk}/copies/").content.decode()
    assert body.count('data-testid="copy-match"') == 2
    assert 'data-other="aaa-2023"' in body and 'data-other="bbb-2022"' in body
    assert "合成单位aaa（aaa）2023 年度报告" in body
    assert '<mark class="copy-shared">' in body


def test_copies_page_of_other_department_is_404(copied, other_preparer, client):
    draft, _ = copied
    client.force_login(other_preparer)
    assert client.get(f"/reports/{draft.pk}/copies/").status_code == 404


def test_check_report_lists_copied_text_with_other_report(copied):
    out = io.StringIO()
    try:
        call_command("check_report", department="bbb", year=2023, format="json", stdout=out)
    except SystemExit:  # exit status 1 when the report has errors of its own; the findings are printed first
        pass
    copies = [f for f in json.loads(out.getvalue()) if f["code"] == "TEXT_COPIED"]
    assert [(f["place"]["row"], f["message"].split("（")[0]) for f in copies] == [
        ("s7", "与 aaa 2023 年度报告"),
        ("s8", "与 bbb 2022 年度报告"),
    ]
