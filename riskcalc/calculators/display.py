"""Display helpers every calculator's ``context`` function shares: units, leverage caps,
price ranges for charts, the PnL table, and the engine's sources.

A calculator's ``context(form, query, part=...)`` (``riskcalc/calculators/<name>.py``) turns a
validated form into what its template shows; ``part`` is the part of the page a request asks
for (:func:`riskcalc.views.calculators.calculator_part`). Formatting only: the numbers come
from the core through the form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localdate
from django.utils.translation import gettext, ngettext, pgettext

from riskcalc.calc.errors import InputError
from riskcalc.calc.limits import LIMITS
from riskcalc.calc.margin import max_leverage
from riskcalc.calc.profiles import leverage_claims, tier_table
from riskcalc.calc.tiers import TierTable
from riskcalc.calc.types import ContractType
from riskcalc.calculators.form import CalculatorForm
from riskcalc.templatetags.riskcalc import price, signed

__all__ = [
    "ENGINE_RETRIEVED",
    "ENGINE_SOURCES",
    "Part",
    "leverage_cap",
    "money_places",
    "needed_prompt",
    "pnl_table",
    "plural_count",
    "price_range",
    "quantity_unit",
    "snapshot_text",
    "units",
]


Part = Literal["page", "result", "analysis"]


def units(form: CalculatorForm, contract: ContractType) -> tuple[str, str]:
    """(price unit, margin unit), named by the instrument: the symbol's quote currency
    (USDT, USDC, USD) and, for an inverse contract, its coin; without a symbol USDT for a
    linear contract (the common case) and USD and "coin" for an inverse one. Never the words
    "quote" or "base", which name no currency a trader holds."""
    symbol = str(form.cleaned_data.get("symbol") or "").upper()
    table = form.tier_table
    quote = ""
    for suffix in ("USDT", "USDC", "USD"):
        if symbol.endswith(suffix) and len(symbol) > len(suffix):
            quote = suffix
            break
    if contract is ContractType.LINEAR:
        if table is not None:
            quote = table.notional_unit
        unit = quote or "USDT"
        return unit, unit
    coin = symbol[: -len(quote)] if quote else ""
    if table is not None:
        coin = table.notional_unit
    return quote or "USD", coin or "coin"


def plural_count(number: Decimal) -> int:
    """The count ``ngettext`` picks a plural form by for ``number``: a whole number itself; a
    fraction takes every language's "other" form (CLDR), which 100 selects in each
    catalogue's formula (English and Spanish plural, Arabic "other").

    >>> plural_count(Decimal(7)), plural_count(Decimal("0.25"))
    (7, 100)
    """
    return int(number) if number == number.to_integral_value() else 100


def quantity_unit(form: CalculatorForm, contract: ContractType, quantity: Decimal) -> str:
    """What a position's quantity counts, named by the instrument as exchanges name it:
    contracts for an inverse contract or a linear one of a contract size other than 1, else
    the symbol's coin (BTC for BTCUSDT, BTC-USDT-SWAP or BTC), else "coins".

    The word agrees with ``quantity`` in each language (:func:`plural_count`).
    """
    count = plural_count(quantity)
    size = form.cleaned_data.get("contract_size")
    if contract is ContractType.INVERSE or (size is not None and size != 1):
        return ngettext("contract", "contracts", count)
    symbol = str(form.cleaned_data.get("symbol") or "").upper()
    coin = re.split(r"[-_/:]", symbol)[0]
    for suffix in ("USDT", "USDC", "USD"):
        if coin.endswith(suffix) and len(coin) > len(suffix):
            coin = coin.removesuffix(suffix)
            break
    if coin.isascii() and coin.isalnum() and coin not in ("USDT", "USDC", "USD"):
        return coin
    return ngettext("coin", "coins", count)


def leverage_cap(form: CalculatorForm, notional: Decimal | None) -> tuple[Decimal | None, str]:
    """Highest leverage the chosen exchange/symbol allows for this notional, and why."""
    data = getattr(form, "cleaned_data", {}) or {}
    exchange, symbol = data.get("exchange") or "", (data.get("symbol") or "").strip()
    if not exchange or not symbol:
        return None, ""
    try:
        table = tier_table(exchange, symbol)
    except InputError:
        for claim in leverage_claims(exchange):
            if claim.symbol in (symbol, "*") and claim.status.value == "confirmed":
                return claim.max_leverage, gettext("%(exchange)s %(symbol)s, confirmed maximum") % {
                    "exchange": claim.exchange,
                    "symbol": symbol,
                }
        return None, ""
    if notional is None:
        top = table.tiers[0]
        return top.max_leverage, gettext("%(table)s tier 1") % {"table": table.label}
    try:
        cap = max_leverage(tiers=table, notional=notional)
    except InputError:
        return None, ""
    tier = table.tier_for_notional(notional)
    return cap, gettext("%(table)s tier %(tier)s (%(snapshot)s)") % {
        "table": table.label,
        "tier": tier.number,
        "snapshot": snapshot_text(table),
    }


def snapshot_text(table: TierTable) -> str:
    """A tier table's date and age in the active language, "snapshot 2024-10-24, 773 days
    old" (the core's English is :meth:`~riskcalc.calc.tiers.TierTable.snapshot_text`)."""
    days = table.age_days(localdate())
    return ngettext(
        "snapshot %(date)s, %(days)s day old", "snapshot %(date)s, %(days)s days old", days
    ) % {"date": table.snapshot.isoformat(), "days": days}


