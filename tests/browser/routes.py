"""The site's argument-free HTML page routes, found by walking the URL configuration."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# Not HTML pages: the admin, the API, the health check, and the embed loader script and the
# oEmbed endpoint (their headers, framing included, are tested in tests/embeds/), and JSON data
# routes such as the restrictions map's figure.
EXCLUDED_PREFIXES = ("admin/", "api/", "healthz", "embed.js", "oembed")


def argument_free_paths() -> list[str]:
    """Every route with no captured arguments, as a path, except the admin, the API and the
    health check."""
    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if route.startswith("^") or "<" in route:
                continue
            if isinstance(pattern, URLResolver):
                if not (prefix + route).startswith(EXCLUDED_PREFIXES):
                    walk(pattern.url_patterns, prefix + route)
            elif not (prefix + route).startswith(EXCLUDED_PREFIXES) and not route.endswith(".json"):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))
