"""Exchange profiles (conventions per exchange), dated tier tables and leverage caps.

A profile records how an exchange computes liquidation: which contracts it lists, whether
maintenance margin is valued at the mark or the entry price, how tiers apply, where the taker
fee enters, and whether displayed prices are rounded to the tick against the trader. The web
layer turns a profile into the switches of :class:`~riskcalc.calc.liquidation.LiquidationInput`
with :func:`liquidation_switches`.

Default fee rates are **not sourced** in the project's references, so every profile leaves them
``None``: the user must give the fee rate when the exchange counts it. Where an exchange's own
page states its standard (regular-user, VIP 0) USDT-M perpetual taker rate, the profile keeps it
with its source and date as ``standard_taker_fee`` (:class:`SourcedRate`); the exchange
comparison assumes it, and says so, when no fee rate is given.

Tier tables are JSON files in ``riskcalc/calc/data/tiers/`` (provenance in
``riskcalc/calc/data/SOURCES.md``), read with :mod:`importlib.resources`, validated when loaded
and cached. Leverage caps come from ``data/max_leverage.json``; only ``confirmed`` figures are
used for calculation, the rest are kept as labelled claims.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

from riskcalc.calc.errors import InputError
from riskcalc.calc.text import N_, Text, sentences_text
from riskcalc.calc.tiers import TierTable, parse_tier_table
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, TierMethod

__all__ = [
    "GENERIC_MAINTENANCE_MARGIN_RATE",
    "GENERIC_MAINTENANCE_MARGIN_RATE_SOURCES",
    "LISTED_SYMBOLS",
    "ClaimStatus",
    "ExchangeProfile",
    "LeverageClaim",
    "SourcedRate",
    "TableSource",
    "bundled_tables",
    "close_symbols",
    "leverage_cap",
    "leverage_claims",
    "liquidation_switches",
    "list_profiles",
    "parse_exchange_file",
    "profile",
    "resolve_symbol",
    "set_table_source",
    "symbols",
    "table_source",
    "tier_table",
    "unknown_symbol_message",
]

_BOTH = (ContractType.LINEAR, ContractType.INVERSE)
_MODES = (MarginMode.ISOLATED, MarginMode.CROSS)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourcedRate:
    """A published rate with where and when it was published: ``source_url`` is the page it
    was read on, ``published`` its date (ISO), ``retrieved`` when this project read it."""

    rate: Decimal
    source_url: str
    published: str
    retrieved: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExchangeProfile:
    """Conventions of one exchange (formulas.md §3), with the pages they come from.

    ``taker_fee_rate``/``maker_fee_rate`` are ``None`` when no sourced default exists
    (``fee_note`` says so). ``inverse_contract_size`` is USD per contract (None if unlisted).
    ``standard_taker_fee`` is the exchange's published standard (regular-user) USDT-M
    perpetual taker rate, which the comparison assumes when no fee rate is given; ``None``
    where no dated page of the exchange states it.
    """

    name: str
    label: str
    contracts: tuple[ContractType, ...]
    margin_modes: tuple[MarginMode, ...]
    mm_basis: MarginBasis
    tier_method: TierMethod
    fee_in_maintenance: bool
    fee_on_extra_margin: bool
    hedge_mode: bool
    round_to_tick_against_trader: bool
    taker_fee_rate: Decimal | None
    maker_fee_rate: Decimal | None
    fee_note: str
    inverse_contract_size: Decimal | None
    sources: tuple[str, ...]
    notes: str
    standard_taker_fee: SourcedRate | None = None

    @property
    def default_fee_rate(self) -> Decimal | None:
        """Taker fee rate to use when none is given: the sourced default; 0 for the generic
        textbook model (no exchange, so no fee unless you give one); ``None`` when the user must
        give it (see ``fee_note``).

        Source: the API contract for ``fee_rate`` ("default from the profile, 0 for generic"),
        riskcalc/api.py, and formulas.md §0 item 5 (retrieved 2026-11-21).

        >>> profile("generic").default_fee_rate, profile("okx").default_fee_rate is None
        (Decimal('0'), True)
        """
        if self.taker_fee_rate is not None:
            return self.taker_fee_rate
        return Decimal(0) if self.name == "generic" else None


GENERIC_MAINTENANCE_MARGIN_RATE = Decimal("0.005")
"""Maintenance margin rate the generic profile assumes when neither a rate nor an exchange
tier table gives one: 0.5%.

