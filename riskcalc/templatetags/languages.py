"""``{% language_links as links %}``: the page being read in every language the site speaks,
for the header's language switcher and the ``<link rel="alternate" hreflang>`` alternates."""

from __future__ import annotations

from django import template
from django.conf import settings

from riskcalc.languages import LanguageLink, language_links

register = template.Library()


@register.simple_tag(takes_context=True, name="language_links")
def language_links_tag(context: template.Context) -> list[LanguageLink]:
    request = context.get("request")
    return language_links(request) if request is not None else []


@register.simple_tag
def language_cookie_name() -> str:
    """The cookie static/js/language.js sets when a reader picks a language (Django's own)."""
    return settings.LANGUAGE_COOKIE_NAME
