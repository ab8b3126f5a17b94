"""Nicknames: shown as typed after NFKC, and look-alikes cannot share a session."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from riskcalc.classroom.nicknames import CONFUSABLES, clean_nickname, nickname_key
from riskcalc.models.classroom import ClassSession, Student

LESSON = "liquidation-distance"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Alice", "\u0410lice"),  # Cyrillic capital А
        ("alice", "\uff21\uff4c\uff49\uff43\uff45"),  # full-width Ａｌｉｃｅ
        ("Nick", "\u039dick"),  # Greek capital Ν
        ("Bob", "B0b"),
        ("Ada Lovelace", "  ada   lovelace "),
    ],
)
def test_look_alike_nicknames_have_one_key(first: str, second: str) -> None:
    assert nickname_key(clean_nickname(first)) == nickname_key(clean_nickname(second))


@pytest.mark.parametrize(("first", "second"), [("Zoë", "Zoe"), ("Ian", "Jan"), ("Sam", "Pam")])
def test_different_nicknames_keep_different_keys(first: str, second: str) -> None:
    assert nickname_key(first) != nickname_key(second)


def test_every_confusable_maps_to_a_latin_letter_or_digit() -> None:
    assert all(len(target) == 1 and target.isascii() for target in CONFUSABLES.values())
    assert not any(source.isascii() and source.isalpha() for source in CONFUSABLES)


@pytest.mark.django_db
def test_a_look_alike_of_a_classmates_nickname_is_refused(client: Client) -> None:
    cache.clear()
    client.post(f"/classroom/{LESSON}/sessions/")
    code = ClassSession.objects.get().code
    assert Client().post("/classroom/join/", {"code": code, "nickname": "Alice"}).status_code == 302
    for impostor in ("\u0410lice", "\uff21\uff4c\uff49\uff43\uff45", "ALICE"):
        refused = Client().post("/classroom/join/", {"code": code, "nickname": impostor})
        assert refused.status_code == 409, impostor
        assert "looks the same" in unescape(refused.content.decode())
    joined = Client().post("/classroom/join/", {"code": code, "nickname": "\uff22\uff45\uff41"})
    assert joined.status_code == 302
    assert sorted(Student.objects.values_list("nickname", flat=True)) == ["Alice", "Bea"]
