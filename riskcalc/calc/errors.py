"""The one exception the calculator core raises.

Every invalid value or combination becomes an :class:`InputError` that names the field it
concerns and carries a message a learner can act on. Interfaces (forms, the JSON API) map
``field`` onto their own field names and show ``message`` unchanged, so each message is
written once, here in the core.
"""

from __future__ import annotations

__all__ = ["InputError", "CROSS_FIELD"]

CROSS_FIELD = "__all__"
"""Field name for problems that concern a combination of inputs rather than one input."""


class InputError(ValueError):
    """An input, or a combination of inputs, that no calculation can accept.

    >>> error = InputError("leverage", "Leverage must be at least 1x.")
    >>> error.field, error.message
    ('leverage', 'Leverage must be at least 1x.')
    >>> str(error)
    'leverage: Leverage must be at least 1x.'
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
