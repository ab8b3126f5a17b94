"""Maintenance-margin tiers (Binance "leverage brackets", Bybit "risk limits").

A tier covers a band of position notional. Inside it the maintenance margin is
``MM = N x MMR_k - d_k`` and leverage is capped at ``maxLev_k``. The deduction ``d_k``
(Binance ``cum``, Bybit ``mmDeduction``) follows the recursion

    d_1 = 0,    d_k = d_{k-1} + B_{k-1} x (MMR_k - MMR_{k-1})

where ``B_{k-1}`` is the boundary between tiers k-1 and k (tier k's floor, tier k-1's cap).
That makes MM a continuous function of notional, the same as charging each slice of notional
at its own rate. Every :class:`TierTable` is checked against this recursion (and for monotonic
caps, rates and leverage) when it is built, so a mistyped snapshot fails loudly on load.

Boundary conventions differ. Binance's API gives ``notionalFloor``/``notionalCap`` and the
floor is treated as inclusive (floor <= N < cap, as ccxt/freqtrade do; not stated officially).
Bybit's ``riskLimitValue`` is "this value or below", so the cap is inclusive (floor < N <= cap).
Each table says which one it uses (:class:`TierBoundary`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import partial

from riskcalc.calc.errors import InputError
from riskcalc.calc.limits import checked, checked_choice
from riskcalc.calc.text import N_, Text
from riskcalc.calc.types import ContractType, TierMethod

__all__ = [
    "STALE_AFTER_DAYS",
    "Tier",
    "TierBoundary",
    "TierRow",
    "TierTable",
    "custom_tier_table",
    "deductions_from_rates",
    "parse_tier_table",
    "tiers_from_rows",
]


STALE_AFTER_DAYS = 30
"""A tier table's snapshot older than this many days is shown with a warning."""


class TierBoundary(StrEnum):
    """Which end of a tier's notional band belongs to it.

    ``floor_inclusive``: floor <= N < cap (Binance, as read by ccxt/freqtrade).
    ``cap_inclusive``: floor < N <= cap (Bybit "riskLimitValue or below", OKX ranges).
    """

    FLOOR_INCLUSIVE = "floor_inclusive"
    CAP_INCLUSIVE = "cap_inclusive"


@dataclass(frozen=True, slots=True, kw_only=True)
class Tier:
    """One tier: notional band, maintenance rate and deduction, leverage cap.

    ``cap`` is ``None`` only for an open-ended last tier. Notional is in the table's
    ``notional_unit`` (quote currency for linear, coin for inverse contracts).

    >>> Tier(number=1, floor=Decimal(0), cap=Decimal(50000),
    ...      maintenance_margin_rate=Decimal("0.004"), maintenance_amount=Decimal(0),
    ...      max_leverage=Decimal(125)).max_leverage
    Decimal('125')
    """

    number: int
    floor: Decimal
    cap: Decimal | None
    maintenance_margin_rate: Decimal
    maintenance_amount: Decimal
    max_leverage: Decimal
    initial_margin_rate: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TierRow:
    """Input row for :func:`tiers_from_rows`: a tier as exchanges publish it (cap, MMR, max lev)."""

    cap: Decimal | None
    maintenance_margin_rate: Decimal
    max_leverage: Decimal
    initial_margin_rate: Decimal | None = None


