"""Delete class sessions older than the retention period, with their students and answers.

Run it daily (cron, a systemd timer or the platform's scheduler). Sessions are also deleted
when someone opens them after they expire, so a missed run only delays the deletion of
sessions nobody visits. Rate-limit counters of windows that have ended go too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from riskcalc.classroom.ratelimit import purge_ended
from riskcalc.classroom.sessions import purge_expired
from riskcalc.models.classroom import RETENTION


class Command(BaseCommand):
    help = f"Delete class sessions (with students and answers) older than {RETENTION.days} days."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        purge_ended()
        self.stdout.write(
            f"Deleted {deleted} class session{'s' if deleted != 1 else ''} older than "
            f"{RETENTION.days} days."
        )
