"""What every calculator form shares: parsing mode, core errors on fields, exchange presets.

Each calculator's form (``riskcalc/calculators/<name>.py``) subclasses :class:`CalculatorForm`
and is the only place its input is parsed: pages, htmx partials, embeds and the JSON API all
bind it. A form does *shape* (required, parseable, inside :data:`riskcalc.calc.limits.LIMITS`,
with the fields of :mod:`riskcalc.fields`); the calculator core does *invariants* and raises
:class:`~riskcalc.calc.errors.InputError`, which ``clean()`` maps onto the field it names.
After ``is_valid()`` a valid form carries the core's result object in ``form.result`` and the
values actually used (defaults and exchange presets applied) in ``form.inputs``.

Exchange presets (liquidation, margin and position-size forms)
    With ``exchange`` (and ``symbol``) the profile and its dated tier table fill in what the
    user left empty. Precedence, highest first: (1) a value the user typed; (2) the symbol's
    tier table (maintenance rate, deduction and leverage cap of the tier the notional falls
    in; the confirmed leverage cap for symbols without a table); (3) the exchange profile's
    conventions (MM basis, where the fee counts, inverse contract size); (4) the generic
    defaults (mark basis, fee 0, contract size 1, and the maintenance margin rate
    :data:`~riskcalc.calc.profiles.GENERIC_MAINTENANCE_MARGIN_RATE`). Field names in
    ``form.preset_fields`` were filled from the profile or its table.

Generic, and what it assumes
    No exchange is the generic profile: the exchange field offers it once, as its empty
    choice (the API also takes ``exchange=generic`` for it). A default that changes the answer
    and that the user did not give (the generic maintenance margin rate) is an
    :class:`Assumption` in ``form.assumptions``: the page and the embed show it beside the
    result with a link to its field, the API returns it as ``assumptions``.

Missing, or wrong
    An empty required field and a :class:`~riskcalc.calc.errors.MissingInput` (an input the
    calculation needs that nobody gave) carry the error code :data:`MISSING`. The API reports
    them as it reports any error (400); pages, htmx partials and embeds call
    :meth:`CalculatorForm.hold_missing`, so a partial query opens on the inputs still needed
    (``form.needed``), not on an error. A value given but unusable is always an error.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import pretty_name
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from riskcalc.calc.errors import CROSS_FIELD, InputError, MissingInput
from riskcalc.calc.liquidation import CalcWarning
from riskcalc.calc.margin import quantity_for_value
from riskcalc.calc.profiles import (
    GENERIC_MAINTENANCE_MARGIN_RATE,
    ClaimStatus,
    ExchangeProfile,
    leverage_claims,
    list_profiles,
    profile,
    resolve_symbol,
    symbols,
    tier_table,
    unknown_symbol_message,
)
from riskcalc.calc.text import N_
from riskcalc.calc.tiers import TierTable
from riskcalc.calc.types import ContractType
from riskcalc.fields import (
    FIELD_LABELS,
    CharField,
    ChoiceField,
    DecimalInputField,
    EnumChoiceField,
    FieldDict,
    SharedFields,
)
from riskcalc.messages import translated

__all__ = [
    "GENERIC",
    "MISSING",
    "Assumption",
    "CalculatorForm",
    "Preset",
    "contract_field",
    "contract_size_field",
    "exchange_field",
    "position_value_field",
    "quantity_field",
    "symbol_field",
    "warning",
]


def contract_field() -> EnumChoiceField:
    """Linear or inverse contract, linear by default (every calculator but margin's first)."""
    return EnumChoiceField(
        ContractType,
        default=ContractType.LINEAR,
        help_text=_(
            "Linear: margin and PnL in the stablecoin (USDT for BTCUSDT). Inverse: "
            "margin and PnL in the coin, the quantity a number of contracts of a "
            "fixed USD value (BTCUSD)."
        ),
    )


def quantity_field(*, or_value: bool = False, or_margin: bool = False) -> DecimalInputField:
    """The position's size, worded once for every calculator that takes one; ``or_value``:
    the size may be given as a position value instead, ``or_margin`` also as the position
    margin with the leverage (:meth:`CalculatorForm.resolve_size`)."""
    if or_value and not or_margin:
        return DecimalInputField(
            limit="quantity",
            help_text=_(
                "Position size: coins (BTC for BTCUSDT) for a linear contract, number of "
                "contracts for an inverse one. Or give the position value."
            ),
        )
    if or_margin:
        return DecimalInputField(
            limit="quantity",
            help_text=_(
                "Position size: coins (BTC for BTCUSDT) for a linear contract, number of "
                "contracts for an inverse one. Or give the position value, or the position "
                "margin with the leverage."
            ),
        )
    return DecimalInputField(
        limit="quantity",
        required=True,
        help_text=_(
            "Position size: coins (BTC for BTCUSDT) for a linear contract, number of "
            "contracts for an inverse one."
        ),
    )


def position_value_field() -> DecimalInputField:
    """The size as a position value (:meth:`CalculatorForm.resolve_size`)."""
    return DecimalInputField(
        limit="position_value",
        help_text=_(
            "Size as a position value in the margin currency (USDT for a linear contract, "
            "the coin for an inverse one), instead of the quantity, which is worked out "
            "from it."
        ),
    )


def contract_size_field(default: Decimal | None = Decimal(1)) -> DecimalInputField:
    """Coins per contract (linear) or USD per contract (inverse), worded once."""
    if default is None:
        help_text = _(
            "Coins per contract (linear) or USD value of one contract (inverse); default 1, "
            "or the exchange's inverse contract size."
        )
    else:
        help_text = _(
            "Coins per contract (linear) or USD value of one contract (inverse); default 1."
        )
    return DecimalInputField(limit="contract_size", default=default, help_text=help_text)


MISSING = "required"
"""The error code of an input that was not given: Django's for an empty required field, and
the one :meth:`CalculatorForm.add_core_error` gives a :class:`MissingInput`."""

GENERIC = "generic"
"""The generic profile's name: the exchange field's empty choice stands for it."""

_EXCHANGE_NAMES = frozenset(p.name for p in list_profiles() if p.name != GENERIC)


class ExchangeChoiceField(ChoiceField):
    """The exchange, or none for the generic profile: offered once, as the empty choice.

    ``generic`` is still accepted (it is a profile's name, and API callers send it) and
    cleans to the empty choice, so no form has two ways of saying "no exchange".
    """

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return "" if text == GENERIC else text


def exchange_field() -> forms.ChoiceField:
    profiles = [p for p in list_profiles() if p.name != GENERIC]
    return ExchangeChoiceField(
        required=False,
        choices=[("", _("None (generic)")), *((p.name, p.label) for p in profiles)],
        # Words, not API names: the same message reaches pages, embeds and the API (whose
        # names are in the OpenAPI document's enum and at /api/v1/exchanges).
        error_messages={
            "invalid_choice": format_lazy(
                _("Unknown exchange. Choose one of: {exchanges}, or none for the generic formula."),
                exchanges=", ".join(p.label for p in profiles),
            )
        },
        help_text=_(
            "The exchange's conventions and dated tier tables fill in the fields you "
            "leave empty. With none, the generic formula and stated default rates are used."
        ),
    )


def symbol_field() -> forms.CharField:
    return CharField(
        required=False,
        max_length=40,
        # The page's <datalist id="symbol-choices"> lists the chosen exchange's symbols.
        widget=forms.TextInput(attrs={"list": "symbol-choices", "autocomplete": "off"}),
        help_text=_("Symbol on the exchange (e.g. BTCUSDT); selects the dated tier table."),
    )


def warning(code: str, template: str, **params: object) -> CalcWarning:
    """A form's own warning about a result, written as the core writes its own: ``template``
    is English marked with ``N_``, translated when shown (``riskcalc.messages.translated``)."""
    return CalcWarning.of(code, template, **params)


@dataclass(frozen=True, slots=True)
class Assumption:
    """A value the calculation used that nobody gave: which field it fills (``label`` names
    it for people), the value, and a sentence saying what it is and why (shown beside the
    result with a link to the field, returned by the API)."""

    field: str
    label: str
    value: Decimal
    message: str


GENERIC_RATE_ASSUMPTION = Assumption(
    field="maintenance_margin_rate",
    label=_("maintenance margin rate"),
    value=GENERIC_MAINTENANCE_MARGIN_RATE,
    message=_(
        # xgettext:no-python-format ("5% is" is prose, not a "% i" format)
        "No exchange or rate given, so a maintenance margin rate of 0.5% is assumed: Bybit's "
        "first-tier rate for BTCUSDT (table of 2026-08-05), above Binance's 0.4%, so the "
        "answer errs on the cautious side. Choose an exchange and symbol for its tier table, "
        "or give your own rate."
    ),
)
"""The generic maintenance rate (:data:`~riskcalc.calc.profiles.GENERIC_MAINTENANCE_MARGIN_RATE`
says which and why), as every calculator that needs a rate states it."""


@dataclass(frozen=True, slots=True)
class Preset:
    """What an exchange (and symbol) contribute to a form: profile, tier table, leverage cap."""

    profile: ExchangeProfile | None
    table: TierTable | None
    leverage_cap: Decimal | None
    leverage_cap_source: str


_SHARED_FIELDS: dict[tuple[type[forms.Form], bool, bool], SharedFields] = {}
_CLEAN_HOOKS: dict[type[forms.Form], frozenset[str]] = {}
_PLAIN_VALUE = forms.Widget.value_from_datadict


@functools.lru_cache(maxsize=32)
def _symbol_options(symbols: tuple[str, ...]) -> SafeString:
    return format_html_join("", '<option value="{}"></option>', ((symbol,) for symbol in symbols))


class CalculatorForm(forms.Form):
    """Shared behaviour: parsing mode, core-error mapping, ``read_as``.

    Subclasses define ``error_fields`` (core field name -> form field name) and
    ``calculate()``; which fields come first on screen is the registry entry's
    (:attr:`riskcalc.calculators.spec.Calculator.primary_fields`).
    """

    error_fields: ClassVar[Mapping[str, str]] = {}
    needed_text: ClassVar[Any] = _("Enter the %(inputs)s to see the result.")
    """What a page says while inputs are missing (``needed``): "%(inputs)s" names them."""
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
            for name, field in cls.base_fields.items():  # once per class
                if field.label is None:
                    field.label = FIELD_LABELS.get(pretty_name(name))
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
        self.assumptions: list[Assumption] = []
        self.needed: list[str] = []
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

    @property
    def symbol_options(self) -> SafeString:
        """The ``<option>`` of each of :attr:`symbol_choices` (the datalist's content), written
        once per list of symbols: a template loop over Binance's 345 cost each keystroke's
        partial on that exchange about as much as the rest of its result."""
        return _symbol_options(self.symbol_choices)

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
        """Show a core :class:`InputError` on the field it concerns (else as a form error), in
        the reader's language (:func:`riskcalc.messages.translated`); a :class:`MissingInput`
        has Django's code for an empty required field, ``required``."""
        field = self.error_fields.get(error.field, error.field)
        code = MISSING if isinstance(error, MissingInput) else None
        if field == CROSS_FIELD or field not in self.fields:
            self.add_error(None, ValidationError(translated(error.text), code=code))
        elif field not in self.errors:
            self.add_error(field, ValidationError(translated(error.text), code=code))

    def hold_missing(self) -> None:
        """Ask for what is missing rather than call it an error (pages and widgets; issue 16).

        Takes off each field whose every error says it is missing (code ``required``: an
        empty required field, or a :class:`MissingInput` from the form or the core) and lists
        it in ``needed``, in the form's order: a page or widget opened with a partial query
        shows those fields as needed, with a prompt, while a value given but unusable keeps
        its field-specific error. The API never calls this: it answers 400 for both.
        """
        errors = self.errors
        missing = {
            name
            for name in errors
            if name != NON_FIELD_ERRORS
            and all(error.code == MISSING for error in errors[name].as_data())
        }
        self.needed = [name for name in self.fields if name in missing]
        for name in self.needed:
            del errors[name]

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
        if not exchange or exchange == GENERIC:
            if symbol:
                raise InputError(
                    "exchange", N_("Choose the exchange that lists {symbol}."), symbol=symbol
                )
            return None
        prof = profile(exchange)
        if contract not in prof.contracts:
            raise InputError(
                "contract",
                N_("{exchange} lists only {contracts} here."),
                exchange=prof.label,
                contracts=prof.contracts[0].plural,
            )
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
                "contract",
                N_("The {table} tier table is for {contracts}."),
                table=table.label,
                contracts=table.contract.plural,
            )
        if table is not None and table.is_stale(localdate()):
            self.extra_warnings.append(
                warning(
                    "tier_table_stale",
                    N_(
                        "The {table} tier table is a snapshot {date}, {days} days old: "
                        "the exchange may have changed it since, so check its current table "
                        "before relying on these figures."
                    ),
                    table=table.label,
                    date=table.snapshot.isoformat(),
                    days=table.age_days(localdate()),
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
                warning(
                    "fee_rate_not_counted",
                    N_(
                        "{exchange} does not count the taker fee here, so the fee rate was "
                        "not used."
                    ),
                    exchange=prof.label,
                )
                if prof
                else warning(
                    "fee_rate_not_counted",
                    N_(
                        "This exchange does not count the taker fee here, so the fee rate was "
                        "not used."
                    ),
                )
            )

    def resolve_size(
        self, data: dict[str, Any], *, price: Decimal, margin_field: str | None = None
    ) -> None:
        """Fill ``data["quantity"]`` when the size is given otherwise, as exchange
        calculators allow: as ``position_value``, or as the margin (``margin_field``) with
        the leverage (value = margin x leverage; the margin then comes from the leverage, so
        ``data[margin_field]`` is cleared). The quantity is
        :func:`~riskcalc.calc.margin.quantity_for_value` at ``price`` (exact in the 34-digit
        context, not rounded to a lot step). Exactly one way: a quantity with a position
        value is refused, and no size at all asks for one."""
        value = data.get("position_value")
        if data["quantity"] is not None:
            if value is not None:
                raise InputError(
                    "position_value",
                    N_("Give the size once: the quantity or the position value, not both."),
                )
            return
        margin = data.get(margin_field) if margin_field else None
        if value is None and margin is not None and data.get("leverage") is not None:
            value = margin * data["leverage"]
            data[margin_field] = None  # type: ignore[index]
        if value is None:
            raise MissingInput(
                "quantity",
                N_(
                    "Give the size: the quantity, the position value, or the position margin "
                    "with the leverage."
                ),
            )
        data["quantity"] = quantity_for_value(
            contract=data["contract"],
            position_value=value,
            price=price,
            contract_size=data["contract_size"],
        )

    def assume_generic_rate(self, data: dict[str, Any]) -> Decimal:
        """Fill ``data["maintenance_margin_rate"]`` with the generic default and record the
        assumption (:data:`GENERIC_RATE_ASSUMPTION`); the caller has checked that neither the
        user nor an exchange table gives a rate."""
        data["maintenance_margin_rate"] = GENERIC_RATE_ASSUMPTION.value
        self.assumptions.append(GENERIC_RATE_ASSUMPTION)
        return GENERIC_RATE_ASSUMPTION.value

    def check_leverage_cap(self, preset: Preset | None, leverage: Decimal | None) -> None:
        if preset is None or leverage is None or preset.leverage_cap is None:
            return
        if leverage > preset.leverage_cap and preset.profile is not None:
            raise InputError(
                "leverage",
                N_("{exchange} allows at most {cap}× on this symbol (source: {source})."),
                exchange=preset.profile.label,
                cap=preset.leverage_cap,
                source=preset.leverage_cap_source,
            )
