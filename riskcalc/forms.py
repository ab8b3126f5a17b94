"""One Django form per calculator: the only place user input is parsed.

Pages, htmx partials, embeds and the JSON API all bind the same form. A form does *shape*
(required, parseable, inside :data:`riskcalc.calc.limits.LIMITS`); the calculator core does
*invariants* and raises :class:`~riskcalc.calc.errors.InputError`, which ``clean()`` maps onto
the field it names. After ``is_valid()`` a valid form carries the core's result object in
``form.result`` and the values actually used (defaults and exchange presets applied) in
``form.inputs``.

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
    3. A single ``.`` is always the decimal point (the site's own notation): ``1.234`` is 1.234.
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

Exchange presets (liquidation and margin forms)
    With ``exchange`` (and ``symbol``) the profile and its dated tier table fill in what the
    user left empty. Precedence, highest first: (1) a value the user typed; (2) the symbol's
    tier table (maintenance rate, deduction and leverage cap of the tier the notional falls
    in; the confirmed leverage cap for symbols without a table); (3) the exchange profile's
    conventions (MM basis, where the fee counts, inverse contract size); (4) the generic
    defaults (mark basis, fee 0, contract size 1). Field names in ``form.preset_fields`` were
    filled from the profile or its table.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from riskcalc.calc.adl import AdlExposure, AdlMethod, AdlPeer, AdlPosition, adl_exposure
from riskcalc.calc.errors import CROSS_FIELD, InputError
from riskcalc.calc.limits import LIMITS, Limit
from riskcalc.calc.liquidation import (
    CalcWarning,
    LiquidationInput,
    LiquidationResult,
    liquidation_price,
)
from riskcalc.calc.margin import (
    MaintenanceMargin,
    MaxOpen,
    check_leverage,
    initial_margin,
    maintenance_margin,
    margin_ratio,
    max_open_quantity,
)
from riskcalc.calc.pnl import net_pnl, pnl_ratio, roe, target_price_for_roe
from riskcalc.calc.position_size import PositionSizeInput, PositionSizeResult, position_size
from riskcalc.calc.profiles import (
    ClaimStatus,
    ExchangeProfile,
    leverage_claims,
    liquidation_switches,
    list_profiles,
    profile,
    resolve_symbol,
    symbols,
    tier_table,
    unknown_symbol_message,
)
from riskcalc.calc.tiers import TierRow, TierTable, custom_tier_table
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side

__all__ = [
    "AdlForm",
    "CalculatorForm",
    "DecimalInputField",
    "LiquidationForm",
    "MarginForm",
    "PnlForm",
    "PositionSizeForm",
    "STRICT_NUMBER",
    "parse_decimal_localized",
    "parse_decimal_strict",
]

MAX_NUMBER_LENGTH = 64
"""Longest text accepted for one number (a 10^12 price with 18 decimals is 31 characters)."""

SMALLEST_EXPONENT = -18
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
    "invalid": "Enter a number, such as 1234.5.",
    "invalid_strict": 'Enter a number with "." as the decimal point, such as 1234.5.',
    "separators_strict": (
        'Use "." as the decimal point and no thousands separators, such as 1234.5.'
    ),
    "grouping": (
        "Thousands separators must split the digits into groups of three, such as 1,234,567.5."
    ),
    "not_finite": "Enter a finite number (not NaN or infinity).",
    "too_long": f"Enter at most {MAX_NUMBER_LENGTH} characters.",
    "too_small": "Enter 0 or a number of at least 0.000000000000000001 in size.",
    "type": 'Enter a single number: a JSON number or a string such as "1234.5".',
    "float": "Give the number as a decimal string or JSON number, not a binary float.",
}


def _invalid(code: str, message: str | None = None) -> ValidationError:
    return ValidationError(message or _MESSAGES[code], code=code)


def _plain(value: Decimal) -> str:
    """Plain notation without exponent or trailing zeros: ``Decimal("1.50E+3")`` -> ``1500``."""
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
                f'"{text.strip()}" could mean {sign}{grouped} or {sign}{decimal}: type '
                f"{sign}{grouped} or {sign}{decimal} (a point for decimals).",
                code="ambiguous",
            )
        decimal_mark = ","
    elif commas > 1:
        if spaced:
            raise _invalid("grouping")
        group_mark = ","
    elif dots == 1:
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


DEFAULT_VOLATILITY = Decimal("0.6")
"""Annual volatility assumed for the model chance of liquidation when none is given."""


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
    default_error_messages: ClassVar[dict[str, str]] = {
        "required": "This field is required.",
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
                "min": _plain(limit.minimum),
                "max": _plain(limit.maximum),
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
            raise _invalid("too_small")
        return number

    def validate(self, value: Decimal | None) -> None:
        # Django's Field.validate tests ``value in EMPTY_VALUES``, comparing a Decimal with
        # [], () and {} through the numbers ABCs: a third of a field's cleaning time.
        if value is None:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        limit = self.limit
        label = self.label or limit.label
        low = _plain(limit.minimum)
        if limit.minimum_inclusive and value < limit.minimum:
            raise ValidationError(f"{label} must be at least {low}.", code="min_value")
        if not limit.minimum_inclusive and value <= limit.minimum:
            raise ValidationError(f"{label} must be greater than {low}.", code="min_value")
        if value > limit.maximum:
            raise ValidationError(f"{label} must be at most {limit.maximum:,f}.", code="max_value")

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
        options = ", ".join(member.value for member in enum)
        kwargs.setdefault("required", default is None)
        shown = labels or {}
        super().__init__(
            choices=[
                (m.value, shown.get(m.value) or m.value.replace("_", " ").capitalize())
                for m in enum
            ],
            coerce=enum,
            empty_value=default,
            initial=default.value if default is not None else None,
            error_messages={"invalid_choice": f"Choose one of: {options}."},
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


_EXCHANGE_NAMES = frozenset(p.name for p in list_profiles())


def _exchange_field() -> forms.ChoiceField:
    names = [p.name for p in list_profiles()]
    return ChoiceField(
        required=False,
        choices=[("", "Any (generic)"), *((p.name, p.label) for p in list_profiles())],
        error_messages={"invalid_choice": f"Unknown exchange. Choose one of: {', '.join(names)}."},
        help_text="Exchange profile: its conventions and dated tier tables fill in the fields "
        "you leave empty.",
    )


def _symbol_field() -> forms.CharField:
    return CharField(
        required=False,
        max_length=40,
        # The page's <datalist id="symbol-choices"> lists the chosen exchange's symbols.
        widget=forms.TextInput(attrs={"list": "symbol-choices", "autocomplete": "off"}),
        help_text="Symbol on the exchange (e.g. BTCUSDT); selects the dated tier table.",
    )


def _warning(code: str, message: str) -> CalcWarning:
    return CalcWarning(code=code, message=message)


@dataclass(frozen=True, slots=True)
class Preset:
    """What an exchange (and symbol) contribute to a form: profile, tier table, leverage cap."""

    profile: ExchangeProfile | None
    table: TierTable | None
    leverage_cap: Decimal | None
    leverage_cap_source: str


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


_SHARED_FIELDS: dict[tuple[type[forms.Form], bool, bool], SharedFields] = {}
_CLEAN_HOOKS: dict[type[forms.Form], frozenset[str]] = {}
_PLAIN_VALUE = forms.Widget.value_from_datadict


class CalculatorForm(forms.Form):
    """Shared behaviour: parsing mode, core-error mapping, ``read_as``, crispy helper.

    Subclasses define ``required_fields`` (shown first) and ``advanced_fields`` (grouped),
    ``error_fields`` (core field name -> form field name) and ``calculate()``.
    """

    required_fields: ClassVar[tuple[str, ...]] = ()
    advanced_fields: ClassVar[tuple[str, ...]] = ()
    error_fields: ClassVar[Mapping[str, str]] = {}
    post_only_fields: ClassVar[frozenset[str]] = frozenset()
    """Fields that take a list, so exist only in a JSON body: bind with ``lists=True``."""

    def __init__(
        self,
        *args: Any,
        strict: bool = False,
        lists: bool = False,
        shared_fields: bool = False,
        **kwargs: Any,
    ) -> None:
        """``shared_fields``: this form's fields are never rendered (an htmx request renders
        only the result), so it may use the set shared by such forms (:class:`SharedFields`);
        strict forms always do."""
        cls = type(self)
        if type(cls.__dict__.get("base_fields")) is not FieldDict:
            cls.base_fields = FieldDict(cls.base_fields)
        shared = strict or shared_fields
        if shared:
            # Django's __init__ copies self.base_fields: give it the shared set.
            self.base_fields = self._shared_fields(lists, strict)
        super().__init__(*args, **kwargs)
        self.strict = strict
        if not shared:
            if not lists:
                for name in self.post_only_fields:
                    del self.fields[name]
            for field in self.fields.values():
                if isinstance(field, DecimalInputField):
                    field.strict = False
        self.result: Any = None
        self.inputs: dict[str, Any] = {}
        self.read_as: dict[str, Decimal] = {}
        self.raw_data: dict[str, Any] = {}
        self.preset_fields: set[str] = set()
        self.extra_warnings: list[CalcWarning] = []
        self.profile: ExchangeProfile | None = None
        self.tier_table: TierTable | None = None

    @classmethod
    def _shared_fields(cls, lists: bool, strict: bool = True) -> SharedFields:
        """This class's shared fields for the mode (see :class:`SharedFields`), built on
        first use: exactly the fields ``__init__`` leaves an unshared form of that mode."""
        shared = _SHARED_FIELDS.get((cls, lists, strict))
        if shared is None:
            fields = copy.deepcopy(cls.base_fields)
            for name in () if lists else cls.post_only_fields:
                del fields[name]
            for field in fields.values():
                if isinstance(field, DecimalInputField):
                    field.strict = strict
            shared = _SHARED_FIELDS[cls, lists, strict] = SharedFields(fields)
        return shared

    @property
    def helper(self) -> FormHelper:
        """Crispy helper without a ``<form>`` tag: the template owns the element and hx-*.

        Built on access only, so forms that are not rendered (the API) never pay for it."""
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        names = list(self.fields)
        first = [n for n in self.required_fields if n in self.fields]
        advanced = [n for n in self.advanced_fields if n in self.fields]
        rest = [n for n in names if n not in first and n not in advanced]
        helper.layout = Layout(*first, *rest, Fieldset("Advanced", *advanced))
        return helper

    def __getitem__(self, name: str) -> forms.BoundField:
        """The field's BoundField, as Django's; a name that is not a field raises a bare
        ``KeyError`` at once. Templates read ``form.inputs`` and ``form.tier_table`` a dozen
        times a result, and Django's template engine tries ``form["inputs"]`` before the
        attribute: Django's own message sorts and joins every field name for each such miss
        (about 5 µs each)."""
        if name not in self.fields:
            raise KeyError(name)
        return super().__getitem__(name)

    @property
    def symbol_choices(self) -> tuple[str, ...]:
        """Symbols with a dated tier table on the chosen exchange, for the symbol field's
        suggestions (its ``<datalist>``); none before an exchange is chosen, so no symbol is
        offered that the exchange lacks."""
        exchange = self.data.get("exchange") if "symbol" in self.fields else None
        if not exchange or exchange not in _EXCHANGE_NAMES:
            return ()
        return symbols(exchange)

    def given(self, name: str) -> bool:
        """Whether the user supplied a value for ``name`` (defaults do not count)."""
        raw = self.raw_data.get(name)
        return raw is not None and not (isinstance(raw, str) and not raw.strip())

    def _clean_fields(self) -> None:
        """Django's field loop, without building a BoundField per field.

        The API builds a form per request and BoundFields are only needed for rendering;
        skipping them halves the form's cost. Same semantics as Django's loop: prefixes,
        disabled fields (their initial value), ``clean_<name>()`` hooks, ``add_error``. The
        raw values are kept in ``raw_data``.
        """
        data, raw_data, cleaned = self.data, self.raw_data, self.cleaned_data
        hooks = self._clean_hooks()
        for name, field in self.fields.items():
            if field.disabled:
                value = self.get_initial_for_field(field, name)
            else:
                key = self.add_prefix(name) if self.prefix else name
                widget = field.widget
                if type(widget).value_from_datadict is _PLAIN_VALUE:  # data.get(key)
                    value = data.get(key)
                else:
                    value = widget.value_from_datadict(data, self.files, key)
            raw_data[name] = value
            try:
                cleaned[name] = field.clean(value)
                if name in hooks:
                    cleaned[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)

    @classmethod
    def _clean_hooks(cls) -> frozenset[str]:
        """Field names with a ``clean_<name>()`` hook on this class (looked up once)."""
        hooks = _CLEAN_HOOKS.get(cls)
        if hooks is None:
            names = (n.removeprefix("clean_") for n in dir(cls) if n.startswith("clean_"))
            hooks = _CLEAN_HOOKS[cls] = frozenset(names)
        return hooks

    def add_core_error(self, error: InputError) -> None:
        """Show a core :class:`InputError` on the field it concerns (else as a form error)."""
        field = self.error_fields.get(error.field, error.field)
        if field == CROSS_FIELD or field not in self.fields:
            self.add_error(None, error.message)
        elif field not in self.errors:
            self.add_error(field, error.message)

    @property
    def warnings(self) -> list[CalcWarning]:
        """Warnings about the result: the core's and the form's own (e.g. ignored inputs)."""
        core = list(getattr(self.result, "warnings", ()) or ())
        return self.extra_warnings + core

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._record_read_as(data)
        if self.errors:
            return data
        self.inputs = dict(data)
        try:
            self.result = self.calculate(self.inputs)
        except InputError as error:
            self.result = None
            self.add_core_error(error)
        return data

    def calculate(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _record_read_as(self, data: Mapping[str, Any]) -> None:
        fields = self.fields
        for name, raw in self.raw_data.items():
            if type(raw) is not str or not isinstance(fields[name], DecimalInputField):
                continue
            value = data.get(name)
            text = raw.strip()
            if isinstance(value, Decimal) and text and text != format(value, "f"):
                self.read_as[name] = value

    def preset(self, data: dict[str, Any], *, contract: ContractType) -> Preset | None:
        """Profile, tier table and leverage cap for ``exchange``/``symbol`` (field errors if
        they are unknown, with the valid choices)."""
        exchange, symbol = data.get("exchange") or "", (data.get("symbol") or "").strip()
        if not exchange:
            if symbol:
                raise InputError("exchange", f"Choose the exchange that lists {symbol}.")
            return None
        prof = profile(exchange)
        if contract not in prof.contracts:
            listed = " and ".join(c.value for c in prof.contracts)
            raise InputError("contract", f"{prof.label} lists {listed} contracts only here.")
        if not symbol:
            return Preset(profile=prof, table=None, leverage_cap=None, leverage_cap_source="")
        confirmed = {
            c.symbol: c
            for c in leverage_claims(exchange)
            if c.status is ClaimStatus.CONFIRMED and c.symbol != "*"
        }
        # A symbol with only a confirmed leverage cap is accepted when typed, but errors and
        # suggestions offer only symbols with a dated tier table (issue 12, item 4).
        listed = resolve_symbol(exchange, symbol)
        if listed is None and symbol not in confirmed:
            raise InputError("symbol", unknown_symbol_message(exchange, symbol))
        table = None
        if listed is not None:
            # The exchange's own spelling ("btcusdt" is BTCUSDT), for the result and the page.
            data["symbol"] = self.cleaned_data["symbol"] = symbol = listed
            table = tier_table(exchange, listed)
        if table is not None and table.contract is not contract:
            raise InputError(
                "contract", f"The {table.label} tier table is for {table.contract} contracts."
            )
        if table is not None and table.is_stale(localdate()):
            self.extra_warnings.append(
                _warning(
                    "tier_table_stale",
                    f"The {table.label} tier table is a {table.snapshot_text(localdate())}: "
                    "the exchange may have changed it since, so check its current table before "
                    "relying on these figures.",
                )
            )
        claim = confirmed.get(symbol)
        return Preset(
            profile=prof,
            table=table,
            leverage_cap=claim.max_leverage if claim else None,
            leverage_cap_source=claim.source_url if claim else "",
        )

    def resolve_fee_rate(
        self, data: dict[str, Any], prof: ExchangeProfile | None, *, counted: bool
    ) -> None:
        """Fill ``data["fee_rate"]``: the user's value, else the profile's default
        (:attr:`~riskcalc.calc.profiles.ExchangeProfile.default_fee_rate`: sourced, or 0 for
        generic); an exchange that counts the fee but has no default needs the user's rate."""
        if data["fee_rate"] is None:
            default = (prof or profile("generic")).default_fee_rate
            if prof is not None and prof.taker_fee_rate is not None:
                self.preset_fields.add("fee_rate")
            if default is None and counted:
                assert prof is not None  # generic has a default
                raise InputError("fee_rate", prof.fee_note)
            data["fee_rate"] = Decimal(0) if default is None else default
        elif data["fee_rate"] and not counted:
            self.extra_warnings.append(
                _warning(
                    "fee_rate_not_counted",
                    f"{prof.label if prof else 'This exchange'} does not count the taker fee "
                    "here, so the fee rate was not used.",
                )
            )

    def check_leverage_cap(self, preset: Preset | None, leverage: Decimal | None) -> None:
        if preset is None or leverage is None or preset.leverage_cap is None:
            return
        if leverage > preset.leverage_cap and preset.profile is not None:
            raise InputError(
                "leverage",
                f"{preset.profile.label} allows at most {_plain(preset.leverage_cap)}x on this "
                f"symbol (source: {preset.leverage_cap_source}).",
            )


