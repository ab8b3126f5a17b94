"""The riskcalc application: registers its system checks when Django starts."""

from __future__ import annotations

from django.apps import AppConfig


class RiskcalcConfig(AppConfig):
    name = "riskcalc"

    def ready(self) -> None:
        from riskcalc import checks  # noqa: F401  (registers the checks)