def deductions_from_rates(
    boundaries: Sequence[Decimal], rates: Sequence[Decimal]
) -> tuple[Decimal, ...]:
    """Deductions d_k of a tier table from its boundaries and maintenance rates.

    Formula: d_1 = 0; d_k = d_{k-1} + B_{k-1} x (MMR_k - MMR_{k-1}), with ``boundaries[k-1]`` the
    floor of tier k (= cap of tier k-1), so ``len(boundaries) == len(rates) - 1``.
    Units: same currency as the boundaries. Exact (no rounding).
    Source: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    (retrieved 2026-11-21 via formulas.md §2.6, §3.1): 250,000 x (1% - 0.5%) + 50 = 1,300.

    >>> deductions_from_rates([Decimal(50000), Decimal(250000)],
    ...                       [Decimal("0.004"), Decimal("0.005"), Decimal("0.01")])
    (Decimal('0'), Decimal('50.000'), Decimal('1300.000'))
    """
    if len(boundaries) != len(rates) - 1:
        raise InputError("tiers", N_("A table with n tiers needs n - 1 boundaries between them."))
    result = [Decimal(0)]
    for k in range(1, len(rates)):
        result.append(result[-1] + boundaries[k - 1] * (rates[k] - rates[k - 1]))
    return tuple(result)


def tiers_from_rows(rows: Sequence[TierRow], *, method: TierMethod) -> tuple[Tier, ...]:
    """Build tiers from published (cap, MMR, max leverage) rows, computing the deductions.

    Floors are the previous tier's cap (0 for the first). With ``method=whole_position`` (OKX,
    MEXC, Bitget before 2025-11-10) every deduction is 0; with ``deduction`` they follow
    :func:`deductions_from_rates`. Source: https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers
    (retrieved 2026-11-21 via formulas.md §3.9): BTC 40x to 150M, then 20x, deduction 1,875,000.

    >>> tiers = tiers_from_rows(
    ...     [TierRow(cap=Decimal("150000000"), maintenance_margin_rate=Decimal("0.0125"),
    ...              max_leverage=Decimal(40)),
    ...      TierRow(cap=None, maintenance_margin_rate=Decimal("0.025"), max_leverage=Decimal(20))],
    ...     method=TierMethod.DEDUCTION)
    >>> tiers[1].floor, tiers[1].maintenance_amount
    (Decimal('150000000'), Decimal('1875000.0000'))
    """
    if not rows:
        raise InputError("tiers", N_("A tier table needs at least one tier."))
    caps = [row.cap for row in rows]
    boundaries: list[Decimal] = []
    for number, cap in enumerate(caps[:-1], start=1):
        if cap is None:
            raise InputError(
                "tiers", N_("Only the last tier may be open-ended (tier {tier})."), tier=number
            )
        boundaries.append(cap)
    rates = [row.maintenance_margin_rate for row in rows]
    if method is TierMethod.DEDUCTION:
        amounts = deductions_from_rates(boundaries, rates)
    else:
        amounts = tuple(Decimal(0) for _ in rows)
    floors = [Decimal(0), *boundaries]
    return tuple(
        Tier(
            number=number,
            floor=floors[number - 1],
            cap=row.cap,
            maintenance_margin_rate=row.maintenance_margin_rate,
            maintenance_amount=amounts[number - 1],
            max_leverage=row.max_leverage,
            initial_margin_rate=row.initial_margin_rate,
        )
        for number, row in enumerate(rows, start=1)
    )


def _tier_fault(label: object, number: int, problem: str, **params: object) -> InputError:
    """The ``problem`` (a sentence marked with ``N_``) of tier ``number`` of table ``label``."""
    where = Text(N_("{table} tier {tier}"), {"table": label, "tier": number})
    return InputError(
        "tiers", Text(N_("{where}: {problem}"), {"where": where, "problem": Text(problem, params)})
    )


