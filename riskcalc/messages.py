"""The core's sentences in the reader's language.

The calculator core writes its messages as English templates marked with ``N_`` and their
values (:class:`riskcalc.calc.text.Text`, see there); ``make messages`` collects the templates
into the catalogues. :func:`translated` is the one place they are shown in the active
language: the template from the catalogue, terms translated in turn, figures with the
language's separators (``riskcalc.templatetags.riskcalc.separators``) and lists joined the
way the language joins them. Forms, pages, embeds and the API all go through it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import get_language, gettext

from riskcalc.calc.text import Text, figure, render
from riskcalc.templatetags.riskcalc import separators

__all__ = ["translated"]

# How a list of values is joined: the ideographic enumeration comma in Chinese, the Arabic
# comma in Arabic (CLDR's list patterns for zh and ar), a comma and a space elsewhere.
_LIST_SEPARATORS = {"zh-hans": "、", "ar": "، "}
_FULL_WIDTH_SPACE = re.compile("([。？！；：]) ")


def _number(value: Decimal | int) -> str:
    group, decimal_mark = separators()
    if get_language() == "es" and abs(value) < 10000:
        group = ""  # Spanish groups from five digits on: 1000, 20.000 (locale/es/glossary.csv)
    return figure(value, group, decimal_mark)


def translated(text: Text) -> str:
    """``text`` in the active language (English where the catalogue has no translation).

    >>> from decimal import Decimal
    >>> from django.utils import translation
    >>> from riskcalc.calc.limits import LIMITS, range_message
    >>> with translation.override("es"):
    ...     translated(range_message(LIMITS["entry_price"]))
    '«Precio de entrada» debe ser mayor que 0 y como máximo 1.000.000.000.000.'
    """
    language = get_language() or ""
    shown = render(text, gettext, _number, _LIST_SEPARATORS.get(language, ", "))
    if language == "zh-hans":  # no space after full-width punctuation between sentences
        shown = _FULL_WIDTH_SPACE.sub(r"\1", shown)
    return shown
