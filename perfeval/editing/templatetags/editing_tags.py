from django import template
from django.utils.html import format_html, format_html_join

from perfeval.rules.decimals import fmt_amount, fmt_percent

register = template.Library()


@register.simple_tag
def field_input(bound_field):
    """The widget, marked invalid with its Chinese message under it when the field has errors."""
    if bound_field.errors:
        css = bound_field.field.widget.attrs.get("class", "")
        widget = bound_field.as_widget(attrs={"class": f"{css} is-invalid".strip()})
        errors = format_html_join(
            "", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in bound_field.errors)
        )
        return format_html("{}{}", widget, errors)
    return bound_field.as_widget()


@register.filter
def amount(value):
    return "" if value is None else fmt_amount(value)


@register.filter
def pct(value):
    return fmt_percent(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def get_field(form, name):
    return form[name]
