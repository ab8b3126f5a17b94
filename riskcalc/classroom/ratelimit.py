"""Fixed-window request counters in the shared cache (``CACHES["default"]``).

The cache is shared by every app server (Redis, or a database table), so a limit holds across
processes. A window is a key per (scope, subject, window number) that expires with the window.
Counting is best effort: the database cache's ``incr`` is a read and a write, so two requests
in the same instant may count once. That is fine for a limit meant to stop floods, not to bill.

Limits are ``(requests, seconds)`` pairs, overridable with the ``RISKCALC_CLASSROOM_LIMITS``
setting (a dict with the keys of :data:`DEFAULT_LIMITS`). The defaults allow a whole class
behind one school network address (one IP) to join and answer at once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from types import MappingProxyType

from django.conf import settings
from django.core.cache import cache

__all__ = ["DEFAULT_LIMITS", "allow", "limit_for"]

DEFAULT_LIMITS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "start_ip": (30, 600),  # sessions started from one address per 10 minutes
        "join_ip": (300, 600),  # joins from one address (a whole school's NAT) per 10 minutes
        "join_session": (150, 600),  # joins into one session per 10 minutes
        "answer_ip": (1200, 60),  # answers from one address per minute
        "answer_session": (2400, 60),  # answers into one session per minute
        "answer_student": (30, 60),  # answers by one student per minute
    }
)


def limit_for(scope: str) -> tuple[int, int]:
    overrides = getattr(settings, "RISKCALC_CLASSROOM_LIMITS", {})
    return overrides.get(scope, DEFAULT_LIMITS[scope])


def allow(scope: str, subject: str) -> bool:
    """Count one request by ``subject`` (an IP, a session id...) in ``scope``; ``False`` once
    the scope's limit for the current window is used up."""
    count, seconds = limit_for(scope)
    window = int(time.time() // seconds)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    key = f"classroom-rl:{scope}:{digest}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # the window expired between add and incr: start it again
        cache.set(key, 1, timeout=seconds + 1)
        used = 1
    return used <= count