def _validate(tiers: Sequence[Tier], method: TierMethod, label: object) -> None:
    """``label`` names the table in messages (a :class:`Text` for a user's own table)."""
    if not tiers:
        raise InputError("tiers", N_("{table}: a tier table needs at least one tier."), table=label)
    previous: Tier | None = None
    for index, tier in enumerate(tiers):
        fault = partial(_tier_fault, label, tier.number)
        if tier.number != index + 1:
            raise fault(N_("tiers must be numbered 1, 2, 3, … in order."))
        if not Decimal(0) <= tier.maintenance_margin_rate < 1:
            raise fault(N_("maintenance margin rate must be in [0, 1)."))
        if tier.max_leverage < 1:
            raise fault(N_("maximum leverage must be at least 1×."))
        if tier.initial_margin_rate is not None and not 0 < tier.initial_margin_rate <= 1:
            raise fault(N_("initial margin rate must be in (0, 1]."))
        if tier.cap is None and index != len(tiers) - 1:
            raise fault(N_("only the last tier may be open-ended."))
        if tier.cap is not None and tier.cap <= tier.floor:
            raise fault(N_("the cap must be above the floor."))
        if previous is None:
            expected_floor, expected_amount = Decimal(0), Decimal(0)
        else:
            if tier.maintenance_margin_rate < previous.maintenance_margin_rate:
                raise fault(N_("maintenance rates must not decrease."))
            if tier.max_leverage > previous.max_leverage:
                raise fault(N_("maximum leverage must not increase."))
            assert previous.cap is not None  # checked on the previous iteration
            expected_floor = previous.cap
            expected_amount = previous.maintenance_amount + previous.cap * (
                tier.maintenance_margin_rate - previous.maintenance_margin_rate
            )
        if method is TierMethod.WHOLE_POSITION:
            expected_amount = Decimal(0)
        if tier.floor != expected_floor:
            raise fault(
                N_("the floor {floor} should equal {expected}."),
                floor=tier.floor,
                expected=expected_floor,
            )
        if tier.maintenance_amount != expected_amount:
            rule: object = (
                Text(N_("tiers applied to the whole position have no deduction"))
                if method is TierMethod.WHOLE_POSITION
                else "d_k = d_(k-1) + floor_k x (MMR_k - MMR_(k-1))"
            )
            raise fault(
                N_(
                    "maintenance amount {amount} does not follow from the tier rates "
                    "(expected {expected}: {rule})."
                ),
                amount=tier.maintenance_amount,
                expected=expected_amount,
                rule=rule,
            )
        previous = tier


