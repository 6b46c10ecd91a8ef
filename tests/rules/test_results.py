"""The one builder (payload → rules data) and every computed figure (results), on the demo's payload."""

import copy
import json
from pathlib import Path

import pytest

from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, RulePackError, rule_pack_from_dict
from perfeval.rules.payload import report_data
from perfeval.rules.results import open_data_results, results

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "zzxfj-2023.json"


@pytest.fixture(scope="module")
def payload():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _pack(mode: str):
    return rule_pack_from_dict({**HUNAN_ZHUZHOU_2023, "rounding": {"places": 2, "mode": mode}})


def _two_thirds_executed(payload):
    changed = copy.deepcopy(payload)
    changed["attachment2"]["funds"]["total"] = {"initial": "3", "full_year": "3", "executed": "2"}
    return changed


@pytest.mark.parametrize(
    ("mode", "rate", "score"),
    [("ROUND_HALF_UP", "66.67", "6.67"), ("ROUND_DOWN", "66.66", "6.66"), ("ROUND_UP", "66.67", "6.67")],
)
def test_results_round_rates_and_scores_by_the_packs_mode(payload, mode, rate, score):
    card = results(report_data(_two_thirds_executed(payload)), _pack(mode))["attachment2"]
    assert (card["execution_rate"], card["execution_score"]) == (rate, score)


def test_rule_pack_refuses_an_unknown_rounding_mode():
    with pytest.raises(RulePackError, match="舍入方式"):
        _pack("ROUND_NEAREST")


def test_results_of_the_demo_hold_every_printed_figure(payload):
    computed = results(report_data(payload), rule_pack_from_dict(HUNAN_ZHUZHOU_2023))
    att1 = computed["attachment1"]
    assert att1["control_rate"] == "100"
    assert att1["sums"]["sangong"] == {"prior_final": "24.07", "budget": "25", "final": "24.65"}
    assert att1["buildings"] == [{"area_rate": None, "investment_rate": None}]
    card = computed["attachment2"]
    assert (card["execution_rate"], card["execution_score"], card["self_total"], card["grade"]) == (
        "100", "10", "100", "优",
    )  # fmt: skip
    assert len(card["rule_scores"]) == len(payload["attachment2"]["indicators"])
    assert [c["title"] for c in computed["attachment3"]] == ["信访维稳工作经费"]


def test_refs_name_the_rows_and_change_no_figure(payload):
    with_refs = copy.deepcopy(payload)
    with_refs["attachment1"]["buildings"][0]["ref"] = "41"
    with_refs["projects"][0]["ref"] = "7"
    with_refs["projects"][0]["attachment3"]["ref"] = "12"
    with_refs["projects"][0]["attachment3"]["indicators"][0]["ref"] = "99"
    plain, named = report_data(payload), report_data(with_refs)
    assert (plain.buildings[0].ref, named.buildings[0].ref) == ("b0", "41")
    assert (plain.projects[0].scorecard_ref, named.projects[0].scorecard_ref) == ("att3-0", "12")
    assert named.project_scorecards[0].indicators[0].ref == "99"
    assert named.project_scorecards[0].indicators[1].ref == "12-1"
    pack = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)
    assert open_data_results(results(named, pack)) == open_data_results(results(plain, pack))


def test_open_data_results_keep_the_published_keys_only(payload):
    computed = open_data_results(results(report_data(payload), rule_pack_from_dict(HUNAN_ZHUZHOU_2023)))
    assert sorted(computed["attachment1"]) == ["buildings", "control_rate"]
    assert "rule_scores" not in computed["attachment2"]
    assert all("rule_scores" not in card for card in computed["attachment3"])
