"""The public portal (no login): published reports with their key figures, a department across years, a
comparison, the bulk open data of a year; and, signed in, the copied-narrative hints of a report.

Public pages hold no per-user content, so each is rendered once per state of the published set (see
``_state``) and query string, served from the cache and marked cacheable by any proxy, with an ETag.
"""

import csv
import hashlib
import io
import json
import re
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, Max
from django.http import Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from perfeval import caching
from perfeval.charts import figure_text
from perfeval.filing.access import get_report_for_user
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import FinanceBureau
from perfeval.portal import charts
from perfeval.portal.detector import report_copies
from perfeval.portal.figures import FIGURE_NAMES
from perfeval.portal.indexing import STATE_CACHE_KEY
from perfeval.portal.models import Kind, PublishedFigures
from perfeval.publishing.models import PublishedVersion

PAGE_SIZE = 50
MAX_COMPARED = 10
CACHE_SECONDS = 300
STATE_SECONDS = 5
# 未填 figures sort last either way (PostgreSQL would put NULL first when descending).
SORTS = {
    "department": ("department_code", "-year"),
    "-total_score": (F("total_score").desc(nulls_last=True), "department_code"),
    "total_score": (F("total_score").asc(nulls_last=True), "department_code"),
    "-execution_rate": (F("execution_rate").desc(nulls_last=True), "department_code"),
    "execution_rate": (F("execution_rate").asc(nulls_last=True), "department_code"),
    "-executed": (F("executed").desc(nulls_last=True), "department_code"),
    "-year": ("-year", "department_code"),
}
SORT_LABELS = {
    "-year": "年度（新到旧）",
    "department": "单位编码",
    "-total_score": "总分（高到低）",
    "total_score": "总分（低到高）",
    "-execution_rate": "执行率（高到低）",
    "execution_rate": "执行率（低到高）",
    "-executed": "执行数（多到少）",
}
BUREAU_LABELS = {"": "本级财政部门"}  # a report published before bureaus: this installation's bureau
ALL = "__all__"
OPTION_COLUMNS = ("year", "bureau", "kind", "grade")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")  # a 预算单位编码 (SlugField)
LIST_FIELDS = (
    "department_code",
    "department_name",
    "year",
    "number",
    "public_date",
    "kind",
    "bureau",
    *FIGURE_NAMES,
)


# ---------------------------------------------------------------- caching


def _state() -> str:
    """Changes whenever a version is published (a row is written, indexed_at moves) or the index is rebuilt
    (new rows, new ids); rows are never deleted otherwise. Two index lookups, remembered for STATE_SECONDS:
    indexing forgets it at once in its own process, other processes see a new version within seconds (and
    proxies within max-age anyway), and a page served from the cache costs no database round trip."""
    state = cache.get(STATE_CACHE_KEY)
    if state is None:
        found = PublishedFigures.objects.aggregate(top=Max("id"), at=Max("indexed_at"))
        state = f"{found['top']}:{found['at']}"
        cache.set(STATE_CACHE_KEY, state, STATE_SECONDS)
    return state


