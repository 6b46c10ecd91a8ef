"""The edit loop never loses work: a refused save keeps everything and lists every error at the top; 暂存
keeps what is typed per tab and user; the computed cells are scored by the server from the posted form."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perfeval.editing.models import EditDraft
from perfeval.filing.models import FundLine, Indicator, Project, Report, Scorecard

from .conftest import indicator_prefix
from .helpers import form_data, json_form

pytestmark = pytest.mark.django_db

NEW_ROW = {
    "name": "信访积案化解率", "operator": "ge", "target_text": "≥90%", "target_value": "90", "target_unit": "%",
    "actual_text": "95%", "actual_value": "95", "weight": "0", "score": "0",
}  # fmt: skip


def _add_row(data, level2="social", values=NEW_ROW):
    total = int(data[f"ind-{level2}-TOTAL_FORMS"])
    data[f"ind-{level2}-TOTAL_FORMS"] = str(total + 1)
    data.update({f"ind-{level2}-{total}-{key}": value for key, value in values.items()})
    return f"ind-{level2}-{total}"


def test_refused_save_lists_every_error_linked_to_its_field(preparer_client, page_form):
    url, data = page_form(preparer_client, "attachment2")
    row = Indicator.objects.get(scorecard__kind="department", name="督办信访事项数量")
    prefix = indicator_prefix(data, row)
    data[f"{prefix}-score"] = "5"
    data["income_general"] = "十万"
    response = preparer_client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    errors = response.context["form_errors"]
    ids = [field_id for field_id, _ in errors]
    assert f"p-att2-indicator:{row.pk}-score" in ids
    assert "p-att2-income:general-executed" in ids
    messages = dict(errors)
    assert "督办信访事项数量" in messages[f"p-att2-indicator:{row.pk}-score"]
    assert "得分 5 不能高于分值 4" in messages[f"p-att2-indicator:{row.pk}-score"]
    assert "一般公共预算" in messages["p-att2-income:general-executed"]
    for field_id, _ in errors:
        assert f'<a href="#{field_id}">' in body
        assert f'id="{field_id}"' in body
    assert 'data-testid="save-refused"' in body
    assert "有问题也可以保存" not in body
    assert "未保存：请按页面顶部列出的问题修改后再保存。" in body


def test_refused_save_keeps_typed_values_and_added_row(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "attachment2")
    row = Indicator.objects.get(scorecard__kind="department", name="督办信访事项数量")
    data[f"{indicator_prefix(data, row)}-score"] = "5"
    added = _add_row(data)
    data["goal_actual"] = "全年化解积案 95%。"
    response = preparer_client.post(url, data)
    assert response.status_code == 200
    shown = form_data(response, "scorecard-form")
    assert shown["ind-social-TOTAL_FORMS"] == data["ind-social-TOTAL_FORMS"]
    assert {key: shown[f"{added}-{key}"] for key in NEW_ROW} == NEW_ROW
    assert shown["goal_actual"] == "全年化解积案 95%。"
    assert not Indicator.objects.filter(name=NEW_ROW["name"]).exists()
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version
    # Kept as 暂存 as well: the page opened again later shows the same.
    again = form_data(preparer_client.get(url), "scorecard-form")
    assert (again["goal_actual"], again[f"{added}-name"]) == ("全年化解积案 95%。", NEW_ROW["name"])


def test_page_without_refusal_says_problems_do_not_block_saving(preparer_client, urls):
    body = preparer_client.get(urls["attachment2"]).content.decode()
    assert 'data-testid="save-refused"' not in body
    assert "检查发现的问题不妨碍保存" in body


# ---------------------------------------------------------------- 暂存


def _draft_url(report, part):
    return reverse("editing:draft", kwargs={"report_id": report.pk, "part": part})


def test_draft_restored_on_return_with_notice(preparer_client, page_form, demo_report, preparer):
    url, data = page_form(preparer_client, "attachment2")
    added = _add_row(data)
    data["goal_actual"] = "写到一半"
    assert preparer_client.post(_draft_url(demo_report, "att2"), data).status_code == 204
    response = preparer_client.get(url)
    body = response.content.decode()
    assert "已恢复未保存的暂存内容" in body
    shown = form_data(response, "scorecard-form")
    assert (shown["goal_actual"], shown[f"{added}-name"]) == ("写到一半", NEW_ROW["name"])
    # Kept, not saved: the report is as it was.
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version
    assert Scorecard.objects.get(kind="department").goal_actual != "写到一半"
    assert EditDraft.objects.get(report=demo_report, user=preparer, part="att2").fields["goal_actual"] == [
        "写到一半"
    ]


def test_draft_saved_through_normal_save_and_then_cleared(preparer_client, page_form, demo_report, preparer):
    url, data = page_form(preparer_client, "attachment2")
    data["goal_actual"] = "暂存后保存"
    preparer_client.post(_draft_url(demo_report, "att2"), data)
    restored = form_data(preparer_client.get(url), "scorecard-form")
    assert preparer_client.post(url, restored).status_code == 302
    assert Scorecard.objects.get(kind="department").goal_actual == "暂存后保存"
    assert not EditDraft.objects.filter(report=demo_report).exists()
    assert "已恢复未保存的暂存内容" not in preparer_client.get(url).content.decode()


def test_draft_of_stale_version_is_refused_on_save(preparer_client, page_form, demo_report, head):
    url, data = page_form(preparer_client, "attachment2")
    data["goal_actual"] = "旧版本上的暂存"
    preparer_client.post(_draft_url(demo_report, "att2"), data)
    Report.objects.filter(pk=demo_report.pk).update(version=demo_report.version + 1)
    response = preparer_client.post(url, form_data(preparer_client.get(url), "scorecard-form"))
    assert response.status_code == 409
    assert Scorecard.objects.get(kind="department").goal_actual != "旧版本上的暂存"


def test_draft_discarded_shows_saved_values(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "text")
    saved = data["s7_problems"]
    data["s7_problems"] = "不要了"
    preparer_client.post(_draft_url(demo_report, "text"), data)
    discard = reverse("editing:discard_draft", kwargs={"report_id": demo_report.pk, "part": "text"})
    assert preparer_client.post(discard)["Location"] == url
    response = preparer_client.get(url)
    assert form_data(response, "text-form")["s7_problems"] == saved
    assert "已恢复未保存的暂存内容" not in response.content.decode()


def test_draft_is_per_user(preparer_client, page_form, demo_report, head):
    url, data = page_form(preparer_client, "text")
    data["s7_problems"] = "只有我看得到"
    preparer_client.post(_draft_url(demo_report, "text"), data)
    from django.test import Client

    head_client = Client()
    head_client.force_login(head)
    assert form_data(head_client.get(url), "text-form")["s7_problems"] != "只有我看得到"


def test_draft_of_another_department_is_404(other_client, demo_report):
    response = other_client.post(_draft_url(demo_report, "text"), {"s7_problems": "x"})
    assert response.status_code == 404
    assert not EditDraft.objects.exists()


def test_draft_refused_when_report_locked(preparer_client, demo_report):
    Report.objects.filter(pk=demo_report.pk).update(status="submitted")
    response = preparer_client.post(_draft_url(demo_report, "text"), {"s7_problems": "x"})
    assert response.status_code == 403
    assert not EditDraft.objects.exists()


def test_draft_of_unknown_part_is_404(preparer_client, demo_report):
    assert preparer_client.post(_draft_url(demo_report, "admin"), {"x": "1"}).status_code == 404
    assert not EditDraft.objects.exists()


def test_draft_too_large_refused(preparer_client, demo_report):
    too_long = "字" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = preparer_client.post(_draft_url(demo_report, "text"), {"s7_problems": too_long})
    assert response.status_code == 400
    assert not EditDraft.objects.exists()


# ---------------------------------------------------------------- live recompute


def _recompute(client, url, data, **kwargs):
    """A live recompute as the page's htmx posts it: the form's fields as one JSON object (json-enc)."""
    return client.post(
        url, json_form(data), content_type="application/json", headers={"HX-Request": "true"}, **kwargs
    )


def _recompute_att3_url(report):
    project = Project.objects.get(report=report, name="信访维稳工作经费")
    return reverse("editing:recompute_attachment3", kwargs={"report_id": report.pk, "project_id": project.pk})


def test_recompute_scores_posted_values_and_writes_nothing(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "attachment3")
    data.update({"fund-carryover-full_year": "1.23", "fund-carryover-executed": "1.23"})
    lines_before = list(FundLine.objects.order_by("pk").values_list("executed", flat=True))
    response = _recompute(preparer_client, _recompute_att3_url(demo_report), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<span id="c-funds-executed" hx-swap-oob="true">427.46</span>' in body
    assert list(FundLine.objects.order_by("pk").values_list("executed", flat=True)) == lines_before
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version


def test_recompute_scores_an_added_row(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "attachment2")
    added = _add_row(data, values={**NEW_ROW, "weight": "2", "score": "2"})
    response = _recompute(
        preparer_client, reverse("editing:recompute_attachment2", args=[demo_report.pk]), data
    )
    body = response.content.decode()
    assert f'<span id="c-{added}-rule_score" hx-swap-oob="innerHTML">2</span>' in body
    assert not Indicator.objects.filter(name=NEW_ROW["name"]).exists()


def test_recompute_escapes_what_was_typed_in_its_steps(preparer_client, page_form, demo_report):
    """A row's steps quote what was typed (「年度指标值「…」未选择指标方向」): markup in it arrives as text."""
    url, data = page_form(preparer_client, "attachment2")
    typed = '<img src=x onerror="alert(1)">≥90%'
    added = _add_row(data, values={**NEW_ROW, "operator": "", "target_text": typed, "weight": "2"})
    body = _recompute(preparer_client, reverse("editing:recompute_attachment2", args=[demo_report.pk]), data)
    body = body.content.decode()
    assert (
        f'<span id="c-{added}-rule_steps" hx-swap-oob="innerHTML"><div>年度指标值「&lt;img src=x onerror='
        in body
    )
    assert "<img" not in body


