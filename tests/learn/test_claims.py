"""Every figure a learn page claims to have calculated is what the calculators compute.

Each ``try_it`` example is bound to the calculator's form with exactly the query parameters of
its link; the form is the calculators' only parsing boundary and hands the values to
:mod:`riskcalc.calc`, so this checks the engine on the same inputs a reader's click sends. The
claimed figure's decimal places set the precision: ``"19698.49"`` must match to the cent,
``"19700"`` to the unit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from riskcalc import content
from riskcalc.calculators import CALCULATORS
from riskcalc.calculators.form import CalculatorForm

FORMS: dict[str, type[CalculatorForm]] = {slug: c.form for slug, c in CALCULATORS.items()}
CLAIMS = [
    pytest.param(page.slug, link, id=f"{page.slug}:{number}")
    for page in content.load_pages()
    for number, link in enumerate(page.try_it, start=1)
]


def result_value(result: Any, name: str) -> Decimal:
    if name == "maintenance_margin" and hasattr(result, "maintenance"):
        value = result.maintenance.maintenance_margin  # MarginResult keeps the breakdown there
    else:
        value = getattr(result, name)
    assert isinstance(value, Decimal), f"{name} is {value!r}"
    return value


def test_the_calculators_accept_every_field_name_content_may_use() -> None:
    for calculator, names in content.CALCULATOR_FIELDS.items():
        assert names <= set(FORMS[calculator]().fields), calculator


@pytest.mark.parametrize(("slug", "link"), CLAIMS)
def test_claimed_figure_is_reproduced_by_the_engine(slug: str, link: content.TryIt) -> None:
    form = FORMS[link.calculator](dict(link.params))
    assert form.is_valid(), f"{slug}: {link.label}: {form.errors.as_json()}"
    for name, claimed in link.expect.items():
        figure = Decimal(claimed)
        computed = result_value(form.result, name).quantize(figure, rounding=ROUND_HALF_UP)
        assert computed == figure, (
            f"{slug}: {link.label}: {name} is {computed}, page says {claimed}"
        )
