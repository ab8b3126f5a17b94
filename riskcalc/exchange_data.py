"""Current tier tables from the exchanges: fetch, validate, store versions, serve to requests.

``manage.py refresh_exchange_data`` calls :func:`refresh` for each exchange in ``ENDPOINTS``:
it fetches the exchange's documented public endpoint, converts the response with
``riskcalc.tier_sources`` (the same converters as the bundled snapshots), validates every table
with the loader's own rules and stores each changed table as a new
:class:`~riskcalc.models.TierTableVersion` (the previous versions stay). Binance's bracket
endpoint is signed: it is fetched only with ``BINANCE_API_KEY`` and ``BINANCE_API_SECRET`` in the
environment, and the bundled snapshot stays in use otherwise.

Requests use the newest stored version of a table before the bundled snapshot:
:class:`StoredTablesMiddleware` gives each request a :class:`RequestTables`, registered with the
core through :func:`riskcalc.calc.profiles.set_table_source`. A tier lookup asks the database
for the newest version id (one indexed query, at most once a second per process, see
:class:`StoredTables`) and reloads the stored tables only when it changed, so a refresh is used
without a restart, and a request that uses no tier table costs nothing. Outside a request (tests of the core, management commands)
only the bundled snapshots are used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import DatabaseError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from riskcalc.calc.profiles import profile, table_source
from riskcalc.calc.tiers import TierTable, parse_tier_table
from riskcalc.models import TierTableVersion
from riskcalc.tier_sources import TableDict, checked_tables, convert, load_json

__all__ = [
    "ENDPOINTS",
    "Endpoint",
    "RefreshReport",
    "RequestTables",
    "StoredTablesMiddleware",
    "forget_stored_tables",
    "stored_tables_version",
    "refresh",
    "stored_tables_source",
    "table_digest",
]

TIMEOUT_SECONDS = 30
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An exchange's public tier endpoint: the ``tier_sources`` format its response is in, the
    URL (``source_url`` of the tables it gives), and the request body for a POST."""

    format: str
    url: str
    body: Mapping[str, Any] | None = None
    signed: bool = False
    paginated: bool = False


ENDPOINTS: Mapping[str, Endpoint] = {
    # https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Notional-and-Leverage-Brackets
    "binance_usdm": Endpoint(
        "binance", "https://fapi.binance.com/fapi/v1/leverageBracket", signed=True
    ),
    # https://bybit-exchange.github.io/docs/v5/market/risk-limit (cursor-paginated)
    "bybit": Endpoint(
        "bybit", "https://api.bybit.com/v5/market/risk-limit?category=linear", paginated=True
    ),
    # https://docs.dydx.exchange/api_integration-indexer/indexer_api
    "dydx": Endpoint("dydx", "https://indexer.dydx.trade/v4/perpetualMarkets"),
    # https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals
    "hyperliquid": Endpoint(
        "hyperliquid", "https://api.hyperliquid.xyz/info", body={"type": "meta"}
    ),
    # https://www.bitmex.com/api/explorer/#!/Instrument/Instrument_getActive
    "bitmex": Endpoint("bitmex", "https://www.bitmex.com/api/v1/instrument/active"),
    # https://www.bitget.com/api-doc/contract/position/Get-Query-Position-Lever (one symbol a
    # request: the pair whose table is bundled)
    "bitget": Endpoint(
        "bitget",
        "https://api.bitget.com/api/v2/mix/market/query-position-lever"
        "?symbol=ETHUSDT&productType=USDT-FUTURES",
    ),
    # https://www.gate.com/docs/developers/apiv4/en/#list-risk-limit-tiers (no key; without a
    # contract it answers for the 100 largest USDT-settled markets, each row naming its own)
    "gate": Endpoint("gate", "https://api.gateio.ws/api/v4/futures/usdt/risk_limit_tiers"),
}
"""Exchange profile name -> its public tier endpoint."""

Opener = Callable[[urllib.request.Request], bytes]


