"""Whole numbers from a request's text: the one parser for every integer a view reads.

Query strings, form fields and headers all arrive as text. ``str.isdigit`` is not a safe
test for "``int`` can read this": it accepts superscripts and other digit-like characters
(``"²"``) that ``int`` refuses, and ``int`` itself refuses more than 4,300 digits. A view
that tests with one and parses with the other answers such input with a 500 (issue 12,
item 3), so every view parses integers here instead.
"""

from __future__ import annotations

import re

__all__ = ["whole_number"]

_ASCII_DIGITS = re.compile(r"[0-9]+")


def whole_number(text: str | None, *, maximum: int) -> int | None:
    """``text`` as a whole number from 0 to ``maximum``, or ``None`` when it is anything else.

    Only the ASCII digits 0-9 count (no sign, space, underscore, superscript or other
    script's digit), and text longer than ``maximum`` has digits is refused before it is
    converted, so no input costs more than a short ``int()``. ``None`` (a missing
    parameter) gives ``None``.

    >>> whole_number("42", maximum=100)
    42
    >>> whole_number("007", maximum=100)
    7
    >>> whole_number("101", maximum=100) is None
    True
    >>> [whole_number(text, maximum=100) for text in ("²", "٣", " 4", "-1", "1_0", "", None)]
    [None, None, None, None, None, None, None]
    >>> whole_number("9" * 5000, maximum=100) is None
    True
    """
    if text is None or len(text) > len(str(maximum)) or not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= maximum else None
