"""Read a typed answer ("19,700", "19700.00", "1.5%") into a Decimal, and say how it was read.

Students type answers the way they write numbers. This module accepts the common forms and
refuses to guess at the ambiguous ones (peers.md, complaint 8: decimal-comma parsing gives
silent wrong answers):

- thousands separators as commas or spaces in groups of three: ``19,700``, ``19 700.5``;
- a decimal point: ``19700.00``, ``.5``;
- a leading ``+``/``-`` (also the typographic minus ``−``);
- the answer's unit before or after the number: ``19700 USDT``, ``$19,700``, ``0.25 BTC``;
- a ``%`` sign, only when the answer is a percentage; a bare number is then read as percent.

A decimal comma (``19,7``, ``1.234,5``) is refused with a message, never read as thousands.

That is the English convention, which the Chinese and Arabic pages share. A page whose
language writes a decimal comma and groups thousands with dots (Spanish) mirrors it:
``19.700,5``, ``1.234.567``, ``19 700,5`` and ``19,7`` are read, a decimal point (``19.7``)
is refused with a message, and a single separator before exactly three digits (``19.700``,
``19,700``) is refused as ambiguous. Figures are shown (:func:`format_value`) and messages
given in the page's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import get_language_bidi, gettext, ngettext

from riskcalc.templatetags.riskcalc import separators

__all__ = [
    "isolate_figures",
    "rounding_words",
    "MAX_ANSWER_LENGTH",
    "AnswerError",
    "Reading",
    "Unit",
    "format_value",
    "read_answer",
]

MAX_ANSWER_LENGTH = 40


class Unit(StrEnum):
    """What an answer is measured in. Money and prices are in USDT (linear contracts)."""

    USDT = "usdt"
    BTC = "btc"
    PERCENT = "percent"
    NUMBER = "number"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def aliases(self) -> tuple[str, ...]:
        return _ALIASES[self]


_LABELS = {Unit.USDT: "USDT", Unit.BTC: "BTC", Unit.PERCENT: "%", Unit.NUMBER: ""}
_ALIASES: dict[Unit, tuple[str, ...]] = {
    Unit.USDT: ("usdt", "usd", "$"),
    Unit.BTC: ("btc",),
    Unit.PERCENT: (),
    Unit.NUMBER: (),
}
_ALL_UNIT_WORDS = ("usdt", "usd", "$", "btc", "%")

_PLAIN = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")
_COMMA_GROUPS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SPACE_GROUPS = re.compile(r"^\d{1,3}(?: \d{3})+(?:\.\d+)?$")
# With a decimal comma (Spanish): 19,7 · 19.700,5 · 1.234.567 · 19 700,5; and the ambiguous
# 19.700 or 19,700 (one separator before exactly three digits, after one to three).
_PLAIN_COMMA = re.compile(r"^\d+(?:,\d+)?$|^,\d+$")
_DOT_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$|^\d{1,3}(?:\.\d{3}){2,}$")
_SPACE_GROUPS_COMMA = re.compile(r"^\d{1,3}(?: \d{3})+(?:,\d+)?$")
_SINGLE_SEPARATOR = re.compile(r"^[1-9]\d{0,2}([.,])\d{3}$")


class AnswerError(ValueError):
    """The text could not be read as an answer; ``message`` tells the student what to change."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """How an answer was read: its value in the answer's unit, and a sentence saying so."""

    value: Decimal
    unit: Unit
    note: str

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit)


# A figure with its sign and unit: −1,234.5 USDT · ±0.01 % · 20× · 1/20 · 0.25 BTC.
_FIGURE = re.compile(r"[−+±-]?\d[\d,./]*(?:[ \u00a0](?:USDT|BTC|%)|%|×)?")
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def isolate_figures(text: str) -> str:
    """``text`` with each figure (and its unit) kept left to right on a right-to-left page:
    inside Arabic prose "60,700 USDT" would otherwise show as "USDT 60,700". Unchanged in a
    left-to-right language.

    >>> from django.utils import translation
    >>> with translation.override("ar"):
    ...     isolate_figures("عند 60,700 USDT برافعة 20×")
    'عند \u206660,700 USDT\u2069 برافعة \u206620×\u2069'
    >>> isolate_figures("at 60,700 USDT")
    'at 60,700 USDT'
    """
    if not get_language_bidi():
        return text
    return _FIGURE.sub(lambda match: f"\u2066{match.group(0)}\u2069", text)


