"""The calculator core's sentences in templates, in the page's language.

``{% load core_text %}`` gives ``said``, a core :class:`~riskcalc.calc.text.Text`, and
``warning_text``, a result's warning (:class:`~riskcalc.calc.text.CalcWarning`), through
:func:`riskcalc.messages.translated`, the one place the core's sentences are translated. (A library of its own: ``riskcalc.messages`` reads
the number separators from the ``riskcalc`` library, which therefore cannot import it.)
"""

from __future__ import annotations

from django import template

from riskcalc.calc.text import CalcWarning, Text
from riskcalc.messages import translated

register = template.Library()


@register.filter
def warning_text(warning: CalcWarning) -> str:
    """A result's warning in the active language."""
    return translated(warning.text)


@register.filter
def said(text: Text) -> str:
    """A sentence of the core (a compared exchange's note, why the figures differ) in the
    active language."""
    return translated(text)