# --------------------------------------------------------------------------------------------
# Liquidation


class LiquidationForm(CalculatorForm):
    """Liquidation and bankruptcy price of one position (``form.result``:
    :class:`~riskcalc.calc.liquidation.LiquidationResult`)."""

    side = EnumChoiceField(Side, help_text="Direction of the position.")
    contract = EnumChoiceField(
        ContractType,
        default=ContractType.LINEAR,
        help_text="linear: PnL in the quote currency (BTCUSDT); inverse: PnL in the coin, "
        "quantity in contracts of a fixed quote value (BTCUSD).",
    )
    margin_mode = EnumChoiceField(
        MarginMode,
        default=MarginMode.ISOLATED,
        help_text="isolated: only the position's margin backs it; cross: the wallet balance does.",
    )
    entry_price = DecimalInputField(
        limit="entry_price", required=True, help_text="Average entry price, quote per coin."
    )
    quantity = DecimalInputField(
        limit="quantity",
        required=True,
        help_text="Position size: base units (linear) or number of contracts (inverse).",
    )
    leverage = DecimalInputField(
        limit="leverage",
        help_text="Isolated margin: initial margin = entry notional / leverage. Required for "
        "isolated unless position_margin is given.",
    )
    wallet_balance = DecimalInputField(
        limit="wallet_balance",
        help_text="Cross margin (required there): the wallet balance backing the position.",
    )
    exchange = _exchange_field()
    symbol = _symbol_field()
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text="Maintenance margin rate as a fraction (0.005 = 0.5%). If omitted, taken from "
        "the exchange/symbol tier table.",
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        help_text="Tier deduction (Binance cum, Bybit mmDeduction) in the margin currency; "
        "default 0.",
    )
    contract_size = DecimalInputField(
        limit="contract_size",
        help_text="Base units per contract (linear) or quote value per contract (inverse); "
        "default 1 (the exchange's inverse contract size with a profile).",
    )
    position_margin = DecimalInputField(
        limit="position_margin",
        help_text="Isolated: the position's margin, instead of the leverage.",
    )
    extra_margin = DecimalInputField(
        limit="extra_margin",
        default=Decimal(0),
        help_text="Margin added to an isolated position; default 0.",
    )
    funding_paid = DecimalInputField(
        limit="funding_paid",
        default=Decimal(0),
        help_text="Funding paid out of the margin since entry (negative when received); default 0.",
    )
    other_maintenance_margin = DecimalInputField(
        limit="other_maintenance_margin",
        default=Decimal(0),
        help_text="Cross: maintenance margin of the account's other positions; default 0.",
    )
    other_unrealized_pnl = DecimalInputField(
        limit="other_unrealized_pnl",
        default=Decimal(0),
        help_text="Cross: unrealised PnL of the account's other positions; default 0.",
    )
    mm_basis = EnumChoiceField(
        MarginBasis,
        required=False,
        help_text="Where maintenance margin is valued: mark (at the liquidation price) or entry. "
        "Default from the exchange profile, mark for generic.",
    )
    fee_rate = DecimalInputField(
        limit="fee_rate",
        help_text="Taker fee rate as a fraction, counted where the exchange counts it (in "
        "maintenance margin for generic, OKX and Bitget; on added margin for Bybit); default 0.",
    )
    tick_size = DecimalInputField(
        limit="tick_size",
        help_text="Price tick; prices are rounded against the trader (up for longs, down for "
        "shorts).",
    )
    mark_price = DecimalInputField(
        limit="mark_price",
        help_text="Current mark price (default entry_price); the liquidation distance is "
        "measured from it.",
    )
    volatility = DecimalInputField(
        limit="annual_volatility",
        default=DEFAULT_VOLATILITY,
        label="Annual volatility",
        help_text="Annualised volatility as a fraction (0.6 = 60% a year) for the model chance "
        "of touching the liquidation price; default 0.6, an assumption, not a measured figure. "
        "The liquidation price does not depend on it (the API does not use it).",
    )

    required_fields = ("side", "entry_price", "quantity", "leverage", "margin_mode")
    advanced_fields = (
        "maintenance_amount",
        "contract_size",
        "position_margin",
        "extra_margin",
        "funding_paid",
        "other_maintenance_margin",
        "other_unrealized_pnl",
        "mm_basis",
        "fee_rate",
        "tick_size",
        "mark_price",
    )
    error_fields: ClassVar[Mapping[str, str]] = {
        "tiers": "symbol",
        "hedge_leg": CROSS_FIELD,
        "fee_in_maintenance": "fee_rate",
        "fee_on_extra_margin": "fee_rate",
        "fee_in_bankruptcy": "fee_rate",
        "annual_volatility": "volatility",
    }

    #: The validated core input and the preset whose confirmed leverage cap the form checked
    #: (``None`` when a tier table caps it in the core), set by :meth:`calculate`: the page's
    #: scenario table re-solves the same position at other leverages from them.
    position: LiquidationInput | None = None
    leverage_preset: Preset | None = None

    def clean_symbol(self) -> str:
        return (self.cleaned_data.get("symbol") or "").strip()

    def calculate(self, data: dict[str, Any]) -> LiquidationResult:
        contract: ContractType = data["contract"]
        preset = self.preset(data, contract=contract)
        prof = preset.profile if preset else None
        self.profile = prof
        if prof is not None and data["margin_mode"] not in prof.margin_modes:
            modes = " and ".join(m.value for m in prof.margin_modes)
            raise InputError("margin_mode", f"{prof.label} supports {modes} margin here.")

        # Maintenance: explicit rate wins over the tier table.
        table = None
        if data["maintenance_margin_rate"] is None:
            if data["maintenance_amount"] is not None:
                raise InputError(
                    "maintenance_margin_rate",
                    "Give the maintenance margin rate with the amount (or leave both empty to "
                    "use the exchange's tier table).",
                )
            if preset is not None and preset.table is None and data["symbol"]:
                raise InputError(
                    "maintenance_margin_rate",
                    f"There is no tier table for {data['symbol']} on {prof.label if prof else ''}"
                    ": give the maintenance margin rate.",
                )
            table = preset.table if preset else None
            if table is not None:
                self.preset_fields |= {"maintenance_margin_rate", "maintenance_amount"}
        amount = data["maintenance_amount"]
        if amount is None:
            amount = Decimal(0)
        data["maintenance_amount"] = amount

        # Conventions: explicit mm_basis wins over the profile, then generic (mark).
        if data["mm_basis"] is None:
            data["mm_basis"] = prof.mm_basis if prof else MarginBasis.MARK
            if prof:
                self.preset_fields.add("mm_basis")
        switches = liquidation_switches(prof.name if prof else "generic")
        fee_counts = bool(switches["fee_in_maintenance"]) or (
            bool(switches["fee_on_extra_margin"]) and data["extra_margin"] > 0
        )
        self.resolve_fee_rate(data, prof, counted=fee_counts)

        if data["contract_size"] is None:
            size = Decimal(1)
            if contract is ContractType.INVERSE and prof and prof.inverse_contract_size:
                size = prof.inverse_contract_size
                self.preset_fields.add("contract_size")
            data["contract_size"] = size
        self.leverage_preset = preset if table is None else None
        self.check_leverage_cap(self.leverage_preset, data["leverage"])
        position = LiquidationInput(
            side=data["side"],
            entry_price=data["entry_price"],
            quantity=data["quantity"],
            contract=contract,
            contract_size=data["contract_size"],
            margin_mode=data["margin_mode"],
            leverage=data["leverage"],
            position_margin=data["position_margin"],
            extra_margin=data["extra_margin"],
            funding_paid=data["funding_paid"],
            wallet_balance=data["wallet_balance"],
            other_maintenance_margin=data["other_maintenance_margin"],
            other_unrealized_pnl=data["other_unrealized_pnl"],
            maintenance_margin_rate=data["maintenance_margin_rate"],
            maintenance_amount=Decimal(0) if table is not None else amount,
            tiers=table,
            mm_basis=data["mm_basis"],
            fee_rate=data["fee_rate"],
            fee_in_maintenance=bool(switches["fee_in_maintenance"]),
            fee_on_extra_margin=bool(switches["fee_on_extra_margin"]),
            mark_price=data["mark_price"],
            tick_size=data["tick_size"],
        )
        result = liquidation_price(position)
        self.position = position
        self.tier_table = table
        if result.liquidation_price is None:
            self.extra_warnings.append(
                _warning("no_liquidation_price", result.no_liquidation_message)
            )
        if result.bankruptcy_price is None:
            self.extra_warnings.append(
                _warning("no_bankruptcy_price", result.no_bankruptcy_message)
            )
        return result


