"""How a calculator declares its API output: one :class:`Output` per field of the JSON result.

Each calculator module lists its outputs (``OUTPUTS``); :mod:`riskcalc.api` turns the same
declarations into the responses, the OpenAPI document and the tables on ``/api/``. Decimals
travel as JSON strings in plain notation (:func:`riskcalc.fields.plain`); a value that does
not exist is ``null`` and a warning says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from riskcalc.calc.liquidation import CalcWarning
from riskcalc.calc.tiers import Tier
from riskcalc.calculators.form import CalculatorForm
from riskcalc.fields import plain

__all__ = [
    "COMMON_OUTPUTS",
    "Output",
    "data_date",
    "profile_name",
    "result_attr",
    "tier_source",
    "to_json",
]


def to_json(value: Any) -> Any:
    """Decimals to plain strings, enums to their values, containers recursively."""
    kind = type(value)
    if kind is Decimal:  # most outputs: checked first
        return plain(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, CalcWarning):
        return {"code": value.code, "message": value.message}
    if isinstance(value, Tier):
        return {
            "number": value.number,
            "floor": plain(value.floor),
            "cap": None if value.cap is None else plain(value.cap),
            "maintenance_margin_rate": plain(value.maintenance_margin_rate),
            "maintenance_amount": plain(value.maintenance_amount),
            "max_leverage": plain(value.max_leverage),
        }
    return value


@dataclass(frozen=True, slots=True)
class Output:
    """One field of a successful response: its JSON kind, whether it may be null, and how to
    read it from a valid form."""

    name: str
    kind: str  # decimal | integer | string | warnings | tier | object | array
    description: str
    get: Callable[[Any], Any]
    nullable: bool = False


def _warnings(form: CalculatorForm) -> list[dict[str, str]]:
    return [{"code": w.code, "message": w.message} for w in form.warnings]


def _inputs(form: CalculatorForm) -> dict[str, Any]:
    return {k: to_json(v) for k, v in form.inputs.items() if v is not None}


def profile_name(form: CalculatorForm) -> str | None:
    return form.profile.name if form.profile else None


def data_date(form: CalculatorForm) -> str | None:
    return form.tier_table.snapshot.isoformat() if form.tier_table else None


def tier_source(form: CalculatorForm) -> str | None:
    return form.tier_table.source_url or None if form.tier_table else None


COMMON_OUTPUTS = (
    Output(
        "warnings", "warnings", "Things to know about the result; why a value is null.", _warnings
    ),
    Output("inputs", "object", "The inputs used, with defaults and presets filled in.", _inputs),
)


def result_attr(name: str) -> Callable[[Any], Any]:
    return lambda form: getattr(form.result, name)
