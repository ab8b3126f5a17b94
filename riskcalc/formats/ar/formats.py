"""Arabic times with their time zone: "21 نوفمبر، 2026، 09:30 UTC". Django's own Arabic
DATE_FORMAT ("21 نوفمبر، 2026") is used for dates; its month names come from Django's Arabic
catalogue, and the digits stay Latin, as every figure on the site does in Arabic (CLDR's
convention for Arabic, riskcalc.templatetags.riskcalc.NUMBER_LOCALES)."""

DATETIME_FORMAT = "j F، Y، H:i e"