def rounding_words(unit: Unit, places: int) -> str:
    """How far to round, in the words a student reads on paper, with the decimal places.

    >>> rounding_words(Unit.USDT, 2)
    'to the nearest cent (2 decimal places)'
    >>> rounding_words(Unit.USDT, 0)
    'to the nearest whole USDT'
    >>> rounding_words(Unit.PERCENT, 0)
    'to the nearest whole percent'
    >>> rounding_words(Unit.PERCENT, 2)
    'to the nearest hundredth of a percent (2 decimal places)'
    >>> rounding_words(Unit.BTC, 4)
    'to 4 decimal places'
    >>> rounding_words(Unit.NUMBER, 1)
    'to the nearest tenth (1 decimal place)'
    """
    if places == 0:
        if unit is Unit.PERCENT:
            return gettext("to the nearest whole percent")
        if unit.label:
            return gettext("to the nearest whole %(unit)s") % {"unit": unit.label}
        return gettext("to the nearest whole number")
    if unit is Unit.USDT and places == 2:
        return gettext("to the nearest cent (2 decimal places)")
    count = ngettext("%(places)s decimal place", "%(places)s decimal places", places) % {
        "places": places
    }
    if places > 3 or unit is Unit.BTC:
        return gettext("to %(count)s") % {"count": count}
    if unit is Unit.PERCENT:
        named = {
            1: gettext("to the nearest tenth of a percent (%(count)s)"),
            2: gettext("to the nearest hundredth of a percent (%(count)s)"),
            3: gettext("to the nearest thousandth of a percent (%(count)s)"),
        }
    else:
        named = {
            1: gettext("to the nearest tenth (%(count)s)"),
            2: gettext("to the nearest hundredth (%(count)s)"),
            3: gettext("to the nearest thousandth (%(count)s)"),
        }
    return named[places] % {"count": count}


def format_value(value: Decimal, unit: Unit, places: int | None = None) -> str:
    """``19,700.5 USDT``, ``-1.5 %``, ``0.25 BTC``: grouped digits, the unit after, with the
    page language's separators (``19.700,5 USDT`` in Spanish).

    With ``places`` the value is rounded half-up to that many decimals first (display only).

    >>> format_value(Decimal("19700.50"), Unit.USDT)
    '19,700.5 USDT'
    >>> format_value(Decimal("-1.5"), Unit.PERCENT)
    '−1.5 %'
    >>> format_value(Decimal("2.34567"), Unit.BTC, places=4)
    '2.3457 BTC'
    """
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole = value == value.to_integral_value()
    value = value.quantize(Decimal(1)) if whole else value.normalize()
    text = f"{abs(value):,f}"
    group, decimal_mark = separators()
    if (group, decimal_mark) != (",", "."):
        text = text.translate(str.maketrans({",": group, ".": decimal_mark}))
    sign = "−" if value < 0 else ""
    label = unit.label
    return f"{sign}{text} {label}" if label else f"{sign}{text}"


def _strip_unit(text: str, unit: Unit) -> str:
    lowered = text.lower()
    for alias in sorted(unit.aliases, key=len, reverse=True):
        if lowered.endswith(alias):
            return text[: -len(alias)].strip()
        if lowered.startswith(alias):
            return text[len(alias) :].strip()
        # "-$5" and "+$5": the sign before the currency symbol.
        if lowered[:1] in "+-" and lowered[1:].startswith(alias):
            return (text[0] + text[1 + len(alias) :]).strip()
    return text


def _what(unit: Unit) -> str:
    if unit.label:
        return gettext("in %(unit)s") % {"unit": unit.label}
    return gettext("a plain number")


