"""Time the Excel export and import of the demo report and of a synthetic 50-project report.

Run: .venv/bin/python benchmarks/bench_excel.py [runs]
Targets (2 cores, median): demo ≤ 0.5 s each way; 50 projects ≤ 5 s each way.
Export = plain rows + openpyxl + save; import = safety checks + openpyxl read + payload + computed cells.
Both start from the open-data payload (the database read of export_report is not part of the figure).
"""

import io
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import os  # noqa: E402

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfeval.settings")
django.setup()

from perfeval.excel.exports import write_sheets  # noqa: E402
from perfeval.excel.imports import read_workbook  # noqa: E402
from perfeval.excel.layout import workbook_rows  # noqa: E402
from perfeval.excel.safety import check_upload  # noqa: E402
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict  # noqa: E402
from tests.synthetic import synthetic_payload  # noqa: E402

PACK = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)
DEMO = json.loads((ROOT / "fixtures" / "zzxfj-2023.json").read_text(encoding="utf-8"))


def export_bytes(payload: dict) -> bytes:
    buffer = io.BytesIO()
    write_sheets(workbook_rows(payload, PACK)).save(buffer)
    return buffer.getvalue()


def import_payload(payload: dict, content: bytes) -> dict:
    check_upload("bench.xlsx", content)
    result = read_workbook(content, current=payload, pack=PACK)
    assert result.errors == [], result.errors[:5]
    return result.payload


def median_seconds(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for label, payload, target in (
        ("demo", DEMO, 0.5),
        ("50 projects × 30 indicators", synthetic_payload(projects=50, indicators=30), 5.0),
    ):
        content = export_bytes(payload)
        assert import_payload(payload, content) == payload, "round trip changed the payload"
        export_time = median_seconds(lambda p=payload: export_bytes(p), runs)
        import_time = median_seconds(lambda p=payload, c=content: import_payload(p, c), runs)
        for what, seconds in (("export", export_time), ("import", import_time)):
            verdict = "ok" if seconds <= target else "SLOW"
            print(
                f"{label:<28} {what}: median {seconds:.3f} s of {runs} runs (target ≤ {target} s) {verdict}"
            )
        print(f"{label:<28} workbook size: {len(content) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
