"""One Django form per calculator: the only place user input is parsed.

Pages, htmx partials, embeds and the JSON API all bind the same form. A form does *shape*
(required, parseable, inside :data:`riskcalc.calc.limits.LIMITS`); the calculator core does
*invariants* and raises :class:`~riskcalc.calc.errors.InputError`, which ``clean()`` maps onto
the field it names. After ``is_valid()`` a valid form carries the core's result object in
``form.result`` and the values actually used (defaults and exchange presets applied) in
``form.inputs``.

Exchange presets (liquidation and margin forms)
    With ``exchange`` (and ``symbol``) the profile and its dated tier table fill in what the
    user left empty. Precedence, highest first: (1) a value the user typed; (2) the symbol's
    tier table (maintenance rate, deduction and leverage cap of the tier the notional falls
    in; the confirmed leverage cap for symbols without a table); (3) the exchange profile's
    conventions (MM basis, where the fee counts, inverse contract size); (4) the generic
    defaults (mark basis, fee 0, contract size 1). Field names in ``form.preset_fields`` were
    filled from the profile or its table.
"""

from __future__ import annotations

from riskcalc.calculators.adl import AdlForm
from riskcalc.calculators.form import CalculatorForm
from riskcalc.calculators.liquidation import LiquidationForm
from riskcalc.calculators.margin import MarginForm
from riskcalc.calculators.pnl import PnlForm
from riskcalc.calculators.position_size import PositionSizeForm

__all__ = [
    "AdlForm",
    "CalculatorForm",
    "LiquidationForm",
    "MarginForm",
    "PnlForm",
    "PositionSizeForm",
]


# --------------------------------------------------------------------------------------------
# Liquidation


# --------------------------------------------------------------------------------------------
# Margin


# --------------------------------------------------------------------------------------------
# Position size


# --------------------------------------------------------------------------------------------
# PnL


# --------------------------------------------------------------------------------------------
# ADL