def test_recompute_of_the_unchanged_form_gives_the_saved_scores(preparer_client, page_form, demo_report):
    """Nothing typed: the same totals as the saved table, also with a row under a 二级 the pack does not have,
    which is not on the page and counts as it is saved."""
    from decimal import Decimal

    from django.db.models import F

    from perfeval.filing import checked
    from perfeval.rules.decimals import fmt_amount

    card = Scorecard.objects.get(report=demo_report, kind="department")
    Indicator.objects.create(
        scorecard=card, level1="产出指标", level2="retired", order=99, name="旧二级下的指标",
        weight=Decimal("3"), score=Decimal("2.5"),
    )  # fmt: skip
    Report.objects.filter(pk=demo_report.pk).update(version=F("version") + 1)
    report = Report.objects.get(pk=demo_report.pk)
    saved = checked.scorecard_results(report, [str(card.pk)])[str(card.pk)]
    url, data = page_form(preparer_client, "attachment2")
    body = _recompute(
        preparer_client, reverse("editing:recompute_attachment2", args=[report.pk]), data
    ).content.decode()
    assert f'<span id="c-self_total" hx-swap-oob="true">{fmt_amount(saved.self_total)}</span>' in body
    assert f'<span id="c-weight_total" hx-swap-oob="true">{fmt_amount(saved.weight_total)}</span>' in body
    assert "保存时保持不变：「旧二级下的指标」" in preparer_client.get(url).content.decode()  # not editable


