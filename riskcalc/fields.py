"""The field machinery every calculator form is built from: numbers, choices, lists, copies.

A calculator form (``riskcalc/calculators/``) declares its fields with these classes; this
module is the one place that says how a value typed on a page or sent to the API becomes a
``Decimal``, an enum member or a list, and what a bad one is told.

Numbers
    Every numeric field is a :class:`DecimalInputField`: it never produces a float, refuses NaN
    and infinities, takes its bounds from ``LIMITS`` (rendered as HTML ``min``/``max`` with
    ``step="any"`` and ``inputmode="decimal"``) and has two parsing modes, chosen with the
    form's ``strict`` keyword:

    ``strict=True`` (the API): ``.`` is the decimal point, no thousands separators; JSON numbers
    arrive as ``Decimal`` (parse bodies with ``parse_float=Decimal, parse_int=Decimal``).

    ``strict=False`` (pages, the default) reads what people type, by these rules:

    1. Spaces (also no-break and thin spaces) and apostrophes separate thousands.
    2. When both ``.`` and ``,`` occur, the one that comes last is the decimal separator and
       the other separates thousands: ``1,234.5`` and ``1.234,5`` are both 1234.5.
    3. A single ``.`` is the decimal point (the site's own notation): ``1.234`` is 1.234 on an
       English, Chinese or Arabic page. On a page whose language writes a decimal comma and
       groups thousands with dots (Spanish: 20.000), a single dot before exactly three digits
       could be either, so ``1.234`` there is ambiguous and rejected with a message asking for
       ``1234`` or ``1,234``; ``1.5`` is still 1.5.
       Two or more dots separate thousands: ``1.234.567`` is 1234567.
    4. Two or more commas separate thousands: ``1,234,567`` is 1234567.
    5. A single comma is a decimal comma (``1,5``, ``0,005``, ``1234,567``) unless it could also
       be a thousands separator, that is one to three digits (not starting with 0) followed by
       exactly three: ``1,234`` is ambiguous and is rejected with a message asking for
       ``1234`` or ``1.234``. After space grouping (``1 234,5``) a comma is decimal.
    6. Thousands separators must leave groups of exactly three digits (the first may be one to
       three), and only one kind of separator may group the thousands.

    A value whose text differs from its plain notation is echoed in ``form.read_as`` (field
    name -> Decimal), so a page can say "read as 1234.5".

Lists
    Fields that take a list (``post_only_fields``: margin ``tiers``, ADL ``population``) exist
    only with ``lists=True``, for a JSON body. Pages (``strict=False``, ``lists=False``) get the
    ADL population as text instead, under the same name: ``score:quantity`` entries, one per
    line (:class:`PairListTextField`), cleaned to the same list.


Copies
    Django deep-copies every field of a form for each instance. The fields here copy only
    what may change per form (the field and its widget's ``attrs``: :class:`CheapCopyMixin`);
    a form's ``base_fields`` is a :class:`FieldDict`, and forms that are never rendered share
    one set of fields per class and mode (:class:`SharedFields`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from riskcalc.calc.limits import (
    LIMITS,
    SMALLEST_MAGNITUDE,
    Limit,
    range_message,
    too_small_message,
    within,
)
from riskcalc.messages import translated
from riskcalc.templatetags.riskcalc import separators

__all__ = [
    "MAX_NUMBER_LENGTH",
    "STRICT_NUMBER",
    "CharField",
    "CheapCopyMixin",
    "ChoiceField",
    "DecimalInputField",
    "FIELD_LABELS",
    "EnumChoiceField",
    "FieldDict",
    "OPTION_LABELS",
    "ObjectListField",
    "PairListTextField",
    "SharedFields",
    "parse_decimal_localized",
    "parse_decimal_strict",
    "plain",
    "strict_field",
]

MAX_NUMBER_LENGTH = 64
"""Longest text accepted for one number (a 10^12 price with 18 decimals is 31 characters)."""

SMALLEST_EXPONENT = SMALLEST_MAGNITUDE.adjusted()
"""Non-zero numbers below 10^-18 are typing accidents, and would only slow the maths down."""

_NOT_FINITE = re.compile(r"[+-]?(s?nan\w*|inf|infinity)", re.IGNORECASE)
STRICT_NUMBER = r"[+-]?([0-9]+(\.[0-9]+)?|\.[0-9]+)([eE][+-]?[0-9]{1,6})?"
"""API notation for a number (the OpenAPI document publishes it as the inputs' pattern)."""
_STRICT_NUMBER = re.compile(STRICT_NUMBER)
_PLAIN_EXPONENT = re.compile(r"([0-9]+(\.[0-9]+)?|\.[0-9]+)[eE][+-]?[0-9]{1,6}")
_GROUP_SPACES = "\u0020\u00a0\u202f\u2009'\u2019"
_DIGITS = re.compile(r"[0-9]+")
_FIRST_GROUP = re.compile(r"[0-9]{1,3}")
_GROUP = re.compile(r"[0-9]{3}")
_AMBIGUOUS_INTEGER = re.compile(r"[1-9][0-9]{0,2}")

_MESSAGES = {
    "invalid": _("Enter a number, such as 1234.5."),
    "invalid_strict": _('Enter a number with "." as the decimal point, such as 1234.5.'),
    "separators_strict": _(
        'Use "." as the decimal point and no thousands separators, such as 1234.5.'
    ),
    "grouping": _(
        "Thousands separators must split the digits into groups of three, such as 1,234,567.5."
    ),
    "not_finite": _("Enter a finite number (not NaN or infinity)."),
    "too_long": format_lazy(_("Enter at most {count} characters."), count=MAX_NUMBER_LENGTH),
    "type": _('Enter a single number: a JSON number or a string such as "1234.5".'),
    "float": _("Give the number as a decimal string or JSON number, not a binary float."),
}


FIELD_LABELS: Mapping[str, str] = {
    "Account balance": _("Account balance"),
    "Contract": _("Contract"),
    "Contract size": _("Contract size"),
    "Entry price": _("Entry price"),
    "Exchange": _("Exchange"),
    "Exit price": _("Exit price"),
    "Extra margin": _("Extra margin"),
    "Fee rate": _("Fee rate"),
    "Fee rate entry": _("Fee rate entry"),
    "Fee rate exit": _("Fee rate exit"),
    "Funding paid": _("Funding paid"),
    "Leverage": _("Leverage"),
    "Lot step": _("Lot step"),
    "Maintenance amount": _("Maintenance amount"),
    "Maintenance margin rate": _("Maintenance margin rate"),
    "Margin": _("Margin"),
    "Margin mode": _("Margin mode"),
    "Mark price": _("Mark price"),
    "Position margin": _("Position margin"),
    "Position value": _("Position value"),
    "Price": _("Price"),
    "Quantity": _("Quantity"),
    "Risk amount": _("Risk amount"),
    "Risk fraction": _("Risk fraction"),
    "Side": _("Side"),
    "Slippage": _("Slippage"),
    "Stop price": _("Stop price"),
    "Symbol": _("Symbol"),
    "Tick size": _("Tick size"),
    "Wallet balance": _("Wallet balance"),
}
"""A form field's label in the reader's language, by the English label Django makes from the
field's name (``entry_price`` -> "Entry price"). Forms use it where a field gives no label
(:class:`riskcalc.calculators.form.CalculatorForm`)."""


OPTION_LABELS: Mapping[str, str] = {
    "long": _("Long"),
    "short": _("Short"),
    "isolated": _("Isolated"),
    "cross": _("Cross"),
    "linear": _("Linear"),
    "inverse": _("Inverse"),
    "mark": _("Mark"),
    "entry": _("Entry"),
}
"""The shown text of a core enum's choices by value, in the reader's language (exchange
names, the ADL rules' choices, are proper nouns and stay)."""


def _invalid(code: str, message: str | None = None) -> ValidationError:
    return ValidationError(message or _MESSAGES[code], code=code)


def plain(value: Decimal) -> str:
    """A decimal as a JSON string: plain notation, no trailing zeros, never ``-0``.

    Formatting only (no arithmetic), so no digit is lost to a context's precision however
    large or small the value.

    >>> plain(Decimal("19700.000")), plain(Decimal("1.000E+5")), plain(Decimal("-0.0"))
    ('19700', '100000', '0')
    >>> plain(Decimal("8.1E+32")), plain(Decimal("1.2345678901234567890123456789012345"))
    ('810000000000000000000000000000000', '1.2345678901234567890123456789012345')
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _check_text(text: str) -> str:
    stripped = text.strip().replace("\u2212", "-")
    if len(stripped) > MAX_NUMBER_LENGTH:
        raise _invalid("too_long")
    if _NOT_FINITE.fullmatch(stripped):
        raise _invalid("not_finite")
    return stripped


def parse_decimal_strict(text: str) -> Decimal:
    """Parse API notation: ``.`` as decimal point, optional sign and exponent, nothing else.

    >>> parse_decimal_strict(" 19700.5 "), parse_decimal_strict("1e-3")
    (Decimal('19700.5'), Decimal('0.001'))
    >>> parse_decimal_strict("1,5")
    Traceback (most recent call last):
    ...
    django.core.exceptions.ValidationError: ['Use "." as the decimal point and no thousands separators, such as 1234.5.']
    """
    stripped = _check_text(text)
    if not _STRICT_NUMBER.fullmatch(stripped):
        if any(ch in stripped for ch in "," + _GROUP_SPACES):
            raise _invalid("separators_strict")
        raise _invalid("invalid_strict")
    return Decimal(stripped)


def parse_decimal_localized(text: str) -> Decimal:
    """Parse what people type, by the rules in this module's docstring.

    >>> [parse_decimal_localized(t) for t in ("1,234.5", "1.234,5", "1 234,5", "0,005")]
    [Decimal('1234.5'), Decimal('1234.5'), Decimal('1234.5'), Decimal('0.005')]
    >>> parse_decimal_localized("1,234")
    Traceback (most recent call last):
    ...
    django.core.exceptions.ValidationError: ['"1,234" could mean 1234 or 1.234: type 1234 or 1.234 (a point for decimals).']
    """
    stripped = _check_text(text)
    sign = ""
    if stripped[:1] in "+-":
        sign, stripped = ("-" if stripped[0] == "-" else ""), stripped[1:].lstrip()
    if not stripped:
        raise _invalid("invalid")
    if _PLAIN_EXPONENT.fullmatch(stripped):
        return Decimal(sign + stripped)
    spaced = any(ch in _GROUP_SPACES for ch in stripped)
    for ch in _GROUP_SPACES:
        stripped = stripped.replace(ch, " ")
    dots, commas = stripped.count("."), stripped.count(",")
    decimal_mark: str | None = None
    group_mark: str | None = " " if spaced else None
    if dots and commas:
        decimal_mark = "." if stripped.rfind(".") > stripped.rfind(",") else ","
        other = "," if decimal_mark == "." else "."
        if spaced or stripped.count(decimal_mark) != 1:
            raise _invalid("grouping")
        group_mark = other
    elif commas == 1:
        integer, _, fraction = stripped.partition(",")
        if not spaced and _GROUP.fullmatch(fraction) and _AMBIGUOUS_INTEGER.fullmatch(integer):
            grouped, decimal = integer + fraction, f"{integer}.{fraction}"
            raise ValidationError(
                gettext(
                    '"{text}" could mean {grouped} or {decimal}: type {grouped} or {decimal} '
                    "(a point for decimals)."
                ).format(text=text.strip(), grouped=sign + grouped, decimal=sign + decimal),
                code="ambiguous",
            )
        decimal_mark = ","
    elif commas > 1:
        if spaced:
            raise _invalid("grouping")
        group_mark = ","
    elif dots == 1:
        integer, _, fraction = stripped.partition(".")
        if (
            separators() == (".", ",")
            and not spaced
            and _GROUP.fullmatch(fraction)
            and _AMBIGUOUS_INTEGER.fullmatch(integer)
        ):
            raise ValidationError(
                gettext(
                    '"{text}" could mean {grouped} or {decimal}: type {grouped}, or {decimal} '
                    "with a decimal comma."
                ).format(
                    text=text.strip(),
                    grouped=sign + integer + fraction,
                    decimal=f"{sign}{integer},{fraction}",
                ),
                code="ambiguous",
            )
        decimal_mark = "."
    elif dots > 1:
        if spaced:
            raise _invalid("grouping")
        group_mark = "."
    integer, fraction = stripped, ""
    if decimal_mark is not None:
        integer, _, fraction = stripped.partition(decimal_mark)
        if not _DIGITS.fullmatch(fraction):
            raise _invalid("invalid")
    if group_mark is not None and group_mark in integer:
        groups = integer.split(group_mark)
        if not _FIRST_GROUP.fullmatch(groups[0]) or not all(
            _GROUP.fullmatch(g) for g in groups[1:]
        ):
            raise _invalid("grouping")
        integer = "".join(groups)
    if integer and not _DIGITS.fullmatch(integer):
        raise _invalid("invalid")
    if not integer and not fraction:
        raise _invalid("invalid")
    return Decimal(f"{sign}{integer or '0'}{'.' + fraction if fraction else ''}")


class CheapCopyMixin:
    """Copy a field per form without deep-copying what never changes per form.

    Django deep-copies every field each time a form is built; for these fields the choices,
    validators and messages are fixed at class definition, so only the field and its widget's
    ``attrs`` are copied (a third of the API's time per request went to deep copies).
    """

    widget: forms.Widget

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        # object.__new__ + __dict__ is copy.copy without its __reduce_ex__ round trip.
        result = object.__new__(type(self))
        memo[id(self)] = result
        widget = object.__new__(type(self.widget))
        widget.__dict__.update(self.widget.__dict__, attrs=self.widget.attrs.copy())
        result.__dict__.update(self.__dict__, widget=widget)
        return result


class DecimalInputField(CheapCopyMixin, forms.Field):
    """A number as :class:`~decimal.Decimal`, bounded by ``limit``.

    ``limit`` names the ``LIMITS`` entry that bounds it (the core checks the same entry).
    ``default`` is used when the field is left empty and is not required. The form sets
    ``strict`` on its fields (see the module docstring).
    """

    widget = forms.TextInput
    default_error_messages: ClassVar[dict[str, Any]] = {
        "required": _("This field is required."),
    }

    def __init__(self, *, limit: str, default: Decimal | None = None, **kwargs: Any) -> None:
        self.limit_name = limit
        self._limit = LIMITS[limit]
        self.default = default
        self.strict = False
        kwargs.setdefault("required", False)
        if default is not None:
            kwargs.setdefault("initial", default)
        super().__init__(**kwargs)

    @property
    def limit(self) -> Limit:
        return self._limit

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        limit = self.limit
        attrs.update(
            {
                "inputmode": "decimal",
                "step": "any",
                "min": plain(limit.minimum),
                "max": plain(limit.maximum),
                "autocomplete": "off",
            }
        )
        return attrs

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise _invalid("type")
        if isinstance(value, float):
            raise _invalid("float")
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, Decimal):
            if not value.is_finite():
                raise _invalid("not_finite")
            number = value
        elif isinstance(value, str):
            number = parse_decimal_strict(value) if self.strict else parse_decimal_localized(value)
        else:
            raise _invalid("type")
        if number == 0:
            return abs(number)  # "-0" is 0
        if number.adjusted() < SMALLEST_EXPONENT:
            # Name the range this field really takes (0 only where 0 is allowed).
            limit = self.limit
            tell = too_small_message if within(limit, number) else range_message
            raise ValidationError(translated(tell(limit, self.label)), code="too_small")
        return number

    def validate(self, value: Decimal | None) -> None:
        # Django's Field.validate tests ``value in EMPTY_VALUES``, comparing a Decimal with
        # [], () and {} through the numbers ABCs: a third of a field's cleaning time.
        if value is None:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        limit = self.limit
        if not within(limit, value):
            code = "max_value" if value > limit.maximum else "min_value"
            message = translated(range_message(limit, self.label))
            raise ValidationError(message, code=code)

    def clean(self, value: Any) -> Decimal | None:
        if not self.required and (value is None or value == ""):
            return self.default  # most optional fields are left empty: skip the validators
        number = self.to_python(value)
        self.validate(number)
        if self.validators and number is not None:
            self.run_validators(number)
        return self.default if number is None else number


class EnumChoiceField(CheapCopyMixin, forms.TypedChoiceField):
    """Choice of a core ``StrEnum``; the cleaned value is the enum member (or ``default``)."""

    def __init__(
        self,
        enum: type[StrEnum],
        *,
        default: StrEnum | None = None,
        labels: Mapping[str, str] | None = None,
        **kwargs: Any,
    ):
        self.enum = enum
        self.default = default
        kwargs.setdefault("required", default is None)
        shown = labels or {}
        # A choice given a name of its own (an ADL rule by its exchange: BitMEX, not the key
        # bitmex) is listed by that name; the others by their values, which are words (long,
        # short, linear) and what the API takes.
        options = ", ".join(shown.get(member.value, member.value) for member in enum)
        super().__init__(
            choices=[
                (
                    m.value,
                    shown.get(m.value)
                    or OPTION_LABELS.get(m.value)
                    or m.value.replace("_", " ").capitalize(),
                )
                for m in enum
            ],
            coerce=enum,
            empty_value=default,
            initial=default.value if default is not None else None,
            error_messages={
                "invalid_choice": format_lazy(_("Choose one of: {options}."), options=options)
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> str:
        if not isinstance(value, str) and value is not None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ChoiceField(CheapCopyMixin, forms.ChoiceField):
    """A ``ChoiceField`` with fixed choices (copied cheaply per form)."""


class CharField(CheapCopyMixin, forms.CharField):
    """A ``CharField`` copied cheaply per form."""


class FieldDict(dict[str, forms.Field]):
    """A form's ``base_fields``, deep-copied field by field (names are not copied).

    Django deep-copies ``base_fields`` for every form instance; ``copy.deepcopy`` of a plain
    dict also visits every key and goes through its dispatch machinery per value.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


class SharedFields(dict[str, forms.Field]):
    """The fields of every unrendered form of one class and mode, copied once.

    Django copies a form's fields per instance because rendering may change a field's widget
    (crispy adds classes to ``widget.attrs``). Strict (API) forms are never rendered, nor are
    the fields of a page form bound for an htmx result partial (``shared_fields=True``), and
    cleaning changes no field, so they share one set: "copying" it is a dict copy, which
    saves most of a form's construction (``benchmarks/README.md``, "API throughput").
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


class ObjectListField(CheapCopyMixin, forms.Field):
    """A JSON list of objects whose members are numbers (``items``: key -> number field).

    Each object must have every key whose field is required and no other key. The cleaned
    value is a list of ``{key: Decimal | None}`` dicts. Errors name the item and key.
    """

    widget = forms.HiddenInput

    def __init__(
        self, *, items: Mapping[str, DecimalInputField], max_items: int, **kwargs: Any
    ) -> None:
        self.items = items
        self.max_items = max_items
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[dict[str, Decimal | None]] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            raise ValidationError(_("Give a JSON list of objects."), code="invalid")
        if not value:
            raise ValidationError(_("Give at least one item."), code="invalid")
        if len(value) > self.max_items:
            raise ValidationError(
                gettext("Give at most {count} items.").format(count=self.max_items),
                code="invalid",
            )
        keys = ", ".join(self.items)
        cleaned = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                raise ValidationError(
                    gettext("Item {number}: give an object with {keys}.").format(
                        number=number, keys=keys
                    ),
                    code="invalid",
                )
            unknown = sorted(str(k) for k in item if k not in self.items)
            if unknown:
                raise ValidationError(
                    gettext("Item {number}: unknown key {unknown} (known: {keys}).").format(
                        number=number, unknown=", ".join(unknown), keys=keys
                    ),
                    code="invalid",
                )
            row: dict[str, Decimal | None] = {}
            for key, field in self.items.items():
                try:
                    row[key] = field.clean(item.get(key))
                except ValidationError as error:
                    raise ValidationError(
                        gettext("Item {number}, {key}: {problem}").format(
                            number=number, key=key, problem=" ".join(error.messages)
                        ),
                        code="invalid",
                    ) from None
            cleaned.append(row)
        return cleaned


def strict_field(field: DecimalInputField) -> DecimalInputField:
    field.strict = True
    return field


class PairListTextField(CheapCopyMixin, forms.CharField):
    """The page's text form of a two-number :class:`ObjectListField`: ``a:b`` entries.

    Entries are separated by new lines, ``;`` or ``,``; inside an entry the two numbers are
    separated by ``:`` (or spaces, as pasted from a spreadsheet). Numbers use ``.`` for
    decimals (the comma separates entries). The cleaned value is the list field's: a list of
    ``{key: Decimal}`` dicts, so ``calculate()`` reads either. Errors name the entry.
    """

    widget = forms.Textarea

    def __init__(
        self,
        *,
        items: Mapping[str, DecimalInputField],
        max_items: int,
        example: str,
        **kwargs: Any,
    ) -> None:
        if len(items) != 2:
            raise ValueError("A pair list has exactly two numbers per entry.")
        self.items = items
        self.max_items = max_items
        self.example = example
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"rows": "4", "spellcheck": "false", "autocomplete": "off"})
        return attrs

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        entries = [e.strip() for e in re.split(r"[\r\n;,]+", text) if e.strip()]
        if len(entries) > self.max_items:
            raise ValidationError(
                gettext(
                    "Give at most {count} entries here (you gave {given}); the API takes a "
                    "longer list in a JSON POST body."
                ).format(count=self.max_items, given=len(entries)),
                code="max_items",
            )
        keys = list(self.items)
        shape = gettext("{first}:{second}, such as {example}").format(
            first=keys[0], second=keys[1], example=self.example
        )
        cleaned = []
        for number, entry in enumerate(entries, start=1):
            parts = re.split(r"\s*:\s*|\s+", entry)
            if len(parts) != 2:
                raise ValidationError(
                    gettext(
                        'Entry {number} ("{entry}"): write it as {shape} ("." for decimals; '
                        'new lines, ";" or "," between entries).'
                    ).format(number=number, entry=entry[:40], shape=shape),
                    code="invalid",
                )
            row: dict[str, Decimal | None] = {}
            for key, part in zip(keys, parts, strict=True):
                try:
                    row[key] = self.items[key].clean(part)
                except ValidationError as error:
                    raise ValidationError(
                        gettext('Entry {number} ("{entry}"), {key}: {problem}').format(
                            number=number,
                            entry=entry[:40],
                            key=key,
                            problem=" ".join(error.messages),
                        ),
                        code="invalid",
                    ) from None
            cleaned.append(row)
        return cleaned
