"""The one diff of two open-data payloads: places, labels from the catalogue, rows matched by name."""

import copy
import json
from pathlib import Path

import pytest

from perfeval.filing.diff import diff_payloads
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict

DEMO = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "zzxfj-2023.json").read_text())
PACK = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)


def _edit(payload: dict, change) -> dict:
    edited = copy.deepcopy(payload)
    change(edited)
    return edited


def _indicator(payload: dict, name: str) -> dict:
    card = payload["projects"][0]["attachment3"]
    return next(row for row in card["indicators"] if row["name"] == name)


def _set(path: str, value):
    def change(payload):
        *keys, last = path.split("/")
        target = payload
        for key in keys:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value

    return change


CASES = {
    "an amount": (
        _set("attachment1/expenses/sangong/final", "24.65"),
        [("attachment1.expenses.sangong.final", "附件1 · 三公经费 · 2023年决算数", "24.19", "24.65")],
    ),
    "the prior-year column is named by its year": (
        _set("attachment1/expenses/abroad/prior_final", "1"),
        [("attachment1.expenses.abroad.prior_final", "附件1 · 2、出国经费 · 2022年决算数", "0", "1")],
    ),
    "an amount blanked": (
        _set("attachment1/expenses/sangong/budget", None),
        [("attachment1.expenses.sangong.budget", "附件1 · 三公经费 · 2023年预算数", "25", "（空）")],
    ),
    "a 附件3 indicator's 实际完成值": (
        lambda p: _indicator(p, "越级上访人员登记接待").update(actual_text="15000"),
        [
            (
                "projects[信访维稳工作经费].attachment3.indicators[越级上访人员登记接待].actual_text",
                "附件3（信访维稳工作经费） · 越级上访人员登记接待 · 实际完成值",
                "100%",
                "15000",
            )
        ],
    ),
    "an operator, shown by its sign": (
        lambda p: _indicator(p, "信访事项办结率").update(operator="eq"),
        [
            (
                "projects[信访维稳工作经费].attachment3.indicators[信访事项办结率].operator",
                "附件3（信访维稳工作经费） · 信访事项办结率 · 指标方向",
                "（空）",
                "=",
            )
        ],
    ),
    "a 正文 section under its catalogue title": (
        _set("text/s9_application", "在门户网站公开"),
        [
            (
                "text.s9_application",
                "正文 · 九、部门整体支出绩效自评结果拟应用和公开情况",
                "无",
                "在门户网站公开",
            )
        ],
    ),
    "a footer field": (
        _set("footer/phone", "0731-1234567"),
        [("footer.phone", "表尾 · 联系电话", "18373311611", "0731-1234567")],
    ),
}


@pytest.mark.parametrize("change, expected", CASES.values(), ids=CASES.keys())
def test_diff_names_place_and_label(change, expected):
    changes = diff_payloads(DEMO, _edit(DEMO, change), PACK)
    assert [(c.place, c.label, c.old, c.new) for c in changes] == expected


def test_diff_of_same_payload_is_empty():
    assert diff_payloads(DEMO, copy.deepcopy(DEMO), PACK) == []


def test_diff_same_figure_written_twice_is_no_change():
    assert diff_payloads(DEMO, _edit(DEMO, _set("attachment1/expenses/sangong/final", "24.190")), PACK) == []


def test_diff_status_and_owner_are_not_content():
    edited = _edit(
        DEMO, lambda p: p.update(status="approved", schema="x", department={"code": "o", "name": "o"})
    )
    assert diff_payloads(DEMO, edited, PACK) == []


def test_diff_reordered_rows_change_nothing():
    edited = _edit(DEMO, lambda p: p["projects"].reverse())
    assert diff_payloads(DEMO, edited, PACK) == []


def test_diff_removed_project_is_one_row_change_and_its_figures():
    edited = _edit(DEMO, lambda p: p["projects"].pop())
    changes = diff_payloads(DEMO, edited, PACK)
    assert (changes[0].label, changes[0].old, changes[0].new) == ("项目 · 信访工作经费", "有", "无")
    assert {c.new for c in changes[1:]} == {"（空）"}
    assert all(c.label.startswith("项目 · 信访工作经费 · ") for c in changes[1:])


def test_diff_repeated_indicator_names_are_told_apart():
    def duplicate(payload):
        rows = payload["projects"][0]["attachment3"]["indicators"]
        rows.append({**rows[0], "actual_text": "1"})

    changes = diff_payloads(DEMO, _edit(DEMO, duplicate), PACK)
    assert changes[0].label == "附件3（信访维稳工作经费） · 越级上访人员登记接待（第2个）"
    assert (changes[0].old, changes[0].new) == ("无", "有")


def test_diff_not_applicable_shows_level2_labels():
    edited = _edit(DEMO, _set("attachment2/not_applicable", ["ecological", "social_cost"]))
    [change] = diff_payloads(DEMO, edited, PACK)
    assert (change.label, change.old, change.new) == (
        "附件2 · 不适用的二级指标",
        "生态环境成本指标、社会成本指标",
        "生态效益指标、社会成本指标",
    )