def test_recompute_counts_bad_input_as_blank(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "attachment3")
    data["fund-current-executed"] = "很多"
    response = _recompute(preparer_client, _recompute_att3_url(demo_report), data)
    assert response.status_code == 200
    assert '<span id="c-funds-executed" hx-swap-oob="true"></span>' in response.content.decode()


def test_recompute_attachment1_sums_as_typed(preparer_client, page_form, demo_report):
    url, data = page_form(preparer_client, "attachment1")
    data["car_purchase__final"] = "1.50"
    response = _recompute(
        preparer_client, reverse("editing:recompute_attachment1", args=[demo_report.pk]), data
    )
    assert '<span id="c-att1-car-final" hx-swap-oob="true">25.23</span>' in response.content.decode()
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version


def test_recompute_of_another_department_is_404(other_client, demo_report):
    url = reverse("editing:recompute_attachment2", args=[demo_report.pk])
    assert other_client.post(url, {}).status_code == 404


# session, user, the report: the table's payload as exported for the version comes from the version's cache
# (filing.checked.part_payload), the post carries the rest. No other part, no draft lookup and no write.
RECOMPUTE_QUERIES = {"attachment1": 3, "attachment2": 3, "attachment3": 3}


@pytest.mark.parametrize("page", ["attachment2", "attachment3", "attachment1"])
def test_recompute_query_count(preparer_client, page_form, demo_report, page):
    url, data = page_form(preparer_client, page)
    recompute = {
        "attachment1": reverse("editing:recompute_attachment1", args=[demo_report.pk]),
        "attachment2": reverse("editing:recompute_attachment2", args=[demo_report.pk]),
        "attachment3": _recompute_att3_url(demo_report),
    }[page]
    with CaptureQueriesContext(connection) as queries:
        assert _recompute(preparer_client, recompute, data).status_code == 200
    assert len(queries) == RECOMPUTE_QUERIES[page]
    assert not any(q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) for q in queries.captured_queries)


