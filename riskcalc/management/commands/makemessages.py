"""``makemessages`` that also collects the calculator core's ``N_("...")`` marks.

The core (``riskcalc/calc/``) is standard library only, so it marks its sentences with the
no-op :func:`riskcalc.calc.text.N_` instead of Django's ``gettext_noop``; xgettext learns
that keyword here, and ``make messages`` and ``tests/test_translations.py`` run this command.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