# --------------------------------------------------------------------------------------------
# Lists (JSON bodies only)


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
            raise ValidationError("Give a JSON list of objects.", code="invalid")
        if not value:
            raise ValidationError("Give at least one item.", code="invalid")
        if len(value) > self.max_items:
            raise ValidationError(f"Give at most {self.max_items} items.", code="invalid")
        keys = ", ".join(self.items)
        cleaned = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                raise ValidationError(f"Item {number}: give an object with {keys}.", code="invalid")
            unknown = sorted(str(k) for k in item if k not in self.items)
            if unknown:
                raise ValidationError(
                    f"Item {number}: unknown key {', '.join(unknown)} (known: {keys}).",
                    code="invalid",
                )
            row: dict[str, Decimal | None] = {}
            for key, field in self.items.items():
                try:
                    row[key] = field.clean(item.get(key))
                except ValidationError as error:
                    raise ValidationError(
                        f"Item {number}, {key}: {' '.join(error.messages)}", code="invalid"
                    ) from None
            cleaned.append(row)
        return cleaned


def _strict(field: DecimalInputField) -> DecimalInputField:
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
                f"Give at most {self.max_items} entries here (you gave {len(entries)}); "
                "the API takes a longer list in a JSON POST body.",
                code="max_items",
            )
        keys = list(self.items)
        shape = f"{keys[0]}:{keys[1]}, such as {self.example}"
        cleaned = []
        for number, entry in enumerate(entries, start=1):
            parts = re.split(r"\s*:\s*|\s+", entry)
            if len(parts) != 2:
                raise ValidationError(
                    f'Entry {number} ("{entry[:40]}"): write it as {shape} '
                    '("." for decimals; new lines, ";" or "," between entries).',
                    code="invalid",
                )
            row: dict[str, Decimal | None] = {}
            for key, part in zip(keys, parts, strict=True):
                try:
                    row[key] = self.items[key].clean(part)
                except ValidationError as error:
                    raise ValidationError(
                        f'Entry {number} ("{entry[:40]}"), {key}: {" ".join(error.messages)}',
                        code="invalid",
                    ) from None
            cleaned.append(row)
        return cleaned


