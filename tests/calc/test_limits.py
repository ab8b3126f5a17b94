"""Input bounds: one table the forms reuse, and checks that name the field."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from riskcalc.calc import LIMITS, InputError, Side
from riskcalc.calc.limits import checked, checked_choice


def test_every_limit_has_a_label_and_a_sane_range() -> None:
    for field, limit in LIMITS.items():
        assert limit.label, field
        assert limit.minimum < limit.maximum


@pytest.mark.parametrize("value", [0.1, True, "1", None, D("NaN"), D("-Infinity")])
def test_floats_bools_text_and_non_finite_numbers_are_refused(value: object) -> None:
    with pytest.raises(InputError) as error:
        checked("quantity", value)
    assert error.value.field == "quantity"


def test_integers_are_accepted_exactly() -> None:
    assert checked("quantity", 3) == D(3)


def test_maintenance_margin_rate_of_one_is_refused() -> None:
    with pytest.raises(InputError, match="at most 0.99"):
        checked("maintenance_margin_rate", D(1))


def test_choices_accept_their_string_values() -> None:
    assert checked_choice("side", Side, "long") is Side.LONG
