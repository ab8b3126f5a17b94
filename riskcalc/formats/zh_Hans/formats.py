"""Simplified Chinese times with their time zone: "2026年11月21日 09:30 UTC" (Django's own
DATE_FORMAT, "2026年11月21日", is used for dates)."""

DATETIME_FORMAT = "Y年n月j日 H:i e"