def _cached(request, render_body, *, content_type="text/html; charset=utf-8") -> HttpResponse:
    state = _state()
    etag = '"' + hashlib.sha256(f"{state}|{request.get_full_path()}".encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        key = "portal:" + etag
        # The body under its ETag (the index state and the address) never changes: perfeval/caching.py.
        body = caching.read(key)
        if body is None:
            body = render_body()
            caching.keep(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _page(template: str, context: dict):
    """The renderer _cached calls on a miss."""
    return lambda: render_to_string(template, context).encode("utf-8")


# ---------------------------------------------------------------- the index


def _year(value) -> int | None:
    """A year from the query string or the URL; anything else (text, 10**30) is no year, never a database error."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 9999 else None


def index(request):
    return _cached(request, lambda: _page("portal/index.html", _index_context(request))())


def _bureau_options(codes: set[str]) -> list[tuple[str, str]]:
    """(code, name) of the bureaus that published something: the finance bureaus' own names."""
    names = {
        **BUREAU_LABELS,
        **dict(FinanceBureau.objects.filter(code__in=codes).values_list("code", "name")),
    }
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda option: option[0])


def _index_context(request) -> dict:
    year = _year(request.GET.get("year"))
    bureau = request.GET.get("bureau", ALL)  # "" is a bureau (this installation's), so 全部 has its own value
    kind = request.GET.get("kind", "")
    grade = request.GET.get("grade", "")
    sort = request.GET.get("sort", "-year")
    if sort not in SORTS:
        sort = "-year"
    options = list(PublishedFigures.objects.values_list(*OPTION_COLUMNS).distinct())
    rows = PublishedFigures.objects.all()
    # A filter value is one the table holds, or nothing matches: user text never reaches the query.
    for column, (value, everything) in {
        "bureau": (bureau, ALL),
        "kind": (kind, ""),
        "grade": (grade, ""),
    }.items():
        if value != everything:
            held = {option[OPTION_COLUMNS.index(column)] for option in options}
            rows = rows.filter(**{column: value}) if value in held else rows.none()
    by_year = (
        rows.values("year")
        .annotate(reports=Count("id"), score=Avg("total_score"), rate=Avg("execution_rate"))
        .order_by("year")
    )
    by_year = list(by_year)
    if year is not None:
        rows = rows.filter(year=year)
    page = Paginator(rows.order_by(*SORTS[sort]).only(*LIST_FIELDS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode(
        [
            (k, v)
            for k, v in (
                ("year", year or ""),
                ("bureau", "" if bureau == ALL else bureau),
                ("kind", kind),
                ("grade", grade),
                ("sort", sort),
            )
            if v not in ("", None)
        ]
    )
    page_rows = list(page.object_list)
    return {
        "page": page,
        "rows": page_rows,
        "year": year,
        "bureau": bureau,
        "kind": kind,
        "grade": grade,
        "sort": sort,
        "query": query,
        "years": sorted({o[0] for o in options}, reverse=True),
        "bureaus": _bureau_options({o[1] for o in options}),
        "kinds": [(k, Kind(k).label) for k in sorted({o[2] for o in options})],
        "grades": sorted({o[3] for o in options if o[3]}, key="优良中差".find),
        "sorts": SORT_LABELS.items(),
        "charts": charts.index_charts(page_rows, by_year),
    }


# ---------------------------------------------------------------- a department, a comparison


def department(request, department_code):
    def body():
        rows = list(
            PublishedFigures.objects.filter(department_code=department_code)
            .order_by("year")
            .only(*LIST_FIELDS)
        )
        if not rows:
            raise Http404("没有找到该单位的公开报告。")
        # The charts follow the 部门整体 reports over the years; the table lists every filing, labelled.
        whole = [r for r in rows if r.kind == Kind.DEPARTMENT]
        context = {"name": rows[-1].department_name, "code": department_code, "rows": rows,
                   "charts": charts.department_charts(whole)}  # fmt: skip
        return _page("portal/department.html", context)()

    return _cached(request, body)


def compare(request):
    codes = list(dict.fromkeys(c.strip() for c in request.GET.getlist("d") if SLUG.fullmatch(c.strip())))
    codes = codes[:MAX_COMPARED]
    years = sorted({y for y in (_year(v) for v in request.GET.getlist("year")) if y is not None})

    def body():
        # Departments are compared by their 部门整体 reports (a project-only filing's figures are of its projects).
        rows = PublishedFigures.objects.filter(department_code__in=codes, kind=Kind.DEPARTMENT)
        if years:
            rows = rows.filter(year__in=years)
        rows = list(rows.order_by("department_code", "year").only(*LIST_FIELDS))
        found = {r.department_code for r in rows}
        context = {
            "codes": codes,
            "years": years,
            "rows": rows,
            "missing": [c for c in codes if c not in found],
            "slots": list(enumerate(codes + [""] * (5 - len(codes)))),
            "all_years": list(
                PublishedFigures.objects.order_by("-year").values_list("year", flat=True).distinct()
            ),
            "charts": charts.compare_charts(rows),
            "max_compared": MAX_COMPARED,
        }
        return _page("portal/compare.html", context)()

    return _cached(request, body)


# ---------------------------------------------------------------- bulk open data

CSV_COLUMNS = (
    ("department_code", "预算单位编码"),
    ("department_name", "单位名称"),
    ("year", "年度"),
    ("number", "版本"),
    ("public_date", "公开日期"),
    ("kind", "类别"),
    ("bureau", "财政部门"),
    ("total_score", "总分"),
    ("grade", "等级"),
    ("execution_rate", "执行率（%）"),
    ("budget_initial", "年初预算数（万元）"),
    ("budget_full_year", "全年预算数（万元）"),
    ("executed", "全年执行数（万元）"),
    ("sangong", "三公经费决算数（万元）"),
)


def open_data(request):
    def body():
        years = PublishedFigures.objects.values("year").annotate(reports=Count("id")).order_by("-year")
        return _page("portal/open_data.html", {"years": list(years), "columns": CSV_COLUMNS})()

    return _cached(request, body)


def _year_rows(year: int):
    rows = PublishedFigures.objects.filter(year=_year(year)).order_by("department_code")
    if _year(year) is None or not rows.exists():
        raise Http404("该年度没有公开的报告。")
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    return figure_text(value) if isinstance(value, Decimal) else str(value)


def year_csv(request, year):
    rows = _year_rows(year)

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        # The BOM makes Excel read the file as UTF-8; the header row carries the Chinese labels.
        buffer.write("\ufeff")
        writer.writerow([name for name, _ in CSV_COLUMNS])
        writer.writerow([label for _, label in CSV_COLUMNS])
        for row in rows.values_list(*(name for name, _ in CSV_COLUMNS)).iterator(chunk_size=2000):
            writer.writerow([_text(v) for v in row])
            if buffer.tell() > 65536:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    return _download(lines(), "text/csv; charset=utf-8", f"perfeval-{year}.csv")


def year_json(request, year):
    """Every published report of the year: its key figures and its whole open data (perfeval.report/1),
    streamed so that a province's season never sits in memory at once."""
    rows = _year_rows(year)

    def chunks():
        yield f'{{"schema": "perfeval.portal-year/1", "year": {year}, "reports": [\n'.encode()
        versions = PublishedVersion.objects.filter(pk__in=rows.values("version_id")).order_by(
            "department_code"
        )
        figures = {r["version_id"]: r for r in rows.values("version_id", *FIGURE_NAMES)}
        for i, version in enumerate(versions.only("department_code", "department_name", "year", "number",
                                                  "public_date", "public_data").iterator(chunk_size=200)):  # fmt: skip
            item = {
                "department": {"code": version.department_code, "name": version.department_name},
                "year": version.year,
                "version": version.number,
                "public_date": version.public_date.isoformat(),
                "key_figures": {
                    n: _text(v) or None for n, v in figures[version.pk].items() if n != "version_id"
                },
                "report": version.public_data,
            }
            yield (("," if i else "") + json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n").encode(
                "utf-8"
            )
        yield b"]}\n"

    return _download(chunks(), "application/json; charset=utf-8", f"perfeval-{year}.json")


def _download(chunks, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


# ---------------------------------------------------------------- signed in: copied narrative of a report


@login_required
def copies(request, report_id):
    """Which texts of this report resemble the published texts of the department's earlier years or of other
    departments this year, side by side. Whoever may see the report may see this page; it shows only
    published texts of other reports."""
    report = get_report_for_user(request.user, report_id, reports_with_parts())
    matches = report_copies(report)
    return render(
        request,
        "portal/copies.html",
        {"report": report, "matches": matches, "threshold": report.period.rule_pack.rules().copy_threshold},
    )
