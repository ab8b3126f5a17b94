"""Every response turns off the browser features the site never uses (issue 12, item 6)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.test import Client

from tests.browser.routes import argument_free_paths

NEVER_USED = ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid")


def allowlists(header: str) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in header.split(","))


# Resolved inside the test: the manifest that names the hashed file is only written by the
# session's collectstatic fixture, after collection.
STATIC_FILE = "static:js/widgets.js"


def other_responses() -> list[str]:
    """Besides the pages: an embed, the API, its document, oEmbed, the loader, the health
    check, a static file and a missing page."""
    return [
        "/embed/pnl/?side=long&entry_price=100&exit_price=110&quantity=1",
        "/api/v1/pnl?side=long&entry_price=100&exit_price=110&quantity=1",
        "/api/v1/openapi.json",
        "/oembed?url=http://testserver/calculators/pnl/",
        "/embed.js",
        "/healthz",
        STATIC_FILE,
        "/no-such-page/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", argument_free_paths() + other_responses())
def test_every_response_turns_off_the_features_the_site_never_uses(
    client: Client, path: str
) -> None:
    if path == STATIC_FILE:
        path = static(path.removeprefix("static:"))
    policy = allowlists(client.get(path).headers["Permissions-Policy"])

    assert all(policy[feature] == "()" for feature in NEVER_USED)
    assert set(policy) == set(settings.PERMISSIONS_POLICY_DISABLED)


def test_clipboard_write_stays_allowed_for_the_widget_builders_copy_buttons() -> None:
    assert "clipboard-write" not in settings.PERMISSIONS_POLICY_DISABLED