def _open(request: urllib.request.Request) -> bytes:
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        body: bytes = response.read()
    return body


def _signed_url(url: str, key: str, secret: str) -> tuple[str, dict[str, str]]:
    """Binance's SIGNED request: ``timestamp`` and an HMAC-SHA256 ``signature`` of the query,
    the key in ``X-MBX-APIKEY`` (https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info)."""
    query = urllib.parse.urlencode({"timestamp": int(time.time() * 1000)})
    signature = hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest()
    return f"{url}?{query}&signature={signature}", {"X-MBX-APIKEY": key}


def fetch_document(exchange: str, endpoint: Endpoint, opener: Opener) -> Any:
    """The exchange's response, parsed with decimals (all pages of a paginated endpoint)."""
    headers = {"Accept": "application/json", "User-Agent": "riskcalc refresh_exchange_data"}
    url = endpoint.url
    if endpoint.signed:
        key, secret = os.environ.get("BINANCE_API_KEY"), os.environ.get("BINANCE_API_SECRET")
        if not key or not secret:
            raise MissingKey(exchange)
        url, auth = _signed_url(url, key, secret)
        headers.update(auth)
    data = None
    if endpoint.body is not None:
        data = json.dumps(endpoint.body).encode()
        headers["Content-Type"] = "application/json"
    document = load_json(opener(urllib.request.Request(url, data=data, headers=headers)))
    if endpoint.paginated:
        rows = list(document["result"]["list"])
        cursor = document["result"].get("nextPageCursor")
        while cursor:
            page_url = f"{url}&cursor={urllib.parse.quote(str(cursor))}"
            page = load_json(opener(urllib.request.Request(page_url, headers=headers)))
            rows.extend(page["result"]["list"])
            cursor = page["result"].get("nextPageCursor")
        document["result"]["list"] = rows
    return document


class MissingKey(Exception):
    """A signed endpoint without its API key in the environment."""


def table_digest(table: Mapping[str, Any]) -> str:
    """SHA-256 of what makes a table a different table: its tiers and contract terms, not its
    dates, source or note (a table fetched again unchanged is not a new version).

    >>> table_digest({"symbol": "X", "tiers": [], "snapshot": "2026-01-01"}) == table_digest(
    ...     {"symbol": "X", "tiers": [], "snapshot": "2026-12-05"})
    True
    """
    ignored = {"source_url", "snapshot", "retrieved", "note"}
    terms = {key: value for key, value in table.items() if key not in ignored}
    return hashlib.sha256(json.dumps(terms, sort_keys=True).encode()).hexdigest()


@dataclass(slots=True)
class RefreshReport:
    """What one exchange's refresh did."""

    exchange: str
    fetched: int = 0
    stored: int = 0
    refused: list[str] = field(default_factory=list)
    skipped: str = ""


def store_tables(exchange: str, rows: list[TableDict]) -> int:
    """Store each table that differs from the newest stored version of its symbol; return how
    many were stored. Earlier versions are never changed or deleted."""
    newest: dict[str, str] = {}
    for symbol, digest in (
        TierTableVersion.objects.filter(exchange=exchange)
        .order_by("symbol", "-fetched_at", "-id")
        .values_list("symbol", "digest")
    ):
        newest.setdefault(symbol, digest)
    changed = [
        TierTableVersion(exchange=exchange, symbol=row["symbol"], digest=digest, table=row)
        for row in rows
        if newest.get(row["symbol"]) != (digest := table_digest(row))
    ]
    TierTableVersion.objects.bulk_create(changed)
    _STORED.forget()
    return len(changed)


