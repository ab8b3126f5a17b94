"""Seeded exercises: templates with parameter ranges, answers and misconceptions from the core.

An exercise template names its parameters and their ranges; a seed picks the numbers. The same
``(seed, lesson, exercise id, variant)`` always gives the same numbers, on any machine and in
any process: the per-exercise seed is derived with SHA-256 (:func:`derive_seed`), never with
Python's salted ``hash()``, and fed to ``random.Random``.

The answer is computed by the calculator core (:mod:`riskcalc.calc`). So is every
misconception: the *same* function, called with the mistaken assumption (maintenance margin
set to zero, the other side, the leverage applied to the risk, the fee left out...). A wrong
answer that matches one within the tolerance is therefore an exact match, and the feedback can
name the mistake. Two generic checks follow the template's own: the right size with the wrong
sign, and (for percentages) a fraction typed where percent was asked.

Each exercise states its unit, tolerance and sign convention, gives a hint, and has a worked
solution with the student's own numbers substituted.

Layout: :mod:`.core` holds the shared machinery (seed, exercise, checking, parameter
ranges, template type), :mod:`.shortcuts` the formatting and calculator-core helpers the
templates use, one module per lesson its templates (``leverage_and_margin`` ...), and
:mod:`.registry` every template by id and :func:`make_exercise`.
"""

from riskcalc.classroom.exercises.core import (
    CalculatorLink,
    Exercise,
    ExerciseTemplate,
    Misconception,
    Verdict,
    derive_seed,
)
from riskcalc.classroom.exercises.registry import TEMPLATES, make_exercise

__all__ = [
    "TEMPLATES",
    "CalculatorLink",
    "Exercise",
    "ExerciseTemplate",
    "Misconception",
    "Verdict",
    "derive_seed",
    "make_exercise",
]
