"""Time check_report and scorecard_result on the seed and on a large synthetic report.

Run: .venv/bin/python benchmarks/bench_rules.py [runs]
Targets: seed ≤ 20 ms, 50 projects × 30 indicators ≤ 300 ms (median, 2 cores).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")
django.setup()  # the payload → rules data builder lives beside the models; the timed rules do not touch them

from perfeval.rules import data  # noqa: E402
from perfeval.rules.checks import check_report  # noqa: E402
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict  # noqa: E402
from perfeval.rules.payload import report_data  # noqa: E402
from perfeval.rules.scoring import scorecard_result  # noqa: E402
from tests.rules.seed_data import seed_report  # noqa: E402
from tests.synthetic import synthetic_payload  # noqa: E402

PACK = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)


def large_report(projects: int = 50, indicators: int = 30) -> data.Report:
    """The shared synthetic report (tests/synthetic.py) as the rules read it."""
    return report_data(synthetic_payload(projects=projects, indicators=indicators))


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
