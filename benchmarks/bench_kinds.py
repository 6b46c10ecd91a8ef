"""Time what a project-only filing (项目支出绩效自评) adds: its checks, and its import refusing a 部门整体 workbook
cell by cell, each against a yardstick measured in the same run.

Run: .venv/bin/python benchmarks/bench_kinds.py [runs]
- check_report of 50 project tables filed on their own vs the same 50 tables inside a 部门整体 report (the
  yardstick): the project-only filing checks less, so the ratio should stay ≤ 1.
- reading the demo's 部门整体 workbook into a project-only filing (every 附件1/附件2 cell named) vs reading it
  into the 部门整体 report (the yardstick): the refusal reads the same cells, so the ratio should stay near 1.
"""

import copy
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")
django.setup()

from perfeval.excel.exports import write_sheets  # noqa: E402
from perfeval.excel.imports import read_workbook  # noqa: E402
from perfeval.excel.layout import workbook_rows  # noqa: E402
from perfeval.rules.checks import check_report  # noqa: E402
from perfeval.rules.packs import CENTRAL_DEFAULT_2020, HUNAN_ZHUZHOU_2023, rule_pack_from_dict  # noqa: E402
from perfeval.rules.payload import report_data  # noqa: E402
from tests.synthetic import synthetic_project_payload  # noqa: E402

CENTRAL = rule_pack_from_dict(CENTRAL_DEFAULT_2020)
HUNAN = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)


def median_ms(function, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def report(label: str, measured: float, yardstick: float) -> None:
    print(
        f"{label:<58} {measured:8.2f} ms   yardstick {yardstick:8.2f} ms   ratio {measured / yardstick:5.2f}"
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    project_only = synthetic_project_payload(projects=50)
    as_department = copy.deepcopy(project_only) | {"kind": "department"}
    project_data, department_data = report_data(project_only), report_data(as_department)
    report(
        "check_report, 50 project tables filed on their own",
        median_ms(lambda: check_report(project_data, CENTRAL), runs),
        median_ms(lambda: check_report(department_data, CENTRAL), runs),
    )

    demo = json.loads((ROOT / "fixtures" / "zzxfj-2023.json").read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    write_sheets(workbook_rows(demo, HUNAN)).save(buffer)
    content = buffer.getvalue()
    project_current = synthetic_project_payload(projects=0, code="zzxfj", name="株洲市信访局")
    refused = read_workbook(content, current=project_current, pack=HUNAN)
    print(f"refusal names {len(refused.errors)} cells (payload written: {refused.payload is not None})")
    report(
        "read the demo workbook into a project-only filing (refused)",
        median_ms(lambda: read_workbook(content, current=project_current, pack=HUNAN), runs),
        median_ms(lambda: read_workbook(content, current=demo, pack=HUNAN), runs),
    )


if __name__ == "__main__":
    main()
