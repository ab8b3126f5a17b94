"""Liquidation risk over time: how far the liquidation price is, in volatility units, and the
model probability that the mark price touches it within a horizon.

Model: the mark price follows a *driftless geometric Brownian motion*, dM = sigma x M x dW,
with constant annualised volatility sigma. "Driftless" refers to the price, which is then a
martingale (no expected gain or loss). Its logarithm is *not* driftless: by Ito's lemma
``d ln M = -sigma^2/2 dt + sigma dW``. The touch probability below is the exact first-passage
probability of that log process, drift ``nu = -sigma^2/2`` included. Dropping the drift (a
driftless log-price) gives the simpler reflection-principle figure ``2 x Phi(-d / (sigma x
sqrt(T)))``, which the result also reports for comparison; the two differ by a term of order
``sigma x sqrt(T)``.

Time: volatility is annualised over a 365-day calendar year because crypto perpetuals trade
every day, so ``T = days / 365`` or ``T = hours / 8760``.

Numbers: everything is :class:`~decimal.Decimal` (34 significant digits, with Decimal's own
``ln``, ``exp`` and ``sqrt``) except the standard normal CDF, which crosses to ``float`` in
exactly one place, :func:`_standard_normal_cdf`. See there for why. Precision: that float
``Phi`` is good to about 1e-16 relative, so the probabilities are good to about 1e-15
whatever the Decimal precision; each Decimal step at 34 digits (correctly rounded ``ln``,
``sqrt`` and arithmetic, the core's own ``CALC_CONTEXT`` precision) adds an error near 1e-33
relative, far below that. 50 digits bought nothing the result keeps and cost 2.5 times the
time (about 100 against 40 µs a call), which the liquidation page pays up to 19 times a
request. The costliest step is ``ln(LP / M)``; :func:`liquidation_risks` computes it once for
all the horizons of one price.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from riskcalc.calc.errors import CROSS_FIELD, InputError
from riskcalc.calc.limits import checked, checked_choice
from riskcalc.calc.text import N_
from riskcalc.calc.types import Side

__all__ = [
    "MODEL",
    "HorizonUnit",
    "LiquidationRisk",
    "LiquidationRiskInput",
    "liquidation_risk",
    "liquidation_risks",
    "touch_probability",
]

_PRECISION = 34  # see the module docstring: Phi's float (~1e-16) bounds the error, not this
_ZERO = Decimal(0)
_ONE = Decimal(1)
_TWO = Decimal(2)

MODEL = N_("driftless GBM first passage")
CAVEAT = N_(
    "Model estimate, not a forecast. It assumes the mark price moves like a driftless geometric "
    "Brownian motion with constant volatility, watched continuously. Real crypto prices jump, "
    "have fat tails and volatility that changes, and a liquidation price itself moves with "
    "funding, fees and margin changes, so the real chance can be higher or lower."
)
NO_LIQUIDATION_CAVEAT = (
    "This position has no liquidation price (for example a fully collateralised long, or an "
    "inverse short at 1×), so price moves alone cannot liquidate it under this model. Funding, "
    "fees and changes to margin can still create one."
)
SOURCE = "https://en.wikipedia.org/wiki/Reflection_principle_(Wiener_process)"


class HorizonUnit(StrEnum):
    """Unit of a horizon. Converted to years with a 365-day (8,760-hour) year."""

    HOURS = "hours"
    DAYS = "days"


_PER_YEAR: dict[HorizonUnit, Decimal] = {
    HorizonUnit.HOURS: Decimal(8760),
    HorizonUnit.DAYS: Decimal(365),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LiquidationRiskInput:
    """A position's liquidation price seen from the current mark price.

    ``liquidation_price`` is ``None`` when the position has none (the liquidation solver
    reports this). ``annual_volatility`` is a fraction (0.6 = 60% a year, 365-day basis).
    ``horizon`` is a count of ``horizon_unit``.
    """

    side: Side
    mark_price: Decimal
    liquidation_price: Decimal | None
    annual_volatility: Decimal
    horizon: Decimal
    horizon_unit: HorizonUnit = HorizonUnit.DAYS


@dataclass(frozen=True, slots=True, kw_only=True)
class LiquidationRisk:
    """Model estimate of liquidation risk over a horizon.

    ``distance_fraction`` = ``|M - LP| / M``; ``log_distance`` = ``|ln(LP / M)|``;
    ``sigma_sqrt_t`` = ``sigma x sqrt(T)`` (the horizon's volatility in log units);
    ``distance_sigmas`` = ``log_distance / sigma_sqrt_t``. ``touch_probability`` is the model
    chance of touching LP within the horizon, in [0, 1];
    ``touch_probability_log_driftless`` is the simpler ``2 Phi(-d/(sigma sqrt T))`` for
    comparison. Distance fields are ``None`` only when ``has_liquidation_price`` is false, and
    then the probability is 0 and ``caveat`` says why.
    """

    model: str
    caveat: str
    has_liquidation_price: bool
    horizon_years: Decimal
    sigma_sqrt_t: Decimal
    distance_fraction: Decimal | None
    log_distance: Decimal | None
    distance_sigmas: Decimal | None
    touch_probability: Decimal
    touch_probability_log_driftless: Decimal


def touch_probability(
    *,
    mark_price: Decimal,
    liquidation_price: Decimal,
    annual_volatility: Decimal,
    horizon_years: Decimal,
) -> Decimal:
    """Probability that a driftless GBM started at ``mark_price`` touches ``liquidation_price``
    within ``horizon_years``.

    Formula (first passage of ``X = ln(M_t / M)``, drift ``nu = -sigma^2/2``, volatility
    ``sigma``; ``b = ln(LP / M)``, ``d = |b|``, ``v = sigma x sqrt(T)``, ``Phi`` the standard
    normal CDF):

    - ``LP < M`` (long, barrier below):
      ``P = Phi((-d + v^2/2) / v) + (M / LP) x Phi((-d - v^2/2) / v)``
    - ``LP > M`` (short, barrier above):
      ``P = Phi((-d - v^2/2) / v) + (M / LP) x Phi((-d + v^2/2) / v)``

    Both are ``Phi((nu T - |b|)/v) + exp(2 nu b / sigma^2) Phi((-nu T - |b|)/v)`` for the
    barrier's direction, with ``exp(2 nu b / sigma^2) = exp(-b) = M / LP``. As ``T`` grows the
    long's probability tends to 1 and the short's to ``M / LP`` (a martingale reaches a level
    above it with at most that chance).

    Units: prices in quote per coin; ``annual_volatility`` a fraction per sqrt(year);
    ``horizon_years`` in years; the result a probability in [0, 1]. Rounding: none beyond
    the ~16 significant digits of ``Phi`` (see :func:`_standard_normal_cdf`); clamped to
    [0, 1] against that rounding.

    Source: https://en.wikipedia.org/wiki/Reflection_principle_(Wiener_process)
    (retrieved 2026-11-21, via mirrors); the drifted form is the standard distribution of the
    running maximum of Brownian motion with drift (Shreve, *Stochastic Calculus for Finance
    II*, section 7.2), checked here against a seeded Monte Carlo in ``tests/calc/test_risk.py``.

    Mark 100, liquidation 80, 80% annual volatility, 30 days:

    >>> p = touch_probability(mark_price=Decimal(100), liquidation_price=Decimal(80),
    ...                       annual_volatility=Decimal("0.8"), horizon_years=Decimal(30) / 365)
    >>> round(p, 4)
    Decimal('0.3684')
    """
    checked("mark_price", mark_price)
    checked("liquidation_price", liquidation_price, limit="price")
    checked("annual_volatility", annual_volatility)
    checked("horizon", horizon_years)  # in years here: within the same generous bound
    if liquidation_price == mark_price:
        return _ONE
    with decimal.localcontext(prec=_PRECISION):
        v = annual_volatility * horizon_years.sqrt()
        d = abs((liquidation_price / mark_price).ln())
        return _touch(mark_price, liquidation_price, d, v)


def _touch(mark_price: Decimal, liquidation_price: Decimal, d: Decimal, v: Decimal) -> Decimal:
    """:func:`touch_probability` from ``d = |ln(LP / M)|`` and ``v = sigma x sqrt(T)``, in the
    caller's 34-digit context (``ln`` is the costly step: callers compute it once per price)."""
    half_variance = v * v / _TWO
    toward = _standard_normal_cdf((-d + half_variance) / v)
    away = _standard_normal_cdf((-d - half_variance) / v)
    ratio = mark_price / liquidation_price
    if liquidation_price < mark_price:  # barrier below
        return min(max(toward + ratio * away, _ZERO), _ONE)
    return min(max(away + ratio * toward, _ZERO), _ONE)


def liquidation_risk(risk_input: LiquidationRiskInput) -> LiquidationRisk:
    """Distance to liquidation in volatility units and the model chance of touching it.

    Formulas: ``T = horizon / 365`` (days) or ``horizon / 8760`` (hours);
    ``distance_sigmas = |ln(LP / M)| / (sigma x sqrt(T))``; ``touch_probability`` as in
    :func:`touch_probability` (driftless GBM, exact first passage);
    ``touch_probability_log_driftless = 2 x Phi(-|ln(LP / M)| / (sigma x sqrt(T)))``.

    Units: prices in quote per coin; ``annual_volatility`` a fraction (0.6 = 60%/year);
    ``horizon`` in ``horizon_unit``. Rounding: none (34 significant digits; ``Phi`` to ~16).
    A long needs ``LP < M`` and a short ``LP > M``; otherwise it is already liquidated and
    the input is refused on ``liquidation_price``.

    Source: https://en.wikipedia.org/wiki/Reflection_principle_(Wiener_process)
    (retrieved 2026-11-21, via mirrors)

    >>> r = liquidation_risk(LiquidationRiskInput(side=Side.LONG, mark_price=Decimal(100),
    ...     liquidation_price=Decimal(80), annual_volatility=Decimal("0.8"),
    ...     horizon=Decimal(30)))
    >>> r.model, round(r.distance_sigmas, 3), round(r.touch_probability, 4)
    ('driftless GBM first passage', Decimal('0.973'), Decimal('0.3684'))
    >>> round(r.touch_probability_log_driftless, 4)
    Decimal('0.3306')
    """
    if not isinstance(risk_input, LiquidationRiskInput):
        raise InputError(CROSS_FIELD, "Give the inputs as a LiquidationRiskInput.")
    return liquidation_risks(risk_input, (risk_input.horizon,))[0]


def liquidation_risks(
    risk_input: LiquidationRiskInput, horizons: Sequence[Decimal]
) -> tuple[LiquidationRisk, ...]:
    """:func:`liquidation_risk` of one position at each of several horizons (in
    ``risk_input.horizon_unit``; ``risk_input.horizon`` is checked but not used).

    Each result is the one :func:`liquidation_risk` gives with ``horizon`` replaced, digit for
    digit; the input checks and ``|ln(LP / M)|``, the costliest step (a 34-digit Decimal
    ``ln``, about 20 µs), are done once for all horizons. Formulas, units, rounding and
    source: as :func:`liquidation_risk`.

    >>> base = LiquidationRiskInput(side=Side.LONG, mark_price=Decimal(100),
    ...     liquidation_price=Decimal(80), annual_volatility=Decimal("0.8"),
    ...     horizon=Decimal(1))
    >>> week, month = liquidation_risks(base, (Decimal(7), Decimal(30)))
    >>> from dataclasses import replace
    >>> month == liquidation_risk(replace(base, horizon=Decimal(30)))
    True
    >>> round(week.touch_probability, 4), round(month.touch_probability, 4)
    (Decimal('0.0491'), Decimal('0.3684'))
    """
    if not isinstance(risk_input, LiquidationRiskInput):
        raise InputError(CROSS_FIELD, "Give the inputs as a LiquidationRiskInput.")
    side = checked_choice("side", Side, risk_input.side)
    unit = checked_choice("horizon_unit", HorizonUnit, risk_input.horizon_unit)
    mark, volatility = risk_input.mark_price, risk_input.annual_volatility
    for name in ("mark_price", "annual_volatility", "horizon"):
        checked(name, getattr(risk_input, name))
    for horizon in horizons:
        checked("horizon", horizon)
    per_year = _PER_YEAR[unit]
    with decimal.localcontext(prec=_PRECISION):
        lp = risk_input.liquidation_price
        if lp is None:
            results = []
            for horizon in horizons:
                years = horizon / per_year
                results.append(
                    LiquidationRisk(
                        model=MODEL,
                        caveat=f"{NO_LIQUIDATION_CAVEAT} {CAVEAT}",
                        has_liquidation_price=False,
                        horizon_years=years,
                        sigma_sqrt_t=volatility * years.sqrt(),
                        distance_fraction=None,
                        log_distance=None,
                        distance_sigmas=None,
                        touch_probability=_ZERO,
                        touch_probability_log_driftless=_ZERO,
                    )
                )
            return tuple(results)
        checked("liquidation_price", lp, limit="price")
        if side is Side.LONG and lp >= mark:
            raise InputError(
                "liquidation_price",
                N_(
                    "For a long, the liquidation price must be below the mark price; at or above "
                    "it the position would already have been liquidated."
                ),
            )
        if side is Side.SHORT and lp <= mark:
            raise InputError(
                "liquidation_price",
                N_(
                    "For a short, the liquidation price must be above the mark price; at or below "
                    "it the position would already have been liquidated."
                ),
            )
        log_distance = abs((lp / mark).ln())
        distance_fraction = abs(mark - lp) / mark
        results = []
        for horizon in horizons:
            years = horizon / per_year
            sigma_sqrt_t = volatility * years.sqrt()
            distance_sigmas = log_distance / sigma_sqrt_t
            results.append(
                LiquidationRisk(
                    model=MODEL,
                    caveat=CAVEAT,
                    has_liquidation_price=True,
                    horizon_years=years,
                    sigma_sqrt_t=sigma_sqrt_t,
                    distance_fraction=distance_fraction,
                    log_distance=log_distance,
                    distance_sigmas=distance_sigmas,
                    touch_probability=_touch(mark, lp, log_distance, sigma_sqrt_t),
                    touch_probability_log_driftless=min(
                        _TWO * _standard_normal_cdf(-distance_sigmas), _ONE
                    ),
                )
            )
        return tuple(results)


def _standard_normal_cdf(z: Decimal) -> Decimal:
    """``Phi(z) = erfc(-z / sqrt(2)) / 2``: the module's single float boundary.

    Why a float here: ``math.erfc`` is accurate to about one unit in the last place over the
    whole real line, tails included, whereas a Decimal erfc needs two algorithms (series and
    continued fraction) and a precision policy for each, to buy digits that a model estimate
    with this much model error cannot use. The conversion is explicit both ways
    (``float(z)`` in, ``Decimal(repr(...))`` out), which ``decimal.FloatOperation`` permits;
    no float ever meets a Decimal in arithmetic.
    """
    value = 0.5 * math.erfc(-float(z) / math.sqrt(2.0))
    return Decimal(repr(value))
