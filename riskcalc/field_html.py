"""A form field's Bootstrap 5 markup, written in Python: what every calculator form, page
and embed renders its fields with (``{{ field|bootstrap_field }}``, riskcalc.templatetags).

The markup is crispy-bootstrap5's ``field.html`` for the widgets the calculator forms use
(text inputs, selects and textareas): a ``div.mb-3`` holding the label (with the required
asterisk), the widget with Bootstrap's classes, ``is-invalid`` and ``aria-invalid`` when the
field has errors (``is-needed``, ``aria-required`` and the asterisk when a calculator form
lists it as still needed: ``CalculatorForm.hold_missing``), its errors as ``div.invalid-feedback`` and its help as ``div.form-text``,
linked by ``aria-describedby``. ``tests/test_field_html.py`` checks it element by element
against django-crispy-forms' own output for every field of every calculator, empty, filled
and with an error.

Why not crispy on these pages: its ``as_crispy_field`` renders about twenty nested templates
per field plus Django's widget templates; a full liquidation page spent three quarters of
its server time there (issue 14). The same markup built here costs some 20 to 40 µs a field,
most of it Django's widget context and the translated label and help; the escaping and
attributes are written directly (:func:`_text`, :func:`_attrs`: the same output as Django's
``format_html`` and ``flatatt``, which cost three times as much). crispy stays for forms off
the hot path (the widget builder).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

__all__ = ["render_field"]

WIDGET_CLASSES = {
    "select": "form-select",
    "textinput": "form-control",
    "textarea": "form-control",
    "numberinput": "form-control",
}
"""Bootstrap's class for each widget, after crispy's own class (the widget's name)."""


def _text(value: object) -> str:
    """``value`` escaped for HTML unless it is already safe: Django's ``conditional_escape``
    (same output), without the lazy-argument check Django wraps ``escape`` in, which cost
    more than the escaping itself at some thirty calls a field."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``flatatt``, same output: ``key="value"`` pairs, then the attributes that are
    ``True`` by name, each group in name order; ``False`` and ``None`` are left out."""
    pairs = [
        f' {_text(name)}="{_text(value)}"'
        for name, value in sorted(attrs.items(), key=lambda item: item[0])
        if not isinstance(value, bool) and value is not None
    ]
    flags = [f" {_text(name)}" for name in sorted(attrs) if attrs[name] is True]
    return "".join(pairs + flags)


def _widget_html(widget: dict[str, Any]) -> str:
    """The widget element from Django's widget context (``widget.get_context()["widget"]``),
    as Django's ``input.html``, ``textarea.html`` and ``select.html`` templates write it."""
    name, attrs = _text(widget["name"]), _attrs(widget["attrs"])
    if "optgroups" in widget:
        options = "".join(
            f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
            f"{_text(option['label'])}</option>"
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        )
        return f'<select name="{name}"{attrs}>{options}</select>'
    if widget["template_name"].endswith("textarea.html"):
        return f'<textarea name="{name}"{attrs}>\n{_text(widget["value"] or "")}</textarea>'
    value = widget["value"]
    shown = f' value="{_text(value)}"' if value is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{name}"{shown}{attrs}>'


def render_field(bound: forms.BoundField) -> SafeString:
    """``bound``'s label, widget, errors and help as crispy-bootstrap5 renders them.

    >>> from django import forms
    >>> class F(forms.Form):
    ...     price = forms.CharField(label="Price", help_text="Per coin.")
    >>> print(render_field(F({"price": ""})["price"]))  # doctest: +NORMALIZE_WHITESPACE
    <div id="div_id_price" class="mb-3"><label for="id_price" class="form-label requiredField">Price<span class="asteriskField">*</span></label><input type="text" name="price" aria-describedby="id_price_helptext id_price_error" aria-invalid="true" class="textinput form-control is-invalid" id="id_price" required><div id="id_price_error" class="invalid-feedback"><p id="error_1_id_price"><strong>This field is required.</strong></p></div><div id="id_price_helptext" class="form-text">Per coin.</div></div>
    """
    field = bound.field
    widget = field.widget
    errors = bound.errors
    kind = type(widget).__name__.lower()
    own = widget.attrs.get("class", "")
    classes = own if kind in own.split() else f"{own} {kind}".strip()
    classes += " " + WIDGET_CLASSES.get(kind, "form-control")
    # A calculator form's input still missing on a page or widget (form.needed): marked
    # required, to assistive technology too, but not invalid.
    needed = bound.name in getattr(bound.form, "needed", ())
    if errors:
        classes += " is-invalid"
    elif needed:
        classes += " is-needed"
    attrs = {"class": classes, **bound.build_widget_attrs({}, widget)}
    if needed:
        attrs["aria-required"] = "true"
    auto_id = _text(bound.auto_id)
    if bound.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound.auto_id
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    required = " requiredField" if field.required or needed else ""
    asterisk = '<span class="asteriskField">*</span>' if field.required or needed else ""
    parts = [
        f'<div id="div_{auto_id}" class="mb-3">'
        f'<label for="{_text(bound.id_for_label)}" class="form-label{required}">'
        f"{_text(bound.label)}{asterisk}</label>",
        _widget_html(context),
    ]
    if errors:
        parts.append(f'<div id="{auto_id}_error" class="invalid-feedback">')
        parts.extend(
            f'<p id="error_{index}_{auto_id}"><strong>{_text(error)}</strong></p>'
            for index, error in enumerate(errors, 1)
        )
        parts.append("</div>")
    if field.help_text:
        parts.append(
            f'<div id="{auto_id}_helptext" class="form-text">{_text(field.help_text)}</div>'
        )
    parts.append("</div>")
    return mark_safe("".join(parts))  # every value above escaped by _text
