"""Rate limits: a window counts up to its limit and no further, even under a race."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys

from riskcalc.classroom import ratelimit
from riskcalc.models import RateLimitCounter
from tests.classroom.conftest import ROOT

# A window longer than the test, so no run straddles two windows.
LONG_WINDOW = 10**9


def test_a_window_allows_its_limit_then_refuses(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_CLASSROOM_LIMITS = {"join_ip": (3, LONG_WINDOW)}
    assert [ratelimit.allow("join_ip", "198.51.100.1") for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert ratelimit.allow("join_ip", "198.51.100.2")  # another subject has its own window
    assert sorted(RateLimitCounter.objects.values_list("count", flat=True)) == [1, 3]


def test_ended_windows_are_purged(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_CLASSROOM_LIMITS = {"join_ip": (3, 1)}
    ratelimit.allow("join_ip", "198.51.100.1")
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=5)
    assert ratelimit.purge_ended(now=later) == 1
    assert RateLimitCounter.objects.count() == 0


# Two threads, each flooding for its own address, count answers into one session at once, on
# a file database as in production (in-memory SQLite cannot take concurrent writers).
RACE = """
import json, os, threading
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskcalc.settings")
import django
django.setup()
from django.db import connection
from django.test.utils import override_settings
from riskcalc.classroom import ratelimit

limit, attempts = {limit}, {attempts}
start = threading.Barrier(2)
allowed = [0, 0]

def flood(index):
    start.wait()
    try:
        allowed[index] = sum(ratelimit.allow("answer_session", "7") for _ in range(attempts))
    finally:
        connection.close()

with override_settings(RISKCALC_CLASSROOM_LIMITS={{"answer_session": (limit, 10**9)}}):
    threads = [threading.Thread(target=flood, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
print(json.dumps(allowed))
"""


def test_two_addresses_racing_into_one_session_never_pass_its_limit(
    site_env: dict[str, str],
) -> None:
    limit, attempts = 100, 80  # neither thread alone can use the whole limit
    result = subprocess.run(
        [sys.executable, "-c", RACE.format(limit=limit, attempts=attempts)],
        cwd=ROOT,
        env=site_env,
        check=True,
        capture_output=True,
        text=True,
    )
    allowed = json.loads(result.stdout.strip().splitlines()[-1])
    assert sum(allowed) == limit, allowed
