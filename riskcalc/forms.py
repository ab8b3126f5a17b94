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

from riskcalc.calc.errors import CROSS_FIELD, InputError
from riskcalc.calc.limits import LIMITS, Limit
from riskcalc.calc.liquidation import (
    CalcWarning,
    LiquidationInput,
    LiquidationResult,
    liquidation_price,
)
from riskcalc.calc.profiles import (
    ClaimStatus,
    ExchangeProfile,
    leverage_claims,
    liquidation_switches,
    list_profiles,
    profile,
    symbols,
    tier_table,
)
from riskcalc.calc.tiers import TierTable
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side

__all__ = [
    "CalculatorForm",
    "DecimalInputField",
    "LiquidationForm",
    "parse_decimal_localized",
    "parse_decimal_strict",
]

MAX_NUMBER_LENGTH = 64
"""Longest text accepted for one number (a 10^12 price with 18 decimals is 31 characters)."""

SMALLEST_EXPONENT = -18
"""Non-zero numbers below 10^-18 are typing accidents, and would only slow the maths down."""

_NOT_FINITE = re.compile(r"[+-]?(s?nan\w*|inf|infinity)", re.IGNORECASE)
_STRICT_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]+)?|\.[0-9]+)([eE][+-]?[0-9]{1,6})?")
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
    if value == 0:
        return "0"
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")


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


class DecimalInputField(forms.Field):
    """A number as :class:`~decimal.Decimal`, bounded by ``LIMITS[limit]``.

    ``limit`` names the ``LIMITS`` entry (defaults to the field's name in the form, which must
    then be a ``LIMITS`` key). ``default`` is used when the field is left empty and is not
    required. The form sets ``strict`` on its fields (see the module docstring).
    """

    widget = forms.TextInput
    default_error_messages: ClassVar[dict[str, str]] = {
        "required": "This field is required.",
    }

    def __init__(self, *, limit: str, default: Decimal | None = None, **kwargs: Any) -> None:
        self.limit_name = limit
        self.default = default
        self.strict = False
        kwargs.setdefault("required", False)
        if default is not None:
            kwargs.setdefault("initial", default)
        super().__init__(**kwargs)

    @property
    def limit(self) -> Limit:
        return LIMITS[self.limit_name]

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
        super().validate(value)
        if value is None:
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
        number = super().clean(value)
        return self.default if number is None else number


class EnumChoiceField(forms.TypedChoiceField):
    """Choice of a core ``StrEnum``; the cleaned value is the enum member (or ``default``)."""

    def __init__(self, enum: type[StrEnum], *, default: StrEnum | None = None, **kwargs: Any):
        self.enum = enum
        self.default = default
        options = ", ".join(member.value for member in enum)
        kwargs.setdefault("required", default is None)
        super().__init__(
            choices=[(m.value, m.value.replace("_", " ").capitalize()) for m in enum],
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


def _exchange_field() -> forms.ChoiceField:
    names = [p.name for p in list_profiles()]
    return forms.ChoiceField(
        required=False,
        choices=[("", "Any (generic)"), *((p.name, p.label) for p in list_profiles())],
        error_messages={"invalid_choice": f"Unknown exchange. Choose one of: {', '.join(names)}."},
        help_text="Exchange profile: its conventions and dated tier tables fill in the fields "
        "you leave empty.",
    )


def _symbol_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=40,
        help_text="Symbol on the exchange (e.g. BTCUSDT); selects the dated tier table.",
    )


@dataclass(frozen=True, slots=True)
class Preset:
    """What an exchange (and symbol) contribute to a form: profile, tier table, leverage cap."""

    profile: ExchangeProfile | None
    table: TierTable | None
    leverage_cap: Decimal | None
    leverage_cap_source: str


