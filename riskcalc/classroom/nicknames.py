"""Students' nicknames: how one is cleaned, and the key that makes look-alikes collide.

A nickname is shown as typed, after NFKC normalisation (so full-width ``Ａｌｉｃｅ`` shows as
``Alice``) and with runs of spaces collapsed. Two nicknames may not share a session when they
would *look* the same: :func:`nickname_key` is stored with a unique constraint, so ``Alice``,
``alice``, ``Ａｌｉｃｅ`` and ``Аlice`` (with a Cyrillic А) all refuse one another.

The key is a small skeleton in the sense of Unicode Technical Standard #39 (Unicode Security
Mechanisms, section 4 "Confusable Detection"): characters from the confusables data map to
the Latin letter or digit they are mistaken for. :data:`CONFUSABLES` is a hand-picked subset
of ``confusables.txt`` (https://www.unicode.org/Public/security/latest/confusables.txt): the
Greek and Cyrillic letters that are drawn like Latin ones, a few Latin variants, and the
digits 0 and 1. Each entry was checked on 2026-12-06 against a table derived from
confusables.txt version 10.0.0 (luau-lang/luau, ``Ast/src/Confusables.cpp``). It departs from
TR39 in one place on purpose: the ``I``/``l`` class maps to ``I`` (TR39 maps it to ``l``),
because the key is also case-insensitive and Latin ``I`` must stay equal to ``i``.
"""

from __future__ import annotations

import unicodedata

from riskcalc.models.classroom import NICKNAME_MAX_LENGTH

__all__ = ["CONFUSABLES", "NicknameError", "clean_nickname", "nickname_key"]


class NicknameError(ValueError):
    """A nickname that cannot be used, with the message for the student."""


CONFUSABLES: dict[str, str] = {
    # digits and Latin variants
    "0": "O",
    "1": "l",
    "\u0131": "i",  # ı dotless i
    "\u0251": "a",  # ɑ Latin alpha
    "\u0261": "g",  # ɡ script g
    "\u0269": "i",  # ɩ Latin iota
    "\u026a": "i",  # ɪ small capital I
    "\u028f": "y",  # ʏ small capital Y
    # Greek capitals
    "\u0391": "A",
    "\u0392": "B",
    "\u0395": "E",
    "\u0396": "Z",
    "\u0397": "H",
    "\u0399": "I",  # Ι iota (TR39: l)
    "\u039a": "K",
    "\u039c": "M",
    "\u039d": "N",
    "\u039f": "O",
    "\u03a1": "P",
    "\u03a4": "T",
    "\u03a5": "Y",
    "\u03a7": "X",
    # Greek small letters
    "\u03b1": "a",
    "\u03b3": "y",
    "\u03b9": "i",
    "\u03bd": "v",
    "\u03bf": "o",
    "\u03c1": "p",
    "\u03c3": "o",
    "\u03c5": "u",
    "\u03f2": "c",  # ϲ lunate sigma
    "\u03f3": "j",  # ϳ yot
    # Cyrillic capitals
    "\u0405": "S",
    "\u0406": "I",  # І (TR39: l)
    "\u0408": "J",
    "\u0410": "A",
    "\u0412": "B",
    "\u0415": "E",
    "\u0417": "3",
    "\u041a": "K",
    "\u041c": "M",
    "\u041d": "H",
    "\u041e": "O",
    "\u0420": "P",
    "\u0421": "C",
    "\u0422": "T",
    "\u0423": "Y",
    "\u0425": "X",
    "\u042c": "b",
    "\u04ae": "Y",
    "\u04c0": "I",  # Ӏ palochka (TR39: l)
    # Cyrillic small letters
    "\u0430": "a",
    "\u0433": "r",
    "\u0435": "e",
    "\u043e": "o",
    "\u0440": "p",
    "\u0441": "c",
    "\u0443": "y",
    "\u0445": "x",
    "\u0455": "s",
    "\u0456": "i",
    "\u0458": "j",
    "\u0461": "w",
    "\u0475": "v",
    "\u04af": "y",
    "\u04bb": "h",
    "\u04bd": "e",
    "\u04cf": "i",
}
_TABLE = str.maketrans(CONFUSABLES)


def clean_nickname(text: str) -> str:
    """NFKC, spaces collapsed and trimmed, no control or format characters; at most
    NICKNAME_MAX_LENGTH characters.

    >>> clean_nickname("  Ａｌｉｃｅ   B. ")
    'Alice B.'
    """
    nickname = " ".join(unicodedata.normalize("NFKC", text).split())
    if not nickname:
        raise NicknameError("Choose a nickname, so your teacher can tell answers apart.")
    if len(nickname) > NICKNAME_MAX_LENGTH:
        raise NicknameError(f"Nicknames are at most {NICKNAME_MAX_LENGTH} characters.")
    if any(unicodedata.category(ch).startswith("C") for ch in nickname):
        raise NicknameError("Use letters, digits, spaces and punctuation only.")
    return nickname


def nickname_key(nickname: str) -> str:
    """What a cleaned nickname looks like, case aside: equal keys mean look-alike nicknames.

    Confusables are mapped before case-folding (Greek ``Ν`` is an ``N``, small ``ν`` a ``v``)
    and again after it (case-folding can turn one letter into another that is in the table).

    >>> nickname_key("Alice") == nickname_key("АLICE") == nickname_key("alice")
    True
    >>> nickname_key("B0b"), nickname_key("Zoë") == nickname_key("Zoe")
    ('bob', False)
    """
    return unicodedata.normalize(
        "NFC", nickname.translate(_TABLE).casefold().translate(_TABLE).casefold()
    )
