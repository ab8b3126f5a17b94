"""Per-call time of the calculator engine (stdlib ``timeit``), printed as a table.

Run: ``uv run python benchmarks/calc_speed.py`` (add ``--number 2000`` to change the loop).
The timed call includes building and validating the input, because every real call (form,
API) pays it. Time is this process's CPU time (``time.process_time``), best of ``--repeat``. Figures go in ``benchmarks/README.md`` under "Calculator engine".
``tests/calc/test_benchmark_script.py`` runs every case once so this script cannot rot.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import timeit
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskcalc.calc import (  # noqa: E402
    AdlMethod,
    AdlPeer,
    AdlPosition,
    ContractType,
    HorizonUnit,
    LiquidationInput,
    LiquidationRiskInput,
    MarginBasis,
    MarginMode,
    PositionSizeInput,
    Side,
    adl_exposure,
    initial_margin,
    liquidation_price,
    liquidation_risk,
    maintenance_margin,
    position_size,
    tier_table,
    unrealized_pnl,
)

BTC = tier_table("binance_usdm", "BTCUSDT")
BYBIT = tier_table("bybit", "BTCUSDT")


def _isolated() -> object:
    return liquidation_price(
        LiquidationInput(
            side=Side.LONG,
            entry_price=D(20000),
            quantity=D(1),
            leverage=D(50),
            maintenance_margin_rate=D("0.005"),
        )
    )


def _isolated_entry_basis_tick() -> object:
    return liquidation_price(
        LiquidationInput(
            side=Side.SHORT,
            entry_price=D(20000),
            quantity=D(1),
            leverage=D(50),
            maintenance_margin_rate=D("0.005"),
            extra_margin=D(3000),
            mm_basis=MarginBasis.ENTRY,
            tick_size=D("0.5"),
        )
    )


def _cross() -> object:
    return liquidation_price(
        LiquidationInput(
            side=Side.LONG,
            entry_price=D("1456.84"),
            quantity=D("3683.979"),
            margin_mode=MarginMode.CROSS,
            wallet_balance=D("1535443.01"),
            other_maintenance_margin=D("71200.81144"),
            other_unrealized_pnl=D("-56354.57"),
            maintenance_margin_rate=D("0.10"),
            maintenance_amount=D(135365),
        )
    )


def _tiered_same_tier() -> object:
    return liquidation_price(
        LiquidationInput(
            side=Side.LONG,
            entry_price=D(100000),
            quantity=D(2),
            leverage=D(20),
            tiers=BTC,
            mark_price=D(101000),
        )
    )


def _tiered_walk() -> object:
    return liquidation_price(
        LiquidationInput(
            side=Side.SHORT,
            entry_price=D(100000),
            quantity=D(19),
            margin_mode=MarginMode.CROSS,
            wallet_balance=D(1500000),
            tiers=BYBIT,
        )
    )


def _inverse() -> object:
    return liquidation_price(
        LiquidationInput(
            side=Side.SHORT,
            contract=ContractType.INVERSE,
            entry_price=D(60000),
            quantity=D(30000),
            leverage=D(10),
            maintenance_margin_rate=D("0.005"),
            fee_rate=D("0.00055"),
            fee_on_extra_margin=True,
        )
    )


def _maintenance_tiered() -> object:
    return maintenance_margin(
        contract=ContractType.LINEAR, quantity=D(30), price=D(100000), tiers=BYBIT
    )


def _initial() -> object:
    return initial_margin(
        contract=ContractType.LINEAR, quantity=D(1), price=D(20000), leverage=D(50)
    )


def _pnl() -> object:
    return unrealized_pnl(
        side=Side.LONG,
        contract=ContractType.INVERSE,
        quantity=D(10000),
        entry_price=D(50000),
        mark_price=D(40000),
    )


def _position_size() -> object:
    return position_size(
        PositionSizeInput(
            side=Side.LONG,
            account_balance=D(10000),
            risk_fraction=D("0.01"),
            entry_price=D(60000),
            stop_price=D(58800),
            fee_rate_entry=D("0.0005"),
            fee_rate_exit=D("0.0005"),
            slippage=D(15),
            leverage=D(10),
            lot_step=D("0.001"),
            maintenance_margin_rate=D("0.005"),
        )
    )


ADL_PEERS = [AdlPeer(score=D(i) / 100, quantity=D(1 + i % 7)) for i in range(100)]


def _adl() -> object:
    return adl_exposure(
        AdlPosition(
            side=Side.LONG,
            quantity=D(2),
            entry_price=D(1000),
            mark_price=D(1100),
            leverage=D(10),
        ),
        method=AdlMethod.BITMEX,
        population=ADL_PEERS,
    )


def _touch_probability() -> object:
    return liquidation_risk(
        LiquidationRiskInput(
            side=Side.LONG,
            mark_price=D(100000),
            liquidation_price=D(91000),
            annual_volatility=D("0.6"),
            horizon=D(72),
            horizon_unit=HorizonUnit.HOURS,
        )
    )


CASES: dict[str, Callable[[], object]] = {
    "liquidation, isolated linear (mark basis)": _isolated,
    "liquidation, isolated, entry basis + tick": _isolated_entry_basis_tick,
    "liquidation, cross (Binance FAQ)": _cross,
    "liquidation, tiered (Binance, same tier)": _tiered_same_tier,
    "liquidation, tiered walk (Bybit, 35 tiers)": _tiered_walk,
    "liquidation, inverse (Bybit UTA short)": _inverse,
    "maintenance margin, tiered lookup": _maintenance_tiered,
    "initial margin": _initial,
    "unrealised PnL, inverse": _pnl,
    "position size (fees, slippage, lot, liquidation check)": _position_size,
    "ADL exposure (BitMEX, 100-position sample)": _adl,
    "liquidation risk, touch probability (GBM)": _touch_probability,
}


def measure(number: int = 2000, repeat: int = 5) -> dict[str, float]:
    """Best-of-``repeat`` microseconds per call for every case.

    Timed with ``time.process_time`` (this process's CPU time), so other processes competing
    for the CPU inflate the figures less than wall-clock time would.
    """
    return {
        name: min(timeit.repeat(case, number=number, repeat=repeat, timer=time.process_time))
        / number
        * 1e6
        for name, case in CASES.items()
    }


def table(results: dict[str, float]) -> str:
    width = max(len(name) for name in results)
    lines = [f"| {'calculation'.ljust(width)} | µs/call |", f"|{'-' * (width + 2)}|--------:|"]
    lines += [f"| {name.ljust(width)} | {value:7.1f} |" for name, value in results.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()}")
    print(table(measure(args.number, args.repeat)))


if __name__ == "__main__":
    main()