# --------------------------------------------------------------------------------------------
# Margin


@dataclass(frozen=True, slots=True, kw_only=True)
class MarginResult:
    """Margin figures of one position (the core's results, gathered for display).

    ``initial_margin`` needs a leverage; ``margin_ratio`` (MM / wallet balance, liquidation at
    1) needs a wallet balance; ``max_open`` needs both. ``max_leverage`` is the tier's cap, or
    the confirmed cap for the symbol, else ``None``.
    """

    notional: Decimal
    initial_margin: Decimal | None
    maintenance: MaintenanceMargin
    max_leverage: Decimal | None
    margin_ratio: Decimal | None
    max_open: MaxOpen | None
    tier_table: TierTable | None
    warnings: tuple[CalcWarning, ...] = ()


class MarginForm(CalculatorForm):
    """Notional, initial and maintenance margin (tiered), margin ratio and maximum size
    (``form.result``: :class:`MarginResult`)."""

    contract = LiquidationForm.base_fields["contract"]
    quantity = DecimalInputField(
        limit="quantity",
        required=True,
        help_text="Position size: base units (linear) or number of contracts (inverse).",
    )
    price = DecimalInputField(
        limit="price", required=True, help_text="Price the position is valued at (mark)."
    )
    leverage = DecimalInputField(
        limit="leverage", help_text="Leverage; needed for the initial margin and max quantity."
    )
    exchange = _exchange_field()
    symbol = _symbol_field()
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text="Maintenance margin rate as a fraction (0.005 = 0.5%). If omitted, taken from "
        "the tiers or the exchange/symbol tier table.",
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        help_text="Tier deduction (Binance cum, Bybit mmDeduction); default 0.",
    )
    contract_size = DecimalInputField(
        limit="contract_size",
        help_text="Base units per contract (linear) or quote value per contract (inverse); "
        "default 1.",
    )
    fee_rate = DecimalInputField(
        limit="fee_rate",
        help_text="Taker fee rate counted in maintenance margin (generic, OKX, Bitget); default 0.",
    )
    wallet_balance = DecimalInputField(
        limit="wallet_balance",
        help_text="Wallet balance; gives the margin ratio and, with the leverage, the maximum "
        "quantity.",
    )
    tiers = ObjectListField(
        items={
            "cap": _strict(
                DecimalInputField(
                    limit="tier_cap",
                )
            ),
            "maintenance_margin_rate": _strict(
                DecimalInputField(limit="maintenance_margin_rate", required=True)
            ),
            "max_leverage": _strict(DecimalInputField(limit="leverage")),
        },
        max_items=100,
        help_text="POST only: your own tier table, a list of {cap (upper notional bound, "
        "inclusive; null for the last), maintenance_margin_rate, max_leverage (optional)}. "
        "Deductions follow d_k = d_(k-1) + cap_(k-1) x (MMR_k - MMR_(k-1)).",
    )

    required_fields = ("quantity", "price", "leverage", "contract")
    advanced_fields = ("maintenance_amount", "contract_size", "fee_rate")
    post_only_fields = frozenset({"tiers"})
    error_fields: ClassVar[Mapping[str, str]] = {
        "margin_balance": "wallet_balance",
        "balance": "wallet_balance",
        "quantity_step": CROSS_FIELD,
        "maintenance_margin": CROSS_FIELD,
    }

    def clean_symbol(self) -> str:
        return (self.cleaned_data.get("symbol") or "").strip()

    def calculate(self, data: dict[str, Any]) -> MarginResult:
        contract: ContractType = data["contract"]
        preset = self.preset(data, contract=contract)
        prof = preset.profile if preset else None
        self.profile = prof
        rows = data.get("tiers")
        rate, amount = data["maintenance_margin_rate"], data["maintenance_amount"]
        if rows is not None and (rate is not None or amount is not None):
            raise InputError(
                CROSS_FIELD,
                "Give either tiers or a maintenance margin rate and amount, not both.",
            )
        if rate is None and amount is not None:
            raise InputError(
                "maintenance_margin_rate",
                "Give the maintenance margin rate with the amount (or leave both empty to use "
                "the tiers).",
            )
        table: TierTable | None = None
        uncapped: set[int] = set()
        if rows is not None:
            table, uncapped = _user_tier_table(rows, contract)
        elif rate is None and preset is not None and preset.table is not None:
            table = preset.table
            self.preset_fields |= {"maintenance_margin_rate", "maintenance_amount"}
        elif rate is None and preset is not None and data["symbol"]:
            raise InputError(
                "maintenance_margin_rate",
                f"There is no tier table for {data['symbol']} here: give the maintenance "
                "margin rate.",
            )
        data["maintenance_amount"] = amount if amount is not None else Decimal(0)
        if data["contract_size"] is None:
            data["contract_size"] = Decimal(1)
            if contract is ContractType.INVERSE and prof and prof.inverse_contract_size:
                data["contract_size"] = prof.inverse_contract_size
                self.preset_fields.add("contract_size")
        counted = profile("generic").fee_in_maintenance if prof is None else prof.fee_in_maintenance
        self.resolve_fee_rate(data, prof, counted=counted)
        self.tier_table = table
        mm = maintenance_margin(
            contract=contract,
            quantity=data["quantity"],
            price=data["price"],
            contract_size=data["contract_size"],
            maintenance_margin_rate=rate,
            maintenance_amount=data["maintenance_amount"] if table is None else Decimal(0),
            tiers=table,
            fee_rate=data["fee_rate"] if counted else Decimal(0),
        )
        leverage, wallet = data["leverage"], data["wallet_balance"]
        if table is not None and leverage is not None:
            check_leverage(tiers=table, notional=mm.notional, leverage=leverage)
        else:
            self.check_leverage_cap(preset, leverage)
        if mm.tier is not None:
            max_lev = None if mm.tier.number in uncapped else mm.tier.max_leverage
        else:
            max_lev = preset.leverage_cap if preset else None
        im = None
        if leverage is not None:
            im = initial_margin(
                contract=contract,
                quantity=data["quantity"],
                price=data["price"],
                leverage=leverage,
                contract_size=data["contract_size"],
            )
        ratio = None
        if wallet is not None:
            ratio = margin_ratio(maintenance_margin=mm.maintenance_margin, margin_balance=wallet)
        max_open = None
        if wallet is not None and leverage is not None:
            max_open = max_open_quantity(
                contract=contract,
                balance=wallet,
                leverage=leverage,
                price=data["price"],
                contract_size=data["contract_size"],
                tiers=table,
            )
        if leverage is None:
            self.extra_warnings.append(
                _warning(
                    "no_leverage",
                    "Give the leverage to get the initial margin and the maximum quantity.",
                )
            )
        if wallet is None:
            self.extra_warnings.append(
                _warning(
                    "no_wallet_balance",
                    "Give the wallet balance to get the margin ratio and the maximum quantity.",
                )
            )
        if max_lev is None:
            self.extra_warnings.append(
                _warning(
                    "no_max_leverage",
                    "No tier table or confirmed leverage cap applies, so the maximum leverage "
                    "is unknown.",
                )
            )
        return MarginResult(
            notional=mm.notional,
            initial_margin=im,
            maintenance=mm,
            max_leverage=max_lev,
            margin_ratio=ratio,
            max_open=max_open,
            tier_table=table,
        )


