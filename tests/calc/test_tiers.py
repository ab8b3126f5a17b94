"""Tier tables: the deduction recursion, validation on load, and boundary conventions."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcalc.calc import (
    ContractType,
    InputError,
    TierBoundary,
    TierMethod,
    TierRow,
    custom_tier_table,
    deductions_from_rates,
    maintenance_margin,
    parse_tier_table,
    tier_table,
    tiers_from_rows,
)
from tests.calc.vectors import Vector, assert_published, ids, vector, vectors

CUM_VECTORS = [v for v in vectors(kind="maintenance_amount_cum") if not v.get("derived")]


@pytest.mark.parametrize("v", CUM_VECTORS, ids=ids(CUM_VECTORS))
def test_published_maintenance_amount_follows_the_recursion(v: Vector) -> None:
    i = v["inputs"]
    floor = D(i.get("bracket_floor_usdt") or i["bracket_floor_btc"])
    previous = D(i.get("cum_n_minus_1_usdt") or i["cum_n_minus_1_btc"])
    rates = [D(i["mmr_n_minus_1"]), D(i["mmr_n"])]
    # Shift by the previous deduction: d_n = d_(n-1) + floor x (m_n - m_(n-1)).
    step = deductions_from_rates([floor], rates)[1]
    expected = next(iter(v["expected"].values()))
    assert_published(previous + step, expected)


def test_hyperliquid_btc_deduction_is_derived_from_max_leverage() -> None:
    v = vector("hyperliquid-btc-maintenance-deduction")
    table = tier_table("hyperliquid", "BTC")
    assert table.tiers[1].maintenance_amount == D(v["recomputed"]["deduction_tier2_usdc"])
    assert table.tiers[0].maintenance_margin_rate == D(v["recomputed"]["mmr_tier1"])


def test_hyperliquid_mmr_is_half_the_initial_margin_at_max_leverage() -> None:
    v = vector("hyperliquid-mmr-from-max-leverage")
    rate = D(1) / (2 * D(v["inputs"]["tier_max_leverage"]))
    assert_published(rate, v["expected"]["mmr"])
    assert tier_table("hyperliquid", "BTC").tiers[1].maintenance_margin_rate == rate


def test_binance_2024_snapshot_cums_match_the_recursion() -> None:
    v = vector("binance-usdm-btcusdt-brackets-cum-consistency-2024-10-24")
    rows = [
        TierRow(cap=D(t["cap"]), maintenance_margin_rate=D(t["mmr"]), max_leverage=D(t["max_lev"]))
        for t in v["inputs"]["tiers"]
    ]
    built = tiers_from_rows(rows, method=TierMethod.DEDUCTION)
    assert [t.maintenance_amount for t in built] == [D(x) for x in v["expected"]["cum_usdt"]]
    loaded = tier_table("binance_usdm", "BTCUSDT")
    assert [t.maintenance_amount for t in loaded.tiers] == [D(x) for x in v["expected"]["cum_usdt"]]


def test_bybit_2026_snapshot_deductions_match_the_recursion() -> None:
    v = vector("bybit-btcusdt-risk-limit-deduction-consistency-2026-08-05")
    table = tier_table("bybit", "BTCUSDT")
    rebuilt = tiers_from_rows(
        [
            TierRow(
                cap=t.cap,
                maintenance_margin_rate=t.maintenance_margin_rate,
                max_leverage=t.max_leverage,
            )
            for t in table.tiers
        ],
        method=TierMethod.DEDUCTION,
    )
    assert v["expected"]["all_mmDeduction_follow_recursion"] is True
    assert [t.maintenance_amount for t in rebuilt] == [t.maintenance_amount for t in table.tiers]


def test_bybit_tier_lookup_is_cap_inclusive() -> None:
    v = vector("bybit-btcusdt-risk-limit-tier-lookup")
    table = tier_table("bybit", "BTCUSDT")
    rates = [
        table.tier_for_notional(D(n)).maintenance_margin_rate
        for n in v["inputs"]["position_value_usdt"]
    ]
    assert rates == [D(x) for x in v["expected"]["mmr"]]
    assert table.tiers[1].maintenance_amount == D(v["recomputed"]["mm_deduction_tier2_usdt"])


def test_historical_2021_binance_tables_follow_the_recursion() -> None:
    # formulas.md §6.1: BTCUSDT (gist highfestiva, 2021-03-26) and ETHUSDT (gist crackcomm).
    btc_caps = [
        "50000",
        "250000",
        "1000000",
        "10000000",
        "20000000",
        "50000000",
        "100000000",
        "200000000",
        "300000000",
    ]
    btc_rates = ["0.004", "0.005", "0.01", "0.025", "0.05", "0.1", "0.125", "0.15", "0.25", "0.5"]
    btc_cums = [
        "0",
        "50",
        "1300",
        "16300",
        "266300",
        "1266300",
        "2516300",
        "5016300",
        "25016300",
        "100016300",
    ]
    eth_caps = [
        "10000",
        "100000",
        "500000",
        "1000000",
        "2000000",
        "5000000",
        "10000000",
        "20000000",
    ]
    eth_rates = ["0.005", "0.0065", "0.01", "0.02", "0.05", "0.1", "0.125", "0.15", "0.25"]
    eth_cums = ["0", "15", "365", "5365", "35365", "135365", "260365", "510365", "2510365"]
    for caps, rates, cums in ((btc_caps, btc_rates, btc_cums), (eth_caps, eth_rates, eth_cums)):
        got = deductions_from_rates([D(c) for c in caps], [D(r) for r in rates])
        assert list(got) == [D(c) for c in cums]


def test_typo_in_a_copied_table_is_caught_on_load() -> None:
    # crackcomm's BTCUSDT 1M-10M row: 2% with cum 16,300 (the recursion gives 11,300).
    data = {
        "exchange": "binance_usdm",
        "exchange_name": "Binance (gist copy)",
        "symbol": "BTCUSDT",
        "contract": "linear",
        "notional_unit": "USDT",
        "tier_method": "deduction",
        "boundary": "floor_inclusive",
        "source_url": "https://gist.github.com/crackcomm/e29582030d9eeac6c6124a7503cd0ac2",
        "snapshot": "2021-03-26",
        "retrieved": "2026-11-21",
        "tiers": [
            {
                "cap": "50000",
                "maintenance_margin_rate": "0.004",
                "maintenance_amount": "0",
                "max_leverage": "125",
            },
            {
                "cap": "250000",
                "maintenance_margin_rate": "0.005",
                "maintenance_amount": "50",
                "max_leverage": "100",
            },
            {
                "cap": "1000000",
                "maintenance_margin_rate": "0.01",
                "maintenance_amount": "1300",
                "max_leverage": "50",
            },
            {
                "cap": "10000000",
                "maintenance_margin_rate": "0.02",
                "maintenance_amount": "16300",
                "max_leverage": "20",
            },
        ],
    }
    with pytest.raises(InputError, match="expected 11,300"):
        parse_tier_table(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"maintenance_margin_rate": "1"}, r"in \[0, 1\)"),
        ({"max_leverage": "0.5"}, "at least 1×"),
        ({"cap": "10"}, "above the floor"),
        ({"maintenance_margin_rate": 0.01}, "strings or integers"),
    ],
)
def test_invalid_tier_rows_are_refused_with_a_reason(
    change: dict[str, object], message: str
) -> None:
    row = {
        "cap": "50000",
        "maintenance_margin_rate": "0.004",
        "maintenance_amount": "0",
        "max_leverage": "125",
    }
    data = {
        "exchange": "x",
        "exchange_name": "X",
        "symbol": "Y",
        "contract": "linear",
        "notional_unit": "USDT",
        "tier_method": "deduction",
        "boundary": "floor_inclusive",
        "source_url": "https://example.org",
        "snapshot": "2024-01-01",
        "retrieved": "2024-01-01",
        "tiers": [
            {
                "cap": "10",
                "maintenance_margin_rate": "0.001",
                "maintenance_amount": "0",
                "max_leverage": "125",
            },
            {**row, **change},
        ],
    }
    with pytest.raises(InputError, match=message):
        parse_tier_table(data)


def test_binance_floor_is_inclusive_and_bybit_cap_is_inclusive() -> None:
    binance = tier_table("binance_usdm", "BTCUSDT")
    bybit = tier_table("bybit", "BTCUSDT")
    assert binance.tier_for_notional(D(50000)).number == 2
    assert bybit.tier_for_notional(D(2000000)).number == 1
    assert bybit.tier_for_notional(D("2000000.01")).number == 2


def test_notional_above_the_largest_tier_is_refused() -> None:
    with pytest.raises(InputError, match="largest tier ends at 1,800,000,000"):
        tier_table("binance_usdm", "BTCUSDT").tier_for_notional(D("1800000001"))


rates_strategy = st.lists(
    st.decimals(min_value=D("0.001"), max_value=D("0.5"), places=4), min_size=2, max_size=12
).map(sorted)


@settings(max_examples=1000, deadline=None)
@given(rates=rates_strategy, data=st.data())
def test_recursion_makes_maintenance_margin_continuous_and_equal_to_marginal_sum(
    rates: list[D], data: st.DataObject
) -> None:
    widths = data.draw(
        st.lists(
            st.integers(min_value=1, max_value=10**7), min_size=len(rates), max_size=len(rates)
        )
    )
    caps: list[D] = []
    total = 0
    for width in widths:
        total += width
        caps.append(D(total))
    rows = [
        TierRow(cap=cap, maintenance_margin_rate=rate, max_leverage=D(1))
        for cap, rate in zip(caps, rates, strict=True)
    ]
    tiers = tiers_from_rows(rows, method=TierMethod.DEDUCTION)
    n = D(data.draw(st.integers(min_value=0, max_value=total)))
    tier = next(t for t in tiers if t.cap is not None and n <= t.cap)
    mm = n * tier.maintenance_margin_rate - tier.maintenance_amount
    # Marginal ("tax bracket") sum: each slice of notional at its own rate.
    marginal = sum(
        (
            (min(n, t.cap) - t.floor) * t.maintenance_margin_rate
            for t in tiers
            if t.cap and n > t.floor
        ),
        D(0),
    )
    assert mm == marginal
    # Continuity at every boundary: both neighbouring tiers give the same MM there.
    for lower, upper in zip(tiers, tiers[1:], strict=False):
        assert lower.cap is not None
        left = lower.cap * lower.maintenance_margin_rate - lower.maintenance_amount
        right = lower.cap * upper.maintenance_margin_rate - upper.maintenance_amount
        assert left == right


@settings(max_examples=1000, deadline=None)
@given(
    notional=st.integers(min_value=1, max_value=1_199_999_999).map(D),
    epsilon=st.sampled_from([D("0.01"), D(1)]),
)
def test_bybit_maintenance_margin_is_continuous_across_tier_boundaries(
    notional: D, epsilon: D
) -> None:
    table = tier_table("bybit", "BTCUSDT")
    below = maintenance_margin(
        contract=ContractType.LINEAR, quantity=notional, price=D(1), tiers=table
    )
    above = maintenance_margin(
        contract=ContractType.LINEAR, quantity=notional + epsilon, price=D(1), tiers=table
    )
    rate = max(below.maintenance_margin_rate, above.maintenance_margin_rate)
    assert D(0) <= above.maintenance_margin - below.maintenance_margin <= epsilon * rate


TIER_KINDS = (
    "maintenance_amount_cum",
    "bracket_table_consistency",
    "tier_lookup",
    "maintenance_margin_rate",
)
CHECKED_HERE = {
    "binance-usdm-maintenance-amount-recursion",
    "binance-coinm-maintenance-amount-recursion",
    "hyperliquid-btc-maintenance-deduction",
    "binance-usdm-btcusdt-brackets-cum-consistency-2024-10-24",
    "bybit-btcusdt-risk-limit-deduction-consistency-2026-08-05",
    "bybit-btcusdt-risk-limit-tier-lookup",
    "hyperliquid-mmr-from-max-leverage",
}


def test_every_tier_vector_has_a_check_in_this_module() -> None:
    found = {v["id"] for kind in TIER_KINDS for v in vectors(kind=kind)}
    assert found - CHECKED_HERE == set(), "add a check for the new tier vectors"


def test_custom_tier_table_computes_deductions_and_checks_limits() -> None:
    rows = [
        TierRow(cap=D(50000), maintenance_margin_rate=D("0.004"), max_leverage=D(125)),
        TierRow(cap=D(250000), maintenance_margin_rate=D("0.005"), max_leverage=D(100)),
        TierRow(cap=None, maintenance_margin_rate=D("0.01"), max_leverage=D(50)),
    ]
    table = custom_tier_table(rows, contract=ContractType.INVERSE)
    assert [t.maintenance_amount for t in table.tiers] == [D(0), D(50), D(1300)]
    assert table.boundary is TierBoundary.CAP_INCLUSIVE and table.notional_unit == "coin"
    assert table.tier_for_notional(D(50000)).number == 1  # caps are inclusive
    too_high = [TierRow(cap=None, maintenance_margin_rate=D("0.005"), max_leverage=D(2000))]
    with pytest.raises(InputError) as error:
        custom_tier_table(too_high, contract=ContractType.LINEAR)
    assert error.value.field == "leverage"
    with pytest.raises(InputError) as error:
        custom_tier_table([rows[2], rows[0]], contract=ContractType.LINEAR)
    assert error.value.field == "tiers"
