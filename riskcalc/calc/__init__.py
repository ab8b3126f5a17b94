"""riskcalc's calculator core: pure Python, standard library only, Decimal money maths.

Nothing here imports Django or reads the network; reference tables are read from package data
with ``importlib.resources``. Interfaces (forms, API, pages) call these functions and translate
:class:`InputError` into field errors.
"""

from riskcalc.calc.adl import (
    AdlExposure,
    AdlMethod,
    AdlPeer,
    AdlPosition,
    AdlRank,
    AdlRanking,
    adl_exposure,
    adl_ranking,
    adl_score,
)
from riskcalc.calc.errors import CROSS_FIELD, InputError
from riskcalc.calc.risk import (
    HorizonUnit,
    LiquidationRisk,
    LiquidationRiskInput,
    liquidation_risk,
    touch_probability,
)
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side, TierMethod

__all__ = [
    "AdlExposure",
    "AdlMethod",
    "AdlPeer",
    "AdlPosition",
    "AdlRank",
    "AdlRanking",
    "CROSS_FIELD",
    "ContractType",
    "HorizonUnit",
    "InputError",
    "LiquidationRisk",
    "LiquidationRiskInput",
    "MarginBasis",
    "MarginMode",
    "Side",
    "TierMethod",
    "adl_exposure",
    "adl_ranking",
    "adl_score",
    "liquidation_risk",
    "touch_probability",
]
