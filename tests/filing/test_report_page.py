"""The report page reproduces the published seed: every figure and text in its place, walked row by row."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from tests.html_tables import numbers, read_page, squash

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "000_7ec67c2847218110.txt"
NUMERIC = re.compile(r"-?\d+(?:\.\d+)?%?")


def seed_parts() -> dict[str, list[str]]:
    """The seed's lines split at its 附件 markers: body, att1, att2, att3."""
    parts, current = {"body": [], "att1": [], "att2": [], "att3": []}, "body"
    for line in SEED.read_text(encoding="utf-8").splitlines():
        marker = re.fullmatch(r"附件 ([123])", line.strip())
        if marker:
            current = f"att{marker.group(1)}"
        if line.strip():
            parts[current].append(line)
    return parts


def field_in_row(field: str, row: list[str]) -> bool:
    if NUMERIC.fullmatch(field):
        return Decimal(field.rstrip("%")) in numbers(" ".join(row))
    return field in squash("".join(row))


@pytest.fixture
def page_html(preparer_client, demo_report):
    response = preparer_client.get(reverse("report_detail", args=[demo_report.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("table", ["att1", "att2", "att3"])
def test_report_page_holds_every_seed_table_row_in_order(page_html, table):
    tables, _ = read_page(page_html)
    # A scorecard prints as two tables, the budget block and the indicator grid, one under the other.
    rows = tables[table] + tables.get(f"{table}-indicators", [])
    seed_rows = [line for line in seed_parts()[table] if "\t" in line]
    assert len(seed_rows) > 10
    position = 0
    for line in seed_rows:
        fields = [squash(field) for field in line.split("\t") if field.strip()]
        found = next(
            (
                index
                for index in range(position, len(rows))
                if all(field_in_row(f, rows[index]) for f in fields)
            ),
            None,
        )
        assert found is not None, f"seed row {fields} not found on the page at or after row {position}"
        position = found


def test_report_page_holds_every_seed_text_line_in_order(page_html):
    _, text = read_page(page_html)
    position = 0
    lines = [line for part in seed_parts().values() for line in part if "\t" not in line]
    assert len(lines) > 50
    for line in lines:
        wanted = squash(line.removeprefix("- ").strip())
        found = text.find(wanted, position)
        assert found >= 0, f"seed text not found in order: {wanted[:60]}"
        position = found


def test_report_page_marks_computed_cells_and_shows_printed_mismatches(page_html):
    tables, _ = read_page(page_html)
    sangong = next(row for row in tables["att1"] if squash(row[0]) == "三公经费")
    # 23.73 + 0.46 + 0.46 = 24.65 computed; the seed printed 24.19.
    assert Decimal("24.65") in numbers(" ".join(sangong))
    assert "原填24.19" in squash("".join(sangong))
    assert page_html.count('class="num computed"') >= 10
    fund_row = next(row for row in tables["att2"] if "年度资金总额" in "".join(row))
    total_row = next(row for row in tables["att2-indicators"] if "总分" in "".join(row))
    assert "100.00" in total_row
    assert "100%" in squash("".join(fund_row)) and "原填98%" in squash("".join(fund_row))


def test_report_page_of_another_department_is_404(other_client, demo_report):
    response = other_client.get(reverse("report_detail", args=[demo_report.pk]))
    assert response.status_code == 404


def test_report_page_needs_login(client, demo_report):
    response = client.get(reverse("report_detail", args=[demo_report.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_report_page_query_count_is_fixed(preparer_client, demo_report, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert preparer_client.get(reverse("report_detail", args=[demo_report.pk])).status_code == 200


def test_home_lists_only_own_department_reports(other_client, preparer_client, demo_report):
    link = reverse("report_detail", args=[demo_report.pk])
    assert link in preparer_client.get(reverse("home")).content.decode()
    assert link not in other_client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("stored", "printed"),
    [(None, ""), ("425", "425.00"), ("24.1", "24.10"), ("126.357", "126.357"), ("0.000001", "0.000001")],
)
def test_table_amount_prints_what_is_stored_with_at_least_two_decimals(stored, printed):
    from perfeval.filing.presentation import amount

    assert amount(stored) == printed


def test_report_page_links_each_row_to_its_database_id(page_html, demo_report):
    from perfeval.filing.models import Indicator

    indicator = Indicator.objects.filter(scorecard__report=demo_report).order_by("pk").first()
    building = demo_report.buildings.get()
    assert f'id="f-ind-{indicator.pk}"' in page_html
    assert f'id="f-att1-building{building.pk}"' in page_html