def _user_tier_table(
    rows: list[dict[str, Decimal | None]], contract: ContractType
) -> tuple[TierTable, set[int]]:
    """A tier table from the user's rows (:func:`~riskcalc.calc.tiers.custom_tier_table`).

    A tier without ``max_leverage`` inherits the previous tier's cap (the first: the largest
    leverage ``LIMITS`` allows); the returned set holds those tier numbers.
    """
    uncapped: set[int] = set()
    previous = LIMITS["leverage"].maximum
    built = []
    for number, row in enumerate(rows, start=1):
        rate = row["maintenance_margin_rate"]
        assert rate is not None  # required item field
        max_lev = row["max_leverage"]
        if max_lev is None:
            uncapped.add(number)
            max_lev = previous
        previous = max_lev
        built.append(TierRow(cap=row["cap"], maintenance_margin_rate=rate, max_leverage=max_lev))
    return custom_tier_table(built, contract=contract), uncapped


# --------------------------------------------------------------------------------------------
# Position size


class PositionSizeForm(CalculatorForm):
    """Fixed-fractional position size (``form.result``:
    :class:`~riskcalc.calc.position_size.PositionSizeResult`)."""

    side = EnumChoiceField(Side, help_text="Direction of the trade.")
    account_balance = DecimalInputField(
        limit="account_balance",
        required=True,
        help_text="Account balance in the settle currency (quote for linear, coin for inverse).",
    )
    risk_fraction = DecimalInputField(
        limit="risk_fraction",
        help_text="Share of the balance to risk, as a fraction (0.01 = 1%). Give this or "
        "risk_amount.",
    )
    risk_amount = DecimalInputField(
        limit="risk_amount",
        help_text="Amount to risk in the settle currency. Give this or risk_fraction.",
    )
    entry_price = DecimalInputField(limit="entry_price", required=True, help_text="Entry price.")
    stop_price = DecimalInputField(
        limit="stop_price",
        required=True,
        help_text="Stop-loss price: below entry for a long, above for a short.",
    )
    leverage = DecimalInputField(
        limit="leverage",
        help_text="Leverage; caps the size at balance x leverage (default 1, fully funded).",
    )
    contract = LiquidationForm.base_fields["contract"]
    contract_size = DecimalInputField(
        limit="contract_size",
        default=Decimal(1),
        help_text="Base units per contract (linear) or quote value per contract (inverse); "
        "default 1.",
    )
    lot_step = DecimalInputField(
        limit="lot_step",
        help_text="Quantity step of the exchange; the size is rounded down to it.",
    )
    fee_rate_entry = DecimalInputField(
        limit="fee_rate_entry",
        default=Decimal(0),
        help_text="Fee rate on entry as a fraction; default 0.",
    )
    fee_rate_exit = DecimalInputField(
        limit="fee_rate_exit",
        default=Decimal(0),
        help_text="Fee rate on exit (at the stop) as a fraction; default 0.",
    )
    slippage = DecimalInputField(
        limit="slippage",
        default=Decimal(0),
        help_text="Expected adverse price move per unit over entry and exit; default 0.",
    )
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text="Maintenance margin rate for the liquidation check (fraction).",
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        default=Decimal(0),
        help_text="Tier deduction for the liquidation check; default 0.",
    )
    exchange = _exchange_field()
    symbol = _symbol_field()

    required_fields = ("side", "account_balance", "risk_fraction", "entry_price", "stop_price")
    advanced_fields = (
        "exchange",
        "symbol",
        "contract",
        "contract_size",
        "lot_step",
        "fee_rate_entry",
        "fee_rate_exit",
        "slippage",
        "maintenance_margin_rate",
        "maintenance_amount",
    )

    def clean_symbol(self) -> str:
        return (self.cleaned_data.get("symbol") or "").strip()

    def calculate(self, data: dict[str, Any]) -> PositionSizeResult:
        """Size the trade; with an exchange and symbol, the tier the size falls in caps the
        leverage, and the liquidation check (unless a rate is typed) solves with the tier
        table as the liquidation calculator does: in the tier at the liquidation price. The
        size itself does not depend on them, so the tiers come in afterwards; the rate and
        deduction the check used are shown as preset inputs."""
        if data["leverage"] is None:
            data["leverage"] = Decimal(1)
        preset = self.preset(data, contract=data["contract"])
        prof = preset.profile if preset else None
        self.profile = prof
        if (
            prof is not None
            and data["contract"] is ContractType.INVERSE
            and prof.inverse_contract_size
            and not self.given("contract_size")
        ):
            data["contract_size"] = prof.inverse_contract_size
            self.preset_fields.add("contract_size")
        result = self._size(data)
        table = preset.table if preset else None
        if table is None:
            self.check_leverage_cap(preset, data["leverage"])
            return result
        self.tier_table = table
        tier = table.tier_for_notional(result.notional)
        if data["leverage"] > tier.max_leverage:
            raise InputError(
                "leverage",
                f"{table.label} tier {tier.number} allows at most {_plain(tier.max_leverage)}x "
                f"at this size ({table.snapshot_text(localdate())}).",
            )
        if data["maintenance_margin_rate"] is None:
            if self.given("maintenance_amount"):
                raise InputError(
                    "maintenance_margin_rate",
                    "Give the maintenance margin rate with the amount (or leave both empty to "
                    "use the exchange's tier table).",
                )
            result = self._size(data, tiers=table)
            data["maintenance_margin_rate"] = result.maintenance_margin_rate
            data["maintenance_amount"] = result.maintenance_amount
            self.preset_fields |= {"maintenance_margin_rate", "maintenance_amount"}
        return result

    def _size(
        self,
        data: dict[str, Any],
        *,
        tiers: TierTable | None = None,
    ) -> PositionSizeResult:
        """The core's sizing, with the liquidation check valued as the exchange values
        maintenance margin (its profile's basis, as in the liquidation calculator)."""
        return position_size(
            PositionSizeInput(
                side=data["side"],
                account_balance=data["account_balance"],
                entry_price=data["entry_price"],
                stop_price=data["stop_price"],
                risk_fraction=data["risk_fraction"],
                risk_amount=data["risk_amount"],
                fee_rate_entry=data["fee_rate_entry"],
                fee_rate_exit=data["fee_rate_exit"],
                slippage=data["slippage"],
                leverage=data["leverage"],
                lot_step=data["lot_step"],
                contract=data["contract"],
                contract_size=data["contract_size"],
                maintenance_margin_rate=None if tiers else data["maintenance_margin_rate"],
                maintenance_amount=Decimal(0) if tiers else data["maintenance_amount"],
                tiers=tiers,
                mm_basis=self.profile.mm_basis if self.profile else MarginBasis.MARK,
            )
        )


