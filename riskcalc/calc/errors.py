"""The one exception the calculator core raises.

Every invalid value or combination becomes an :class:`InputError` that names the field it
concerns and carries a message a learner can act on. Each message is written once, here in
the core, as an English template marked with :func:`~riskcalc.calc.text.N_` and the values
of its placeholders (:class:`~riskcalc.calc.text.Text`). Interfaces (forms, the JSON API) map
``field`` onto their own field names and show ``text`` in the reader's language
(``riskcalc.messages.translated``); ``message`` is the English sentence.

A :class:`MissingInput` is the one kind interfaces tell apart: nothing was given where the
calculation needs a value, as opposed to a value given that cannot be used. The API answers
both with a 400; a page or widget opened without that input asks for it instead of reporting
an error (``CalculatorForm.hold_missing``).
"""

from __future__ import annotations

from riskcalc.calc.text import Text

__all__ = ["InputError", "MissingInput", "CROSS_FIELD"]

CROSS_FIELD = "__all__"
"""Field name for problems that concern a combination of inputs rather than one input."""


class InputError(ValueError):
    """An input, or a combination of inputs, that no calculation can accept.

    ``message`` is a template (marked with ``N_``) and ``params`` the values of its
    ``{placeholders}``; a :class:`~riskcalc.calc.text.Text` is taken as it is.

    >>> error = InputError("leverage", "Leverage must be at least 1x.")
    >>> error.field, error.message
    ('leverage', 'Leverage must be at least 1x.')
    >>> str(error)
    'leverage: Leverage must be at least 1x.'
    >>> InputError("symbol", "{symbol} is not listed.", symbol="XYZ").message
    'XYZ is not listed.'
    """

    def __init__(self, field: str, message: str | Text, **params: object) -> None:
        text = message if isinstance(message, Text) else Text(message, params)
        english = str(text)
        super().__init__(f"{field}: {english}")
        self.field = field
        self.text = text
        self.message = english


class MissingInput(InputError):
    """An input the calculation needs and nobody gave (an empty field, not a wrong value).

    >>> error = MissingInput("exit_price", "Give the exit price (or the mark price).")
    >>> isinstance(error, InputError), error.field
    (True, 'exit_price')
    """
