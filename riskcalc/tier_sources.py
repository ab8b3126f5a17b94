"""Exchanges' published tier data, converted to the calculator's tier-table form.

Each exchange publishes its margin tiers in its own shape. A converter here takes one such
document (parsed JSON, numbers as :class:`~decimal.Decimal` or strings) and returns the
exchange's tables in the form :func:`riskcalc.calc.tiers.parse_tier_table` reads, without the
provenance fields (source, snapshot and retrieval dates), which the caller adds. The same
converters serve ``manage.py import_tier_snapshot`` (bundled snapshots in
``riskcalc/calc/data/tiers/``) and ``manage.py refresh_exchange_data`` (live tables), so a
snapshot and a refresh of the same data cannot differ.

Nothing is corrected: a value an exchange leaves out is derived only where the exchange's
documentation gives the rule (a deduction from the published recursion, Hyperliquid's
maintenance rate from its maximum leverage), and the table's note says so. Validation
(deduction recursion, rising caps and rates, falling leverage) is the loader's.

Formats (``FORMATS``), with the endpoint whose documented response each one reads:

- ``binance``: ``GET /fapi/v1/leverageBracket`` (USDⓈ-M, signed: needs an API key),
  https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Notional-and-Leverage-Brackets
- ``freqtrade_binance``: freqtrade's ``binance_leverage_tiers.json`` (ccxt's
  ``fetch_leverage_tiers`` of the same endpoint, each tier's Binance row under ``info``)
- ``bybit``: ``GET /v5/market/risk-limit?category=linear``,
  https://bybit-exchange.github.io/docs/v5/market/risk-limit
- ``dydx``: ``GET /v4/perpetualMarkets`` (indexer),
  https://docs.dydx.exchange/api_integration-indexer/indexer_api
- ``hyperliquid``: ``POST /info {"type": "meta"}``,
  https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals
- ``bitmex``: ``GET /api/v1/instrument/active``, https://www.bitmex.com/api/explorer/
- ``bitget``: ``GET /api/v2/mix/market/query-position-lever`` (USDT-M),
  https://www.bitget.com/api-doc/contract/position/Get-Query-Position-Lever
- ``bitget_announcement``: the table of a Bitget announcement that sets a pair's position
  tiers, transcribed cell for cell (``riskcalc/calc/data/published/``)
- ``gate``: ``GET /api/v4/futures/usdt/risk_limit_tiers`` (USDT-settled perpetuals, every
  market: no ``contract`` parameter), https://www.gate.com/docs/developers/apiv4/en/#list-risk-limit-tiers
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from riskcalc.calc.errors import InputError
from riskcalc.calc.profiles import profile
from riskcalc.calc.tiers import TierTable, deductions_from_rates, parse_tier_table

__all__ = [
    "FORMATS",
    "TableDict",
    "checked_tables",
    "convert",
    "exchange_file_text",
    "load_json",
]

TableDict = dict[str, Any]
"""One table in the bundled JSON form (strings for numbers), without provenance fields."""


def load_json(text: str | bytes) -> Any:
    """Parse an exchange's JSON with every number as a :class:`Decimal` (never a float).

    >>> load_json('{"maintMarginRatio": 0.004, "cum": 0}')
    {'maintMarginRatio': Decimal('0.004'), 'cum': Decimal('0')}
    """
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def _num(value: Any) -> str:
    """A number from an exchange document as plain-notation text (``Decimal`` rules)."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError(f"expected a number, got {value!r}")
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _tier(
    cap: Any, rate: Any, amount: Any, leverage: Any, initial: Any = None
) -> dict[str, str | None]:
    row: dict[str, str | None] = {
        "cap": None if cap is None else _num(cap),
        "maintenance_margin_rate": _num(rate),
        "maintenance_amount": _num(amount),
        "max_leverage": _num(leverage),
    }
    if initial is not None:
        row["initial_margin_rate"] = _num(initial)
    return row


