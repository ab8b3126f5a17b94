"""System tests: real gunicorn processes (production settings and gunicorn.conf.py) against a
throwaway PostgreSQL 15 cluster of their own, started once per test session.

They use their own cluster, not the suite's database, because they stop and restart the
server and need committed data that several processes see. Skipped, with the reason, when
no PostgreSQL binaries are installed (``make postgres`` installs them; ``make test`` does).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.appserver import prepare_database
from tests.pg import TemporaryPostgres, postgres_bin_dir


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryPostgres]:
    if postgres_bin_dir() is None:
        pytest.skip("no PostgreSQL binaries (make postgres installs Debian's postgresql-15)")
    with TemporaryPostgres() as pg:
        prepare_database(pg.url)
        yield pg
