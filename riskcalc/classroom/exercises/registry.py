"""Every exercise template, by id, and :func:`make_exercise`, which builds one for a seed."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace
from decimal import localcontext
from types import MappingProxyType

from riskcalc.calc.rounding import CALC_CONTEXT
from riskcalc.classroom.answers import isolate_figures
from riskcalc.classroom.exercises import (
    bankruptcy_insurance_adl,
    funding_and_fees,
    isolated_vs_cross,
    leverage_and_margin,
    liquidation_distance,
    position_sizing,
    regional_rules_copy_trading,
)
from riskcalc.classroom.exercises.core import (
    Exercise,
    ExerciseTemplate,
    Misconception,
    derive_seed,
)

LESSON_MODULES = (
    leverage_and_margin,
    liquidation_distance,
    isolated_vs_cross,
    position_sizing,
    bankruptcy_insurance_adl,
    funding_and_fees,
    regional_rules_copy_trading,
)
"""One module per lesson, in the order the lessons' templates were listed."""


def make_exercise(template_id: str, *, seed: int, lesson: str, variant: int = 0) -> Exercise:
    """Build exercise ``template_id`` for ``seed`` in ``lesson`` (deterministic)."""
    template = TEMPLATES[template_id]
    rng = random.Random(derive_seed(seed, lesson, template_id, variant))
    with localcontext(CALC_CONTEXT):
        built = template.build(template.numbers(rng))
    # Keep only misconceptions that can be told apart from the answer and from each other.
    kept: list[Misconception] = []
    for m in built.misconceptions:
        distinct = abs(m.value - built.answer) > 2 * template.tolerance and all(
            abs(m.value - k.value) > 2 * template.tolerance for k in kept
        )
        if distinct:
            kept.append(replace(m, explanation=isolate_figures(m.explanation)))
    return Exercise(
        template=template.id,
        lesson=lesson,
        seed=seed,
        variant=variant,
        title=str(template.title),
        prompt=isolate_figures(built.prompt),
        unit=template.unit,
        places=template.places,
        tolerance=template.tolerance,
        sign_rule=str(template.sign_rule),
        answer=built.answer,
        hint=isolate_figures(built.hint),
        solution=tuple(isolate_figures(step) for step in built.solution),
        misconceptions=tuple(kept),
        calculator=built.calculator,
    )


TEMPLATES: Mapping[str, ExerciseTemplate] = MappingProxyType(
    {t.id: t for module in LESSON_MODULES for t in module.TEMPLATES}
)
"""Every exercise template by id; lesson files refer to these ids."""
