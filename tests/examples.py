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

# Binance's ADL ranking example (derived in reference/vectors.json): UPNL 500 on a 10,000
# notional, wallet balance 2,000: PnL% 5%, effective leverage 4, score 0.2.
ADL_BINANCE = {
    "side": "long",
    "entry_price": "9500",
    "mark_price": "10000",
    "quantity": "1",
    "wallet_balance": "2000",
    "method": "binance",
}
