"""One source of truth for bounds: every numeric form field reads ``LIMITS``, and every
``LIMITS`` entry is read by the core or a form.

The form layer (``riskcalc/fields.py``, the calculators in ``riskcalc/calculators/``) and the
API contract (``riskcalc/api.py``) must not state a bound of their own: the source is parsed, so a literal ``Limit(...)`` or a
``minimum=``/``maximum=`` keyword there fails here even if no form uses it yet.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django import forms

from riskcalc.calc.limits import LIMITS
from riskcalc.calculators import CALCULATORS
from riskcalc.calculators.form import CalculatorForm
from riskcalc.fields import DecimalInputField

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "riskcalc" / "calc"


def _calculator_forms() -> list[type[CalculatorForm]]:
    return [calculator.form for calculator in CALCULATORS.values()]


def _number_fields(field: forms.Field, where: str) -> Iterator[tuple[str, DecimalInputField]]:
    if isinstance(field, DecimalInputField):
        yield where, field
    for key, item in (getattr(field, "items", None) or {}).items():  # list fields
        yield from _number_fields(item, f"{where}.{key}")


def _form_number_fields() -> list[tuple[str, DecimalInputField]]:
    found = []
    for cls in _calculator_forms():
        for strict, lists in ((False, False), (True, False), (True, True)):
            form = cls(strict=strict, lists=lists)
            for name, field in form.fields.items():
                found.extend(_number_fields(field, f"{cls.__name__}.{name}"))
    return found


def test_every_numeric_form_field_takes_its_bounds_from_limits() -> None:
    fields = _form_number_fields()
    assert len(fields) > 50  # five calculators, page and API variants
    for where, field in fields:
        assert field.limit_name in LIMITS, where
        assert field.limit is LIMITS[field.limit_name], where


FORM_LAYER = sorted(
    str(path.relative_to(ROOT / "riskcalc"))
    for path in [
        ROOT / "riskcalc" / "fields.py",
        ROOT / "riskcalc" / "api.py",
        *(ROOT / "riskcalc" / "calculators").rglob("*.py"),
    ]
)


@pytest.mark.parametrize("module", FORM_LAYER)
def test_the_form_layer_states_no_bound_of_its_own(module: str) -> None:
    tree = ast.parse((ROOT / "riskcalc" / module).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            assert name not in {"Limit", "derived_limit"}, f"{module}:{node.lineno}"
            for keyword in node.keywords:
                assert keyword.arg not in {"minimum", "maximum", "minimum_inclusive"}, (
                    f"{module}:{node.lineno}"
                )
                if keyword.arg == "limit" and name == "DecimalInputField":
                    assert isinstance(keyword.value, ast.Constant), f"{module}:{node.lineno}"
                    assert keyword.value.value in LIMITS, f"{module}:{node.lineno}"
        if isinstance(node, ast.FunctionDef):
            assert node.name != "derived_limit", f"{module}:{node.lineno}"


def _core_strings() -> set[str]:
    """String constants in the core's modules other than limits.py (field names it checks)."""
    found: set[str] = set()
    for path in CORE.glob("*.py"):
        if path.name == "limits.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_every_limits_entry_is_used() -> None:
    used = _core_strings() | {field.limit_name for _, field in _form_number_fields()}
    assert set(LIMITS) - used == set()


def test_the_core_checks_the_bounds_the_forms_show() -> None:
    # Every bound a form field shows is one the core checks too (not only the form).
    core = _core_strings()
    form_only = {field.limit_name for _, field in _form_number_fields()} - core
    assert form_only == set()
