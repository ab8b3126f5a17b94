"""The reader's language: which one a request gets, and the same page in the others.

Pages carry their language in the URL (English unprefixed at ``/``, the others under
``/es/``, ``/zh-hans/`` and ``/ar/``: ``i18n_patterns`` in ``riskcalc/urls.py``, activated by
Django's ``LocaleMiddleware``). The routes outside those patterns choose per request: the
API from the ``Accept-Language`` header (:func:`accept_language`), an embed from its
``lang`` query parameter (:func:`query_language`). Both fall back to English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real

__all__ = [
    "LanguageLink",
    "accept_language",
    "in_accept_language",
    "language_links",
    "localized_path",
    "query_language",
    "supported_language",
    "translation_path",
]


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """One language's version of the page being read, for the switcher and hreflang."""

    code: str
    name: str
    url: str
    absolute_url: str
    current: bool
    bidi: bool


def supported_language(code: str | None) -> str | None:
    """The site's language for ``code`` (``es-MX`` -> ``es``, ``zh-CN`` -> ``zh-hans``), or
    ``None`` when the site does not speak it."""
    if not code:
        return None
    try:
        return trans_real.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def accept_language(request: HttpRequest) -> str:
    """The first language of the ``Accept-Language`` header the site speaks, else English.

    Cookies and URL prefixes are ignored: an API client says what it wants in the header.
    """
    header = request.headers.get("Accept-Language", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        found = supported_language(code)
        if found is not None:
            return found
    return settings.LANGUAGE_CODE


def query_language(query: Mapping[str, str]) -> str:
    """The language named by a ``lang`` query parameter, else English (embeds)."""
    return supported_language(query.get("lang")) or settings.LANGUAGE_CODE


def in_accept_language[**P](
    view: Callable[P, HttpResponse],
) -> Callable[P, HttpResponse]:
    """Run a view in :func:`accept_language`'s language; its responses vary on the header."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)
        language = accept_language(request)
        with translation.override(language):
            response = view(*args, **kwargs)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapper


def localized_path(path: str, language: str | None = None) -> str:
    """An English page path (``/learn/margin/``) in ``language`` (the active one by default):
    ``/es/learn/margin/``. Query and fragment are kept; a path that is not a page is
    returned as it is."""
    target = language or translation.get_language()
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, target)


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """The page being read in every language, in :setting:`LANGUAGES` order."""
    current = translation.get_language()
    path = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        links.append(
            LanguageLink(
                code=code,
                name=str(name),
                url=url,
                absolute_url=request.build_absolute_uri(url),
                current=code == current,
                bidi=translation.get_language_info(code)["bidi"],
            )
        )
    return links


def translation_path(english: Path, language: str) -> Path | None:
    """A content file's translation, ``<its folder>/<language>/<its name>``
    (``content/learn/es/margin.md``), or ``None`` for English or when there is none yet."""
    if language == settings.LANGUAGE_CODE or supported_language(language) != language:
        return None
    path = english.parent / language / english.name
    return path if path.is_file() else None
