"""Exercise templates of the lesson "leverage and margin": their numbers, answers, hints and
misconceptions.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from riskcalc.calc.margin import initial_margin, notional
from riskcalc.calc.pnl import pnl_ratio, roe
from riskcalc.calc.types import Side
from riskcalc.classroom.answers import Unit
from riskcalc.classroom.exercises.core import (
    HUNDRED,
    LINEAR,
    ONE,
    Built,
    CalculatorLink,
    ExerciseTemplate,
    Misconception,
    choice,
    sides,
)
from riskcalc.classroom.exercises.shortcuts import (
    ENTRY_PRICES,
    PRICE_TOLERANCE,
    num,
    num_plain,
    other,
    pct,
    side_word,
    usdt,
    x,
)


def _initial_margin(p: dict[str, object]) -> Built:
    side, qty, entry, lev = p["side"], p["quantity"], p["entry"], p["leverage"]
    assert isinstance(side, Side)
    assert isinstance(qty, Decimal) and isinstance(entry, Decimal) and isinstance(lev, Decimal)
    value = notional(contract=LINEAR, quantity=qty, price=entry)
    answer = initial_margin(contract=LINEAR, quantity=qty, price=entry, leverage=lev)
    times = value * lev
    whole = initial_margin(contract=LINEAR, quantity=qty, price=entry, leverage=ONE)
    return Built(
        prompt=gettext(
            "You open a %(side)s of %(quantity)s BTC on a BTCUSDT perpetual at %(entry)s USDT "
            "with %(leverage)s leverage (isolated margin). How much initial margin does the "
            "position need?"
        )
        % {"side": side_word(side), "quantity": num(qty), "entry": num(entry), "leverage": x(lev)},
        answer=answer,
        hint=gettext(
            "First find the position value (quantity × price), then divide by the leverage."
        ),
        solution=(
            gettext("Position value N = quantity × price = %(quantity)s × %(price)s = %(value)s.")
            % {"quantity": num(qty), "price": num(entry), "value": usdt(value)},
            gettext("Initial margin = N ÷ leverage = %(value)s ÷ %(leverage)s = %(margin)s.")
            % {"value": usdt(value), "leverage": num(lev), "margin": usdt(answer)},
            gettext(
                "Gains and losses still follow the whole %(value)s: a %(one)s move is "
                "%(move)s, which is %(share)s of the margin."
            )
            % {
                "value": usdt(value),
                "one": pct(ONE / HUNDRED),
                "move": usdt(value / HUNDRED),
                "share": pct(lev / HUNDRED),
            },
        ),
        misconceptions=(
            Misconception(
                code="leverage_multiplied",
                name=gettext("Leverage multiplied instead of divided"),
                explanation=gettext(
                    "You multiplied the position value by %(leverage)s. Leverage says how many "
                    "times the margin the position is worth, so the margin is the value "
                    "divided by %(leverage)s."
                )
                % {"leverage": num(lev)},
                value=times,
            ),
            Misconception(
                code="leverage_ignored",
                name=gettext("Leverage ignored: the whole position value"),
                explanation=gettext(
                    "%(value)s is the whole position value (the notional). With %(times)s "
                    "leverage only 1/%(leverage)s of it is set aside as margin."
                )
                % {"value": usdt(whole), "times": x(lev), "leverage": num(lev)},
                value=whole,
            ),
        ),
        calculator=CalculatorLink(
            calculator="margin",
            params={
                "contract": "linear",
                "quantity": num_plain(qty),
                "price": num_plain(entry),
                "leverage": num_plain(lev),
            },
            label=gettext("Check it in the margin calculator"),
        ),
    )


def _roe_move(p: dict[str, object]) -> Built:
    side, entry, lev, move, up = p["side"], p["entry"], p["leverage"], p["move"], p["up"]
    assert isinstance(side, Side) and isinstance(entry, Decimal) and isinstance(lev, Decimal)
    assert isinstance(move, Decimal) and isinstance(up, Decimal)
    direction = ONE if up > 0 else -ONE
    mark = entry * (ONE + direction * move)
    answer = roe(side=side, contract=LINEAR, entry_price=entry, mark_price=mark, leverage=lev)
    price_only = pnl_ratio(side=side, contract=LINEAR, entry_price=entry, mark_price=mark)
    flipped = roe(
        side=other(side), contract=LINEAR, entry_price=entry, mark_price=mark, leverage=lev
    )
    sign_move = pct(direction * move)
    numbers = {
        "side": side_word(side),
        "entry": num(entry),
        "leverage": x(lev),
        "move": pct(move),
        "mark": num(mark),
    }
    if up > 0:
        prompt = gettext(
            "You hold a %(side)s on BTCUSDT from %(entry)s USDT with %(leverage)s leverage. The "
            "mark price rises by %(move)s to %(mark)s USDT. What is your return on margin "
            "(ROE), in percent?"
        )
    else:
        prompt = gettext(
            "You hold a %(side)s on BTCUSDT from %(entry)s USDT with %(leverage)s leverage. The "
            "mark price falls by %(move)s to %(mark)s USDT. What is your return on margin "
            "(ROE), in percent?"
        )
    return Built(
        prompt=prompt % numbers,
        answer=answer * HUNDRED,
        hint=gettext(
            "First the price move as a percentage (with the sign that is good or bad for your "
            "side), then multiply by the leverage: the margin is only 1/leverage of the position."
        ),
        solution=(
            gettext("Price move = (%(mark)s − %(entry)s) ÷ %(entry)s = %(move)s.")
            % {"mark": num(mark), "entry": num(entry), "move": sign_move},
            (
                gettext("For a %(side)s that move is a gain of %(share)s of the position value.")
                if answer > 0
                else gettext(
                    "For a %(side)s that move is a loss of %(share)s of the position value."
                )
            )
            % {"side": side_word(side), "share": pct(abs(price_only))},
            gettext("ROE = leverage × move = %(leverage)s × %(move)s = %(roe)s.")
            % {"leverage": num(lev), "move": pct(price_only), "roe": pct(answer)},
        ),
        misconceptions=(
            Misconception(
                code="price_move_for_roe",
                name=gettext("Percent of price confused with percent of margin"),
                explanation=gettext(
                    "%(move)s is the move in the price (the return on the whole position). Your "
                    "margin is 1/%(leverage)s of the position, so the return on the margin is "
                    "%(leverage)s times larger."
                )
                % {"move": pct(price_only), "leverage": num(lev)},
                value=price_only * HUNDRED,
            ),
            Misconception(
                code="side_flipped",
                name=gettext("Long and short swapped"),
                explanation=gettext(
                    "That is the return of a %(side)s. A long gains when the price rises; a "
                    "short gains when it falls."
                )
                % {"side": side_word(other(side))},
                value=flipped * HUNDRED,
            ),
        ),
        calculator=CalculatorLink(
            calculator="pnl",
            params={
                "side": str(side),
                "contract": "linear",
                "entry_price": num_plain(entry),
                "exit_price": num_plain(mark),
                "quantity": "1",
                "leverage": num_plain(lev),
            },
            label=gettext("Check it in the PnL calculator"),
        ),
    )


TEMPLATES = (
    ExerciseTemplate(
        id="initial-margin",
        title=_("Initial margin from leverage"),
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        params={
            "side": sides(),
            "quantity": choice("0.05", "0.1", "0.2", "0.25", "0.5", "1", "2"),
            "entry": ENTRY_PRICES,
            "leverage": choice("5", "10", "20", "25", "50", "100"),
        },
        build=_initial_margin,
    ),
    ExerciseTemplate(
        id="roe-from-price-move",
        title=_("Return on margin (ROE) from a price move"),
        unit=Unit.PERCENT,
        places=2,
        tolerance=Decimal("0.01"),
        sign_rule=_("Give a loss as a negative number."),
        params={
            "side": sides(),
            "entry": ENTRY_PRICES,
            "leverage": choice("2", "3", "5", "10", "20", "25", "50"),
            "move": choice("0.002", "0.004", "0.005", "0.01", "0.015", "0.02", "0.03"),
            "up": choice("1", "-1"),
        },
        build=_roe_move,
        valid=lambda p: p["move"] * p["leverage"] <= Decimal("0.8"),
    ),
)
