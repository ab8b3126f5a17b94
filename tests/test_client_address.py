"""The client's address: X-Forwarded-For counts only when the direct peer is a trusted proxy."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from riskcalc.client_address import client_address
from riskcalc.models.classroom import ClassSession

PROXY = "172.28.0.10"


def address(remote: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_forwards(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_TRUSTED_PROXIES = []
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_an_untrusted_peer_cannot_name_another_address(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_TRUSTED_PROXIES = [PROXY]
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    assert address(PROXY, "198.51.100.1") == "198.51.100.1"
    # What the client wrote itself (left) is passed over; a load balancer in 10/8 too.
    assert address(PROXY, "1.2.3.4, 198.51.100.1, 10.1.2.3") == "198.51.100.1"
    assert address(PROXY, " 2001:db8::1 ") == "2001:db8::1"


def test_a_trusted_proxy_without_a_readable_forwarded_address_is_the_client(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RISKCALC_TRUSTED_PROXIES = [PROXY]
    assert address(PROXY) == PROXY
    assert address(PROXY, "not-an-address") == PROXY
    assert address(PROXY, "198.51.100.1, junk") == PROXY
    assert address("") == "unknown"


@pytest.mark.django_db
def test_join_limits_count_each_client_behind_the_proxy_not_the_proxy(settings) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    settings.RISKCALC_TRUSTED_PROXIES = [PROXY]
    settings.RISKCALC_CLASSROOM_LIMITS = {"join_ip": (1, 600)}
    teacher = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.50")
    assert teacher.post("/classroom/liquidation-distance/sessions/").status_code == 302
    code = ClassSession.objects.get().code
    for number, nickname in enumerate(("Ada", "Bea"), start=1):
        student = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        joined = student.post("/classroom/join/", {"code": code, "nickname": nickname})
        assert joined.status_code == 302, nickname
    again = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    refused = again.post("/classroom/join/", {"code": code, "nickname": "Cy"})
    assert refused.status_code == 429


def test_the_request_log_names_the_client_behind_the_proxy(  # type: ignore[no-untyped-def]
    client: Client, settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.RISKCALC_TRUSTED_PROXIES = [PROXY]
    with caplog.at_level(logging.INFO, logger="riskcalc.request"):
        client.get("/api/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    records = [r for r in caplog.records if r.name == "riskcalc.request"]
    assert [r.client for r in records] == ["198.51.100.9"]  # type: ignore[attr-defined]
