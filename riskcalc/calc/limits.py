"""Sane bounds for every numeric input, and the one place inputs are checked against them.

:data:`LIMITS` is the single source of truth for the minimum and maximum of each field. The
web forms mirror it as HTML5 ``min``/``max`` attributes; the calculator modules call
:func:`checked` so that a value outside these bounds, a ``float``, a ``NaN`` or an infinity
becomes an :class:`~riskcalc.calc.errors.InputError` naming the field.

The bounds are deliberately generous (prices up to 10^12, leverage up to 1000x): they reject
typing accidents and overflow-sized numbers, not unusual but real trades.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from riskcalc.calc.errors import InputError
from riskcalc.calc.text import N_, Text

__all__ = [
    "LIMITS",
    "SMALLEST_MAGNITUDE",
    "Limit",
    "checked",
    "checked_choice",
    "checked_optional",
    "range_message",
    "too_small_message",
    "within",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limit:
    """Allowed range of one input field. ``maximum`` is always inclusive.

    >>> Limit(minimum=Decimal(0), minimum_inclusive=False, maximum=Decimal(10), label="Price")
    ... # doctest: +ELLIPSIS
    Limit(minimum=Decimal('0'), minimum_inclusive=False, maximum=Decimal('10'), label='Price')
    """

    minimum: Decimal
    minimum_inclusive: bool
    maximum: Decimal
    label: str


SMALLEST_MAGNITUDE = Decimal("1e-18")
"""Non-zero numbers smaller than this in size are typing accidents; the forms refuse them."""

_PRICE_MAX = Decimal("1e12")
_QUANTITY_MAX = Decimal("1e12")
_MONEY_MAX = Decimal("1e15")
_FEE_RATE_MAX = Decimal("0.05")
_ROE_MAX = Decimal(100000)


def _positive(label: str, maximum: Decimal) -> Limit:
    return Limit(minimum=Decimal(0), minimum_inclusive=False, maximum=maximum, label=label)


def _non_negative(label: str, maximum: Decimal) -> Limit:
    return Limit(minimum=Decimal(0), minimum_inclusive=True, maximum=maximum, label=label)


def _signed(label: str, bound: Decimal) -> Limit:
    return Limit(minimum=-bound, minimum_inclusive=True, maximum=bound, label=label)


LIMITS: Mapping[str, Limit] = MappingProxyType(
    {
        "entry_price": _positive(N_("Entry price"), _PRICE_MAX),
        "mark_price": _positive(N_("Mark price"), _PRICE_MAX),
        "price": _positive(N_("Price"), _PRICE_MAX),
        "quantity": _positive(N_("Quantity"), _QUANTITY_MAX),
        "contract_size": _positive(N_("Contract size"), Decimal("1e9")),
        "leverage": Limit(
            minimum=Decimal(1), minimum_inclusive=True, maximum=Decimal(1000), label=N_("Leverage")
        ),
        "position_margin": _positive(N_("Position margin"), _MONEY_MAX),
        "position_value": _positive(N_("Position value"), _MONEY_MAX),
        "extra_margin": _non_negative(N_("Added margin"), _MONEY_MAX),
        "funding_paid": _signed(N_("Funding paid"), _MONEY_MAX),
        "wallet_balance": _non_negative(N_("Wallet balance"), _MONEY_MAX),
        "balance": _non_negative(N_("Balance"), _MONEY_MAX),
        "other_maintenance_margin": _non_negative(
            N_("Maintenance margin of other positions"), _MONEY_MAX
        ),
        "other_unrealized_pnl": _signed(N_("Unrealised PnL of other positions"), _MONEY_MAX),
        "maintenance_margin_rate": Limit(
            minimum=Decimal(0),
            minimum_inclusive=True,
            maximum=Decimal("0.99"),
            label=N_("Maintenance margin rate"),
        ),
        "maintenance_amount": _non_negative(N_("Maintenance amount (deduction)"), _MONEY_MAX),
        "fee_rate": _non_negative(N_("Fee rate"), _FEE_RATE_MAX),
        "tick_size": _positive(N_("Tick size"), Decimal("1e6")),
        # Annualised, as a fraction (0.6 = 60% a year); 10 (1000%) is far above any market's.
        "annual_volatility": _positive(N_("Annual volatility"), Decimal(10)),
        # Position size from risk (position_size.py).
        "account_balance": _positive(N_("Account balance"), _MONEY_MAX),
        # A share of the balance: definitionally at most 1 (all of it).
        "risk_fraction": _positive(N_("Risk fraction"), Decimal(1)),
        "risk_amount": _positive(N_("Risk amount"), _MONEY_MAX),
        "stop_price": _positive(N_("Stop price"), _PRICE_MAX),
        "slippage": _non_negative(N_("Slippage"), _PRICE_MAX),
        "lot_step": _positive(N_("Lot step"), _QUANTITY_MAX),
        "fee_rate_entry": _non_negative(N_("Entry fee rate"), _FEE_RATE_MAX),
        "fee_rate_exit": _non_negative(N_("Exit fee rate"), _FEE_RATE_MAX),
        # PnL (pnl.py).
        "exit_price": _positive(N_("Exit price"), _PRICE_MAX),
        # A return on initial margin to reach (1 = +100%), for target_price_for_roe.
        "target_roe": _signed(N_("Target ROE"), _ROE_MAX),
        # ADL (adl.py): the position's own collateral, and the scores of other positions.
        "margin": _positive(N_("Margin"), _MONEY_MAX),
        "adl_wallet_balance": _positive(N_("Wallet balance"), _MONEY_MAX),
        "score": _signed(N_("Score"), _ROE_MAX),
        # A user's own tier table (tiers.custom_tier_table): upper notional bound of a tier.
        "tier_cap": _positive(N_("Tier cap"), _MONEY_MAX),
        # Liquidation risk (risk.py): how far ahead to look, in hours or days.
        "horizon": _positive(N_("Horizon"), Decimal(100000)),
    }
)
"""Bounds per public field name. Rates are fractions (``0.005`` means 0.5%).

