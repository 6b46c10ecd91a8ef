from django import forms, template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from perfeval.editing.findings import place_url
from perfeval.rules.decimals import fmt_amount, fmt_percent

register = template.Library()


def _attrs(attrs: dict) -> str:
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {key}")
        elif value is not False and value is not None:
            parts.append(f' {key}="{conditional_escape(value)}"')
    return "".join(parts)


def render_widget(bound_field, extra_class: str = "") -> str:
    """The widget's HTML, the same as Django's templates produce for the simple widgets of the edit grids.

    A 附件3 with 30 indicators has ~400 inputs; rendering each through the template engine took most of the
    page time, so the plain widgets are written here and anything else falls back to Django.
    """
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(dict(widget.attrs))
    attrs.setdefault("id", bound_field.auto_id)
    if extra_class:
        attrs["class"] = f"{attrs.get('class', '')} {extra_class}".strip()
    name = bound_field.html_name
    value = bound_field.value()
    if isinstance(widget, forms.CheckboxInput):
        checked = widget.check_test(value)
        return mark_safe(f'<input type="checkbox" name="{name}"{_attrs({**attrs, "checked": checked})}>')
    if isinstance(widget, forms.Textarea):
        text = "" if value is None else widget.format_value(value) or ""
        return mark_safe(f'<textarea name="{name}"{_attrs(attrs)}>\n{conditional_escape(text)}</textarea>')
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        selected = "" if value is None else str(value)
        options = "".join(
            f'<option value="{conditional_escape(key)}"{" selected" if str(key) == selected else ""}>'
            f"{conditional_escape(label)}</option>"
            for key, label in widget.choices
        )
        return mark_safe(f'<select name="{name}"{_attrs(attrs)}>{options}</select>')
    if isinstance(widget, (forms.TextInput, forms.HiddenInput, forms.NumberInput)):
        shown = widget.format_value(value)
        value_attr = {} if shown is None else {"value": shown}
        return mark_safe(f'<input type="{widget.input_type}" name="{name}"{_attrs({**value_attr, **attrs})}>')
    return bound_field.as_widget(attrs={"class": attrs["class"]} if extra_class else None)


@register.simple_tag
def field_input(bound_field):
    """The widget, marked invalid with its Chinese message under it when the field has errors."""
    if bound_field.errors:
        errors = format_html_join(
            "", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in bound_field.errors)
        )
        return format_html("{}{}", render_widget(bound_field, "is-invalid"), errors)
    return render_widget(bound_field)


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


@register.simple_tag
def place_link(report, table, row="", column=""):
    """The edit tab and field anchor of a place: ``{% place_link report f.place.table f.place.row f.place.column %}``
    (the submit page's errors, the reviewer's and the department's reasons)."""
    return place_url(report, table, row, column)
