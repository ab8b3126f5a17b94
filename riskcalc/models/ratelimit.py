"""Rate-limit counters: how many requests one subject made in one fixed window of one scope.

Counted by :mod:`riskcalc.classroom.ratelimit` with a conditional ``UPDATE … SET count =
count + 1 WHERE count < limit``, which the database runs atomically, so two app servers (or
threads) counting at the same instant can never let more than the limit through. Rows outlive
their window by nothing useful: ``purge_classroom`` deletes those past ``expires_at``.
"""

from __future__ import annotations

from django.db import models


class RateLimitCounter(models.Model):
    key = models.CharField(max_length=120, unique=True)  # "scope:subject digest:window"
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"
