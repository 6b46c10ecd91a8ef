from django import template

from perfeval.charts import figure_text

register = template.Library()


@register.filter
def figure(value) -> str:
    """A Decimal as the report prints it (24.19, 425), 未填 for a blank."""
    return figure_text(value)
