"""``GET /api/v1/exchanges``: every exchange profile and the symbols it has a dated tier table
for, with each table's snapshot date and source, and its OpenAPI description.

The list follows the tables the calculators use (a refreshed table from
``refresh_exchange_data`` before the bundled snapshot), so a symbol listed here is one the
``symbol`` parameter of the calculator endpoints accepts for that exchange.
"""

from __future__ import annotations

from typing import Any

from riskcalc.calc.profiles import list_profiles, symbols, tier_table

__all__ = ["EXCHANGES_PATH", "exchange_list", "openapi_paths", "openapi_schemas"]

EXCHANGES_PATH = "/api/v1/exchanges"


def _plain(value: Any) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def exchange_list() -> dict[str, Any]:
    """Every exchange (not the generic profile) with its symbols, sorted.

    >>> exchanges = exchange_list()["exchanges"]
    >>> bybit = next(e for e in exchanges if e["name"] == "bybit")
    >>> bybit["symbols"][0]
    {'symbol': 'BTCUSDT', 'contract': 'linear', 'settle': 'USDT', 'max_leverage': '100', 'snapshot': '2026-08-05', 'source': 'https://api.bybit.com/v5/market/risk-limit?category=linear&symbol=BTCUSDT'}
    """
    exchanges = []
    for prof in list_profiles():
        if prof.name == "generic":
            continue
        rows = []
        for symbol in symbols(prof.name):
            table = tier_table(prof.name, symbol)
            rows.append(
                {
                    "symbol": symbol,
                    "contract": table.contract.value,
                    "settle": table.settle or table.notional_unit,
                    "max_leverage": _plain(table.tiers[0].max_leverage),
                    "snapshot": table.snapshot.isoformat(),
                    "source": table.source_url,
                }
            )
        exchanges.append({"name": prof.name, "label": prof.label, "symbols": rows})
    return {"exchanges": exchanges}


def openapi_schemas() -> dict[str, Any]:
    """The ``ExchangeList`` schema of the OpenAPI document."""
    text = {"type": "string"}
    symbol = {
        "type": "object",
        "required": ["symbol", "contract", "settle", "max_leverage", "snapshot", "source"],
        "properties": {
            "symbol": {
                **text,
                "description": "The exchange's own symbol, as the calculators take it.",
            },
            "contract": {
                "type": "string",
                "enum": ["linear", "inverse"],
                "description": "linear (PnL in the quote currency) or inverse (in the coin).",
            },
            "settle": {**text, "description": "Settlement (and margin) currency."},
            "max_leverage": {
                "type": "string",
                "pattern": r"^[0-9]+(\.[0-9]+)?$",
                "description": "Highest leverage of the table (its first tier).",
            },
            "snapshot": {
                "type": "string",
                "format": "date",
                "description": "Date the exchange's table was captured.",
            },
            "source": {**text, "description": "Where the table comes from."},
        },
    }
    return {
        "ExchangeList": {
            "type": "object",
            "required": ["exchanges"],
            "properties": {
                "exchanges": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "label", "symbols"],
                        "properties": {
                            "name": {**text, "description": "The `exchange` parameter's value."},
                            "label": {**text, "description": "The exchange's name."},
                            "symbols": {"type": "array", "items": symbol},
                        },
                    },
                }
            },
        }
    }


def openapi_paths() -> dict[str, Any]:
    """The ``/api/v1/exchanges`` path item of the OpenAPI document."""
    return {
        EXCHANGES_PATH: {
            "get": {
                "operationId": "exchanges_get",
                "summary": "Exchanges and the symbols with a dated tier table",
                "description": "Every exchange profile with the symbols the calculators have a "
                "tier table for: contract, settlement currency, maximum leverage (first tier), "
                "the table's snapshot date and its source. Tables older than 30 days are "
                "flagged in the calculators' warnings.",
                "parameters": [],
                "responses": {
                    "200": {
                        "description": "The exchanges and their symbols.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ExchangeList"}
                            }
                        },
                    }
                },
            }
        }
    }
