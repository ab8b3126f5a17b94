"""Published worked examples used as inputs by several test modules."""

from __future__ import annotations

# Bybit's worked example (isolated long, maintenance valued at entry): liquidation at 19,700
# and bankruptcy at 19,600 USDT. Golden vector in tests/calc/ (reference/vectors.json).
BYBIT_EXAMPLE = {
    "side": "long",
    "entry_price": "20000",
    "quantity": "1",
    "leverage": "50",
    "margin_mode": "isolated",
    "maintenance_margin_rate": "0.005",
    "mm_basis": "entry",
}

# Binance's ADL ranking worked (tests/calc/fixtures/extra_vectors.json,
# adl-binance-leverage-pnl-pair, position A): UPNL 2,500 on a 10,000 wallet, maintenance
# margin 400 at 0.4%: PnL% 25% x margin ratio 400 / 12,500 = 3.2% gives a score of 0.008.
ADL_BINANCE = {
    "side": "long",
    "entry_price": "9750",
    "mark_price": "10000",
    "quantity": "10",
    "wallet_balance": "10000",
    "maintenance_margin_rate": "0.004",
    "method": "binance",
}
