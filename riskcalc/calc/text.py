"""Sentences the core writes for people, in a form the interfaces can translate.

The core is standard library only, so it cannot call Django's ``gettext``. It writes each
sentence in English as a template with named ``{placeholders}``, marks the template with
:func:`N_` so ``make messages`` collects it into the catalogues (the project's
``makemessages`` adds ``--keyword=N_``), and keeps the values apart in a :class:`Text`. The
English sentence is ``str(text)``; an interface shows ``text`` in the reader's language with
``riskcalc.messages.translated`` (catalogue template, values formatted for the language).

A value is a :class:`Text` (a translatable term, such as a field's name, translated in turn),
a ``Decimal`` or ``int`` (a figure, written with the language's separators), a tuple of
values (joined with commas) or any other object (a symbol, an exchange's name: shown as is).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

__all__ = ["N_", "CalcWarning", "Text", "figure", "render", "sentences_text"]


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues and return it unchanged (translated when shown).

    >>> N_("Leverage must be at least 1x.")
    'Leverage must be at least 1x.'
    """
    return message


_NO_PARAMS: Mapping[str, object] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Text:
    """An English ``template`` marked with :func:`N_` and the values of its placeholders.

    >>> from decimal import Decimal
    >>> str(Text(N_("{label} must be at most {maximum}."),
    ...          {"label": Text(N_("Leverage")), "maximum": Decimal(1000)}))
    'Leverage must be at most 1,000.'
    """

    template: str
    params: Mapping[str, object] = field(default=_NO_PARAMS)

    def __str__(self) -> str:
        return render(self, lambda template: template, figure)


def sentences_text(*sentences: Text) -> Text:
    """Several sentences as one text, each translated on its own and joined by a space.

    >>> str(sentences_text(Text(N_("No table.")), Text(N_("Did you mean {s}?"), {"s": "BTC"})))
    'No table. Did you mean BTC?'
    """
    names = [f"s{index}" for index in range(len(sentences))]
    return Text(" ".join(f"{{{name}}}" for name in names), dict(zip(names, sentences, strict=True)))


def figure(value: Decimal | int, group: str = ",", decimal_mark: str = ".") -> str:
    """Every digit of ``value``, thousands grouped, no trailing zeros: ``1E+12`` is
    ``1,000,000,000,000``; ``group`` and ``decimal_mark`` give another language's marks.

    >>> figure(Decimal("1E+12")), figure(Decimal("0.0050")), figure(Decimal("-1234.5"), ".", ",")
    ('1,000,000,000,000', '0.005', '-1.234,5')
    """
    text = f"{value:,f}" if isinstance(value, Decimal) else f"{value:,d}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if (group, decimal_mark) != (",", "."):
        marks: dict[str, str | int | None] = {",": group, ".": decimal_mark}
        text = text.translate(str.maketrans(marks))
    return text


def render(
    text: Text,
    translate: Callable[[str], str],
    number: Callable[[Decimal | int], str],
    separator: str = ", ",
) -> str:
    """``text`` with its template passed through ``translate`` and its values filled in:
    terms rendered the same way, figures through ``number``, a tuple's items joined with
    ``separator``.

    >>> spanish = {"Choose one of: {options}.": "Elige una opción: {options}.",
    ...            "long": "largo", "short": "corto"}
    >>> render(Text(N_("Choose one of: {options}."),
    ...             {"options": (Text(N_("long")), Text(N_("short")))}), spanish.get, figure)
    'Elige una opción: largo, corto.'
    """
    template = translate(text.template)
    if not text.params:
        return template

    def shown(value: object) -> str:
        if isinstance(value, Text):
            return render(value, translate, number)
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return number(value)
        if isinstance(value, tuple):
            return separator.join(shown(item) for item in value)
        return str(value)

    return template.format_map({name: shown(value) for name, value in text.params.items()})


@dataclass(frozen=True, slots=True)
class CalcWarning:
    """Something the learner should know about a result: a stable ``code`` (the API's and the
    pages' key) and its ``text``, shown in the reader's language; ``message`` is the English.

    >>> warning = CalcWarning.of("tier", N_("In tier {tier}."), tier=3)
    >>> warning.code, warning.message
    ('tier', 'In tier 3.')
    """

    code: str
    text: Text

    @classmethod
    def of(cls, code: str, template: str, **params: object) -> CalcWarning:
        """The warning ``code`` saying ``template`` (marked with :func:`N_`) with ``params``."""
        return cls(code, Text(template, params))

    @property
    def message(self) -> str:
        return str(self.text)
