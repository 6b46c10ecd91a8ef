"""The public portal: only published data, filters and sorting, the comparison, bulk downloads, caching and
pinned query counts; the index fed by publication and rebuilt by the command."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command

from perfeval.portal.indexing import rebuild
from perfeval.portal.models import NarrativeText, PublishedFigures
from tests.portal.conftest import PROBLEMS


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def season(make_report, publish_report):
    """aaa published in 2022 and 2023, bbb published in 2023, ccc only a draft (its figures must never show)."""
    publish_report(make_report("aaa", 2022, executed="801.5"))
    publish_report(make_report("aaa", 2023, executed="950"))
    publish_report(make_report("bbb", 2023, executed="612.34", s7_problems=PROBLEMS))
    return make_report("ccc", 2023, executed="777.77")


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def test_portal_index_shows_published_figures_without_login(client, season):
    response = client.get("/portal/")
    assert response.status_code == 200
    rows = {(r.department_code, r.year): r for r in PublishedFigures.objects.all()}
    assert sorted(rows) == [("aaa", 2022), ("aaa", 2023), ("bbb", 2023)]
    assert rows[("bbb", 2023)].executed == Decimal("612.34")
    assert rows[("bbb", 2023)].execution_rate == Decimal("61.23")
    body = _body(response)
    assert "612.34" in body and "801.5" in body
    assert "编辑" not in body and "退出" not in body  # no editing cues, no account


def test_portal_never_shows_draft_figures(client, season):
    pages = ["/portal/", "/portal/?year=2023", "/portal/compare/?d=ccc&d=aaa&year=2023", "/portal/data/",
             "/portal/data/2023.csv", "/portal/data/2023.json", "/portal/departments/aaa/"]  # fmt: skip
    for page in pages:
        body = _body(client.get(page))
        assert "777.77" not in body, page
        assert "合成单位ccc" not in body, page
    assert client.get("/portal/departments/ccc/").status_code == 404
    assert "没有找到这些单位的公开报告：ccc" in _body(client.get("/portal/compare/?d=ccc&d=aaa"))


def test_portal_index_filters_by_year_and_grade_and_sorts(client, season):
    body = _body(client.get("/portal/?year=2023&sort=-executed"))
    assert body.index('data-department="aaa" data-year="2023"') < body.index(
        'data-department="bbb" data-year="2023"'
    )
    assert 'data-year="2022"' not in body.split("<tbody>")[1].split("</tbody>")[0]
    grade = PublishedFigures.objects.get(department_code="bbb").grade
    body = _body(client.get(f"/portal/?grade={grade}&year=2023"))
    table = body.split('data-testid="portal-index"')[1].split("</table>")[0]
    assert (
        table.count("<tr data-department") == PublishedFigures.objects.filter(grade=grade, year=2023).count()
    )
    body = _body(client.get("/portal/?bureau=elsewhere"))
    assert "没有符合条件的公开报告" in body


def test_portal_compare_two_departments_across_years(client, season):
    body = _body(client.get("/portal/compare/?d=aaa&d=bbb"))
    table = body.split('data-testid="comparison"')[1].split("</table>")[0]
    assert table.count("<tr data-department") == 3
    assert 'data-testid="chart-table-cmp-score"' in body
    # several years: one line per department over the years, 未填 where a department published nothing
    chart = body.split('data-testid="chart-table-cmp-executed"')[1].split("</table>")[0]
    assert '<td class="text-end">801.5</td><td class="text-end">未填</td>' in chart


def test_portal_year_csv_and_json_hold_every_published_report(client, season):
    response = client.get("/portal/data/2023.csv")
    assert response["Content-Disposition"] == "attachment; filename=perfeval-2023.csv"
    rows = list(csv.reader(io.StringIO(_body(response).lstrip("\ufeff"))))
    assert rows[0][:3] == ["department_code", "department_name", "year"]
    assert [r[0] for r in rows[2:]] == ["aaa", "bbb"]
    assert rows[3][rows[0].index("executed")] == "612.34"
    data = json.loads(_body(client.get("/portal/data/2023.json")))
    assert data["schema"] == "perfeval.portal-year/1"
    assert [r["department"]["code"] for r in data["reports"]] == ["aaa", "bbb"]
    assert data["reports"][1]["key_figures"]["executed"] == "612.34"
    assert data["reports"][1]["report"]["schema"] == "perfeval.report/1"
    assert client.get("/portal/data/1999.csv").status_code == 404


def test_portal_pages_cacheable_with_etag(client, season, make_report, publish_report):
    first = client.get("/portal/")
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get("/portal/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    publish_report(make_report("ddd", 2023))
    after = client.get("/portal/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and "合成单位ddd" in _body(after)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/portal/", 6),  # one of them the names of the bureaus in the 财政部门 filter
        ("/portal/?year=2023&grade=差&sort=-total_score", 6),
        ("/portal/compare/?d=aaa&d=bbb", 3),
        ("/portal/departments/aaa/", 2),
        ("/portal/data/", 2),
    ],  # fmt: skip
)
def test_portal_page_query_count_pinned(client, season, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):  # then from the cache, state included
        assert client.get(url).status_code == 200


def test_rebuild_portal_gives_same_index(season):
    before = list(
        PublishedFigures.objects.order_by("report_id").values_list("report_id", "number", "executed", "grade")
    )
    texts = NarrativeText.objects.count()
    band_rows = sorted(NarrativeText.objects.values_list("report_id", "place", "band0"))
    PublishedFigures.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_portal", stdout=out)
    assert "已重建 3 份公开报告的索引" in out.getvalue()
    after = list(
        PublishedFigures.objects.order_by("report_id").values_list("report_id", "number", "executed", "grade")
    )
    assert after == before
    assert NarrativeText.objects.count() == texts
    # in worker processes, one report a batch: the same rows
    assert rebuild(batch=1, workers=2) == 3
    after = list(
        PublishedFigures.objects.order_by("report_id").values_list("report_id", "number", "executed", "grade")
    )
    assert after == before
    assert sorted(NarrativeText.objects.values_list("report_id", "place", "band0")) == band_rows


@pytest.mark.parametrize(
    "url",
    [
        "/portal/?year=99999999999999999999&page=abc&sort=drop",
        "/portal/?grade=%00&kind=x&bureau=%27",
        "/portal/compare/?d=" + "x" * 300 + "&year=-1&year=2023",
        "/portal/data/99999999999.json",
    ],  # fmt: skip
)
def test_portal_hostile_query_answers_without_error(client, season, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "合成单位ccc" not in _body(response)


def test_portal_filters_by_the_publishing_bureau(client, season, users):
    """Every bureau's published reports are public; the 财政部门 filter names each bureau."""
    from perfeval.filing.models import FilingPeriod, Report, Status
    from perfeval.filing.parts import reports_with_parts
    from perfeval.publishing.services import freeze_report, publish
    from tests.synthetic import make_synthetic_report

    period = FilingPeriod.objects.get(bureau__code="zhuzhou-lusong", year=2023)
    report = make_synthetic_report(period=period, projects=1, indicators=3, code="ddd")
    Report.objects.filter(pk=report.pk).update(status=Status.APPROVED)
    report = reports_with_parts().get(pk=report.pk)
    freeze_report(report=report, user=users["lusong_reviewer"])
    publish(report=report, user=users["lusong_reviewer"], published_where="门户网站")
    assert PublishedFigures.objects.get(department_code="ddd").bureau == "zhuzhou-lusong"
    assert PublishedFigures.objects.get(department_code="bbb").bureau == "zhuzhou"
    body = _body(client.get("/portal/"))
    assert '<option value="zhuzhou-lusong">株洲市芦淞区财政局</option>' in body
    assert '<option value="zhuzhou">株洲市财政局</option>' in body
    table = _body(client.get("/portal/?bureau=zhuzhou-lusong")).split('data-testid="portal-index"')[1]
    rows = table.split("</table>")[0]
    assert (rows.count("<tr data-department"), 'data-department="ddd"' in rows) == (1, True)
