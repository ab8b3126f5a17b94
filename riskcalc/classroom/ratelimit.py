"""Fixed-window request counters in the database (:class:`~riskcalc.models.RateLimitCounter`).

The database is shared by every app server, so a limit holds across processes. A window is a
row per (scope, subject, window number). Counting is one conditional ``UPDATE … SET count =
count + 1 WHERE count < limit``, which the database applies atomically: requests counted at
the same instant by two servers or threads can never pass the limit (the cache's ``incr`` on
the database cache is a read and a write, and let 2,471 answers through a 1,200 limit).
``purge_classroom`` deletes the rows of windows that have ended.

Limits are ``(requests, seconds)`` pairs, overridable with the ``RISKCALC_CLASSROOM_LIMITS``
setting (a dict with the keys of :data:`DEFAULT_LIMITS`). The defaults allow a whole class
behind one school network address (one IP) to join and answer at once.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Mapping
from types import MappingProxyType

from django.conf import settings
from django.db import transaction
from django.db.models import F

from riskcalc.models.ratelimit import RateLimitCounter

__all__ = ["DEFAULT_LIMITS", "allow", "limit_for", "purge_ended", "used_up"]

DEFAULT_LIMITS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "start_ip": (30, 600),  # sessions started from one address per 10 minutes
        "join_ip": (300, 600),  # joins from one address (a whole school's NAT) per 10 minutes
        "join_session": (150, 600),  # joins into one session per 10 minutes (until reopened)
        "join_session_ip": (50, 600),  # joins into one session from one address per 10 minutes
        "answer_ip": (1200, 60),  # answers from one address per minute
        "answer_session": (2400, 60),  # answers into one session per minute
        "answer_student": (30, 60),  # answers by one student per minute
    }
)


def limit_for(scope: str) -> tuple[int, int]:
    overrides = getattr(settings, "RISKCALC_CLASSROOM_LIMITS", {})
    return overrides.get(scope, DEFAULT_LIMITS[scope])


def _key(scope: str, subject: str, window: int) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"{scope}:{digest}:{window}"


def allow(scope: str, subject: str) -> bool:
    """Count one request by ``subject`` (an IP, a session id...) in ``scope``; ``False``, and
    nothing counted, once the scope's limit for the current window is used up."""
    limit, seconds = limit_for(scope)
    now = time.time()
    window = int(now // seconds)
    key = _key(scope, subject, window)
    expires_at = datetime.datetime.fromtimestamp((window + 1) * seconds, tz=datetime.UTC)
    with transaction.atomic():
        counter, _ = RateLimitCounter.objects.get_or_create(
            key=key, defaults={"count": 0, "expires_at": expires_at}
        )
        counted = RateLimitCounter.objects.filter(pk=counter.pk, count__lt=limit).update(
            count=F("count") + 1
        )
    return counted == 1


def used_up(scope: str, subject: str) -> bool:
    """Whether ``subject`` has used up ``scope``'s limit in the current window (counts nothing)."""
    limit, seconds = limit_for(scope)
    key = _key(scope, subject, int(time.time() // seconds))
    return RateLimitCounter.objects.filter(key=key, count__gte=limit).exists()


def purge_ended(*, now: datetime.datetime | None = None) -> int:
    """Delete the counters of windows that have ended; returns how many."""
    deleted, _ = RateLimitCounter.objects.filter(
        expires_at__lte=now or datetime.datetime.now(tz=datetime.UTC)
    ).delete()
    return deleted