A key is the name of the core's argument (and of the form field reading it); where one name
means different bounds in different calculators, the key says which (``adl_wallet_balance``:
the ADL position's only collateral, so it must be positive). ``tests/test_form_limits.py``
checks that every numeric form field takes its bounds from here and that every key is used."""


def checked(field: str, value: object, *, limit: str | None = None) -> Decimal:
    """Return ``value`` as a finite ``Decimal`` inside ``LIMITS[limit or field]``, else raise.

    ``int`` is accepted and converted exactly; ``float`` and ``bool`` are refused because a
    binary float cannot hold most decimal prices exactly. ``field`` is the name errors carry;
    ``limit`` names the ``LIMITS`` entry when it differs (an ADL peer's score is checked
    against ``score`` but reported on ``population``).
    Source: project convention for bad input (riskcalc/calc/errors.py), 2026-11-21.

    >>> checked("leverage", 20)
    Decimal('20')
    >>> checked("leverage", 0.5)
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: leverage: Leverage must be given as a decimal number, not a float.
    >>> checked("entry_price", Decimal("0"))
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: entry_price: Entry price must be greater than 0 and at most 1,000,000,000,000.
    >>> checked("population", Decimal("-2e5"), limit="score")
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: population: Score must be at least -100,000 and at most 100,000.
    """
    bounds = LIMITS[field if limit is None else limit]
    if type(value) is Decimal and value.is_finite():  # fast path for the common case
        minimum = bounds.minimum
        if (value >= minimum if bounds.minimum_inclusive else value > minimum) and (
            value <= bounds.maximum
        ):
            return value
    label = Text(bounds.label)
    if isinstance(value, float):
        raise InputError(
            field, N_("{label} must be given as a decimal number, not a float."), label=label
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InputError(
            field,
            N_("{label} must be given as a decimal number, not {kind}."),
            label=label,
            kind=type(value).__name__,
        )
    number = Decimal(value)
    if not number.is_finite():
        raise InputError(field, N_("{label} must be a finite number."), label=label)
    if not within(bounds, number):
        raise InputError(field, range_message(bounds))
    return number


def within(bounds: Limit, number: Decimal) -> bool:
    """Whether ``number`` lies inside ``bounds``.

    >>> within(LIMITS["leverage"], Decimal("1e-30")), within(LIMITS["leverage"], Decimal(20))
    (False, True)
    """
    above = number >= bounds.minimum if bounds.minimum_inclusive else number > bounds.minimum
    return above and number <= bounds.maximum


def range_message(bounds: Limit, label: object = None) -> Text:
    """The whole allowed range in one sentence, for any value outside it; ``label`` names the
    field when it is not the limit's own label (a form's label, already translated).

    Source: issue 12 (a message must state the range the field really accepts).

    >>> str(range_message(LIMITS["leverage"]))
    'Leverage must be at least 1 and at most 1,000.'
    >>> str(range_message(LIMITS["entry_price"]))
    'Entry price must be greater than 0 and at most 1,000,000,000,000.'
    """
    if bounds.minimum_inclusive:
        template = N_("{label} must be at least {minimum} and at most {maximum}.")
    else:
        template = N_("{label} must be greater than {minimum} and at most {maximum}.")
    return Text(
        template,
        {
            "label": Text(bounds.label) if label is None else label,
            "minimum": bounds.minimum,
            "maximum": bounds.maximum,
        },
    )


def too_small_message(bounds: Limit, label: object = None) -> Text:
    """For a non-zero number smaller in size than :data:`SMALLEST_MAGNITUDE` that ``bounds``
    would otherwise accept: what the field takes instead (0 only where 0 is allowed).
    ``label`` as for :func:`range_message`.

    >>> str(too_small_message(LIMITS["entry_price"]))
    'Entry price must be at least 0.000000000000000001 and at most 1,000,000,000,000.'
    >>> str(too_small_message(LIMITS["maintenance_margin_rate"]))
    'Maintenance margin rate must be 0 or between 0.000000000000000001 and 0.99.'
    >>> str(too_small_message(LIMITS["funding_paid"]))
    'Funding paid must be 0 or at least 0.000000000000000001 in size, and between -1,000,000,000,000,000 and 1,000,000,000,000,000.'
    """
    params = {
        "label": Text(bounds.label) if label is None else label,
        "smallest": SMALLEST_MAGNITUDE,
        "minimum": bounds.minimum,
        "maximum": bounds.maximum,
    }
    if not within(bounds, Decimal(0)):
        template = N_("{label} must be at least {smallest} and at most {maximum}.")
    elif bounds.minimum == 0:
        template = N_("{label} must be 0 or between {smallest} and {maximum}.")
    else:
        template = N_(
            "{label} must be 0 or at least {smallest} in size, and between {minimum} and {maximum}."
        )
    return Text(template, params)


def checked_optional(field: str, value: object, *, limit: str | None = None) -> Decimal | None:
    """:func:`checked`, letting ``None`` (not given) through.

    Source: project convention for bad input (riskcalc/calc/errors.py), 2026-11-21.

    >>> checked_optional("mark_price", None) is None
    True
    """
    return None if value is None else checked(field, value, limit=limit)


def checked_choice[E: StrEnum](field: str, choices: type[E], value: object) -> E:
    """Return ``value`` as a member of the ``StrEnum`` ``choices`` (its value string is accepted).

    Source: project convention (riskcalc/calc/types.py: StrEnum values map one-to-one onto
    form choices and JSON values).

    >>> from riskcalc.calc.types import Side
    >>> checked_choice("side", Side, "short")
    <Side.SHORT: 'short'>
    >>> checked_choice("side", Side, "up")
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: side: Choose one of: long, short.
    """
    if isinstance(value, choices):
        return value
    if isinstance(value, str):
        try:
            return choices(value)
        except ValueError:
            pass
    options = tuple(member.value for member in choices)
    raise InputError(field, N_("Choose one of: {options}."), options=options)