# --------------------------------------------------------------------------------------------
# PnL


@dataclass(frozen=True, slots=True, kw_only=True)
class PnlResult:
    """PnL of a position closed (or marked) at ``exit_price``; ``roe``, ``initial_margin`` and
    ``target_price`` need a leverage (``target_price`` also ``target_roe``). ``fees`` are the
    entry and exit fees and ``net_pnl = pnl - fees`` (:func:`~riskcalc.calc.pnl.net_pnl`)."""

    exit_price: Decimal
    pnl: Decimal
    pnl_ratio: Decimal
    roe: Decimal | None
    initial_margin: Decimal | None
    target_price: Decimal | None
    fees: Decimal
    net_pnl: Decimal
    warnings: tuple[CalcWarning, ...] = ()


class PnlForm(CalculatorForm):
    """Profit and loss, return on margin (ROE) and the price for a target ROE (``form.result``:
    :class:`PnlResult`)."""

    side = EnumChoiceField(Side, help_text="Direction of the position.")
    contract = LiquidationForm.base_fields["contract"]
    entry_price = DecimalInputField(limit="entry_price", required=True, help_text="Entry price.")
    exit_price = DecimalInputField(
        limit="exit_price",
        help_text="Exit price (or give mark_price for unrealised PnL).",
    )
    mark_price = DecimalInputField(
        limit="mark_price", help_text="Mark price, for unrealised PnL (instead of exit_price)."
    )
    quantity = DecimalInputField(
        limit="quantity",
        required=True,
        help_text="Position size: base units (linear) or number of contracts (inverse).",
    )
    contract_size = DecimalInputField(
        limit="contract_size",
        default=Decimal(1),
        help_text="Base units per contract (linear) or quote value per contract (inverse); "
        "default 1.",
    )
    leverage = DecimalInputField(
        limit="leverage", help_text="Leverage; needed for ROE, initial margin and target price."
    )
    target_roe = DecimalInputField(
        limit="target_roe",
        help_text="Return on initial margin to reach, as a fraction (0.5 = +50%); gives "
        "target_price.",
    )
    fee_rate_entry = DecimalInputField(
        limit="fee_rate_entry",
        default=Decimal(0),
        help_text="Fee rate on the entry notional; default 0.",
    )
    fee_rate_exit = DecimalInputField(
        limit="fee_rate_exit",
        default=Decimal(0),
        help_text="Fee rate on the exit notional; default 0.",
    )

    required_fields = ("side", "entry_price", "exit_price", "quantity", "leverage")
    advanced_fields = ("contract", "contract_size", "mark_price", "fee_rate_entry", "fee_rate_exit")
    error_fields: ClassVar[Mapping[str, str]] = {"roe": "target_roe", "price": "exit_price"}

    def calculate(self, data: dict[str, Any]) -> PnlResult:
        exit_given, mark_given = data["exit_price"] is not None, data["mark_price"] is not None
        if exit_given and mark_given:
            raise InputError(CROSS_FIELD, "Give either the exit price or the mark price, not both.")
        if not exit_given and not mark_given:
            raise InputError("exit_price", "Give the exit price (or the mark price).")
        price_field = "exit_price" if exit_given else "mark_price"
        price = data[price_field]
        leverage = data["leverage"]
        if data["target_roe"] is not None and leverage is None:
            raise InputError("leverage", "Give the leverage to find the target ROE's price.")
        common = {"side": data["side"], "contract": data["contract"]}
        try:
            closed = net_pnl(
                **common,
                quantity=data["quantity"],
                entry_price=data["entry_price"],
                exit_price=price,
                contract_size=data["contract_size"],
                fee_rate_entry=data["fee_rate_entry"],
                fee_rate_exit=data["fee_rate_exit"],
            )
            ratio = pnl_ratio(**common, entry_price=data["entry_price"], mark_price=price)
        except InputError as error:
            if error.field in {"exit_price", "mark_price"}:
                raise InputError(price_field, error.message) from None
            raise
        size = {"contract": data["contract"], "contract_size": data["contract_size"]}
        result_roe = im = target = None
        if leverage is not None:
            result_roe = roe(
                **common, entry_price=data["entry_price"], mark_price=price, leverage=leverage
            )
            im = initial_margin(
                **size, quantity=data["quantity"], price=data["entry_price"], leverage=leverage
            )
            if data["target_roe"] is not None:
                target = target_price_for_roe(
                    **common,
                    entry_price=data["entry_price"],
                    leverage=leverage,
                    roe=data["target_roe"],
                )
        if leverage is None:
            self.extra_warnings.append(
                _warning(
                    "no_leverage",
                    "Give the leverage to get the ROE, the initial margin and a target price.",
                )
            )
        return PnlResult(
            exit_price=price,
            pnl=closed.pnl,
            pnl_ratio=ratio,
            roe=result_roe,
            initial_margin=im,
            target_price=target,
            fees=closed.fees,
            net_pnl=closed.net_pnl,
        )


