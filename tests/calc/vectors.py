"""Load the worked-example vectors (``fixtures/vectors.json`` and ``extra_vectors.json``).

Shared by every calculator test module: ``vectors(kind="liquidation_price_cross_linear")``
or ``vectors(prefix="liquidation_price_")``. Each vector is a plain dict (schema in
``fixtures/README.md``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
FILES = ("vectors.json", "extra_vectors.json")

Vector = dict[str, Any]


@cache
def _all() -> tuple[Vector, ...]:
    found: list[Vector] = []
    for name in FILES:
        path = FIXTURES / name
        if path.exists():
            for vector in json.loads(path.read_text("utf-8")):
                found.append({**vector, "_file": name})
    return tuple(found)


def vectors(*, kind: str | None = None, prefix: str | None = None) -> list[Vector]:
    """Vectors of one ``kind`` (or whose kind starts with ``prefix``), all files together."""
    return [
        v
        for v in _all()
        if (kind is None or v["kind"] == kind) and (prefix is None or v["kind"].startswith(prefix))
    ]


def vector(vector_id: str) -> Vector:
    """One vector by id."""
    for v in _all():
        if v["id"] == vector_id:
            return v
    raise KeyError(vector_id)


def ids(items: list[Vector]) -> list[str]:
    """pytest ids for a list of vectors."""
    return [v["id"] for v in items]


def is_published(v: Vector) -> bool:
    """A golden vector: not derived (its expected figure was printed by the source)."""
    return not v.get("derived", False)


def assert_published(actual: Decimal, expected: str, tolerance: str = "exact") -> None:
    """``actual`` reproduces the published ``expected`` figure.

    ``tolerance`` as in the vectors: ``"abs X …"`` means within X (the published precision);
    anything else means exactly equal (``Decimal`` equality, so ``19700.000 == 19700``).
    """
    target = Decimal(expected)
    match = re.match(r"abs\s+([0-9.eE-]+)", tolerance)
    if match:
        bound = Decimal(match.group(1))
        assert abs(actual - target) <= bound, f"{actual} is not within {bound} of {expected}"
    else:
        assert actual == target, f"{actual} != published {expected}"
