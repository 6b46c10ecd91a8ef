"""Every input of an edit grid has an accessible name: its row and its column, as the grid's edges read."""

from html.parser import HTMLParser

import pytest

TABS = ["text/", "attachment1/", "attachment2/", "projects/"]


class _Fields(HTMLParser):
    """The form fields of a page with their attributes; those inside a <template> (rows the browser adds) apart."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.fields: list[dict] = []
        self.templated: list[dict] = []
        self.label_for: set[str] = set()
        self._labels = self._templates = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self._labels += 1
            self.label_for.add(attrs.get("for"))
        elif tag == "template":
            self._templates += 1
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            attrs["wrapped"] = self._labels > 0
            (self.templated if self._templates else self.fields).append(attrs)

    def handle_endtag(self, tag):
        if tag == "label":
            self._labels -= 1
        elif tag == "template":
            self._templates -= 1


def _page(client, report, tab) -> _Fields:
    response = client.get(f"/reports/{report.pk}/edit/{tab}")
    assert response.status_code == 200
    return _Fields(response.content.decode())


@pytest.mark.parametrize("tab", TABS)
def test_edit_tab_every_input_named(tab, preparer_client, demo_report):
    page = _page(preparer_client, demo_report, tab)
    unnamed = [
        field.get("name")
        for field in page.fields + page.templated
        if not (field.get("aria-label") or field["wrapped"] or field.get("id") in page.label_for)
    ]
    assert page.fields and unnamed == []


def test_indicator_cells_named_by_row_and_column(preparer_client, demo_report):
    page = _page(preparer_client, demo_report, "attachment2/")
    row = "登记接待群众来访数量 · "
    assert [f["aria-label"] for f in page.fields if f.get("aria-label", "").startswith(row)] == [
        row + column
        for column in (
            "三级指标",
            "指标方向",
            "年度指标值",
            "目标数值",
            "目标单位",
            "实际完成值",
            "实际数值",
            "定性等级",
            "分值",
            "得分",
            "删除",
            "偏差原因分析及改进措施",
        )  # fmt: skip
    ]
    # A row added in the browser (the formset's template) is named by its 二级 until it has a name.
    assert "数量指标新增三级指标 · 实际完成值" in [f.get("aria-label") for f in page.templated]


def test_expense_cells_named_with_the_year(preparer_client, demo_report):
    names = {
        f.get("name"): f.get("aria-label") for f in _page(preparer_client, demo_report, "attachment1/").fields
    }
    assert names["office__final"] == "其中：办公经费 · 2023年决算数"
    assert names["staff_actual"] == "财政供养人员情况 · 2023年实际在职人数"
