"""Liquidation risk over time: first-passage probability under driftless GBM."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcalc.calc import InputError
from riskcalc.calc.risk import (
    MODEL,
    HorizonUnit,
    LiquidationRiskInput,
    liquidation_risk,
    liquidation_risks,
    touch_probability,
)
from riskcalc.calc.types import Side

D = Decimal
FLOAT_NOISE = D("1e-12")  # Phi is evaluated in binary floating point (about 16 digits)


def _monte_carlo_touch(
    mark: float, liquidation: float, sigma: float, years: float, *, paths: int, steps: int
) -> tuple[float, float]:
    """Simulate ln(M_t/M) = -sigma^2/2 t + sigma W_t on a grid; between grid points, a path
    that stays on one side of the barrier crossed it with the Brownian-bridge probability
    exp(-2 (x0 - b)(x1 - b) / (sigma^2 dt)), so the estimate has no discretisation bias."""
    rng = random.Random(20261121)
    dt = years / steps
    step_sd = sigma * math.sqrt(dt)
    drift = -0.5 * sigma * sigma * dt
    barrier = math.log(liquidation / mark)
    below = barrier < 0
    hits = 0
    for _ in range(paths):
        x = 0.0
        for _ in range(steps):
            x_next = x + drift + step_sd * rng.gauss(0.0, 1.0)
            if (x_next <= barrier) if below else (x_next >= barrier):
                hits += 1
                break
            bridge = math.exp(-2.0 * (x - barrier) * (x_next - barrier) / (sigma * sigma * dt))
            if rng.random() < bridge:
                hits += 1
                break
            x = x_next
    p = hits / paths
    return p, math.sqrt(p * (1.0 - p) / paths)


@pytest.mark.parametrize(
    ("mark", "liquidation", "sigma", "days"),
    [
        ("100", "80", "0.8", "30"),  # long, barrier below
        ("100", "115", "0.6", "14"),  # short, barrier above
        ("100", "97", "1.2", "1"),  # close liquidation, one day
    ],
)
def test_closed_form_agrees_with_monte_carlo(
    mark: str, liquidation: str, sigma: str, days: str
) -> None:
    years = D(days) / 365
    closed = touch_probability(
        mark_price=D(mark),
        liquidation_price=D(liquidation),
        annual_volatility=D(sigma),
        horizon_years=years,
    )
    estimate, standard_error = _monte_carlo_touch(
        float(mark), float(liquidation), float(sigma), float(years), paths=30000, steps=8
    )
    assert abs(float(closed) - estimate) < 4 * standard_error + 1e-9


def test_doc_example_value_matches_an_independent_float_evaluation() -> None:
    # Same formula written directly in floats: Phi((-d + v^2/2)/v) + (M/LP) Phi((-d - v^2/2)/v).
    v = 0.8 * math.sqrt(30 / 365)
    d = abs(math.log(0.8))

    def phi(x: float) -> float:
        return 0.5 * math.erfc(-x / math.sqrt(2))

    expected = phi((-d + v * v / 2) / v) + 1.25 * phi((-d - v * v / 2) / v)
    result = liquidation_risk(
        LiquidationRiskInput(
            side=Side.LONG,
            mark_price=D(100),
            liquidation_price=D(80),
            annual_volatility=D("0.8"),
            horizon=D(30),
        )
    )
    assert abs(float(result.touch_probability) - expected) < 1e-14
    assert result.model == MODEL == "driftless GBM first passage"
    assert "Model estimate" in result.caveat
    assert result.distance_fraction == D("0.2")


def test_long_horizon_limits_follow_from_the_martingale() -> None:
    # Over a very long horizon a long is almost surely liquidated, and a short at LP = 2 M is
    # reached with probability M / LP = 1/2 (optional stopping for a martingale).
    long_p = touch_probability(
        mark_price=D(100), liquidation_price=D(50), annual_volatility=D(1), horizon_years=D(400)
    )
    short_p = touch_probability(
        mark_price=D(100), liquidation_price=D(200), annual_volatility=D(1), horizon_years=D(400)
    )
    assert long_p > D("0.999999")
    assert abs(short_p - D("0.5")) < D("1e-6")


def test_short_probability_is_the_mirrored_long_probability_scaled_by_the_ratio() -> None:
    # P_short(LP = k M) = P_long(LP = M / k) / k for driftless GBM.
    k = D("1.25")
    short_p = touch_probability(
        mark_price=D(100), liquidation_price=D(100) * k, annual_volatility=D("0.7"),
        horizon_years=D("0.1"),
    )  # fmt: skip
    long_p = touch_probability(
        mark_price=D(100), liquidation_price=D(100) / k, annual_volatility=D("0.7"),
        horizon_years=D("0.1"),
    )  # fmt: skip
    assert abs(short_p - long_p / k) < FLOAT_NOISE


def test_short_horizon_approaches_the_log_driftless_reflection_figure() -> None:
    result = liquidation_risk(
        LiquidationRiskInput(
            side=Side.SHORT,
            mark_price=D(100),
            liquidation_price=D("100.5"),
            annual_volatility=D("0.5"),
            horizon=D(2),
            horizon_unit=HorizonUnit.HOURS,
        )
    )
    assert result.distance_sigmas is not None
    exact, reflection = result.touch_probability, result.touch_probability_log_driftless
    # The drift term moves the answer by a relative amount of order sigma x sqrt(T).
    assert abs(exact - reflection) < result.sigma_sqrt_t * reflection


def test_hours_and_days_are_on_a_365_day_year() -> None:
    common = {
        "side": Side.LONG,
        "mark_price": D(100),
        "liquidation_price": D(90),
        "annual_volatility": D("0.9"),
    }
    by_hours = liquidation_risk(
        LiquidationRiskInput(horizon=D(48), horizon_unit=HorizonUnit.HOURS, **common)  # type: ignore[arg-type]
    )
    by_days = liquidation_risk(LiquidationRiskInput(horizon=D(2), **common))  # type: ignore[arg-type]
    assert by_hours.horizon_years == by_days.horizon_years
    assert abs(by_days.horizon_years - D(2) / D(365)) < D("1e-25")
    assert by_hours.touch_probability == by_days.touch_probability


def test_no_liquidation_price_gives_zero_probability_and_says_why() -> None:
    result = liquidation_risk(
        LiquidationRiskInput(
            side=Side.SHORT,
            mark_price=D(100),
            liquidation_price=None,
            annual_volatility=D("0.8"),
            horizon=D(7),
        )
    )
    assert not result.has_liquidation_price
    assert result.touch_probability == 0
    assert result.distance_sigmas is None
    assert "no liquidation price" in result.caveat


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"liquidation_price": D(100)}, "liquidation_price"),  # long at its liquidation price
        ({"liquidation_price": D(120)}, "liquidation_price"),  # long already past it
        ({"side": Side.SHORT}, "liquidation_price"),  # short with LP below mark
        ({"annual_volatility": D(0)}, "annual_volatility"),
        ({"horizon": D(0)}, "horizon"),
        ({"mark_price": D(-5)}, "mark_price"),
        ({"liquidation_price": D(-1)}, "liquidation_price"),
    ],
)
def test_invalid_inputs_name_the_field(changes: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {
        "side": Side.LONG,
        "mark_price": D(100),
        "liquidation_price": D(90),
        "annual_volatility": D("0.8"),
        "horizon": D(1),
    }
    fields.update(changes)
    with pytest.raises(InputError) as error:
        liquidation_risk(LiquidationRiskInput(**fields))  # type: ignore[arg-type]
    assert error.value.field == field


@pytest.mark.parametrize(
    ("side", "liquidation_price"),
    [(Side.LONG, D("19700")), (Side.SHORT, D("20300")), (Side.LONG, None)],
)
def test_risks_at_several_horizons_match_one_call_per_horizon(
    side: Side, liquidation_price: Decimal | None
) -> None:
    base = LiquidationRiskInput(
        side=side,
        mark_price=D(20000),
        liquidation_price=liquidation_price,
        annual_volatility=D("0.6"),
        horizon=D(24),
        horizon_unit=HorizonUnit.HOURS,
    )
    hours = [D("0.25") * 24, D(24), D(72), D(365) * 24]
    batch = liquidation_risks(base, hours)
    assert len(batch) == len(hours)
    for horizon, result in zip(hours, batch, strict=True):
        assert result == liquidation_risk(
            LiquidationRiskInput(
                side=side,
                mark_price=D(20000),
                liquidation_price=liquidation_price,
                annual_volatility=D("0.6"),
                horizon=horizon,
                horizon_unit=HorizonUnit.HOURS,
            )
        )
        if liquidation_price is not None:  # the shared ln gives the public function's figure
            assert result.touch_probability == touch_probability(
                mark_price=D(20000),
                liquidation_price=liquidation_price,
                annual_volatility=D("0.6"),
                horizon_years=result.horizon_years,
            )


def test_risks_refuse_a_bad_horizon_among_several() -> None:
    base = LiquidationRiskInput(
        side=Side.LONG,
        mark_price=D(100),
        liquidation_price=D(90),
        annual_volatility=D("0.8"),
        horizon=D(1),
    )
    with pytest.raises(InputError) as error:
        liquidation_risks(base, [D(1), D(0)])
    assert error.value.field == "horizon"


# --- properties ----------------------------------------------------------------------------

vols = st.decimals(min_value="0.05", max_value="3", places=3)
horizons = st.decimals(min_value="0.0001", max_value="2", places=4)
distances = st.decimals(min_value="0.001", max_value="0.9", places=4)


@settings(max_examples=1000, deadline=None)
@given(
    side=st.sampled_from(Side),
    d1=distances,
    d2=distances,
    v1=vols,
    v2=vols,
    t1=horizons,
    t2=horizons,
)
def test_probability_is_bounded_and_monotone(
    side: Side, d1: Decimal, d2: Decimal, v1: Decimal, v2: Decimal, t1: Decimal, t2: Decimal
) -> None:
    mark = D(100)

    def lp(distance: Decimal) -> Decimal:
        return mark * (1 - distance) if side is Side.LONG else mark * (1 + distance)

    def p(distance: Decimal, vol: Decimal, years: Decimal) -> Decimal:
        return touch_probability(
            mark_price=mark,
            liquidation_price=lp(distance),
            annual_volatility=vol,
            horizon_years=years,
        )

    near, far = min(d1, d2), max(d1, d2)
    low_v, high_v = min(v1, v2), max(v1, v2)
    short_t, long_t = min(t1, t2), max(t1, t2)
    base = p(near, low_v, short_t)
    assert 0 <= base <= 1
    assert p(near, low_v, long_t) >= base - FLOAT_NOISE  # increasing in horizon
    assert p(near, high_v, short_t) >= base - FLOAT_NOISE  # increasing in volatility
    assert p(far, low_v, short_t) <= base + FLOAT_NOISE  # decreasing in distance


def test_monte_carlo_rejects_the_log_driftless_figure_when_the_drift_matters() -> None:
    # Over 30 days at 80% volatility the -sigma^2/2 log drift is visible: the simulation sides
    # with the exact first-passage figure (0.368), not the reflection figure (0.331).
    result = liquidation_risk(
        LiquidationRiskInput(
            side=Side.LONG,
            mark_price=D(100),
            liquidation_price=D(80),
            annual_volatility=D("0.8"),
            horizon=D(30),
        )
    )
    estimate, standard_error = _monte_carlo_touch(100.0, 80.0, 0.8, 30 / 365, paths=30000, steps=8)
    assert abs(float(result.touch_probability) - estimate) < 4 * standard_error
    assert abs(float(result.touch_probability_log_driftless) - estimate) > 8 * standard_error


def test_choices_accept_their_string_values_and_floats_are_refused() -> None:
    by_string = liquidation_risk(
        LiquidationRiskInput(
            side="long",  # type: ignore[arg-type]
            mark_price=D(100),
            liquidation_price=D(90),
            annual_volatility=D("0.8"),
            horizon=D(24),
            horizon_unit="hours",  # type: ignore[arg-type]
        )
    )
    assert abs(by_string.horizon_years - D(1) / D(365)) < D("1e-25")
    with pytest.raises(InputError) as error:
        liquidation_risk(
            LiquidationRiskInput(
                side=Side.LONG,
                mark_price=D(100),
                liquidation_price=D(90),
                annual_volatility=0.8,  # type: ignore[arg-type]
                horizon=D(1),
            )
        )
    assert error.value.field == "annual_volatility"
