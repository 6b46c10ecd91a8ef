"""The portal's charts, built from PublishedFigures rows (perfeval/charts.py draws and tabulates them)."""

from decimal import Decimal

from perfeval.charts import Chart, Series, extremes_sentence

TWO = Decimal("0.01")


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO)


def index_charts(rows, by_year: list[dict]) -> list[Chart]:
    names = [f"{r.department_name}（{r.year}）" for r in rows]
    scores = [r.total_score for r in rows]
    rates = [r.execution_rate for r in rows]
    years = [str(y["year"]) for y in by_year]
    averages = [_round(y["score"]) for y in by_year]
    average_rates = [_round(y["rate"]) for y in by_year]
    return [
        Chart(
            key="scores",
            title="本页各单位总分",
            kind="bar",
            categories=names,
            series=[Series("总分", scores)],
            summary=extremes_sentence("本页各单位总分", names, scores, " 分"),
            category_label="单位（年度）",
        ),
        Chart(
            key="rates",
            title="本页各单位预算执行率",
            kind="bar",
            categories=names,
            series=[Series("执行率", rates)],
            unit="%",
            summary=extremes_sentence("本页各单位执行率", names, rates, "%"),
            category_label="单位（年度）",
        ),
        Chart(
            key="years",
            title="各年度平均总分与平均执行率（符合筛选条件的全部报告）",
            kind="line",
            categories=years,
            series=[Series("平均总分", averages), Series("平均执行率（%）", average_rates)],
            summary=extremes_sentence("各年度平均总分", years, averages, " 分")
            + " "
            + "；".join(f"{y['year']} 年 {y['reports']} 份报告" for y in by_year),
            category_label="年度",
        ),
    ]


def department_charts(rows) -> list[Chart]:
    years = [str(r.year) for r in rows]
    name = rows[-1].department_name if rows else ""
    scores = [r.total_score for r in rows]
    rates = [r.execution_rate for r in rows]
    return [
        Chart(
            key="dept-scores",
            title=f"{name}历年总分与执行率",
            kind="line",
            categories=years,
            series=[Series("总分", scores), Series("执行率（%）", rates)],
            summary=extremes_sentence(f"{name}历年总分", years, scores, " 分"),
            category_label="年度",
        ),
        Chart(
            key="dept-budget",
            title=f"{name}历年预算与执行",
            kind="bar",
            categories=years,
            series=[
                Series("年初预算数", [r.budget_initial for r in rows]),
                Series("全年预算数", [r.budget_full_year for r in rows]),
                Series("全年执行数", [r.executed for r in rows]),
                Series("三公经费", [r.sangong for r in rows]),
            ],
            unit="万元",
            summary=extremes_sentence(f"{name}历年全年执行数", years, [r.executed for r in rows], " 万元"),
            category_label="年度",
        ),
    ]


def compare_charts(rows) -> list[Chart]:
    """One year: a bar per department. Several years: a line per department over the years."""
    if not rows:
        return []
    years = sorted({r.year for r in rows})
    departments = list(dict.fromkeys(r.department_code for r in rows))
    names = {r.department_code: r.department_name for r in rows}
    cell = {(r.department_code, r.year): r for r in rows}
    charts = []
    for key, title, attr, unit in (
        ("cmp-score", "总分", "total_score", ""),
        ("cmp-rate", "执行率", "execution_rate", "%"),
        ("cmp-executed", "全年执行数", "executed", "万元"),
    ):
        if len(years) == 1:
            categories = [names[d] for d in departments]
            values = [getattr(cell[(d, years[0])], attr) for d in departments]
            series = [Series(f"{years[0]} 年{title}", values)]
            summary = extremes_sentence(f"{years[0]} 年各单位{title}", categories, values, unit)
            kind, category_label = "bar", "单位"
        else:
            categories = [str(y) for y in years]
            series = []
            for d in departments:
                values = [getattr(cell[(d, y)], attr) if (d, y) in cell else None for y in years]
                series.append(Series(names[d], values))
            summary = (
                "；".join(
                    extremes_sentence(f"{s.name}历年{title}", categories, s.values, unit).rstrip("。")
                    for s in series
                )
                + "。"
            )
            kind, category_label = "line", "年度"
        charts.append(
            Chart(
                key=key,
                title=f"{title}比较",
                kind=kind,
                categories=categories,
                series=series,
                unit=unit,
                summary=summary,
                category_label=category_label,
            )  # fmt: skip
        )
    return charts
