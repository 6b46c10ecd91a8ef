from django import template
from django.urls import reverse

from perfeval.charts import figure_text
from perfeval.rules.catalogue import DEPARTMENT_FILING, FILING_KIND_LABELS

register = template.Library()


@register.filter
def figure(value) -> str:
    """A Decimal as the report prints it (24.19, 425), 未填 for a blank."""
    return figure_text(value)


@register.filter
def public_url(row) -> str:
    """The public page of a PublishedFigures row (a model or its values()): a project-only filing's carries
    its kind."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    kwargs = {"department_code": get("department_code"), "year": get("year")}
    kind = get("kind") or DEPARTMENT_FILING
    if kind == DEPARTMENT_FILING:
        return reverse("publishing:public_report", kwargs=kwargs)
    return reverse("publishing:public_report_kind", kwargs={**kwargs, "kind": kind})


@register.filter
def kind_label(kind) -> str:
    return FILING_KIND_LABELS.get(kind or DEPARTMENT_FILING, "")