def _with_deductions(rows: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """Fill each row's ``maintenance_amount`` from the published recursion (caps as floors)."""
    caps = [Decimal(str(row["cap"])) for row in rows[:-1]]
    rates = [Decimal(str(row["maintenance_margin_rate"])) for row in rows]
    for row, amount in zip(rows, deductions_from_rates(caps, rates), strict=True):
        row["maintenance_amount"] = _num(amount)
    return rows


def _binance_table(symbol: str, settle: str, brackets: Iterable[Mapping[str, Any]]) -> TableDict:
    ordered = sorted(brackets, key=lambda b: Decimal(str(b["notionalFloor"])))
    rows = [
        _tier(b["notionalCap"], b["maintMarginRatio"], b["cum"], b["initialLeverage"])
        for b in ordered
    ]
    floors = [_num(b["notionalFloor"]) for b in ordered]
    if floors != ["0", *(str(row["cap"]) for row in rows[:-1])]:
        raise ValueError(f"{symbol}: bracket floors do not follow the caps ({floors})")
    return {
        "symbol": symbol,
        "contract": "linear",
        "notional_unit": settle,
        "settle": settle,
        "tier_method": "deduction",
        "boundary": "floor_inclusive",
        "tiers": rows,
    }


def binance(document: Any) -> list[TableDict]:
    """Binance USDⓈ-M ``/fapi/v1/leverageBracket``: ``[{"symbol", "brackets": [{"bracket",
    "initialLeverage", "notionalCap", "notionalFloor", "maintMarginRatio", "cum"}]}]``.

    The settlement asset is the symbol's quote (USDT, USDC, or BTC for ETHBTC); dated
    futures (``BTCUSDT_250328``) are left out, since they expire. The endpoint answers with
    the calling account's brackets: a symbol with a ``notionalCoef`` other than 1 (brackets
    adjusted for that account) refuses the whole response rather than store them as public.

    >>> binance([{"symbol": "BTCUSDT", "brackets": [
    ...     {"bracket": 1, "initialLeverage": 125, "notionalCap": 50000, "notionalFloor": 0,
    ...      "maintMarginRatio": Decimal("0.004"), "cum": Decimal("0.0")}]}])[0]["tiers"]
    [{'cap': '50000', 'maintenance_margin_rate': '0.004', 'maintenance_amount': '0', 'max_leverage': '125'}]
    """
    tables = []
    for entry in document:
        symbol = str(entry["symbol"])
        if "_" in symbol:
            continue
        if Decimal(str(entry.get("notionalCoef", 1))) != 1:
            # "user symbol bracket multiplier, only appears when user's symbol bracket is
            # adjusted" (the endpoint's documentation): that account's table, not the public one.
            raise ValueError(f"{symbol}: brackets adjusted for this account (notionalCoef)")
        settle = next((q for q in ("USDT", "USDC", "BTC") if symbol.endswith(q)), "")
        if not settle:
            raise ValueError(f"{symbol}: unknown settlement asset")
        tables.append(_binance_table(symbol, settle, entry["brackets"]))
    return tables


def freqtrade_binance(document: Mapping[str, Any]) -> list[TableDict]:
    """freqtrade's ``binance_leverage_tiers.json``: ``{"BTC/USDT:USDT": [{..., "info":
    {Binance bracket}}]}`` (ccxt market ids). Perpetuals only; the symbol is Binance's own
    (base + quote).

    >>> freqtrade_binance({"ETH/BTC:BTC": [{"info": {"bracket": "1", "initialLeverage": "100",
    ...     "notionalCap": "5", "notionalFloor": "0", "maintMarginRatio": "0.005",
    ...     "cum": "0.0"}}]})[0]["symbol"]
    'ETHBTC'
    """
    entries = []
    for market, tiers in document.items():
        pair, _, settlement = market.partition(":")
        if "-" in settlement:  # a dated future: BTC/USDT:USDT-250328
            continue
        base, _, quote = pair.partition("/")
        entries.append({"symbol": base + quote, "brackets": [tier["info"] for tier in tiers]})
    return binance(entries)


def bybit(document: Mapping[str, Any]) -> list[TableDict]:
    """Bybit ``/v5/market/risk-limit``: ``{"result": {"category", "list": [{"symbol",
    "riskLimitValue", "maintenanceMargin", "initialMargin", "maxLeverage", "mmDeduction"}]}}``.

    ``riskLimitValue`` is an inclusive cap ("this value or below"). An empty ``mmDeduction``
    is derived from the recursion Bybit's help page states (the note says so).

    >>> bybit({"result": {"category": "linear", "list": [
    ...     {"symbol": "BTCUSDT", "riskLimitValue": "2000000", "maintenanceMargin": "0.005",
    ...      "initialMargin": "0.01", "maxLeverage": "100.00", "mmDeduction": ""}]}})[0]["tiers"]
    [{'cap': '2000000', 'maintenance_margin_rate': '0.005', 'maintenance_amount': '0', 'max_leverage': '100', 'initial_margin_rate': '0.01'}]
    """
    result = document["result"]
    category = result.get("category", "linear")
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in result["list"]:
        grouped.setdefault(str(row["symbol"]), []).append(row)
    tables = []
    for symbol, rows in sorted(grouped.items()):
        ordered = sorted(rows, key=lambda r: Decimal(str(r["riskLimitValue"])))
        derived = any(r.get("mmDeduction") in (None, "") for r in ordered)
        tiers = [
            _tier(
                r["riskLimitValue"],
                r["maintenanceMargin"],
                "0" if derived else r["mmDeduction"],
                r["maxLeverage"],
                r.get("initialMargin"),
            )
            for r in ordered
        ]
        inverse = category == "inverse"
        quote = next((q for q in ("USDT", "USDC", "USD", "PERP") if symbol.endswith(q)), "")
        base = symbol[: -len(quote)] if quote else symbol
        unit = base if inverse else ("USDC" if quote == "PERP" else quote)
        table: TableDict = {
            "symbol": symbol,
            "contract": "inverse" if inverse else "linear",
            "notional_unit": unit,
            "settle": unit,
            "tier_method": "deduction",
            "boundary": "cap_inclusive",
            "tiers": _with_deductions(tiers) if derived else tiers,
        }
        if derived:
            table["note"] = "Deductions derived from the published recursion (not in the response)."
        tables.append(table)
    return tables


def dydx(document: Mapping[str, Any]) -> list[TableDict]:
    """dYdX v4 indexer ``/v4/perpetualMarkets``: ``{"markets": {"BTC-USD": {"status",
    "initialMarginFraction", "maintenanceMarginFraction", "tickSize", "stepSize"}}}`` (also
    accepted wrapped in ``{"result": ...}``). One tier per market, open-ended: dYdX v4 has one
    maintenance fraction per market. Active markets only.

    >>> dydx({"markets": {"BTC-USD": {"ticker": "BTC-USD", "status": "ACTIVE",
    ...     "initialMarginFraction": "0.02", "maintenanceMarginFraction": "0.012",
    ...     "tickSize": "1", "stepSize": "0.0001"}}})[0]["tiers"]
    [{'cap': None, 'maintenance_margin_rate': '0.012', 'maintenance_amount': '0', 'max_leverage': '50', 'initial_margin_rate': '0.02'}]
    """
    markets = document["markets"] if "markets" in document else document["result"]["markets"]
    tables = []
    for ticker, market in sorted(markets.items()):
        if market.get("status") != "ACTIVE":
            continue
        initial = Decimal(str(market["initialMarginFraction"]))
        tables.append(
            {
                "symbol": str(ticker),
                "contract": "linear",
                "notional_unit": "USDC",
                "settle": "USDC",
                "tier_method": "deduction",
                "boundary": "cap_inclusive",
                "tick_size": _num(market["tickSize"]),
                "tiers": [
                    _tier(None, market["maintenanceMarginFraction"], 0, 1 / initial, initial)
                ],
            }
        )
    return tables


def hyperliquid(document: Mapping[str, Any]) -> list[TableDict]:
    """Hyperliquid ``info`` ``{"type": "meta"}``: ``{"universe": [{"name", "maxLeverage",
    "marginTableId", "isDelisted"}], "marginTables": [[id, {"marginTiers": [{"lowerBound",
    "maxLeverage"}]}]]}``.

    Hyperliquid states MMR = 1 / (2 x max leverage) for each tier and IMR = 1 / max leverage;
    the deductions follow the recursion. An asset whose margin table is not listed has one
    open-ended tier at its ``maxLeverage`` (the note says so). Delisted assets are left out.

    >>> hyperliquid({"universe": [{"name": "ETH", "maxLeverage": 25}], "marginTables": []})[0]["tiers"]
    [{'cap': None, 'maintenance_margin_rate': '0.02', 'maintenance_amount': '0', 'max_leverage': '25', 'initial_margin_rate': '0.04'}]
    """
    tables_by_id = {
        int(str(entry[0])): entry[1]["marginTiers"] for entry in document.get("marginTables", [])
    }
    tables = []
    for asset in document["universe"]:
        if asset.get("isDelisted"):
            continue
        table_id = asset.get("marginTableId")
        bands = tables_by_id.get(int(str(table_id))) if table_id is not None else None
        if not bands:
            bands = [{"lowerBound": "0", "maxLeverage": asset["maxLeverage"]}]
        ordered = sorted(bands, key=lambda band: Decimal(str(band["lowerBound"])))
        rows = []
        for index, band in enumerate(ordered):
            leverage = Decimal(str(band["maxLeverage"]))
            cap = ordered[index + 1]["lowerBound"] if index + 1 < len(ordered) else None
            rows.append(_tier(cap, 1 / (2 * leverage), 0, leverage, 1 / leverage))
        table: TableDict = {
            "symbol": str(asset["name"]),
            "contract": "linear",
            "notional_unit": "USDC",
            "settle": "USDC",
            "tier_method": "deduction",
            "boundary": "cap_inclusive",
            "tiers": _with_deductions(rows),
        }
        if len(bands) == 1 and table_id is None:
            table["note"] = (
                "One tier at the asset's maximum leverage: the source lists no margin table "
                "for it, so tiers for very large positions are not included."
            )
        tables.append(table)
    return tables


def bitmex(document: Iterable[Mapping[str, Any]]) -> list[TableDict]:
    """BitMEX ``/api/v1/instrument/active``: perpetual swaps (``typ`` ``FFWCSX``), each with
    ``initMargin``, ``maintMargin`` and ``riskLimit`` (in the settlement currency's smallest
    unit: satoshi for ``XBt``, micro-USDT for ``USDt``).

    One tier: the base risk limit at the instrument's margins. Positions above ``riskLimit``
    pay higher margins by ``riskStep`` that this table does not include (its last tier ends
    at ``riskLimit``, so such a position is refused, not mispriced).

    >>> bitmex([{"symbol": "XBTUSD", "typ": "FFWCSX", "state": "Open", "isInverse": True,
    ...     "settlCurrency": "XBt", "underlying": "XBT", "initMargin": Decimal("0.01"),
    ...     "maintMargin": Decimal("0.005"), "riskLimit": 20000000000, "tickSize":
    ...     Decimal("0.1")}])[0]["tiers"]
    [{'cap': '200', 'maintenance_margin_rate': '0.005', 'maintenance_amount': '0', 'max_leverage': '100', 'initial_margin_rate': '0.01'}]
    """
    scale = {"XBt": (Decimal("1e8"), "XBT"), "USDt": (Decimal("1e6"), "USDT")}
    tables = []
    for instrument in document:
        if instrument.get("typ") != "FFWCSX" or instrument.get("state") != "Open":
            continue
        settle = str(instrument["settlCurrency"])
        if settle not in scale:
            continue
        divisor, unit = scale[settle]
        inverse = bool(instrument.get("isInverse"))
        initial = Decimal(str(instrument["initMargin"]))
        cap = Decimal(str(instrument["riskLimit"])) / divisor
        tables.append(
            {
                "symbol": str(instrument["symbol"]),
                "contract": "inverse" if inverse else "linear",
                "notional_unit": unit,
                "settle": unit,
                "tier_method": "whole_position",
                "boundary": "cap_inclusive",
                "tick_size": _num(instrument["tickSize"]),
                "tiers": [_tier(cap, instrument["maintMargin"], 0, 1 / initial, initial)],
                "note": "Base risk limit only: above it BitMEX raises the margins by its risk "
                "step, which this table leaves out (larger positions are refused).",
            }
        )
    return tables


def _bitget_table(symbol: str, bands: list[tuple[Any, Any, Any, Any]]) -> TableDict:
    """One Bitget USDT-M table from (start, end, leverage, maintenance rate) bands, in order.

    Bitget charges each slice of the notional at its own rate for positions opened since
    2025-11-10 (its tiered-MM article), which is the deduction recursion; no deduction is
    published, so it is derived (the note says so). Which end of a band it belongs to is
    not stated: the cap is read as inclusive, as Bybit and OKX state theirs.
    """
    ordered = sorted(bands, key=lambda band: Decimal(_num(band[0])))
    starts = [_num(band[0]) for band in ordered]
    ends = [_num(band[1]) for band in ordered]
    if starts != ["0", *ends[:-1]]:
        raise ValueError(f"{symbol}: band starts do not follow the ends ({starts})")
    rows = [_tier(end, rate, 0, leverage) for _, end, leverage, rate in ordered]
    return {
        "symbol": symbol,
        "contract": "linear",
        "notional_unit": "USDT",
        "settle": "USDT",
        "tier_method": "deduction",
        "boundary": "cap_inclusive",
        "tiers": _with_deductions(rows),
        "note": "Deductions derived from the published recursion (each slice of the notional "
        "at its own rate, Bitget's tiered maintenance margin); Bitget publishes none. Band "
        "ends read as inclusive (not stated by Bitget).",
    }


def bitget(document: Mapping[str, Any]) -> list[TableDict]:
    """Bitget ``GET /api/v2/mix/market/query-position-lever`` (USDT-M): ``{"data": [{"symbol",
    "level", "startUnit", "endUnit", "leverage", "keepMarginRate"}]}``, bands of notional in
    USDT. https://www.bitget.com/api-doc/contract/position/Get-Query-Position-Lever

    >>> bitget({"data": [{"symbol": "BTCUSDT", "level": "2", "startUnit": "50000",
    ...     "endUnit": "200000", "leverage": "100", "keepMarginRate": "0.005"},
    ...     {"symbol": "BTCUSDT", "level": "1", "startUnit": "0", "endUnit": "50000",
    ...     "leverage": "125", "keepMarginRate": "0.004"}]})[0]["tiers"][1]
    {'cap': '200000', 'maintenance_margin_rate': '0.005', 'maintenance_amount': '50', 'max_leverage': '100'}
    """
    grouped: dict[str, list[tuple[Any, Any, Any, Any]]] = {}
    for row in document["data"]:
        band = (row["startUnit"], row["endUnit"], row["leverage"], row["keepMarginRate"])
        grouped.setdefault(str(row["symbol"]), []).append(band)
    return [_bitget_table(symbol, bands) for symbol, bands in sorted(grouped.items())]


def bitget_announcement(document: Mapping[str, Any]) -> list[TableDict]:
    """A Bitget announcement's table of position tiers, transcribed cell for cell:
    ``{"symbol", "columns": ["Position(USDT)", "Leverage", "Maintenance margin rate"],
    "rows": [["0~200,000", "150", "0.0040"], ...]}`` (the table after the adjustment). A
    position cell is ``start~end`` in USDT, thousands separated by commas or not, as printed.

    >>> bitget_announcement({"symbol": "ETHUSDT", "columns": ["Position(USDT)", "Leverage",
    ...     "Maintenance margin rate"], "rows": [["0~200,000", "150", "0.0040"],
    ...     ["200,000~1,000,000", "100", "0.0050"]]})[0]["tiers"][1]["maintenance_amount"]
    '200'
    """
    if list(document["columns"]) != ["Position(USDT)", "Leverage", "Maintenance margin rate"]:
        raise ValueError(f"unexpected columns {document['columns']!r}")
    bands = []
    for position, leverage, rate in document["rows"]:
        start, separator, end = str(position).replace(",", "").partition("~")
        if not separator:
            raise ValueError(f"{position!r} is not a start~end band")
        bands.append((Decimal(start), Decimal(end), leverage, rate))
    return [_bitget_table(str(document["symbol"]), bands)]


def gate(document: Iterable[Mapping[str, Any]]) -> list[TableDict]:
    """Gate ``GET /futures/usdt/risk_limit_tiers`` asked for every market: ``[{"contract",
    "tier", "risk_limit", "initial_rate", "maintenance_rate", "leverage_max", "deduction"}]``
    (the fields of Gate's ``FuturesLimitRiskTiers`` model: risk limit and deduction in USDT).

    ``risk_limit`` is the largest position value of its tier (Gate's risk-limit help: a tier's
    leverage "leads to a maximum position value" of its limit), so the cap is inclusive; the
    ``deduction`` ("maintenance margin quick calculation deduction amount") is kept as
    published, for the loader to check against the recursion. A row without ``contract``
    (what Gate answers when asked for one contract) refuses the document: it cannot be told
    which market it belongs to.

    >>> gate([{"contract": "ETH_USDT", "tier": 2, "risk_limit": "500000",
    ...     "initial_rate": "0.006666", "maintenance_rate": "0.0035", "leverage_max": "150.01",
    ...     "deduction": "150"}, {"contract": "ETH_USDT", "tier": 1, "risk_limit": "300000",
    ...     "initial_rate": "0.005", "maintenance_rate": "0.003", "leverage_max": "200",
    ...     "deduction": "0"}])[0]["tiers"][1]
    {'cap': '500000', 'maintenance_margin_rate': '0.0035', 'maintenance_amount': '150', 'max_leverage': '150.01', 'initial_margin_rate': '0.006666'}
    """
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in document:
        contract = str(row.get("contract") or "")
        if not contract:
            raise ValueError("a tier without its contract (ask for every market)")
        grouped.setdefault(contract, []).append(row)
    tables = []
    for contract, rows in sorted(grouped.items()):
        ordered = sorted(rows, key=lambda r: int(r["tier"]))
        tiers = [
            _tier(
                r["risk_limit"],
                r["maintenance_rate"],
                r["deduction"],
                r["leverage_max"],
                r.get("initial_rate"),
            )
            for r in ordered
        ]
        tables.append(
            {
                "symbol": contract,
                "contract": "linear",
                "notional_unit": "USDT",
                "settle": "USDT",
                "tier_method": "deduction",
                "boundary": "cap_inclusive",
                "tiers": tiers,
            }
        )
    return tables


FORMATS: Mapping[str, tuple[str, Callable[[Any], list[TableDict]]]] = {
    "binance": ("binance_usdm", binance),
    "freqtrade_binance": ("binance_usdm", freqtrade_binance),
    "bybit": ("bybit", bybit),
    "dydx": ("dydx", dydx),
    "hyperliquid": ("hyperliquid", hyperliquid),
    "bitmex": ("bitmex", bitmex),
    "bitget": ("bitget", bitget),
    "bitget_announcement": ("bitget", bitget_announcement),
    "gate": ("gate", gate),
}
"""Format name -> (exchange profile name, converter)."""


def convert(format_name: str, document: Any) -> tuple[str, list[TableDict]]:
    """The exchange and its tables from one ``format_name`` document (see ``FORMATS``).

    >>> convert("dydx", {"markets": {}})
    ('dydx', [])
    """
    exchange, converter = FORMATS[format_name]
    return exchange, converter(document)


def checked_tables(
    exchange: str, tables: Iterable[TableDict], *, provenance: Mapping[str, str]
) -> tuple[list[tuple[TableDict, TierTable]], list[str]]:
    """Each table with ``provenance`` (``source_url``, ``snapshot``, ``retrieved``, and an
    optional ``note`` put before the table's own) added and validated by the loader's own
    parser; refused tables are returned as messages naming the symbol and the rule broken.

    >>> good, refused = checked_tables("bybit", [{"symbol": "X", "contract": "linear",
    ...     "notional_unit": "USDT", "tier_method": "deduction", "boundary": "cap_inclusive",
    ...     "tiers": [_tier(None, "0.01", "5", "50")]}], provenance={"source_url":
    ...     "https://example.org", "snapshot": "2026-12-01", "retrieved": "2026-12-05"})
    >>> good, refused
    ([], ['Bybit (Unified Trading Account) X tier 1: maintenance amount 5 does not follow from the tier rates (expected 0: d_k = d_(k-1) + floor_k x (MMR_k - MMR_(k-1))).'])
    """
    name = profile(exchange).label
    accepted, refused = [], []
    for table in tables:
        notes = [provenance.get("note", ""), str(table.get("note", ""))]
        row = {
            **table,
            "source_url": provenance["source_url"],
            "snapshot": provenance["snapshot"],
            "retrieved": provenance["retrieved"],
            "note": " ".join(n for n in notes if n),
        }
        if not row["note"]:
            del row["note"]
        try:
            parsed = parse_tier_table({**row, "exchange": exchange, "exchange_name": name})
        except InputError as error:
            refused.append(error.message)
            continue
        accepted.append((row, parsed))
    return accepted, refused


_TABLE_KEYS = (
    "symbol",
    "contract",
    "notional_unit",
    "settle",
    "contract_size",
    "tick_size",
    "tier_method",
    "boundary",
    "source_url",
    "snapshot",
    "retrieved",
    "note",
)


def exchange_file_text(exchange: str, tables: Iterable[TableDict]) -> str:
    """The bundled file of ``exchange`` (``data/tiers/<exchange>.json``): tables sorted by
    symbol, keys in a fixed order, one tier per line, so the same input always gives the same
    bytes and a changed table shows as a small diff.

    >>> print(exchange_file_text("dydx", []))
    {
     "exchange": "dydx",
     "exchange_name": "dYdX v4",
     "tables": []
    }
    """
    out = [
        "{",
        f' "exchange": {json.dumps(exchange)},',
        f' "exchange_name": {json.dumps(profile(exchange).label, ensure_ascii=False)},',
    ]
    ordered = sorted(tables, key=lambda table: str(table["symbol"]))
    if not ordered:
        return "\n".join([*out, ' "tables": []', "}"])
    out.append(' "tables": [')
    for index, table in enumerate(ordered):
        out.append("  {")
        for key in _TABLE_KEYS:
            if key in table:
                out.append(f"   {json.dumps(key)}: {json.dumps(table[key], ensure_ascii=False)},")
        out.append('   "tiers": [')
        rows = [json.dumps(tier, ensure_ascii=False) for tier in table["tiers"]]
        out.append(",\n".join(f"    {row}" for row in rows))
        out.append("   ]")
        out.append("  }" + ("," if index < len(ordered) - 1 else ""))
    out.extend([" ]", "}"])
    return "\n".join(out)
