"""Seeded exercises: reproducible numbers, judged answers, misconceptions named exactly."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from riskcalc.classroom.answers import Unit
from riskcalc.classroom.exercises import (
    TEMPLATES,
    Exercise,
    derive_seed,
    make_exercise,
)

LESSON = "test-lesson"
SEEDS = range(40)


def typed(value: Decimal, places: int) -> str:
    """How a careful student types a value: rounded to a few more places than asked."""
    return f"{value.quantize(Decimal(1).scaleb(-(places + 2))):f}"


class TestSeeds:
    @pytest.mark.parametrize("template", sorted(TEMPLATES))
    def test_same_seed_gives_the_same_exercise_and_answer(self, template: str) -> None:
        for seed in (0, 1, 12345):
            first = make_exercise(template, seed=seed, lesson=LESSON)
            again = make_exercise(template, seed=seed, lesson=LESSON)
            assert first == again

    @pytest.mark.parametrize("template", sorted(TEMPLATES))
    def test_different_seeds_give_different_numbers(self, template: str) -> None:
        prompts = {make_exercise(template, seed=seed, lesson=LESSON).prompt for seed in SEEDS}
        assert len(prompts) > 5

    def test_seed_depends_on_lesson_exercise_and_variant(self) -> None:
        base = derive_seed(5, "a", "b", 0)
        assert base != derive_seed(5, "a", "b", 1)
        assert base != derive_seed(5, "a", "c", 0)
        assert base != derive_seed(5, "x", "b", 0)
        assert base != derive_seed(6, "a", "b", 0)

    def test_numbers_do_not_depend_on_the_process_hash_seed(self) -> None:
        code = (  # texts are translated, so Django's settings are loaded first
            "import django; django.setup();"
            "from riskcalc.classroom.exercises import make_exercise;"
            "e = make_exercise('liquidation-price-long', seed=42, lesson='l');"
            "print(e.prompt, e.answer)"
        )
        outputs = set()
        for hash_seed in ("1", "2", "random"):
            env = {
                **os.environ,
                "PYTHONHASHSEED": hash_seed,
                "DJANGO_SETTINGS_MODULE": "riskcalc.settings",
                "DJANGO_SECRET_KEY": "hash-seed-test-" + "x" * 40,
            }
            result = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            outputs.add(result.stdout)
        here = make_exercise("liquidation-price-long", seed=42, lesson="l")
        assert outputs == {f"{here.prompt} {here.answer}\n"}


class TestJudging:
    @pytest.mark.parametrize("template", sorted(TEMPLATES))
    def test_the_answer_as_asked_is_correct(self, template: str) -> None:
        for seed in SEEDS:
            exercise = make_exercise(template, seed=seed, lesson=LESSON)
            shown = exercise.answer_display
            assert exercise.check(shown).correct, (seed, shown)
            assert exercise.check(typed(exercise.answer, exercise.places)).correct

    @pytest.mark.parametrize("template", sorted(TEMPLATES))
    def test_a_clearly_wrong_answer_is_wrong(self, template: str) -> None:
        for seed in SEEDS:
            exercise = make_exercise(template, seed=seed, lesson=LESSON)
            off = exercise.answer + 3 * exercise.tolerance
            assert exercise.check(typed(off, exercise.places)).status == "wrong"

    def test_tolerance_edges_are_inclusive(self) -> None:
        exercise = make_exercise("liquidation-price-long", seed=3, lesson=LESSON)
        answer = exercise.answer.normalize()
        assert exercise.tolerance == Decimal("0.01")
        assert exercise.check(f"{answer + Decimal('0.01'):f}").correct
        assert exercise.check(f"{answer - Decimal('0.01'):f}").correct
        assert not exercise.check(f"{answer + Decimal('0.0101'):f}").correct
        assert not exercise.check(f"{answer - Decimal('0.0101'):f}").correct

    def test_percent_tolerance_edges(self) -> None:
        exercise = make_exercise("margin-wipe-move", seed=1, lesson=LESSON)
        assert exercise.unit is Unit.PERCENT
        edge = exercise.answer + exercise.tolerance
        assert exercise.check(f"{edge:f}%").correct
        assert not exercise.check(f"{edge + Decimal('0.0001'):f}%").correct

    def test_thousands_commas_and_units_are_read_and_reported(self) -> None:
        exercise = make_exercise("liquidation-price-long", seed=3, lesson=LESSON)
        value = exercise.answer.quantize(Decimal("0.01"))
        verdict = exercise.check(f"{value:,f} USDT")
        assert verdict.correct
        assert verdict.reading is not None
        assert verdict.reading.note.startswith("Read as ")

    def test_unreadable_answers_say_what_to_change(self) -> None:
        exercise = make_exercise("liquidation-price-long", seed=3, lesson=LESSON)
        verdict = exercise.check("19,7")
        assert verdict.status == "unreadable"
        assert "point for decimals" in verdict.error
        assert exercise.check("5%").status == "unreadable"
        assert exercise.check("").status == "unreadable"

    def test_every_exercise_states_unit_tolerance_and_sign(self) -> None:
        for template in TEMPLATES:
            exercise = make_exercise(template, seed=0, lesson=LESSON)
            assert "±" in exercise.instructions
            assert exercise.hint
            assert len(exercise.solution) >= 2
        signed = make_exercise("funding-payment", seed=0, lesson=LESSON)
        assert "negative" in signed.instructions


class TestMisconceptions:
    @pytest.mark.parametrize("template", sorted(TEMPLATES))
    def test_each_misconception_fires_on_its_own_wrong_answer(self, template: str) -> None:
        for seed in SEEDS:
            exercise = make_exercise(template, seed=seed, lesson=LESSON)
            for misconception in exercise.misconceptions:
                verdict = exercise.check(typed(misconception.value, exercise.places))
                assert verdict.status == "wrong"
                assert verdict.misconception == misconception, (seed, misconception.code)

    @pytest.mark.parametrize("template", sorted(TEMPLATES))
    def test_misconceptions_are_distinct_for_every_seed(self, template: str) -> None:
        """The parameter ranges keep every mistake distinguishable from the answer, so none is
        dropped: each seed names the same misconceptions."""
        codes = {
            tuple(m.code for m in make_exercise(template, seed=seed, lesson=LESSON).misconceptions)
            for seed in range(100)
        }
        assert len(codes) == 1, codes
        assert next(iter(codes)), f"{template} names no misconception"

    def named(self, template: str, code: str, seed: int = 7) -> tuple[Exercise, str]:
        exercise = make_exercise(template, seed=seed, lesson=LESSON)
        match = [m for m in exercise.misconceptions if m.code == code]
        assert match, [m.code for m in exercise.misconceptions]
        verdict = exercise.check(typed(match[0].value, exercise.places))
        assert verdict.misconception is not None
        return exercise, verdict.misconception.name

    def test_maintenance_margin_ignored_is_the_bankruptcy_price(self) -> None:
        exercise, name = self.named("liquidation-price-long", "mm_ignored")
        assert "Maintenance margin ignored" in name and "bankruptcy" in name
        mm = next(m for m in exercise.misconceptions if m.code == "mm_ignored")
        bankruptcy = make_exercise("liquidation-price-long", seed=7, lesson=LESSON)
        assert mm.value < bankruptcy.answer  # a long's bankruptcy price is below liquidation

    def test_leverage_applied_to_the_risk_amount(self) -> None:
        exercise, name = self.named("position-size-stop", "leverage_on_risk")
        assert name == "Leverage applied to the risk amount"

    def test_percent_of_price_confused_with_percent_of_margin(self) -> None:
        _, name = self.named("roe-from-price-move", "price_move_for_roe")
        assert name == "Percent of price confused with percent of margin"

    def test_long_short_flipped(self) -> None:
        _, name = self.named("liquidation-price-short", "side_flipped")
        assert name == "Long and short swapped"

    def test_fee_ignored(self) -> None:
        _, name = self.named("position-size-fees", "fee_ignored")
        assert name == "Fees ignored"
        _, name = self.named("pnl-after-fees", "fee_ignored")
        assert name == "Fees ignored"

    def test_right_size_wrong_sign(self) -> None:
        exercise = make_exercise("funding-payment", seed=2, lesson=LESSON)
        verdict = exercise.check(typed(-exercise.answer, exercise.places))
        assert verdict.misconception is not None
        # The template's own "who pays whom" comes before the generic sign check.
        assert verdict.misconception.code == "side_flipped"
        exercise = make_exercise("insurance-fund", seed=2, lesson=LESSON)
        verdict = exercise.check(typed(-exercise.answer, exercise.places))
        assert verdict.misconception is not None
        assert verdict.misconception.code == "wrong_sign"

    def test_fraction_typed_for_percent(self) -> None:
        exercise = make_exercise("margin-wipe-move", seed=4, lesson=LESSON)
        verdict = exercise.check(f"{exercise.answer / 100:f}")
        assert verdict.misconception is not None
        assert verdict.misconception.code == "fraction_for_percent"


class TestWorkedSolutions:
    def test_solution_uses_the_students_numbers(self) -> None:
        exercise = make_exercise("liquidation-price-long", seed=11, lesson=LESSON)
        first, second = (
            make_exercise("liquidation-price-long", seed=s, lesson=LESSON) for s in (11, 12)
        )
        assert first.solution != second.solution
        joined = " ".join(exercise.solution)
        assert exercise.answer_display in joined
