"""Timing guard for hostile workbooks (issue 15, reproduction 3): how long a worker is held by

- the 5 KB workbook declaring <dimension ref="A1:XFD1048576"/> with one cell at A1048576 (refused by the scan);
- the same without the declared dimension (refused by the cell reference);
- a workbook of 59,000 real cells, just under the cell budget (read until the budget or the clock stops it);
- the demo workbook (checked and imported whole),

each through check_upload + read_workbook with one ReadBudget, as the web upload and import_report run them.
The yardstick is the time budget, EXCEL_IMPORT_MAX_SECONDS (5 s): a web upload never holds a worker longer.
With --unguarded SECONDS the hostile file is also read by plain openpyxl (what import_report did before the
scan), in a child process killed after SECONDS, to show what the guard saves.

Run: .venv/bin/python benchmarks/bench_stalled_workbook.py [--runs 5] [--unguarded 10]
"""

import argparse
import io
import json
import multiprocessing
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

from django.conf import settings  # noqa: E402

from perfeval.excel.exports import write_sheets  # noqa: E402
from perfeval.excel.imports import read_workbook  # noqa: E402
from perfeval.excel.layout import workbook_rows  # noqa: E402
from perfeval.excel.safety import ReadBudget, UnsafeFile, check_upload  # noqa: E402
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict  # noqa: E402
from tests.excel.helpers import stalling_workbook  # noqa: E402

PACK = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)
DEMO = json.loads((ROOT / "fixtures" / "zzxfj-2023.json").read_text(encoding="utf-8"))


def demo_bytes() -> bytes:
    buffer = io.BytesIO()
    write_sheets(workbook_rows(DEMO, PACK)).save(buffer)
    return buffer.getvalue()


def big_bytes(rows: int = 5_900, columns: int = 10) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("附件1")
    for row in range(rows):
        sheet.append([row] * columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def guarded(content: bytes) -> str:
    """'imported' or the refusal, through the path of the web upload and import_report."""
    budget = ReadBudget()
    try:
        check_upload("bench.xlsx", content, budget)
        result = read_workbook(content, current=DEMO, pack=PACK, budget=budget)
    except UnsafeFile as exc:
        return f"refused: {exc}"
    return "imported" if not result.errors else f"read, {len(result.errors)} bad cells"


def _unguarded_read(content: bytes) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    for row in workbook.worksheets[0].iter_rows():
        for _cell in row:
            pass


def unguarded(content: bytes, limit: float) -> str:
    child = multiprocessing.Process(target=_unguarded_read, args=(content,))
    start = time.perf_counter()
    child.start()
    child.join(limit)
    if child.is_alive():
        child.kill()
        child.join()
        return f"still reading after {limit:.0f} s, killed"
    return f"{time.perf_counter() - start:.2f} s"


def median(function, runs: int) -> tuple[float, str]:
    times, outcome = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        outcome = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--unguarded", type=float, default=0, help="also read the hostile file unguarded")
    args = parser.parse_args()
    budget = settings.EXCEL_IMPORT_MAX_SECONDS
    cases = (
        ("hostile: dimension A1:XFD1048576", stalling_workbook()),
        ("hostile: one cell at A1048576", stalling_workbook(dimension=None)),
        ("59,000 real cells", big_bytes()),
        ("demo workbook", demo_bytes()),
    )
    for label, content in cases:
        seconds, outcome = median(lambda c=content: guarded(c), args.runs)
        print(
            f"{label:<34} {len(content) / 1024:7.0f} KB  median {seconds:.3f} s of {args.runs} "
            f"({seconds / budget:.1%} of the {budget} s budget)  {outcome[:90]}"
        )
    if args.unguarded:
        print(f"{'hostile, plain openpyxl (before)':<34} {unguarded(cases[0][1], args.unguarded)}")


if __name__ == "__main__":
    main()
