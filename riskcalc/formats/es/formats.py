"""Spanish times with their time zone: "21 de noviembre de 2026, 09:30 UTC" (Django's own
Spanish DATE_FORMAT, "21 de noviembre de 2026", is used for dates)."""

DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i e"