def refresh(
    exchange: str, *, opener: Opener | None = None, today: date | None = None
) -> RefreshReport:
    """Fetch, validate and store the current tier tables of ``exchange`` (see module doc)."""
    report = RefreshReport(exchange)
    endpoint = ENDPOINTS[exchange]
    try:
        document = fetch_document(exchange, endpoint, opener or _open)
    except MissingKey:
        report.skipped = (
            "BINANCE_API_KEY and BINANCE_API_SECRET are not set: the bundled snapshot stays."
        )
        return report
    converted_exchange, tables = convert(endpoint.format, document)
    assert converted_exchange == exchange  # ENDPOINTS and FORMATS agree
    day = (today or timezone.localdate()).isoformat()
    provenance = {"source_url": endpoint.url, "snapshot": day, "retrieved": day}
    accepted, report.refused = checked_tables(exchange, tables, provenance=provenance)
    report.fetched = len(accepted)
    report.stored = store_tables(exchange, [row for row, _ in accepted])
    return report


RECHECK_SECONDS = 1.0
"""A process asks the database for a newer version at most this often (one query then)."""


class StoredTables:
    """The newest stored version of every table, parsed once per process and version.

    The newest version id is read at most every :data:`RECHECK_SECONDS` (a query per request
    cost about as much as the rest of an API request: benchmarks/README.md, "Tier
    snapshots"), so a refresh run by another process is used within a second; a refresh in
    this process is used at once."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.checked_at = float("-inf")
        self.tables: dict[str, dict[str, TierTable]] = {}

    def forget(self) -> None:
        """Ask the database again at the next lookup."""
        self.checked_at = float("-inf")

    def current(self) -> dict[str, dict[str, TierTable]]:
        now = time.monotonic()
        if now - self.checked_at < RECHECK_SECONDS:
            return self.tables
        self.checked_at = now
        try:
            version = TierTableVersion.objects.aggregate(newest=Max("id"))["newest"]
        except DatabaseError:
            # The database is down or not migrated yet: the calculators keep working on the
            # tables this process has (else the bundled snapshots), which show their dates.
            logger.warning("Stored tier tables unavailable; using the bundled ones.", exc_info=True)
            return self.tables
        if version != self.version:
            tables: dict[str, dict[str, TierTable]] = {}
            for row in TierTableVersion.objects.order_by(
                "exchange", "symbol", "-fetched_at", "-id"
            ):
                by_symbol = tables.setdefault(row.exchange, {})
                if row.symbol not in by_symbol:
                    name = profile(row.exchange).label
                    by_symbol[row.symbol] = parse_tier_table(
                        {**row.table, "exchange": row.exchange, "exchange_name": name}
                    )
            self.tables, self.version = tables, version
        return self.tables


_STORED = StoredTables()


def stored_tables_version() -> int | None:
    """The newest stored version's id, read as a tier lookup reads it (at most once a second):
    a key for anything rendered from the tables (riskcalc/views/calculators.py, ``kept_key``).
    ``None`` before the first refresh, or when the core does not read the stored tables."""
    if table_source() is not stored_tables_source:
        return None
    _STORED.current()
    return _STORED.version


def forget_stored_tables() -> None:
    """Drop this process's copy of the stored tables (they are read again at the next lookup)."""
    _STORED.forget()
    _STORED.tables, _STORED.version = {}, None


class RequestTables:
    """One request's view of the stored tables: the database is asked at most once."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, TierTable]] | None = None

    def get(self, exchange: str) -> Mapping[str, TierTable]:
        if self.tables is None:
            self.tables = _STORED.current()
        return self.tables.get(exchange, {})


_REQUEST_TABLES: ContextVar[RequestTables | None] = ContextVar("request_tables", default=None)


def stored_tables_source(exchange: str) -> Mapping[str, TierTable]:
    """The table source registered with the core: the stored tables inside a request (see
    :class:`StoredTablesMiddleware`), none outside one."""
    tables = _REQUEST_TABLES.get()
    return {} if tables is None else tables.get(exchange)


class StoredTablesMiddleware:
    """Gives each request its :class:`RequestTables` (no query until a table is looked up)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _REQUEST_TABLES.set(RequestTables())
        try:
            return self.get_response(request)
        finally:
            _REQUEST_TABLES.reset(token)
