"""Time check_report and scorecard_result on the seed and on a large synthetic report.

Run: .venv/bin/python benchmarks/bench_rules.py [runs]
Targets: seed ≤ 20 ms, 50 projects × 30 indicators ≤ 300 ms (median, 2 cores).
"""

import statistics
import sys
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from perfeval.rules import data  # noqa: E402
from perfeval.rules.checks import check_report  # noqa: E402
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict  # noqa: E402
from perfeval.rules.scoring import scorecard_result  # noqa: E402
from tests.rules.seed_data import seed_report  # noqa: E402

D = Decimal
PACK = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)
OPERATORS = ("ge", "le", "eq", "qual", None)


def synthetic_indicators(project: int, count: int) -> tuple[data.Indicator, ...]:
    """``count`` rows spread over every 二级 of the pack, weights adding up to each 一级 weight."""
    slots = [(level, child) for level in PACK.skeleton for child in level.children]
    rows = []
    for n in range(count):
        level, child = slots[n % len(slots)]
        per_level = sum(1 for i in range(count) if slots[i % len(slots)][0] is level)
        operator = OPERATORS[n % len(OPERATORS)]
        target, actual = D(100 + n), D(90 + 2 * n)
        rows.append(
            data.Indicator(
                ref=f"p{project}-i{n}",
                level1=level.key,
                level2=child.key,
                name=f"指标{n}",
                operator=operator,
                target_value=None if operator == "qual" else target,
                target_unit="%",
                target_text=f"≥{target}%",
                actual_value=None if operator == "qual" else actual,
                actual_text=f"{actual}%",
                qual_band="partial" if operator == "qual" else None,
                weight=level.weight / per_level,
                score=level.weight / per_level - D("0.5"),
                deviation_reason="" if n % 3 else "原因",
            )
        )
    return tuple(rows)


def large_report(projects: int = 50, indicators: int = 30) -> data.Report:
    seed = seed_report()
    cards, project_rows, special_rows = [], [], []
    for p in range(projects):
        name = f"专项项目{p}"
        cards.append(
            data.Scorecard(
                ref=f"att3-{p}",
                kind="project",
                title=name,
                funds={
                    "current": data.FundLine(D("100"), D("110"), D("95.5")),
                    "carryover": data.FundLine(None, D("2"), D("1")),
                },
                execution_explanation="" if p % 2 else "调整",
                indicators=synthetic_indicators(p, indicators),
                reported_execution_rate=D("85"),
                reported_execution_score=D("8.5"),
                reported_total_score=D("90"),
            )
        )
        project_rows.append(
            data.Project(f"project-{p}", name, "special", D("100"), D("12"), D("96.5"), D("0"),
                         {"s2": f"{name}（简称）"} if p % 4 == 0 else {}, f"att3-{p}", "")
        )  # fmt: skip
        special_rows.append(data.SpecialRow(f"special-{p}", name, data.Amounts(D("90"), D("100"), D("96.5"))))
    return replace(
        seed,
        projects=tuple(project_rows),
        project_scorecards=tuple(cards),
        special_rows=tuple(special_rows),
    )


def measure(label: str, function, runs: int) -> None:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    print(f"{label:<44} median {statistics.median(timings):7.2f} ms   p95 {p95:7.2f} ms   ({runs} runs)")


def score_all(report: data.Report) -> None:
    for card in (report.department_scorecard, *report.project_scorecards):
        scorecard_result(card, PACK)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    seed, large = seed_report(), large_report()
    print(f"seed: {len(check_report(seed, PACK))} findings; large: {len(check_report(large, PACK))} findings")
    measure("seed      check_report", lambda: check_report(seed, PACK), runs)
    measure("seed      scorecard_result (all cards)", lambda: score_all(seed), runs)
    measure("50×30     check_report", lambda: check_report(large, PACK), runs)
    measure("50×30     scorecard_result (all cards)", lambda: score_all(large), runs)


if __name__ == "__main__":
    main()