@dataclass(frozen=True, slots=True, kw_only=True)
class TierTable:
    """A dated tier table for one exchange and symbol, validated when constructed.

    >>> from riskcalc.calc.profiles import tier_table
    >>> table = tier_table("binance_usdm", "BTCUSDT")
    >>> table.tier_for_notional(Decimal(50000)).number  # Binance: the floor is inclusive
    2
    >>> table.snapshot.isoformat(), table.tiers[2].maintenance_amount
    ('2024-10-24', Decimal('950'))
    """

    exchange: str
    exchange_name: str
    symbol: str
    contract: ContractType
    notional_unit: str
    tier_method: TierMethod
    boundary: TierBoundary
    source_url: str
    snapshot: date
    retrieved: date
    tiers: tuple[Tier, ...]
    note: str = ""
    settle: str = ""
    contract_size: Decimal | None = None
    tick_size: Decimal | None = None
    _caps: tuple[Decimal, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _validate(self.tiers, self.tier_method, self.name)
        caps = tuple(tier.cap for tier in self.tiers if tier.cap is not None)
        object.__setattr__(self, "_caps", caps)

    def age_days(self, today: date) -> int:
        """Days from the snapshot (when the exchange's table was captured) to ``today``.

        Source: the table's ``snapshot`` field (data/SOURCES.md).

        >>> from riskcalc.calc.profiles import tier_table
        >>> tier_table("binance_usdm", "BTCUSDT").age_days(date(2024, 11, 23))
        30
        """
        return (today - self.snapshot).days

    def is_stale(self, today: date) -> bool:
        """Whether the snapshot is more than :data:`STALE_AFTER_DAYS` days old on ``today``:
        exchanges change tier tables without notice, so an older table gets a warning.

        Source: issue 15 ("a warning past 30 days").

        >>> from riskcalc.calc.profiles import tier_table
        >>> table = tier_table("binance_usdm", "BTCUSDT")
        >>> table.is_stale(date(2024, 11, 23)), table.is_stale(date(2024, 11, 24))
        (False, True)
        """
        return self.age_days(today) > STALE_AFTER_DAYS

    def snapshot_text(self, today: date) -> str:
        """ "snapshot <date>, <n> days old", as shown beside every figure that used the table.

        Source: the table's ``snapshot`` field (data/SOURCES.md).

        >>> from riskcalc.calc.profiles import tier_table
        >>> tier_table("binance_usdm", "BTCUSDT").snapshot_text(date(2024, 10, 25))
        'snapshot 2024-10-24, 1 day old'
        """
        days = self.age_days(today)
        return f"snapshot {self.snapshot.isoformat()}, {days} day{'' if days == 1 else 's'} old"

    @property
    def name(self) -> object:
        """:attr:`label` for messages: a user's own table is "Your tiers" in the reader's
        language (a :class:`~riskcalc.calc.text.Text`)."""
        return Text(N_("Your tiers")) if self.exchange == "custom" else self.label

    @property
    def label(self) -> str:
        """Human name used in messages: exchange name and symbol.

        Source: the table's own ``exchange_name``/``symbol`` fields (data/SOURCES.md).

        >>> from riskcalc.calc.profiles import tier_table
        >>> tier_table("binance_usdm", "BTCUSDT").label
        'Binance USDS-M BTCUSDT'
        """
        return f"{self.exchange_name} {self.symbol}"

    @property
    def largest_notional(self) -> Decimal | None:
        """Cap of the last tier (``None`` if it is open-ended), in ``notional_unit``.

        Source: the table's last row (data/SOURCES.md).

        >>> from riskcalc.calc.profiles import tier_table
        >>> tier_table("bybit", "BTCUSDT").largest_notional, tier_table("hyperliquid", "BTC").largest_notional
        (Decimal('1200000000'), None)
        """
        return self.tiers[-1].cap

    def tier_for_notional(self, notional: Decimal) -> Tier:
        """The tier whose band contains ``notional``, using this table's boundary convention.

        Raises :class:`InputError` (field ``quantity``) above the largest tier.
        Source: https://bybit-exchange.github.io/docs/v5/market/risk-limit (retrieved 2026-11-21
        via formulas.md §2.6): Bybit's ``riskLimitValue`` is inclusive at the top.

        >>> from riskcalc.calc.profiles import tier_table
        >>> bybit = tier_table("bybit", "BTCUSDT")
        >>> bybit.tier_for_notional(Decimal(2000000)).maintenance_margin_rate
        Decimal('0.005')
        >>> bybit.tier_for_notional(Decimal(2600000)).maintenance_margin_rate
        Decimal('0.0056')
        """
        if notional < 0:
            raise InputError("quantity", N_("Position notional cannot be negative."))
        if self.boundary is TierBoundary.FLOOR_INCLUSIVE:
            index = bisect_right(self._caps, notional)
        else:
            index = bisect_left(self._caps, notional)
        if index >= len(self.tiers):
            raise InputError(
                "quantity",
                N_(
                    "{table} has no tier for a position of {notional} {unit}: the largest "
                    "tier ends at {cap} {unit}."
                ),
                table=self.name,
                notional=notional,
                unit=self.notional_unit,
                cap=self._caps[-1],
            )
        return self.tiers[index]

    def tier_index_below(self, notional: Decimal) -> int:
        """0-based index of the tier covering notionals just below ``notional`` (clamped).

        Independent of the boundary convention: at a boundary it gives the lower tier. Used by
        the liquidation solver to walk tier bands. Source: formulas.md §2.6 (retrieved
        2026-11-21).

        >>> from riskcalc.calc.profiles import tier_table
        >>> tier_table("binance_usdm", "BTCUSDT").tier_index_below(Decimal(50000))
        0
        """
        return min(bisect_left(self._caps, notional), len(self.tiers) - 1)

    def tier_index_above(self, notional: Decimal) -> int:
        """0-based index of the tier covering notionals just above ``notional`` (clamped).

        Independent of the boundary convention: at a boundary it gives the upper tier.
        Source: formulas.md §2.6 (retrieved 2026-11-21).

        >>> from riskcalc.calc.profiles import tier_table
        >>> tier_table("bybit", "BTCUSDT").tier_index_above(Decimal(2000000))
        1
        """
        return min(bisect_right(self._caps, notional), len(self.tiers) - 1)


def custom_tier_table(
    rows: Sequence[TierRow],
    *,
    contract: ContractType,
    exchange_name: str = "Your",
    symbol: str = "tiers",
    boundary: TierBoundary = TierBoundary.CAP_INCLUSIVE,
    retrieved: date | None = None,
) -> TierTable:
    """A user's own tier table from published-style (cap, MMR, max leverage) rows.

    Each number is checked against ``LIMITS`` (``tier_cap``, ``maintenance_margin_rate``,
    ``leverage``, ``initial_margin_rate`` must be in (0, 1]); the deductions follow the recursion
    d_1 = 0, d_k = d_(k-1) + cap_(k-1) x (MMR_k - MMR_(k-1)) (:func:`tiers_from_rows`), and the
    table is validated like an exchange snapshot (rising caps and rates, falling leverage).
    Caps are inclusive by default, as Bybit and OKX state theirs; notional is in the quote
    currency for linear contracts and in coin for inverse ones. ``retrieved`` defaults to today.
    Source: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    (retrieved 2026-11-21 via formulas.md §2.6, §3.1): 250,000 x (1% - 0.5%) + 50 = 1,300.

    >>> table = custom_tier_table(
    ...     [TierRow(cap=Decimal(50000), maintenance_margin_rate=Decimal("0.004"),
    ...              max_leverage=Decimal(125)),
    ...      TierRow(cap=Decimal(250000), maintenance_margin_rate=Decimal("0.005"),
    ...              max_leverage=Decimal(100)),
    ...      TierRow(cap=None, maintenance_margin_rate=Decimal("0.01"), max_leverage=Decimal(50))],
    ...     contract=ContractType.LINEAR)
    >>> table.label, [tier.maintenance_amount for tier in table.tiers]
    ('Your tiers', [Decimal('0'), Decimal('50.000'), Decimal('1300.000')])
    >>> custom_tier_table(
    ...     [TierRow(cap=Decimal(1000), maintenance_margin_rate=Decimal("0.01"),
    ...              max_leverage=Decimal(20)),
    ...      TierRow(cap=None, maintenance_margin_rate=Decimal("0.005"), max_leverage=Decimal(10))],
    ...     contract=ContractType.LINEAR)
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: tiers: Your tiers tier 2: maintenance rates must not decrease.
    """
    contract = checked_choice("contract", ContractType, contract)
    boundary = checked_choice("boundary", TierBoundary, boundary)
    today = date.today() if retrieved is None else retrieved
    checked_rows = []
    for row in rows:
        if not isinstance(row, TierRow):
            raise InputError("tiers", "Give each tier as a TierRow.")
        checked_rows.append(
            TierRow(
                cap=None if row.cap is None else checked("tier_cap", row.cap),
                maintenance_margin_rate=checked(
                    "maintenance_margin_rate", row.maintenance_margin_rate
                ),
                max_leverage=checked("leverage", row.max_leverage),
                initial_margin_rate=row.initial_margin_rate,
            )
        )
    return TierTable(
        exchange="custom",
        exchange_name=exchange_name,
        symbol=symbol,
        contract=contract,
        notional_unit="quote" if contract is ContractType.LINEAR else "coin",
        tier_method=TierMethod.DEDUCTION,
        boundary=boundary,
        source_url="",
        snapshot=today,
        retrieved=today,
        tiers=tiers_from_rows(checked_rows, method=TierMethod.DEDUCTION),
    )


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError("tiers", f"{where}: numbers in tier data must be strings or integers.")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise InputError("tiers", f"{where}: {value!r} is not a number.") from None
    if not number.is_finite():
        raise InputError("tiers", f"{where}: {value!r} is not a finite number.")
    return number


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise InputError("tiers", f"Tier data needs a non-empty text field {key!r}.")
    return value


def parse_tier_table(data: Mapping[str, object]) -> TierTable:
    """Build and validate a :class:`TierTable` from its JSON form (see ``data/SOURCES.md``).

    Numbers are strings (never floats). Each row gives ``cap`` (``null`` for open-ended),
    ``maintenance_margin_rate``, ``maintenance_amount``, ``max_leverage`` and optionally
    ``initial_margin_rate``; floors are the previous row's cap. A deduction that does not follow
    the recursion is rejected. Source: formulas.md §6 (retrieved 2026-11-21).

    >>> table = parse_tier_table({
    ...     "exchange": "example", "exchange_name": "Example", "symbol": "BTCUSDT",
    ...     "contract": "linear", "notional_unit": "USDT", "tier_method": "deduction",
    ...     "boundary": "floor_inclusive", "source_url": "https://example.org",
    ...     "snapshot": "2024-10-24", "retrieved": "2026-12-05",
    ...     "tiers": [
    ...         {"cap": "50000", "maintenance_margin_rate": "0.004",
    ...          "maintenance_amount": "0", "max_leverage": "125"},
    ...         {"cap": "250000", "maintenance_margin_rate": "0.005",
    ...          "maintenance_amount": "60", "max_leverage": "100"}]})
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: tiers: Example BTCUSDT tier 2: maintenance amount 60 does not follow from the tier rates (expected 50: d_k = d_(k-1) + floor_k x (MMR_k - MMR_(k-1))).
    """
    rows = data.get("tiers")
    if not isinstance(rows, list) or not rows:
        raise InputError("tiers", "Tier data needs a non-empty list 'tiers'.")
    try:
        contract = ContractType(_text(data, "contract"))
        method = TierMethod(_text(data, "tier_method"))
        boundary = TierBoundary(_text(data, "boundary"))
        snapshot = date.fromisoformat(_text(data, "snapshot"))
        retrieved = date.fromisoformat(_text(data, "retrieved"))
    except ValueError as error:
        raise InputError("tiers", f"Tier data has an invalid field: {error}.") from None
    tiers: list[Tier] = []
    floor = Decimal(0)
    for number, row in enumerate(rows, start=1):
        where = f"tier {number}"
        if not isinstance(row, dict):
            raise InputError("tiers", f"{where}: each tier must be an object.")
        cap_value = row.get("cap")
        cap = None if cap_value is None else _decimal(cap_value, where)
        imr_value = row.get("initial_margin_rate")
        tiers.append(
            Tier(
                number=number,
                floor=floor,
                cap=cap,
                maintenance_margin_rate=_decimal(row.get("maintenance_margin_rate"), where),
                maintenance_amount=_decimal(row.get("maintenance_amount"), where),
                max_leverage=_decimal(row.get("max_leverage"), where),
                initial_margin_rate=None if imr_value is None else _decimal(imr_value, where),
            )
        )
        if cap is not None:
            floor = cap
    note = data.get("note", "")
    settle = data.get("settle", "")
    size, tick = data.get("contract_size"), data.get("tick_size")
    return TierTable(
        exchange=_text(data, "exchange"),
        exchange_name=_text(data, "exchange_name"),
        symbol=_text(data, "symbol"),
        contract=contract,
        notional_unit=_text(data, "notional_unit"),
        tier_method=method,
        boundary=boundary,
        source_url=_text(data, "source_url"),
        snapshot=snapshot,
        retrieved=retrieved,
        tiers=tuple(tiers),
        note=note if isinstance(note, str) else "",
        settle=settle if isinstance(settle, str) else "",
        contract_size=None if size is None else _decimal(size, "contract_size"),
        tick_size=None if tick is None else _decimal(tick, "tick_size"),
    )
