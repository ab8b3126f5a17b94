"""System checks: every bundled tier snapshot must pass the loader's validation.

Requests parse only the tier table they use, so a broken table in a data file would otherwise
surface only when someone picks that symbol. ``manage.py check`` (run by ``check --deploy``,
``migrate`` and ``runserver``) parses them all and fails loudly, naming the table.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from riskcalc.calc.errors import InputError
from riskcalc.calc.profiles import bundled_tables, list_profiles


@register("riskcalc")
def tier_snapshots_check(**kwargs: Any) -> list[CheckMessage]:
    """An error for each exchange whose bundled file has a table that fails validation."""
    errors: list[CheckMessage] = []
    for prof in list_profiles():
        try:
            bundled_tables(prof.name)
        except InputError as error:
            errors.append(
                Error(
                    f"riskcalc/calc/data/tiers/{prof.name}.json: {error.message}",
                    hint="Fix the source or re-import it with manage.py import_tier_snapshot; "
                    "a table is never corrected by hand.",
                    id="riskcalc.E001",
                )
            )
    return errors