class CalculatorForm(forms.Form):
    """Shared behaviour: parsing mode, core-error mapping, ``read_as``, crispy helper.

    Subclasses define ``required_fields`` (shown first) and ``advanced_fields`` (grouped),
    ``error_fields`` (core field name -> form field name) and ``calculate()``.
    """

    required_fields: ClassVar[tuple[str, ...]] = ()
    advanced_fields: ClassVar[tuple[str, ...]] = ()
    error_fields: ClassVar[Mapping[str, str]] = {}
    post_only_fields: ClassVar[frozenset[str]] = frozenset()
    """Fields that take a list and so exist only in a JSON body (the API)."""

    def __init__(self, *args: Any, strict: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strict = strict
        for field in self.fields.values():
            if isinstance(field, DecimalInputField):
                field.strict = strict
        self.result: Any = None
        self.inputs: dict[str, Any] = {}
        self.read_as: dict[str, Decimal] = {}
        self.preset_fields: set[str] = set()
        self.extra_warnings: list[CalcWarning] = []
        self.profile: ExchangeProfile | None = None
        self.tier_table: TierTable | None = None

    @property
    def helper(self) -> FormHelper:
        """Crispy helper without a ``<form>`` tag: the template owns the element and hx-*."""
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        names = list(self.fields)
        first = [n for n in self.required_fields if n in self.fields]
        advanced = [n for n in self.advanced_fields if n in self.fields]
        rest = [n for n in names if n not in first and n not in advanced]
        helper.layout = Layout(*first, *rest, Fieldset("Advanced", *advanced))
        return helper

    def given(self, name: str) -> bool:
        """Whether the user supplied a value for ``name`` (defaults do not count)."""
        raw = self[name].data
        return raw is not None and not (isinstance(raw, str) and not raw.strip())

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
        for name, field in self.fields.items():
            value = data.get(name)
            raw = self[name].data
            if (
                isinstance(field, DecimalInputField)
                and isinstance(value, Decimal)
                and isinstance(raw, str)
                and raw.strip()
                and raw.strip() != format(value, "f")
            ):
                self.read_as[name] = value

    def preset(self, data: Mapping[str, Any], *, contract: ContractType) -> Preset | None:
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
        tables = symbols(exchange)
        if symbol not in tables and symbol not in confirmed:
            known = ", ".join(sorted({*tables, *confirmed})) or "none yet"
            raise InputError(
                "symbol", f"No data for {symbol!r} on {prof.label} (available: {known})."
            )
        table = tier_table(exchange, symbol) if symbol in tables else None
        if table is not None and table.contract is not contract:
            raise InputError(
                "contract", f"The {table.label} tier table is for {table.contract} contracts."
            )
        claim = confirmed.get(symbol)
        return Preset(
            profile=prof,
            table=table,
            leverage_cap=claim.max_leverage if claim else None,
            leverage_cap_source=claim.source_url if claim else "",
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


def _warning(code: str, message: str) -> CalcWarning:
    return CalcWarning(code=code, message=message)


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
    }

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
        if prof is not None and prof.name != "generic":
            switches = liquidation_switches(prof.name)
        else:
            switches = {"fee_in_maintenance": True, "fee_on_extra_margin": False}
        fee_counts = bool(switches["fee_in_maintenance"]) or (
            bool(switches["fee_on_extra_margin"]) and data["extra_margin"] > 0
        )
        if data["fee_rate"] is None:
            if prof is not None and prof.taker_fee_rate is not None:
                data["fee_rate"] = prof.taker_fee_rate
                self.preset_fields.add("fee_rate")
            elif prof is not None and fee_counts and prof.name != "generic":
                raise InputError("fee_rate", prof.fee_note)
            else:
                data["fee_rate"] = Decimal(0)
        elif data["fee_rate"] and not fee_counts:
            self.extra_warnings.append(
                _warning(
                    "fee_rate_not_counted",
                    f"{prof.label if prof else 'This exchange'} does not count the taker fee in "
                    "the liquidation price, so the fee rate was not used.",
                )
            )

        if data["contract_size"] is None:
            size = Decimal(1)
            if contract is ContractType.INVERSE and prof and prof.inverse_contract_size:
                size = prof.inverse_contract_size
                self.preset_fields.add("contract_size")
            data["contract_size"] = size
        self.check_leverage_cap(preset if table is None else None, data["leverage"])
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