def test_recompute_with_a_hostile_row_count_adds_no_rows(preparer_client, page_form, demo_report):
    """TOTAL_FORMS far above the rows posted (or not a number): the rows posted are scored, nothing more."""
    url, data = page_form(preparer_client, "attachment2")
    recompute = reverse("editing:recompute_attachment2", args=[demo_report.pk])
    honest = _recompute(preparer_client, recompute, data).content.decode()
    totals = [key for key in data if key.endswith("-TOTAL_FORMS") and key.startswith("ind-")]
    for value in ("1999", "2000000", "很多", "-5"):
        hostile = {**data, **{key: value for key in totals}}
        response = _recompute(preparer_client, recompute, hostile)
        assert response.status_code == 200
        body = response.content.decode()
        if value in ("1999", "2000000"):
            assert body == honest
        else:  # not a count: no row of the table is read, as a formset reads none
            assert "-rule_score" in honest and "-rule_score" not in body


def test_recompute_with_long_typed_text_scores_the_same(preparer_client, page_form, demo_report):
    """A row typed longer than the memo keeps (perfeval.editing.views.MEMO_MAX_CHARS) is cleaned all the same:
    a text over its bound counts as blank, and the scores do not change."""
    url, data = page_form(preparer_client, "attachment2")
    recompute = reverse("editing:recompute_attachment2", args=[demo_report.pk])
    honest = _recompute(preparer_client, recompute, data).content.decode()
    reason = next(key for key in data if key.startswith("ind-") and key.endswith("-deviation_reason"))
    for text in ("说明" * 1500, "说明" * 900):  # over the memo's length; over and within the field's bound
        response = _recompute(preparer_client, recompute, {**data, reason: text})
        assert response.status_code == 200
        assert response.content.decode() == honest


RECOMPUTES = ("attachment1", "attachment2", "attachment3")


def _recompute_url(report, page):
    if page == "attachment3":
        return _recompute_att3_url(report)
    return reverse(f"editing:recompute_{page}", args=[report.pk])