Which: the tier-1 rate of BTCUSDT on Bybit, 0.5% (dated table, snapshot 2026-08-05), the
higher of the tier-1 rates of the two largest exchanges in our bundled tables; Binance USDS-M
BTCUSDT tier 1 is 0.4% (snapshot 2024-10-24). Why the higher one: a higher rate puts the
liquidation price nearer the entry, so the answer errs towards liquidating early, never
late, against either table's first tier. It is also the rate of Bybit's published worked
example (1 BTC long at 20,000 USDT, 50x, liquidated at 19,700) that the liquidation API
documents. Venues with larger first-tier rates (Hyperliquid BTC 1.25%, dYdX BTC-USD 1.2%)
have tables of their own: choose the exchange. Every page and API answer that uses it says so
(``assumptions``) and offers to change it.

Source: :data:`GENERIC_MAINTENANCE_MARGIN_RATE_SOURCES`, the bundled tables
``data/tiers/bybit.json`` and ``data/tiers/binance_usdm.json`` (data/SOURCES.md);
``tests/calc/test_profiles.py`` checks the two rates against those tables.
"""

GENERIC_MAINTENANCE_MARGIN_RATE_SOURCES = (
    "https://api.bybit.com/v5/market/risk-limit?category=linear&symbol=BTCUSDT",
    "https://github.com/freqtrade/freqtrade/blob/3d9514d2660c42dfdbde517f7b421d1a5cf4f196/"
    "freqtrade/exchange/binance_leverage_tiers.json",
)
"""Where the tier-1 rates behind :data:`GENERIC_MAINTENANCE_MARGIN_RATE` come from (Bybit's
risk-limit API, snapshot 2026-08-05; Binance's leverage brackets as committed to freqtrade,
snapshot 2024-10-24; both retrieved by this project, see data/SOURCES.md)."""


_NO_FEE = (
    "Not sourced: give your fee rate (it is not counted in this exchange's liquidation price)."
)
_FEE_NEEDED = N_(
    "Not sourced: give your taker fee rate; this exchange counts it in maintenance margin."
)

_PROFILES: Mapping[str, ExchangeProfile] = MappingProxyType(
    {
        p.name: p
        for p in (
            ExchangeProfile(
                name="generic",
                label="Generic (textbook)",
                contracts=_BOTH,
                margin_modes=_MODES,
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.DEDUCTION,
                # The API's contract: fee_rate is "taker fee counted in maintenance; default
                # from the profile, 0 for generic" (formulas.md §0 item 5, fee_in_mm).
                fee_in_maintenance=True,
                fee_on_extra_margin=False,
                hedge_mode=True,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note="Not sourced (no exchange): a taker fee rate you give is counted in "
                "maintenance margin; without one it is 0.",
                inverse_contract_size=None,
                sources=(),
                notes="Margin balance = maintenance margin, MM valued at the mark price.",
            ),
            ExchangeProfile(
                name="binance_usdm",
                label="Binance USDS-M",  # Binance writes USDⓈ-M; many fonts lack the Ⓢ
                contracts=(ContractType.LINEAR,),
                margin_modes=_MODES,
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.DEDUCTION,
                fee_in_maintenance=False,
                fee_on_extra_margin=False,
                hedge_mode=True,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note="Not sourced. Binance adds no fee to the liquidation price; a "
                "clearance fee is charged afterwards on the amount liquidated.",
                inverse_contract_size=None,
                sources=(
                    "https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93",
                ),
                notes="MM = notional(mark) x MMR - cum; re-solve when the liquidation price falls "
                "in another bracket. Hedge mode: long and short legs share one cross price.",
            ),
            ExchangeProfile(
                name="binance_coinm",
                label="Binance COIN-M",
                contracts=(ContractType.INVERSE,),
                margin_modes=_MODES,
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.DEDUCTION,
                fee_in_maintenance=False,
                fee_on_extra_margin=False,
                hedge_mode=True,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note="Not sourced. No fee in the liquidation price.",
                inverse_contract_size=Decimal(100),
                sources=(
                    "https://www.binance.com/es/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46",
                ),
                notes="Brackets are in coin notional. The FAQ prints its formula as an image; "
                "the engine uses the mark-basis inverse form rebuilt from equity = MM "
                "(formulas.md §3.2), not checked against a published price.",
            ),
            ExchangeProfile(
                name="bybit",
                label="Bybit (Unified Trading Account)",
                contracts=_BOTH,
                margin_modes=(MarginMode.ISOLATED,),
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.DEDUCTION,
                fee_in_maintenance=False,
                fee_on_extra_margin=True,
                hedge_mode=False,
                round_to_tick_against_trader=True,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note="Not sourced: give your taker fee rate; it divides added margin "
                "(close fee folded into IM and MM, which cancels otherwise).",
                inverse_contract_size=Decimal(1),
                sources=(
                    "https://www.bybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account",
                    "https://bybit-exchange.github.io/docs/v5/market/risk-limit",
                ),
                notes="Current UTA isolated rules (mark basis). UTA cross margin is account-level "
                "(MM rate 100%) with no per-symbol closed form; the classic page's entry basis "
                "(19,700 example) is available as the generic solver with mm_basis=entry.",
            ),
            ExchangeProfile(
                name="okx",
                label="OKX",
                contracts=_BOTH,
                margin_modes=_MODES,
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.WHOLE_POSITION,
                fee_in_maintenance=True,
                fee_on_extra_margin=False,
                hedge_mode=False,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note=_FEE_NEEDED,
                inverse_contract_size=Decimal(100),
                sources=(
                    "https://www.okx.com/help/vi-introduction-to-the-isolated-mode-of-single-multi-currency-portfolio-margin",
                ),
                notes="Tiers by number of contracts, the tier's MMR on the whole position. "
                "BTC-USDT-SWAP ctVal 0.01 BTC. No official numeric example or tier table was "
                "retrieved.",
            ),
            ExchangeProfile(
                name="bitmex",
                label="BitMEX",
                contracts=_BOTH,
                margin_modes=_MODES,
                mm_basis=MarginBasis.ENTRY,
                tier_method=TierMethod.WHOLE_POSITION,
                fee_in_maintenance=False,
                fee_on_extra_margin=False,
                hedge_mode=False,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note="Not sourced. Support (low authority) says MM includes the exit taker "
                "fee and paying funding; switch fee_in_maintenance on to model it.",
                inverse_contract_size=Decimal(1),
                sources=("https://www.bitmex.com/app/isolatedMarginExamples",),
                notes="Linear example: LP = E - (W - MM)/Q with MM fixed at entry. Inverse "
                "XBTUSD has no published formula (support-agent formula only).",
            ),
            ExchangeProfile(
                name="mexc",
                label="MEXC",
                contracts=(ContractType.LINEAR,),
                margin_modes=_MODES,
                mm_basis=MarginBasis.ENTRY,
                tier_method=TierMethod.WHOLE_POSITION,
                fee_in_maintenance=False,
                fee_on_extra_margin=False,
                hedge_mode=False,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note="Not sourced. The blog example excludes fees; newer rules add "
                "liquidation fees (switch fee_in_maintenance on with your rate).",
                inverse_contract_size=None,
                sources=("https://blog.mexc.fm/liquidation-in-futures-2",),
                notes="Blog example on the entry basis (48,200). Risk limits are a step model "
                "from API parameters; no dated official BTC_USDT table was retrieved.",
            ),
            ExchangeProfile(
                name="bitget",
                label="Bitget",
                contracts=(ContractType.LINEAR,),
                margin_modes=_MODES,
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.DEDUCTION,
                fee_in_maintenance=True,
                fee_on_extra_margin=False,
                hedge_mode=False,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note=_FEE_NEEDED + " (its MM example adds 0.06%).",
                # "The standard taker fee is 0.06%": Bitget's help article "Futures Trading
                # Fees, Limits, and Rules" (12560603820668, 2025-01-16); the same 0.06% in its
                # "Fee Schedule and Calculation" worked example (article 4552737163033).
                standard_taker_fee=SourcedRate(
                    rate=Decimal("0.0006"),
                    source_url="https://bitget.style/support/articles/12560603820668",
                    published="2025-01-16",
                    retrieved="2026-12-06",
                ),
                inverse_contract_size=None,
                sources=("https://www.bitget.cloud/support/articles/12560603841952",),
                notes="Tiered (marginal) MM for positions opened since 2025-11-10; before that the "
                "tier's rate applied to the whole position. The liquidation-price formula itself "
                "is published only as an image.",
            ),
            ExchangeProfile(
                name="hyperliquid",
                label="Hyperliquid",
                contracts=(ContractType.LINEAR,),
                margin_modes=_MODES,
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.DEDUCTION,
                fee_in_maintenance=False,
                fee_on_extra_margin=False,
                hedge_mode=False,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note=_NO_FEE,
                inverse_contract_size=None,
                sources=("https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations",),
                notes="MMR = 1/(2 x max leverage). Backstop liquidation below 2/3 of MM.",
            ),
            ExchangeProfile(
                name="dydx",
                label="dYdX v4",
                contracts=(ContractType.LINEAR,),
                margin_modes=_MODES,
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.DEDUCTION,
                fee_in_maintenance=False,
                fee_on_extra_margin=False,
                hedge_mode=False,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note=_NO_FEE,
                inverse_contract_size=None,
                sources=("https://docs.dydx.exchange/concepts-trading/margin",),
                notes="One maintenance fraction (MMF) per market, no tiers: give it as the "
                "maintenance margin rate. Liquidation when account value < sum |S x P x MMF|.",
            ),
            ExchangeProfile(
                name="gate",
                label="Gate",
                contracts=(ContractType.LINEAR,),
                margin_modes=_MODES,
                # Liquidated when the mark price brings the position's margin balance down to
                # its maintenance margin (Gate, 2024-07-10); the published estimate is
                # LP = (entry - margin / multiplier / size) / [1 - (MMR + taker fee rate)] for a
                # long, "+" for a short (Gate's blog, updated 2026-04-09), so the taker fee
                # counts in maintenance margin, valued at the mark. Since 2025-07-29 each slice
                # of the position value pays its own tier's rate ("gradient" MM, Gate's
                # Leverage and Margin page), i.e. the API's "deduction".
                mm_basis=MarginBasis.MARK,
                tier_method=TierMethod.DEDUCTION,
                fee_in_maintenance=True,
                fee_on_extra_margin=False,
                hedge_mode=False,
                round_to_tick_against_trader=False,
                taker_fee_rate=None,
                maker_fee_rate=None,
                fee_note=_FEE_NEEDED,
                # USDT-margined futures taker fee, VIP 0: 0.0500%, unchanged for every contract
                # group by the fee adjustment of 2026-04-09 (Gate announcement 50390,
                # "Gate Spot and Futures Fee Structure Upgrade", published 2026-03-25).
                standard_taker_fee=SourcedRate(
                    rate=Decimal("0.0005"),
                    source_url="https://web.gateorigin.net/tr/announcements/article/50390",
                    published="2026-03-25",
                    retrieved="2026-12-06",
                ),
                inverse_contract_size=None,
                sources=(
                    "http://gate.tv/blog/101350/gate-metal-futures-liquidation-price-manage-closing-risk-market-volatility",
                    "https://gate.io/de/announcements/article/37783",
                    "https://www.gateweb.space/nl/futures-introduction/margin/perpetual-usdtm-SAND_USDT",
                ),
                notes="USDT-settled perpetuals; tiers by position value in USDT with Gate's "
                "published deduction. Gate takes trading fees from the position margin, which "
                "the margin here (position value / leverage) does not subtract.",
            ),
        )
    }
)


def profile(name: str) -> ExchangeProfile:
    """The profile called ``name`` (``generic``, ``binance_usdm``, ``bybit``, …).

    Source: formulas.md §3 (retrieved 2026-11-21); each profile lists its own pages.

    >>> profile("bybit").fee_on_extra_margin
    True
    >>> profile("ftx")
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: exchange: Unknown exchange 'ftx'. Choose one of: generic, binance_usdm, binance_coinm, bybit, okx, bitmex, mexc, bitget, hyperliquid, dydx, gate.
    """
    try:
        return _PROFILES[name]
    except KeyError:
        choices = ", ".join(_PROFILES)
        raise InputError(
            "exchange", f"Unknown exchange {name!r}. Choose one of: {choices}."
        ) from None


def list_profiles() -> tuple[ExchangeProfile, ...]:
    """All profiles, ``generic`` first.

    Source: formulas.md §3 (retrieved 2026-11-21).

    >>> [p.name for p in list_profiles()][:3]
    ['generic', 'binance_usdm', 'binance_coinm']
    """
    return tuple(_PROFILES.values())


def liquidation_switches(name: str) -> dict[str, object]:
    """Keyword arguments of :class:`LiquidationInput` that encode a profile's conventions.

    Source: formulas.md §0 "Recommended generic model" (retrieved 2026-11-21).

    >>> liquidation_switches("okx")
    {'mm_basis': <MarginBasis.MARK: 'mark'>, 'fee_in_maintenance': True, 'fee_on_extra_margin': False}
    >>> liquidation_switches("generic")["fee_in_maintenance"]  # a given fee counts (default 0)
    True
    """
    p = profile(name)
    return {
        "mm_basis": p.mm_basis,
        "fee_in_maintenance": p.fee_in_maintenance,
        "fee_on_extra_margin": p.fee_on_extra_margin,
    }


TableSource = Callable[[str], Mapping[str, TierTable]]
"""Tables newer than the bundled snapshots, per exchange: ``exchange -> {symbol: table}``."""

_refreshed_tables: list[TableSource] = []


def set_table_source(source: TableSource | None) -> None:
    """Use ``source``'s tables before the bundled snapshots (``None`` to stop).

    The web layer registers the tables ``manage.py refresh_exchange_data`` stored in the
    database; the core itself never reads anything but its bundled files. ``source`` is
    called on every lookup, so it must be cheap (cache, and notice new versions itself).
    """
    _refreshed_tables.clear()
    if source is not None:
        _refreshed_tables.append(source)


def table_source() -> TableSource | None:
    """The source registered with :func:`set_table_source`, or ``None``: the bundled
    snapshots only (so a key for what was rendered from tables need not name a version).

    >>> registered = table_source()
    >>> set_table_source(None)
    >>> table_source() is None
    True
    >>> set_table_source(registered)
    """
    return _refreshed_tables[0] if _refreshed_tables else None


def _refreshed(exchange: str) -> Mapping[str, TierTable]:
    return _refreshed_tables[0](exchange) if _refreshed_tables else {}


def _exchange_rows(data: Mapping[str, object]) -> tuple[str, str, dict[str, dict[str, object]]]:
    """(exchange, exchange name, symbol -> raw table) of one exchange file, unvalidated."""
    exchange, name = data.get("exchange"), data.get("exchange_name")
    rows = data.get("tables")
    if not isinstance(exchange, str) or not isinstance(name, str) or not isinstance(rows, list):
        raise InputError("tiers", "An exchange file needs 'exchange', 'exchange_name', 'tables'.")
    by_symbol: dict[str, dict[str, object]] = {}
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("symbol"), str):
            raise InputError("tiers", f"{name}: each table must be an object with a symbol.")
        symbol = row["symbol"]
        if symbol in by_symbol:
            raise InputError("tiers", f"{name} {symbol}: the symbol has two tables.")
        by_symbol[symbol] = {**row, "exchange": exchange, "exchange_name": name}
    return exchange, name, by_symbol


def _parse_row(row: Mapping[str, object]) -> TierTable:
    try:
        return parse_tier_table(row)
    except InputError as error:
        label = f"{row.get('exchange_name')} {row.get('symbol')}"
        raise InputError("tiers", f"{label}: {error.message}") from None


def parse_exchange_file(data: Mapping[str, object]) -> dict[str, TierTable]:
    """The tables of one bundled exchange file, each validated (:func:`parse_tier_table`).

    A file is ``{"exchange", "exchange_name", "tables": [table, ...]}``; each table carries its
    own ``symbol``, ``source_url``, ``snapshot`` and ``retrieved`` dates (data/SOURCES.md).
    One bad table, or a symbol given twice, refuses the whole file with the table named:
    snapshots are never fixed or skipped silently.

    >>> parse_exchange_file({"exchange": "x", "exchange_name": "X", "tables": [{
    ...     "symbol": "BTCUSDT", "contract": "linear", "notional_unit": "USDT",
    ...     "tier_method": "deduction", "boundary": "cap_inclusive",
    ...     "source_url": "https://example.org", "snapshot": "2026-01-01",
    ...     "retrieved": "2026-12-05", "tiers": [{"cap": "100", "maintenance_margin_rate": "0.01",
    ...     "maintenance_amount": "1", "max_leverage": "50"}]}]})
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: tiers: X BTCUSDT: X BTCUSDT tier 1: maintenance amount 1 does not follow from the tier rates (expected 0: d_k = d_(k-1) + floor_k x (MMR_k - MMR_(k-1))).
    """
    _, _, rows = _exchange_rows(data)
    return {symbol: _parse_row(row) for symbol, row in rows.items()}


@cache
def _bundled_rows(exchange: str) -> Mapping[str, Mapping[str, object]]:
    """The raw tables of data/tiers/<exchange>.json: read once, each parsed on first use."""
    entry = resources.files("riskcalc.calc").joinpath("data", "tiers", f"{exchange}.json")
    if not entry.is_file():
        return MappingProxyType({})
    owner, _, rows = _exchange_rows(json.loads(entry.read_text("utf-8")))
    if owner != exchange:
        raise InputError("tiers", f"data/tiers/{exchange}.json holds {owner}'s tables.")
    return MappingProxyType(rows)


@cache
def _bundled_table(exchange: str, symbol: str) -> TierTable | None:
    row = _bundled_rows(exchange).get(symbol)
    return None if row is None else _parse_row(row)


def bundled_tables(exchange: str) -> Mapping[str, TierTable]:
    """Every bundled snapshot table of ``exchange`` (``symbol -> table``), each validated;
    empty for an exchange without a file. Requests parse only the table they use
    (:func:`tier_table`); this parses them all, as the system check and the tests do.

    Source: data/tiers/<exchange>.json (data/SOURCES.md).

    >>> len(bundled_tables("bybit")) >= 1, bundled_tables("generic")
    (True, {})
    """
    profile(exchange)
    tables = {symbol: _bundled_table(exchange, symbol) for symbol in _bundled_rows(exchange)}
    return {symbol: table for symbol, table in tables.items() if table is not None}


def tier_table(exchange: str, symbol: str) -> TierTable:
    """The dated tier table of ``exchange``/``symbol``: the newest refreshed one if the web
    layer registered a source (:func:`set_table_source`), else the bundled snapshot.

    Source: each table's ``source_url`` and ``snapshot`` date (see data/SOURCES.md).

    >>> table = tier_table("bybit", "BTCUSDT")
    >>> table.snapshot.isoformat(), len(table.tiers), table.tiers[1].maintenance_amount
    ('2026-08-05', 35, Decimal('1200'))
    """
    profile(exchange)
    table = _refreshed(exchange).get(symbol) or _bundled_table(exchange, symbol)
    if table is None:
        raise InputError("symbol", unknown_symbol_message(exchange, symbol))
    return table


def symbols(exchange: str) -> tuple[str, ...]:
    """Symbols with a tier table for ``exchange`` (bundled or refreshed), sorted.

    Source: the files in data/tiers/ (data/SOURCES.md).

    >>> symbols("hyperliquid"), symbols("generic")
    (('ATOM', 'BTC', 'ETH'), ())
    """
    profile(exchange)
    refreshed = _refreshed(exchange)
    if not refreshed:
        return _sorted_symbols(exchange)
    return tuple(sorted({*_bundled_rows(exchange), *refreshed}))


@cache
def _sorted_symbols(exchange: str) -> tuple[str, ...]:
    return tuple(sorted(_bundled_rows(exchange)))


def resolve_symbol(exchange: str, symbol: str) -> str | None:
    """``symbol`` as ``exchange`` spells it in its tier tables (matched ignoring case), or
    ``None`` when it has no table there.

    Source: the files in data/tiers/ (data/SOURCES.md).

    >>> resolve_symbol("bybit", "btcusdt"), resolve_symbol("okx", "BTCUSD")
    ('BTCUSDT', None)
    """
    available = symbols(exchange)
    if symbol in available:
        return symbol
    wanted = symbol.casefold()
    return next((s for s in available if s.casefold() == wanted), None)


LISTED_SYMBOLS = 12
"""An error lists every symbol with a table when an exchange has at most this many."""


def close_symbols(exchange: str, symbol: str, *, limit: int = 5) -> tuple[str, ...]:
    """Symbols with a tier table on ``exchange`` that ``symbol`` may have meant: those it
    begins (``SOL`` for ``SOLUSDT``; the coin itself against USDT, USDC or USD first), then
    close spellings (:func:`difflib.get_close_matches`,
    ratio at least 0.8), at most ``limit``, ignoring case. Never a symbol without a table.

    Source: the files in data/tiers/ (data/SOURCES.md).

    >>> close_symbols("binance_usdm", "BTCUSTD")[0], close_symbols("binance_usdm", "eth")[:3]
    ('BTCUSDT', ('ETHUSDT', 'ETHUSDC', 'ETHBTC'))
    >>> close_symbols("okx", "BTCUSD")
    ()
    """
    by_key = {s.casefold(): s for s in symbols(exchange)}
    wanted = symbol.casefold()
    quotes = ("usdt", "usdc", "-usd", "usd", "")

    def rank(key: str) -> tuple[int, int, str]:
        rest = key[len(wanted) :]
        return (quotes.index(rest) if rest in quotes else len(quotes), len(key), key)

    found = [
        by_key[k] for k in sorted((k for k in by_key if wanted and k.startswith(wanted)), key=rank)
    ]
    for key in get_close_matches(wanted, list(by_key), n=limit, cutoff=0.8):
        if by_key[key] not in found:
            found.append(by_key[key])
    return tuple(found[:limit])


def unknown_symbol_message(exchange: str, symbol: str) -> Text:
    """Why ``symbol`` has no tier table on ``exchange``, offering only symbols that have one:
    close matches, and the whole list when it is short (:data:`LISTED_SYMBOLS`). An exchange
    with no table at all says so and asks for the maintenance rate instead.

    Source: the files in data/tiers/ (data/SOURCES.md).

    >>> str(unknown_symbol_message("bybit", "BTCUSTD"))
    "No dated tier table for 'BTCUSTD' on Bybit (Unified Trading Account). Did you mean BTCUSDT? Symbols with a table: BTCUSDT."
    >>> str(unknown_symbol_message("binance_usdm", "SOLUSTD"))
    "No dated tier table for 'SOLUSTD' on Binance USDS-M. Did you mean SOLUSDT, SOLUSDC? 345 symbols have one: choose from the symbol list."
    >>> str(unknown_symbol_message("okx", "BTC-USDT-SWAP"))
    'OKX has no dated tier tables here yet: leave the symbol empty and give the maintenance margin rate.'
    """
    label = profile(exchange).label
    available = symbols(exchange)
    if not available:
        return Text(
            N_(
                "{exchange} has no dated tier tables here yet: leave the symbol empty and give "
                "the maintenance margin rate."
            ),
            {"exchange": label},
        )
    sentences = [
        Text(
            N_("No dated tier table for {symbol} on {exchange}."),
            {"symbol": repr(symbol), "exchange": label},
        )
    ]
    close = close_symbols(exchange, symbol)
    if close:
        sentences.append(Text(N_("Did you mean {symbols}?"), {"symbols": tuple(close)}))
    if len(available) <= LISTED_SYMBOLS:
        sentences.append(Text(N_("Symbols with a table: {symbols}."), {"symbols": available}))
    else:
        sentences.append(
            Text(
                N_("{count} symbols have one: choose from the symbol list."),
                {"count": len(available)},
            )
        )
    return sentences_text(*sentences)


class ClaimStatus(StrEnum):
    """How a leverage figure stands against dated primary sources."""

    CONFIRMED = "confirmed"
    UNVERIFIED = "unverified"
    CONTRADICTED = "contradicted"


@dataclass(frozen=True, slots=True, kw_only=True)
class LeverageClaim:
    """A maximum-leverage figure with its source; ``symbol`` ``"*"`` means exchange-wide."""

    exchange: str
    symbol: str
    max_leverage: Decimal
    status: ClaimStatus
    source_url: str
    source_date: str | None
    claimed_by: str
    note: str


@cache
def _claims() -> tuple[LeverageClaim, ...]:
    text = resources.files("riskcalc.calc").joinpath("data", "max_leverage.json").read_text("utf-8")
    rows = json.loads(text)["claims"]
    return tuple(
        LeverageClaim(
            exchange=row["exchange"],
            symbol=row["symbol"],
            max_leverage=Decimal(row["max_leverage"]),
            status=ClaimStatus(row["status"]),
            source_url=row["source_url"],
            source_date=row["source_date"],
            claimed_by=row["claimed_by"],
            note=row["note"],
        )
        for row in rows
    )


def leverage_claims(exchange: str | None = None) -> tuple[LeverageClaim, ...]:
    """Every recorded maximum-leverage figure (optionally for one exchange), any status.

    Source: jurisdictions.md §1.0 and the seed articles (retrieved 2026-11-21).

    >>> [(c.max_leverage, c.status.value) for c in leverage_claims("bybit")]
    [(Decimal('100'), 'confirmed'), (Decimal('200'), 'contradicted')]
    """
    return tuple(c for c in _claims() if exchange is None or c.exchange == exchange)


def leverage_cap(exchange: str, symbol: str) -> LeverageClaim:
    """The confirmed maximum leverage for ``exchange``/``symbol`` (never an unverified claim).

    Source: data/max_leverage.json, from jurisdictions.md §1.0 (retrieved 2026-11-21).

    >>> leverage_cap("mexc", "BTCUSDT").max_leverage
    Decimal('500')
    >>> leverage_cap("mexc", "SOLUSDT")
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: symbol: No confirmed maximum leverage for mexc SOLUSDT (claims on record are unverified or contradicted).
    """
    for claim in _claims():
        if (
            claim.exchange == exchange
            and claim.symbol in (symbol, "*")
            and claim.status is ClaimStatus.CONFIRMED
        ):
            return claim
    raise InputError(
        "symbol",
        f"No confirmed maximum leverage for {exchange} {symbol} (claims on record are "
        "unverified or contradicted).",
    )
