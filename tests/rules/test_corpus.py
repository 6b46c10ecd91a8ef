"""The truth corpus (tests/cases/): constructed reports of both filing kinds under both shipped rule packs, each a
payload (``NAME.json``, schema perfeval.report/1 with its ``kind``) and beside it its truth (``NAME.truth.json``):
the kind, the rule pack, every known mistake (finding code and place key) and known-good figures (a payload path,
its value, and the place where no finding may sit).

One test checks the whole corpus: every known mistake must be found (recall 100 %) and no error may be raised
that the truth does not list (0 false errors); a finding at a known-good figure is a false finding whatever its
severity. It prints the table of every case.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from perfeval.rules.checks import ERROR, check_report
from perfeval.rules.packs import SHIPPED_PACKS, rule_pack_from_dict
from perfeval.rules.payload import report_data

CASES = Path(__file__).resolve().parent.parent / "cases"
PACKS = {definition["code"]: rule_pack_from_dict(definition) for definition in SHIPPED_PACKS}


@dataclass
class Outcome:
    name: str
    kind: str
    pack: str
    mistakes: int
    found: int
    false_errors: list[str]
    unlisted_warnings: list[str]


def _cases() -> list[tuple[str, dict, dict]]:
    cases = []
    for truth_path in sorted(CASES.glob("*.truth.json")):
        name = truth_path.name.removesuffix(".truth.json")
        payload = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
        cases.append((name, payload, json.loads(truth_path.read_text(encoding="utf-8"))))
    return cases


def _at(payload, path: str):
    value = payload
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _outcome(name: str, payload: dict, truth: dict) -> Outcome:
    kind, pack_code = truth["kind"], truth["rule_pack"]
    outcome = Outcome(name, kind, pack_code, len(truth["mistakes"]), 0, [], [])
    findings = check_report(report_data(payload), PACKS[pack_code])
    listed = {(m["code"], m["place"]) for m in truth["mistakes"]}
    found = {(f.code, f.place.key) for f in findings}
    outcome.found = len(listed & found)
    good_places = {g["place"] for g in truth["good"]}
    for finding in findings:
        key = (finding.code, finding.place.key)
        shown = f"{finding.code} @ {finding.place.key}"
        if finding.place.key in good_places:
            outcome.false_errors.append(shown + "（已知正确的数）")
        elif key not in listed:
            (outcome.false_errors if finding.severity == ERROR else outcome.unlisted_warnings).append(shown)
    return outcome


def _table(outcomes: list[Outcome]) -> str:
    lines = [f"{'case':44} {'kind':10} {'pack':16} {'mistakes':>8} {'found':>5} {'false errors':>12}"]
    for o in outcomes:
        tail = "".join(f"\n    false: {item}" for item in o.false_errors)
        tail += "".join(f"\n    unlisted 提示: {item}" for item in o.unlisted_warnings)
        lines.append(
            f"{o.name:44} {o.kind:10} {o.pack:16} {o.mistakes:>8} {o.found:>5} {len(o.false_errors):>12}{tail}"
        )
    checked = outcomes
    mistakes = sum(o.mistakes for o in checked)
    found = sum(o.found for o in checked)
    recall = Decimal(100) if not mistakes else Decimal(found * 100) / mistakes
    false = sum(len(o.false_errors) for o in checked)
    lines.append(
        f"recall {found}/{mistakes} = {recall:.1f}%, false errors {false}, "
        f"cases checked {len(checked)} of {len(outcomes)}"
    )
    return "\n".join(lines)


def test_corpus_covers_both_kinds_and_both_packs():
    cases = _cases()
    assert len(cases) >= 10
    assert {(truth["kind"], truth["rule_pack"]) for _, _, truth in cases} == {
        (kind, pack) for kind in ("department", "project") for pack in PACKS
    }
    for name, payload, truth in cases:
        assert payload["kind"] == truth["kind"], name
        assert payload["rule_pack"]["code"] == truth["rule_pack"], name


def test_known_good_figures_are_the_payloads():
    for name, payload, truth in _cases():
        for good in truth["good"]:
            assert Decimal(str(_at(payload, good["path"]))) == Decimal(good["value"]), (name, good["path"])


def test_corpus_recall_is_complete_with_no_false_errors():
    outcomes = [_outcome(name, payload, truth) for name, payload, truth in _cases()]
    table = _table(outcomes)
    print("\n" + table)
    checked = outcomes
    assert len({o.kind for o in checked}) == 2 and len({o.pack for o in checked}) == 2, table
    assert sum(o.found for o in checked) == sum(o.mistakes for o in checked), table
    assert [o.false_errors for o in checked] == [[] for _ in checked], table
