"""The demo's outputs — report page, draft and final PDF text, workbook cells, open-data JSON, public page,
CSV — are the same as the files under tests/golden/files/, written from the code before the one-shape
refactor. ``GOLDEN_UPDATE=1`` rewrites them (only when an output is meant to change; review the diff)."""

import os
from pathlib import Path

import pytest

from tests.golden.capture import capture

FILES = Path(__file__).parent / "files"
NAMES = (
    "report_page.html",
    "draft_pdf.txt",
    "workbook.txt",
    "export.json",
    "final_pdf.txt",
    "public_pdf.txt",
    "public_page.html",
    "public.csv",
    "public.json",
)


@pytest.fixture
def outputs(demo_report, reviewer, client, django_capture_on_commit_callbacks, tmp_path):
    return capture(
        client=client,
        reviewer=reviewer,
        report=demo_report,
        on_commit=django_capture_on_commit_callbacks,
        tmp_path=tmp_path,
    )


@pytest.mark.django_db(transaction=False)
def test_golden_outputs_of_the_demo_are_unchanged(outputs):
    assert sorted(outputs) == sorted(NAMES)
    if os.environ.get("GOLDEN_UPDATE") == "1":
        FILES.mkdir(exist_ok=True)
        for name, text in outputs.items():
            (FILES / name).write_bytes(text.encode("utf-8"))
    differing = [name for name in NAMES if (FILES / name).read_bytes().decode("utf-8") != outputs[name]]
    assert differing == []
