"""The address of the client behind a request: :func:`client_address`.

The direct peer (``REMOTE_ADDR``) is the client unless it is one of our own reverse proxies,
listed in the ``RISKCALC_TRUSTED_PROXIES`` setting (addresses or networks, e.g.
``172.28.0.10`` or ``10.0.0.0/8``). Then, and only then, ``X-Forwarded-For`` is read, from
the right: each proxy appends the address it received the request from, so the rightmost
address that is not a trusted proxy is the client. Anything left of it was written by the
client and could be anything, so it is never used.

Without this, behind ``deploy/nginx.conf`` every request comes from nginx's address and every
per-address limit becomes one limit for the whole site; with ``X-Forwarded-For`` believed from
anyone, a client could name a fresh address on each request and never be limited. Every rate
limit and the request log take the address from here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_address", "parse_networks"]

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network
type Address = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN = "unknown"


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """``["172.28.0.10", "10.0.0.0/8"]`` -> networks; a bare address is a one-address network.

    >>> parse_networks(["172.28.0.10", " 10.0.0.0/8 ", ""])
    (IPv4Network('172.28.0.10/32'), IPv4Network('10.0.0.0/8'))
    """
    return tuple(ipaddress.ip_network(entry.strip()) for entry in entries if entry.strip())


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address as text; ``"unknown"`` when there is none to read."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return UNKNOWN
    networks = _trusted(tuple(getattr(settings, "RISKCALC_TRUSTED_PROXIES", ())))
    if not _is_trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:  # a proxy wrote nothing readable here: stop at the last proxy
            break
        if not _is_trusted(address, networks):
            return str(address)
        peer = address
    return str(peer)