def price_range(entry: Decimal, low: Decimal | None, high: Decimal | None, points: int = 41):
    """Evenly spaced exit prices spanning the interesting levels, all positive and none over
    the largest price the core accepts (an entry near it would otherwise chart prices past
    it, which the PnL curve refuses)."""
    lo = min(x for x in (low, entry * Decimal("0.9")) if x is not None and x > 0)
    hi = max(x for x in (high, entry * Decimal("1.1")) if x is not None)
    span = hi - lo
    lo = max(lo - span * Decimal("0.1"), entry / 1000)
    hi = min(hi + span * Decimal("0.1"), LIMITS["mark_price"].maximum)
    step = (hi - lo) / (points - 1)
    return [lo + step * i for i in range(points)]


def pnl_table(
    prices: Sequence[Decimal], pnl: Sequence[Decimal], money_places: str
) -> list[tuple[str, str, str]]:
    """The text table under a PnL chart, every tenth point: (exit price, signed PnL, "profit",
    "loss" or ""), formatted here as the template's filters did (a row of filters and
    conditions in the template cost about 25 µs)."""
    profit, loss = gettext("profit"), gettext("loss")
    return [
        (price(p), signed(v, money_places), profit if v > 0 else loss if v < 0 else "")
        for p, v in zip(prices[::10], pnl[::10], strict=True)
    ]


def price_tick(form: CalculatorForm) -> Decimal | None:
    """The price step prices are shown to: the tick the user gave, else the symbol's tick
    from its tier table, else none (2 places: :func:`riskcalc.templatetags.riskcalc.price`)."""
    given = form.inputs.get("tick_size")
    if given:
        return Decimal(given)
    return form.tier_table.tick_size if form.tier_table is not None else None


def money_places(contract: ContractType) -> str:
    """Decimal places for signed PnL: cents of the quote (linear); about six significant
    digits of the coin (inverse: 0.0127 BTC must not show as 0.01)."""
    return "2" if contract is ContractType.LINEAR else ""


ENGINE_SOURCES = (
    (
        "Binance: how to calculate the liquidation price (USDS-M)",
        "https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93",
    ),
    (
        "Bybit: liquidation price (USDT contract)",
        "https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract",
    ),
)


ENGINE_RETRIEVED = "2026-11-21"


def in_sentence(label: str) -> str:
    """A field's label as a word inside a sentence: its capital lowered unless the label
    starts with an abbreviation ("Exit price" -> "exit price"; "ROE target" stays).

    >>> in_sentence("Exit price"), in_sentence("ROE target"), in_sentence("")
    ('exit price', 'ROE target', '')
    """
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def spoken_list(items: Sequence[str]) -> str:
    """``items`` as the reader's language writes a list: "a", "a and b", "a, b and c"; HTML
    (each part escaped) when every item is (a :class:`SafeString`).

    >>> spoken_list(["a"]), spoken_list(["a", "b"]), spoken_list(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    if len(items) < 2:
        return items[0] if items else ""
    html = all(isinstance(item, SafeString) for item in items)
    separator = pgettext("between the names of inputs in a list", ", ")
    pattern = gettext("%(items)s and %(last)s")
    if html:
        separator, pattern = conditional_escape(separator), conditional_escape(pattern)
    joined = pattern % {"items": separator.join(items[:-1]), "last": items[-1]}
    return mark_safe(joined) if html else joined


def needed_prompt(form: CalculatorForm) -> tuple[str, SafeString]:
    """What a page or widget says while inputs are missing (``form.needed``, see
    :meth:`~riskcalc.calculators.form.CalculatorForm.hold_missing`): the form's
    ``needed_text`` with the missing inputs named, as plain text (the live headline) and
    with each name a link that focuses its field (the result area), e.g. "Enter the exit
    price to see the profit or loss." Empty strings when nothing is missing."""
    if not form.needed:
        return "", mark_safe("")
    fields = [form[name] for name in form.needed]
    words = [in_sentence(str(field.label)) for field in fields]
    links = [
        format_html('<a href="#{0}" data-focus-field="{0}">{1}</a>', field.auto_id, word)
        for field, word in zip(fields, words, strict=True)
    ]
    text = str(form.needed_text)
    linked = conditional_escape(text) % {"inputs": spoken_list(links)}
    return text % {"inputs": spoken_list(words)}, mark_safe(linked)
