"""Fixtures shared by the whole suite.

Every test runs with ``decimal.FloatOperation`` trapped, so a float that sneaks into money
maths (``Decimal("1") * 0.5`` or ``Decimal(0.1)``) fails the test instead of rounding quietly.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def trap_float_operations() -> Iterator[None]:
    context = decimal.getcontext()
    was_trapped = context.traps[decimal.FloatOperation]
    context.traps[decimal.FloatOperation] = True
    try:
        yield
    finally:
        context.traps[decimal.FloatOperation] = was_trapped