# --------------------------------------------------------------------------------------------
# ADL


def _adl_population_items() -> dict[str, DecimalInputField]:
    return {
        "score": _strict(DecimalInputField(limit="score", required=True)),
        "quantity": _strict(DecimalInputField(limit="quantity", required=True)),
    }


_ADL_PAGE_POPULATION = PairListTextField(
    items=_adl_population_items(),
    max_items=100,
    max_length=3000,
    example="0.35:2",
    label="Population (other positions' scores)",
    help_text="Optional: other positions on your side, one per line as score:quantity (e.g. "
    "0.35:2), scored under the same rule; up to 100. Gives your queue percentile and lights.",
)


class AdlForm(CalculatorForm):
    """Auto-deleveraging ranking score and queue position (``form.result``:
    :class:`~riskcalc.calc.adl.AdlExposure`)."""

    side = EnumChoiceField(Side, help_text="Direction of the position.")
    entry_price = DecimalInputField(limit="entry_price", required=True, help_text="Entry price.")
    mark_price = DecimalInputField(
        limit="mark_price", required=True, help_text="Current mark price."
    )
    quantity = DecimalInputField(
        limit="quantity",
        required=True,
        help_text="Position size: base units (linear) or number of contracts (inverse).",
    )
    leverage = DecimalInputField(
        limit="leverage",
        help_text="Isolated collateral = entry value / leverage. Give one of leverage, margin "
        "or wallet_balance.",
    )
    margin = DecimalInputField(
        limit="margin",
        help_text="Isolated margin of the position (settle currency).",
    )
    wallet_balance = DecimalInputField(
        limit="adl_wallet_balance",
        help_text="Cross: the wallet balance, this being the account's only position.",
    )
    method = EnumChoiceField(
        AdlMethod,
        default=AdlMethod.BITMEX,
        labels={
            "bitmex": "BitMEX",
            "mexc": "MEXC",
            "binance": "Binance",
            "okx": "OKX",
            "hyperliquid": "Hyperliquid",
        },
        label="Exchange (ADL ranking rule)",
        help_text="Whose ranking rule to apply; default bitmex.",
    )
    contract = LiquidationForm.base_fields["contract"]
    contract_size = DecimalInputField(
        limit="contract_size",
        default=Decimal(1),
        help_text="Base units per contract (linear) or quote value per contract (inverse); "
        "default 1.",
    )
    population = ObjectListField(
        items=_adl_population_items(),
        max_items=1000,
        help_text="POST only: other positions on your side, a list of {score, quantity}; "
        "gives your queue percentile and lights.",
    )

    required_fields = ("side", "entry_price", "mark_price", "quantity", "leverage", "method")
    advanced_fields = ("contract", "contract_size", "margin", "wallet_balance")
    post_only_fields = frozenset({"population"})
    error_fields: ClassVar[Mapping[str, str]] = {"score": CROSS_FIELD}

    def __init__(self, *args: Any, strict: bool = False, lists: bool = False, **kwargs: Any):
        super().__init__(*args, strict=strict, lists=lists, **kwargs)
        if not strict and not lists:
            # Pages take the population as text under the API's name (the API keeps its list).
            self.fields["population"] = copy.deepcopy(_ADL_PAGE_POPULATION)

    def calculate(self, data: dict[str, Any]) -> AdlExposure:
        peers = [
            AdlPeer(score=row["score"], quantity=row["quantity"])
            for row in data.get("population") or ()
            if row["score"] is not None and row["quantity"] is not None
        ]
        position = AdlPosition(
            side=data["side"],
            quantity=data["quantity"],
            entry_price=data["entry_price"],
            mark_price=data["mark_price"],
            contract=data["contract"],
            contract_size=data["contract_size"],
            leverage=data["leverage"],
            margin=data["margin"],
            wallet_balance=data["wallet_balance"],
        )
        exposure = adl_exposure(position, method=data["method"], population=peers)
        if exposure.bankruptcy_price is None:
            self.extra_warnings.append(_warning("no_bankruptcy_price", exposure.bankruptcy_note))
        if exposure.ranking is None:
            self.extra_warnings.append(
                _warning(
                    "no_population",
                    "Add other positions' scores and quantities (the population) to get your "
                    "percentile and lights.",
                )
            )
        return exposure
