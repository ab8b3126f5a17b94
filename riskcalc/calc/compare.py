"""One position on every exchange that has a dated tier table for its coin, side by side.

The same trade (a coin, a side, an entry price, a size in coins, a leverage, isolated margin)
is solved with each exchange's own conventions: its tier table (maintenance rate, deduction
and leverage cap of the tier the notional falls in), where it values maintenance margin
(mark or entry basis), where it counts the taker fee, and its contract (linear, or inverse
with a fixed USD value per contract). Each figure comes from
:func:`~riskcalc.calc.liquidation.liquidation_price`; this module chooses the inputs, orders
the answers and says why they differ.

An inverse contract counts the position in contracts of a fixed USD value, not in coins: the
same trade is the same USD notional at entry, ``contracts = quantity x entry / contract size``,
rounded down to whole contracts (never a larger position than asked). Its margins are in
the coin; each figure also carries them in the quote currency at the entry price.

Source: formulas.md §0 (the generic model and the per-exchange switches), §2.3 (inverse
contracts) and §3 (each exchange), retrieved 2026-11-21.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from functools import cache

from riskcalc.calc.errors import InputError
from riskcalc.calc.liquidation import LiquidationInput, LiquidationResult, liquidation_price
from riskcalc.calc.profiles import (
    ExchangeProfile,
    SourcedRate,
    list_profiles,
    symbols,
    tier_table,
)
from riskcalc.calc.text import N_, Text
from riskcalc.calc.tiers import TierTable
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side

__all__ = [
    "Comparison",
    "ComparePosition",
    "ExchangeFigure",
    "SkippedExchange",
    "assumed_fee_text",
    "asset_symbol",
    "compare_exchanges",
    "compared_assets",
]

_ASSET = re.compile(r"^[A-Z0-9]{1,20}$")

ASSET_ALIASES = {"BTC": ("XBT",)}
"""Other names exchanges give a coin (BitMEX calls bitcoin XBT: its symbol is XBTUSD)."""

_SYMBOL_PATTERNS = ("{}USDT", "{}_USDT", "{}-USD", "{}", "{}USD", "{}USDC")
"""How exchanges spell a coin's perpetual, in the order preferred when several exist: the
USDT-margined one first (Binance, Bybit; Gate's ``BTC_USDT``), then dYdX's ``BTC-USD``,
Hyperliquid's bare coin, BitMEX's ``XBTUSD`` and a USDC-margined one last."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ComparePosition:
    """The trade to compare: ``quantity`` is in coins (base units), ``leverage`` sets the
    isolated margin (entry notional / leverage). ``fee_rate`` is the taker rate for exchanges
    that count it in maintenance margin (``None``: each such exchange's sourced standard rate,
    ``ExchangeProfile.standard_taker_fee``, is assumed; one without it is skipped)."""

    asset: str
    side: Side
    entry_price: Decimal
    quantity: Decimal
    leverage: Decimal
    fee_rate: Decimal | None = None

    def __post_init__(self) -> None:
        asset = self.asset.strip().upper() if isinstance(self.asset, str) else ""
        if not _ASSET.match(asset):
            raise InputError("asset", N_("Give the coin's ticker, letters and digits (BTC, ETH)."))
        object.__setattr__(self, "asset", asset)


class _OnExchange:
    """An exchange's entry in a comparison names its exchange: ``exchange`` (the profile's
    name, as the API spells it) and ``label`` (as people read it)."""

    __slots__ = ()
    profile: ExchangeProfile

    @property
    def exchange(self) -> str:
        return self.profile.name

    @property
    def label(self) -> str:
        return self.profile.label


@dataclass(frozen=True, slots=True, kw_only=True)
class ExchangeFigure(_OnExchange):
    """One exchange's answer for the position.

    ``quantity`` is the position as the exchange counts it (coins, or contracts for an
    inverse contract); ``margin_currency`` is the currency of ``result``'s margins;
    ``initial_margin_quote``/``maintenance_margin_quote`` are the same margins in the quote
    currency (converted at the entry price for an inverse contract). ``max_leverage`` is the
    table's cap for the position's notional. ``notes`` say how this exchange computes it.
    ``assumed_fee`` is the exchange's standard taker rate when it was used because no fee
    rate was given (``None`` otherwise).
    """

    profile: ExchangeProfile
    symbol: str
    table: TierTable
    contract: ContractType
    quantity: Decimal
    quantity_unit: str
    contract_size: Decimal
    margin_currency: str
    result: LiquidationResult
    max_leverage: Decimal
    initial_margin_quote: Decimal | None
    maintenance_margin_quote: Decimal
    notes: tuple[Text, ...]
    assumed_fee: SourcedRate | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedExchange(_OnExchange):
    """An exchange left out of the comparison, and why (no table for the coin, leverage
    above its cap, a fee rate it needs, a size its table does not reach)."""

    profile: ExchangeProfile
    symbol: str | None
    reason: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """Every exchange's figure, closest liquidation first, the exchanges left out, and the
    reasons the figures differ."""

    position: ComparePosition
    figures: tuple[ExchangeFigure, ...]
    skipped: tuple[SkippedExchange, ...]
    reasons: tuple[Text, ...]


def asset_symbol(exchange: str, asset: str) -> str | None:
    """The symbol of ``asset``'s perpetual with a dated tier table on ``exchange``, or
    ``None``: tried in the order of :data:`_SYMBOL_PATTERNS`, with the coin's other names
    (:data:`ASSET_ALIASES`).

    Source: the symbols of data/tiers/<exchange>.json (data/SOURCES.md).

    >>> [asset_symbol(e, "BTC") for e in ("binance_usdm", "dydx", "hyperliquid", "bitmex")]
    ['BTCUSDT', 'BTC-USD', 'BTC', 'XBTUSD']
    >>> asset_symbol("okx", "BTC") is None
    True
    """
    listed = set(symbols(exchange))
    for name in (asset.upper(), *ASSET_ALIASES.get(asset.upper(), ())):
        for pattern in _SYMBOL_PATTERNS:
            if pattern.format(name) in listed:
                return pattern.format(name)
    return None


def compared_assets(minimum: int = 2) -> tuple[str, ...]:
    """Coins with a dated tier table on at least ``minimum`` exchanges, the most widely
    listed first (then by name): the suggestions of the comparison's coin field.

    Source: the symbols of data/tiers/*.json (data/SOURCES.md).

    >>> compared_assets()[:2]
    ('BTC', 'ETH')
    """
    return _compared_assets(minimum, tuple(symbols(p.name) for p in list_profiles()))


@cache
def _compared_assets(minimum: int, listings: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    aliases = {alias: coin for coin, names in ASSET_ALIASES.items() for alias in names}
    # The bare coin last: "BTCUSDT" is BTC against USDT, not a coin called BTCUSDT.
    ordered = sorted(_SYMBOL_PATTERNS, key=lambda p: p == "{}")
    patterns = [re.compile("^" + p.replace("{}", "([A-Z0-9]+?)") + "$") for p in ordered]
    for listed in listings:
        coins = set()
        for symbol in listed:
            match = next((m for p in patterns if (m := p.match(symbol))), None)
            if match:
                coins.add(aliases.get(match.group(1), match.group(1)))
        for coin in coins:
            counts[coin] = counts.get(coin, 0) + 1
    ranked = sorted((c for c, n in counts.items() if n >= minimum), key=lambda c: (-counts[c], c))
    return tuple(ranked)


def _quantity(
    position: ComparePosition, table: TierTable, prof: ExchangeProfile
) -> tuple[Decimal, Decimal, str, str]:
    """(quantity as the exchange counts it, contract size, its unit, margin currency)."""
    if table.contract is ContractType.LINEAR:
        coin = position.asset
        return position.quantity, Decimal(1), coin, table.settle or table.notional_unit
    size = prof.inverse_contract_size or Decimal(1)
    contracts = (position.quantity * position.entry_price / size).to_integral_value(ROUND_DOWN)
    if contracts < 1:
        raise InputError(
            "quantity",
            N_("{quantity} {coin} is less than one {size} USD contract."),
            quantity=position.quantity,
            coin=position.asset,
            size=size,
        )
    return contracts, size, f"contracts ({size:f} USD each)", table.notional_unit


def assumed_fee_text(prof: ExchangeProfile, fee: SourcedRate) -> Text:
    """Why ``fee`` was used for ``prof``: no rate given, so its standard rate, with source.

    >>> from riskcalc.calc.profiles import profile
    >>> gate = profile("gate")
    >>> str(assumed_fee_text(gate, gate.standard_taker_fee))  # doctest: +ELLIPSIS
    "Taker fee 0.0005 counted in maintenance margin: no fee rate given, so Gate's standard taker rate is assumed (source: https://web.gateorigin.net/..., 2026-03-25)."
    """
    return Text(
        N_(
            "Taker fee {rate} counted in maintenance margin: no fee rate given, so {exchange}'s "
            "standard taker rate is assumed (source: {source}, {date})."
        ),
        {
            "rate": fee.rate,
            "exchange": prof.label,
            "source": fee.source_url,
            "date": fee.published,
        },
    )


def _notes(
    figure_inputs: LiquidationInput,
    prof: ExchangeProfile,
    table: TierTable,
    assumed_fee: SourcedRate | None,
) -> list[Text]:
    notes = []
    if figure_inputs.mm_basis is MarginBasis.MARK:
        notes.append(Text(N_("Maintenance margin valued at the liquidation price (mark basis).")))
    else:
        notes.append(Text(N_("Maintenance margin fixed at the entry value (entry basis).")))
    if table.contract is ContractType.INVERSE:
        notes.append(
            Text(
                N_(
                    "Inverse contract: the position is {contracts} contracts of {size} USD "
                    "(the same USD value at entry, rounded down to whole contracts); margin "
                    "and PnL are in {currency}."
                ),
                {
                    "contracts": figure_inputs.quantity,
                    "size": figure_inputs.contract_size,
                    "currency": table.notional_unit,
                },
            )
        )
    if figure_inputs.fee_in_maintenance and assumed_fee is not None:
        notes.append(assumed_fee_text(prof, assumed_fee))
    elif figure_inputs.fee_in_maintenance:
        notes.append(
            Text(
                N_("Taker fee {rate} counted in maintenance margin."),
                {"rate": figure_inputs.fee_rate},
            )
        )
    if figure_inputs.tick_size is not None:
        notes.append(
            Text(
                N_("Prices rounded to the {tick} tick against the trader."),
                {"tick": figure_inputs.tick_size},
            )
        )
    if len(table.tiers) == 1:
        notes.append(Text(N_("One maintenance rate for every size in this table (no tiers).")))
    return notes


def _figure(position: ComparePosition, prof: ExchangeProfile, symbol: str) -> ExchangeFigure:
    """Solve the position on one exchange (raises :class:`InputError` when it cannot)."""
    table = tier_table(prof.name, symbol)
    quantity, size, unit, currency = _quantity(position, table, prof)
    fee_rate, assumed_fee = Decimal(0), None
    if prof.fee_in_maintenance:
        if position.fee_rate is not None:
            fee_rate = position.fee_rate
        elif prof.standard_taker_fee is not None:
            assumed_fee = prof.standard_taker_fee
            fee_rate = assumed_fee.rate
        else:
            raise InputError("fee_rate", prof.fee_note)
    tick = table.tick_size if prof.round_to_tick_against_trader else None
    inputs = LiquidationInput(
        side=position.side,
        entry_price=position.entry_price,
        quantity=quantity,
        contract=table.contract,
        contract_size=size,
        margin_mode=MarginMode.ISOLATED,
        leverage=position.leverage,
        tiers=table,
        mm_basis=prof.mm_basis,
        fee_rate=fee_rate,
        fee_in_maintenance=prof.fee_in_maintenance,
        tick_size=tick,
    )
    result = liquidation_price(inputs)
    notional = (
        quantity * size * position.entry_price
        if table.contract is ContractType.LINEAR
        else quantity * size / position.entry_price
    )
    # The inverse margins are in the coin: the same amounts in USD at the entry price.
    rate = Decimal(1) if table.contract is ContractType.LINEAR else position.entry_price
    return ExchangeFigure(
        profile=prof,
        symbol=symbol,
        table=table,
        contract=table.contract,
        quantity=quantity,
        quantity_unit=unit,
        contract_size=size,
        margin_currency=currency,
        result=result,
        max_leverage=table.tier_for_notional(notional).max_leverage,
        initial_margin_quote=None
        if result.initial_margin is None
        else result.initial_margin * rate,
        maintenance_margin_quote=result.maintenance_margin * rate,
        notes=tuple(_notes(inputs, prof, table, assumed_fee)),
        assumed_fee=assumed_fee,
    )


def _distance(figure: ExchangeFigure) -> Decimal:
    distance = figure.result.liquidation_distance
    return Decimal("Infinity") if distance is None else distance


def compare_exchanges(position: ComparePosition, *, today: date) -> Comparison:
    """``position`` on every exchange with a dated tier table for its coin, closest
    liquidation first (smallest distance from the entry price); exchanges that cannot take it
    are listed with the reason. ``today`` dates the tables' age in the reasons.

    Rounding: as :func:`~riskcalc.calc.liquidation.liquidation_price` (exact, or to the
    table's tick against the trader where the exchange rounds its displayed prices).
    Source: formulas.md §0 and §3 (retrieved 2026-11-21); each table's ``source_url``.

    >>> trade = ComparePosition(asset="BTC", side=Side.LONG, entry_price=Decimal(60000),
    ...     quantity=Decimal("0.5"), leverage=Decimal(20))
    >>> comparison = compare_exchanges(trade, today=date(2026, 12, 6))
    >>> [(f.exchange, f"{f.result.liquidation_price:.2f}") for f in comparison.figures]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('hyperliquid', '57721.52'), ('dydx', '57692.31'), ('bitmex', '57416.27'),
     ('bybit', '57286.43'), ('binance_usdm', '57228.92'), ('gate', '57200.20')]
    """
    figures: list[ExchangeFigure] = []
    skipped: list[SkippedExchange] = []
    for prof in list_profiles():
        if prof.name == "generic":
            continue
        symbol = asset_symbol(prof.name, position.asset)
        if symbol is None:
            reason = Text(
                N_("No dated tier table for {asset} on {exchange} here yet."),
                {"asset": position.asset, "exchange": prof.label},
            )
            skipped.append(SkippedExchange(profile=prof, symbol=None, reason=reason))
            continue
        try:
            figures.append(_figure(position, prof, symbol))
        except InputError as error:
            skipped.append(SkippedExchange(profile=prof, symbol=symbol, reason=error.text))
    figures.sort(key=_distance)
    return Comparison(
        position=position,
        figures=tuple(figures),
        skipped=tuple(skipped),
        reasons=tuple(_reasons(figures, today)),
    )


def _reasons(figures: list[ExchangeFigure], today: date) -> list[Text]:
    """Why the figures differ, from what actually differs between them."""
    if not figures:
        return []
    reasons = []
    rates = sorted(figures, key=lambda f: f.result.maintenance_margin_rate)
    low, high = rates[0], rates[-1]
    if low.result.maintenance_margin_rate != high.result.maintenance_margin_rate:
        reasons.append(
            Text(
                N_(
                    "Maintenance margin rates at this size run from {low}% ({low_table}) to "
                    "{high}% ({high_table}): the higher the rate, the sooner the margin left "
                    "falls to it, so the closer the liquidation price sits to the entry."
                ),
                {
                    "low": _percent(low.result.maintenance_margin_rate),
                    "low_table": low.table.label,
                    "high": _percent(high.result.maintenance_margin_rate),
                    "high_table": high.table.label,
                },
            )
        )
    bases = {f.profile.mm_basis for f in figures}
    if len(bases) > 1:
        entry = [f.label for f in figures if f.profile.mm_basis is MarginBasis.ENTRY]
        reasons.append(
            Text(
                N_(
                    "On {exchanges} maintenance margin is fixed at the entry value (entry "
                    "basis); the others value it at the liquidation price itself (mark basis), "
                    "which moves the price by about the rate times the distance."
                ),
                {"exchanges": tuple(entry)},
            )
        )
    inverse = [f for f in figures if f.contract is ContractType.INVERSE]
    for figure in inverse:
        reasons.append(
            Text(
                N_(
                    "{table} is an inverse contract: margin and PnL are in {currency}, and a "
                    "price move changes the position's coin value by more on the way down than "
                    "on the way up, so its liquidation price differs from a linear contract's "
                    "with the same rates; the same USD position is counted in contracts."
                ),
                {"table": figure.table.label, "currency": figure.margin_currency},
            )
        )
    deducted = [f for f in figures if f.result.maintenance_amount]
    if deducted:
        reasons.append(
            Text(
                N_(
                    "A tier deduction lowers the maintenance margin of large positions on "
                    "{exchanges} (each slice of the notional at its own rate)."
                ),
                {"exchanges": tuple(f.label for f in deducted)},
            )
        )
    ages = sorted({f.table.snapshot for f in figures})
    if len(ages) > 1:
        reasons.append(
            Text(
                N_(
                    "The tables are snapshots from {oldest} to {newest} (the oldest {days} "
                    "days old): each exchange may have changed its table since."
                ),
                {
                    "oldest": ages[0].isoformat(),
                    "newest": ages[-1].isoformat(),
                    "days": (today - ages[0]).days,
                },
            )
        )
    reasons.append(
        Text(
            N_(
                "Every figure is for isolated margin with no added margin, funding or fees "
                "beyond those the exchange counts in maintenance margin, and each exchange "
                "triggers liquidation on its own mark price, which differs a little from the "
                "others'."
            )
        )
    )
    return reasons


def _percent(rate: Decimal) -> Decimal:
    """A rate as a percentage figure for a sentence (``0.005`` -> ``0.5``)."""
    return (rate * 100).normalize()
