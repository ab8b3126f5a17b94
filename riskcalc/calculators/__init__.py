"""The calculators, one module (or package) each, and the registry that lists them.

A calculator's module holds its form (input parsing and the call into the core), the
function that turns a valid form into what its template shows (figures, the maths step by
step, scenario rows, chart figures) and its API outputs, and ends with its registry entry
(:class:`~riskcalc.calculators.spec.Calculator`). :data:`CALCULATORS` is the only list of
calculators: the routes (``riskcalc/urls.py``), the calculators index, the API endpoints and
their OpenAPI document, the embeds and the widget builder are all generated from it.

What they share: :mod:`riskcalc.fields` (number, choice and list fields),
:mod:`.form` (the form base class and exchange presets), :mod:`.display` (units, leverage
caps, chart ranges) and :mod:`.spec` (the registry entry and API output declarations).
"""

from __future__ import annotations

from riskcalc.calculators import adl, compare, liquidation, margin, pnl, position_size
from riskcalc.calculators.spec import Calculator

__all__ = ["CALCULATORS", "Calculator"]

CALCULATORS: dict[str, Calculator] = {
    calculator.slug: calculator
    for calculator in (
        liquidation.CALCULATOR,
        position_size.CALCULATOR,
        margin.CALCULATOR,
        pnl.CALCULATOR,
        adl.CALCULATOR,
        compare.CALCULATOR,
    )
}
"""Every calculator by slug, in the order the index and the widget builder list them."""
