"""Fixtures shared by the whole suite.

Every test runs with ``decimal.FloatOperation`` trapped, so a float that sneaks into money
maths (``Decimal("1") * 0.5`` or ``Decimal(0.1)``) fails the test instead of rounding quietly.
"""

from __future__ import annotations

import decimal
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the property tests on a fixed sequence of examples, so a red run can be reproduced
# and a green one is not luck; local runs keep exploring new examples (and remember failures).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def trap_float_operations() -> Iterator[None]:
    context = decimal.getcontext()
    was_trapped = context.traps[decimal.FloatOperation]
    context.traps[decimal.FloatOperation] = True
    try:
        yield
    finally:
        context.traps[decimal.FloatOperation] = was_trapped


@pytest.fixture(autouse=True)
def bundled_tier_tables_without_a_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests without database access use the bundled tier snapshots only: the tables stored by
    ``refresh_exchange_data`` are looked up in the database (riskcalc/exchange_data.py)."""
    from riskcalc.calc.profiles import set_table_source
    from riskcalc.exchange_data import forget_stored_tables, stored_tables_source

    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        forget_stored_tables()  # another test's rolled-back versions must not linger
        yield
        forget_stored_tables()
        return

    set_table_source(None)
    try:
        yield
    finally:
        set_table_source(stored_tables_source)


@pytest.fixture(autouse=True)
def no_kept_pages_from_another_test() -> None:
    """Rendered calculator pages live in this process's memory (riskcalc/kept_pages.py): each
    test starts without those an earlier test rendered, as a new server process would."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(scope="session", autouse=True)
def collected_static_files() -> None:
    """Collect hashed static files once per run when they are missing or stale.

    Tests run with the production storage (WhiteNoise's compressed manifest), so a template
    naming a static file that does not exist fails here, as it would in production.
    """
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [p for d in settings.STATICFILES_DIRS for p in Path(d).rglob("*") if p.is_file()]
    newest_source = max((p.stat().st_mtime for p in sources), default=0.0)
    if not manifest.exists() or manifest.stat().st_mtime < newest_source:
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def compiled_message_catalogues() -> None:
    """Compile the translation catalogues (locale/*/LC_MESSAGES/django.po) once per run.

    The .mo files are derived, so they are not committed; compilemessages skips a catalogue
    whose .mo is newer than its .po, so this costs nothing when they are current.
    """
    from django.core.management import call_command

    call_command(
        "compilemessages",
        ignore_patterns=[".venv", "staticfiles", "node_modules"],
        verbosity=0,
    )


@pytest.fixture(autouse=True)
def english_outside_requests() -> Iterator[None]:
    """Each test starts in English: a request through LocaleMiddleware (/es/...) leaves its
    language active in the thread, which would otherwise leak into the next test's code that
    formats figures or renders templates outside a request."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