@pytest.mark.parametrize("page", RECOMPUTES)
def test_recompute_reads_a_plain_form_as_it_reads_json(preparer_client, page_form, demo_report, page):
    """The page's htmx posts JSON; a form posted urlencoded (as without the extension) or multipart reads the
    same fields through the same form fields and gives the same cells, a typed change included."""
    url, data = page_form(preparer_client, page)
    changed = {"attachment1": "car_purchase__final", "attachment2": "fund-total-executed"}.get(
        page, "fund-current-executed"
    )
    data[changed] = "1.50"
    recompute = _recompute_url(demo_report, page)
    as_json = _recompute(preparer_client, recompute, data)
    assert as_json.status_code == 200
    urlencoded = preparer_client.post(
        recompute,
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
        headers={"HX-Request": "true"},
    )
    assert urlencoded.content == as_json.content
    assert preparer_client.post(recompute, data).content == as_json.content  # multipart
    data[changed] = "2.50"
    assert (
        _recompute(preparer_client, recompute, data).content != as_json.content
    )  # the cells follow the post


HOSTILE_BODIES = {
    "not JSON": b'{"ind-social-TOTAL_FORMS": ',
    "not UTF-8": b"\xff\xfe{}",
    "a list": b"[1, 2, 3]",
    "a string": b'"fund-current-executed"',
    "nested deep": b"[" * 100_000 + b"]" * 100_000,
    "too many fields": json_form({f"x{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}),
    "a name posted too often": json_form(
        {"income_other": ["1"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    ),
}


@pytest.mark.parametrize("case", HOSTILE_BODIES)
@pytest.mark.parametrize("page", RECOMPUTES)
def test_recompute_refuses_a_body_that_is_no_form(preparer_client, demo_report, page, case):
    response = preparer_client.post(
        _recompute_url(demo_report, page), HOSTILE_BODIES[case], content_type="application/json"
    )
    assert response.status_code == 400
    assert response.content.decode() in ("无法读取提交的内容", "提交的字段过多")


def test_recompute_refuses_a_body_over_the_upload_limit(preparer_client, demo_report, settings):
    """Above Django's DATA_UPLOAD_MAX_MEMORY_SIZE the body is not read: 400 with the Chinese error page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    body = json_form({"fund-current-executed": "1" * 100_001})
    response = preparer_client.post(_recompute_att3_url(demo_report), body, content_type="application/json")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


@pytest.mark.parametrize("page", RECOMPUTES)
def test_recompute_counts_values_that_are_no_text_as_not_posted(
    preparer_client, page_form, demo_report, page
):
    """Numbers, null, objects or lists of them where the form has text: not posted, so blank (未填), never a
    500; a list of texts reads as a form field posted more than once (its last value)."""
    url, data = page_form(preparer_client, page)
    recompute = _recompute_url(demo_report, page)
    honest = _recompute(preparer_client, recompute, data).content
    for odd in (123, None, {"a": "1"}, [1, None], True):
        hostile = {name: odd for name in data if name != "csrfmiddlewaretoken"}
        response = _recompute(preparer_client, recompute, hostile)
        assert response.status_code == 200
        assert response.content == _recompute(preparer_client, recompute, {}).content
    listed = {name: ["不算", value] for name, value in data.items()}
    assert _recompute(preparer_client, recompute, listed).content == honest


def test_recompute_posted_as_json_needs_the_csrf_header(preparer, page_form, demo_report):
    """A JSON body carries its CSRF token in the X-CSRFToken header (editing.js sets it from the form): the
    token in the body is not read, so a post without the header is refused."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(preparer)
    url, data = page_form(client, "attachment3")
    recompute = _recompute_att3_url(demo_report)
    assert _recompute(client, recompute, data).status_code == 403
    token = data["csrfmiddlewaretoken"]
    response = _recompute(client, recompute, data, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert "c-funds-executed" in response.content.decode()
