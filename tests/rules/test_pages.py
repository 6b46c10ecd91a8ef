"""The page estimate (perfeval/rules/pages.py): pure, cheap, and erring long. Its agreement with real renders
is measured by benchmarks/bench_page_estimate.py."""

from dataclasses import replace

import pytest

from perfeval.rules.pages import LINE_CHARS, PAGE_LINES, estimate, too_long

from .seed_data import seed_report


def _with_section(text: str):
    report = seed_report()
    return replace(report, sections={**report.sections, "s7": text})


def test_estimate_of_the_seed_is_a_few_pages():
    result = estimate(seed_report())
    assert 5 <= result.pages <= 15
    assert result.seconds > 0


@pytest.mark.parametrize("characters", [0, 1_000, 10_000, 100_000, 2_300_000])
def test_estimate_grows_with_text(characters):
    shorter = estimate(_with_section("字" * (characters // 2))).pages
    longer = estimate(_with_section("字" * characters)).pages
    assert longer >= shorter
    assert longer >= characters // (LINE_CHARS * PAGE_LINES)


def test_estimate_counts_each_short_line():
    lines = 3_000
    result = estimate(_with_section("\n".join(["问题"] * lines)))
    assert result.pages >= lines // PAGE_LINES


def test_estimate_counts_indicator_rows_and_their_texts():
    report = seed_report()
    card = report.department_scorecard
    wide = replace(card.indicators[0], name="指" * 200, deviation_reason="因" * 2_000)
    bigger = replace(report, department_scorecard=replace(card, indicators=(wide,) * 100))
    assert estimate(bigger).pages > estimate(report).pages + 30


def test_the_2_3_mb_section_of_the_probe_is_refused_with_the_cap():
    message = too_long(_with_section("字" * 2_300_000), max_pages=300, max_seconds=60)
    assert message.startswith("报告内容过长：按当前文字和行数估计 PDF 约")
    assert "超过上限 300 页" in message


def test_time_limit_is_checked_after_the_page_cap():
    message = too_long(seed_report(), max_pages=300, max_seconds=0.1)
    assert "超过时限 0.1 秒" in message
    assert too_long(seed_report(), max_pages=300, max_seconds=60) is None
