"""The ``Permissions-Policy`` header: browser features the site never uses, turned off.

Django's ``SecurityMiddleware`` sends the CSP, HSTS, nosniff, Referrer-Policy and
Cross-Origin-Opener-Policy headers but has no setting for this one, so this middleware sends
``settings.PERMISSIONS_POLICY_DISABLED`` as empty allowlists (``camera=(), usb=()``) on every
response, embeds and static files included. An empty allowlist turns a feature off for the
document and for every frame inside it, whatever the framing page allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

__all__ = ["PermissionsPolicyMiddleware", "permissions_policy"]


def permissions_policy(disabled: Iterable[str]) -> str:
    """The header value that turns off each feature of ``disabled``.

    >>> permissions_policy(["camera", "usb"])
    'camera=(), usb=()'
    """
    return ", ".join(f"{feature}=()" for feature in disabled)


class PermissionsPolicyMiddleware:
    """Sets ``Permissions-Policy`` on every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
