"""The riskcalc application: registers its system checks and the stored tier tables."""

from __future__ import annotations

from django.apps import AppConfig


class RiskcalcConfig(AppConfig):
    name = "riskcalc"

    def ready(self) -> None:
        from riskcalc import checks  # noqa: F401  (registers the checks)
        from riskcalc.calc.profiles import set_table_source
        from riskcalc.exchange_data import stored_tables_source

        # Requests use tables stored by refresh_exchange_data before the bundled snapshots.
        set_table_source(stored_tables_source)
