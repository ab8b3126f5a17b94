"""A form field's Bootstrap 5 markup, written in Python: what every calculator form, page
and embed renders its fields with (``{{ field|bootstrap_field }}``, riskcalc.templatetags).

The markup is crispy-bootstrap5's ``field.html`` for the widgets the calculator forms use
(text inputs, selects and textareas): a ``div.mb-3`` holding the label (with the required
asterisk), the widget with Bootstrap's classes, ``is-invalid`` and ``aria-invalid`` when the
field has errors, its errors as ``div.invalid-feedback`` and its help as ``div.form-text``,
linked by ``aria-describedby``. ``tests/test_field_html.py`` checks it element by element
against django-crispy-forms' own output for every field of every calculator, empty, filled
and with an error.

Why not crispy on these pages: its ``as_crispy_field`` renders about twenty nested templates
per field plus Django's widget templates; a full liquidation page spent three quarters of
its server time there (issue 14). The same markup built here costs a few microseconds a
field. crispy stays for forms off the hot path (the widget builder).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

__all__ = ["render_field"]

WIDGET_CLASSES = {
    "select": "form-select",
    "textinput": "form-control",
    "textarea": "form-control",
    "numberinput": "form-control",
}
"""Bootstrap's class for each widget, after crispy's own class (the widget's name)."""


def _widget_html(widget: dict[str, Any]) -> SafeString:
    """The widget element from Django's widget context (``widget.get_context()["widget"]``),
    as Django's ``input.html``, ``textarea.html`` and ``select.html`` templates write it."""
    name, attrs = widget["name"], flatatt(widget["attrs"])
    if "optgroups" in widget:
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, attrs, options)
    if widget["template_name"].endswith("textarea.html"):
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', name, attrs, widget["value"] or ""
        )
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        name,
        format_html(' value="{}"', value) if value is not None else "",
        attrs,
    )


def render_field(bound: forms.BoundField) -> SafeString:
    """``bound``'s label, widget, errors and help as crispy-bootstrap5 renders them.

    >>> from django import forms
    >>> class F(forms.Form):
    ...     price = forms.CharField(label="Price", help_text="Per coin.")
    >>> print(render_field(F({"price": ""})["price"]))  # doctest: +NORMALIZE_WHITESPACE
    <div id="div_id_price" class="mb-3"><label for="id_price" class="form-label requiredField">Price<span class="asteriskField">*</span></label><input type="text" name="price" class="textinput form-control is-invalid" required aria-invalid="true" aria-describedby="id_price_helptext id_price_error" id="id_price"><div id="id_price_error" class="invalid-feedback"><p id="error_1_id_price"><strong>This field is required.</strong></p></div><div id="id_price_helptext" class="form-text">Per coin.</div></div>
    """
    field = bound.field
    widget = field.widget
    errors = bound.errors
    kind = type(widget).__name__.lower()
    own = widget.attrs.get("class", "")
    classes = own if kind in own.split() else f"{own} {kind}".strip()
    classes += " " + WIDGET_CLASSES.get(kind, "form-control")
    if errors:
        classes += " is-invalid"
    attrs = {"class": classes, **bound.build_widget_attrs({}, widget)}
    if bound.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound.auto_id
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    label = conditional_escape(bound.label)
    if field.required:
        label_html = format_html(
            '<label for="{}" class="form-label requiredField">{}'
            '<span class="asteriskField">*</span></label>',
            bound.id_for_label,
            label,
        )
    else:
        label_html = format_html(
            '<label for="{}" class="form-label">{}</label>', bound.id_for_label, label
        )
    parts = [label_html, _widget_html(context)]
    if errors:
        parts.append(
            format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                bound.auto_id,
                format_html_join(
                    "",
                    '<p id="error_{}_{}"><strong>{}</strong></p>',
                    ((index, bound.auto_id, error) for index, error in enumerate(errors, 1)),
                ),
            )
        )
    if field.help_text:
        parts.append(
            format_html(
                '<div id="{}_helptext" class="form-text">{}</div>', bound.auto_id, field.help_text
            )
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}</div>', bound.auto_id, mark_safe("".join(parts))
    )