def _digits(body: str) -> str:
    """The digits of ``body`` with a ``.`` decimal point, by the page language's convention
    (this module's docstring); raise :class:`AnswerError` when they cannot be read safely."""
    group, decimal_mark = separators()
    if decimal_mark == ".":
        if _PLAIN.match(body):
            return body
        if _COMMA_GROUPS.match(body):
            return body.replace(",", "")
        if _SPACE_GROUPS.match(body):
            return body.replace(" ", "")
        if "," in body:
            raise AnswerError(
                gettext(
                    "Use a point for decimals (19.7) and commas only between groups of three "
                    "digits (19,700)."
                )
            )
        raise AnswerError(
            gettext("Type only a number (digits, one decimal point, an optional sign).")
        )
    # A decimal comma, thousands grouped with dots or spaces (Spanish).
    single = _SINGLE_SEPARATOR.match(body)
    if single and single.group(1) in ".,":
        integer, fraction = body.split(single.group(1))
        raise AnswerError(
            gettext(
                "“%(typed)s” could mean %(whole)s or %(decimal)s: type %(whole)s, or "
                "%(decimal)s with a decimal comma."
            )
            % {"typed": body, "whole": integer + fraction, "decimal": f"{integer},{fraction}"}
        )
    if _PLAIN_COMMA.match(body):
        return body.replace(",", ".")
    if _DOT_GROUPS.match(body):
        return body.replace(".", "").replace(",", ".")
    if _SPACE_GROUPS_COMMA.match(body):
        return body.replace(" ", "").replace(",", ".")
    if "." in body:
        raise AnswerError(
            gettext(
                "Use a comma for decimals (19,7) and dots only between groups of three digits "
                "(19.700,5)."
            )
        )
    raise AnswerError(gettext("Type only a number (digits, one decimal comma, an optional sign)."))


def read_answer(text: str, unit: Unit) -> Reading:
    """Read ``text`` as a number in ``unit``; raise :class:`AnswerError` if it cannot be.

    >>> read_answer("19,700", Unit.USDT).value
    Decimal('19700')
    >>> read_answer("1.5%", Unit.PERCENT).note
    'Read as 1.5 %.'
    >>> read_answer("1.5", Unit.PERCENT).note
    'Read as 1.5 % (this answer is in percent, so a number without % counts as percent).'
    >>> read_answer("19,7", Unit.USDT)
    Traceback (most recent call last):
    ...
    riskcalc.classroom.answers.AnswerError: Use a point for decimals (19.7) and commas only between groups of three digits (19,700).
    >>> from django.utils import translation
    >>> with translation.override("es"):
    ...     read_answer("19.700,5", Unit.USDT).value, read_answer("19,7", Unit.USDT).value
    (Decimal('19700.5'), Decimal('19.7'))
    """
    raw = " ".join(
        text.translate(_ISOLATES)
        .replace("\u2212", "-")
        .replace("\u00a0", " ")
        .replace("\u2009", " ")
        .split()
    )
    if not raw:
        raise AnswerError(gettext("Type a number, for example 19700 or 19,700.50."))
    if len(raw) > MAX_ANSWER_LENGTH:
        raise AnswerError(
            gettext("That is too long for a number (at most %(count)s characters).")
            % {"count": MAX_ANSWER_LENGTH}
        )
    body = raw
    had_percent = False
    if body.endswith("%"):
        if unit is not Unit.PERCENT:
            raise AnswerError(
                gettext("This answer is %(what)s, not a percentage: leave out the %% sign.")
                % {"what": _what(unit)}
            )
        had_percent = True
        body = body[:-1].strip()
    body = _strip_unit(body, unit)
    lowered = body.lower()
    for word in _ALL_UNIT_WORDS:
        if word in lowered:
            raise AnswerError(
                gettext("This answer is %(what)s; leave out “%(word)s”.")
                % {"what": _what(unit), "word": word.upper()}
            )
    sign = ""
    if body[:1] in "+-":
        sign, body = ("-" if body[0] == "-" else ""), body[1:].strip()
    digits = _digits(body)
    try:
        value = Decimal(sign + digits)
    except InvalidOperation:  # pragma: no cover - the patterns above only pass valid numbers
        raise AnswerError(gettext("Type only a number.")) from None
    if value == 0:
        value = abs(value)
    shown = format_value(value, unit)
    if unit is Unit.PERCENT and not had_percent:
        note = gettext(
            "Read as %(value)s (this answer is in percent, so a number without %% counts as "
            "percent)."
        ) % {"value": shown}
    else:
        note = gettext("Read as %(value)s.") % {"value": shown}
    return Reading(value=value, unit=unit, note=isolate_figures(note))
