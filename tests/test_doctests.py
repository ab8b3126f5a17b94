"""Run the doctests of the Django-side modules.

pytest collects doctests (``--doctest-modules``) only under its testpaths, ``tests`` and
``riskcalc/calc``; adding all of ``riskcalc`` would import migrations and management commands
as test modules. These modules' examples are documentation that must stay true, so they run
here, each module once (about 0.1 s in all).
"""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import riskcalc.classroom.answers
import riskcalc.classroom.exercises.core
import riskcalc.classroom.join_qr
import riskcalc.classroom.nicknames
import riskcalc.classroom.pacing
import riskcalc.client_address
import riskcalc.exchange_data
import riskcalc.exchange_list
import riskcalc.field_html
import riskcalc.fields
import riskcalc.params
import riskcalc.permissions_policy
import riskcalc.templatetags.kept_fragments
import riskcalc.templatetags.riskcalc
import riskcalc.tier_sources

MODULES = (
    riskcalc.field_html,
    riskcalc.fields,
    riskcalc.params,
    riskcalc.permissions_policy,
    riskcalc.classroom.answers,
    riskcalc.classroom.exercises.core,
    riskcalc.exchange_data,
    riskcalc.exchange_list,
    riskcalc.classroom.join_qr,
    riskcalc.classroom.pacing,
    riskcalc.classroom.nicknames,
    riskcalc.client_address,
    riskcalc.templatetags.kept_fragments,
    riskcalc.templatetags.riskcalc,
    riskcalc.tier_sources,
)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_module_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.attempted > 0, f"{module.__name__} has no doctest left to run"
    assert result.failed == 0
